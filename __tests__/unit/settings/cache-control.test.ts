// What a push stores on each object besides its body: the Cache-Control of
// the first matching rule, and a Content-Type (the rules and the types
// themselves are unit-tested in rules.test.ts and content-type.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentTypeFor } from '../../../src/settings/content-type.js';
import { headersMatcher } from '../../../src/settings/rules.js';
import { copy, headObject, useS3 } from '../../helpers/s3.js';
import { tempDir } from '../../helpers/temp.js';
import { writeTree } from '../../helpers/tree.js';

const s3 = useS3();

describe('cache-control and content-type', () => {
  const RULES = [
    { pattern: '**/*.html', value: 'no-cache' },
    { pattern: 'assets/**', value: 'public, max-age=31536000, immutable' },
  ];
  const IMMUTABLE = 'public, max-age=31536000, immutable';

  it('stores the first matching Cache-Control and a Content-Type on every object', async () => {
    const source = await tempDir();
    await writeTree(source, {
      'index.html': '<h1>home</h1>',
      'docs/guide/page.html': 'guide',
      'assets/page.html': 'both rules match; the first wins',
      'assets/app.js': 'console.log(1)',
      'assets/site.css': 'body {}',
      'assets/logo.svg': '<svg/>',
      'data/info.json': '{}',
      'robots.txt': 'User-agent: *',
      'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      'archive.xyzzy': 'unknown extension',
      LICENSE: 'no extension',
    });
    const bucket = await s3.bucket();
    await copy(s3, 'push', source, bucket, { headersFor: headersMatcher([], RULES, contentTypeFor) });

    const expected: Record<string, [contentType: string, cacheControl: string | undefined]> = {
      'index.html': ['text/html; charset=utf-8', 'no-cache'],
      'docs/guide/page.html': ['text/html; charset=utf-8', 'no-cache'],
      'assets/page.html': ['text/html; charset=utf-8', 'no-cache'],
      'assets/app.js': ['text/javascript; charset=utf-8', IMMUTABLE],
      'assets/site.css': ['text/css; charset=utf-8', IMMUTABLE],
      'assets/logo.svg': ['image/svg+xml; charset=utf-8', IMMUTABLE],
      'data/info.json': ['application/json; charset=utf-8', undefined],
      'robots.txt': ['text/plain; charset=utf-8', undefined],
      'image.png': ['image/png', undefined],
      'archive.xyzzy': ['application/octet-stream', undefined],
      LICENSE: ['application/octet-stream', undefined],
    };
    for (const [key, [contentType, cacheControl]] of Object.entries(expected)) {
      const head = await headObject(s3.client, bucket, key);
      assert.equal(head.ContentType, contentType, key);
      assert.equal(head.CacheControl, cacheControl, key);
    }
  });
});
