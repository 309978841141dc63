// force re-uploads files whose md5 already matches.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentTypeFor } from '../../src/settings/content-type.js';
import { headersMatcher } from '../../src/settings/rules.js';
import { md5 } from '../helpers/md5.js';
import { copy, headObject, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree } from '../helpers/tree.js';

const s3 = useS3();

describe('force', () => {
  it('re-uploads every file even when the md5 matches, so a new Cache-Control reaches every object', async () => {
    const source = await tempDir();
    await writeTree(source, {
      'index.html': 'home',
      'assets/app.js': 'js',
      'empty.txt': '',
      'link.html': { link: 'index.html' },
    });
    const bucket = await s3.bucket();
    await copy(s3, 'push', source, bucket);
    const rules = headersMatcher([], [{ pattern: '**/*', value: 'max-age=60' }], contentTypeFor);

    // Without force the new rule changes nothing: every md5 matches.
    const unforced = await copy(s3, 'push', source, bucket, { headersFor: rules });
    assert.equal(unforced.result.outcome.copied.length, 0);
    assert.equal((await headObject(s3.client, bucket, 'index.html')).CacheControl, undefined);

    const forced = await copy(s3, 'push', source, bucket, { headersFor: rules, force: true });
    assert.deepEqual(
      forced.result.plan.copies.map((c) => [c.key, c.reason]),
      [
        ['assets/app.js', 'forced'],
        ['empty.txt', 'forced'],
        ['index.html', 'forced'],
      ],
    );
    assert.equal(forced.result.outcome.copied.length, 3);
    assert.equal(forced.requests.GET, 0);
    for (const [key, body] of [
      ['index.html', 'home'],
      ['assets/app.js', 'js'],
      ['empty.txt', ''],
    ] as const) {
      const head = await headObject(s3.client, bucket, key);
      assert.equal(head.CacheControl, 'max-age=60', key);
      assert.equal(head.Metadata?.md5, md5(body), key);
    }
    assert.equal((await headObject(s3.client, bucket, 'link.html')).WebsiteRedirectLocation, '/index.html');

    const again = await copy(s3, 'push', source, bucket, { headersFor: rules });
    assert.equal(
      again.result.outcome.copied.length + again.result.outcome.redirected.length + again.result.outcome.deleted.length,
      0,
    );
  });
});
