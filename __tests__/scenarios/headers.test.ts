// Headers that follow the rules: the headers input, the cache-control
// shorthand, and redirect objects that carry their key's headers.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { contentTypeFor } from '../../src/settings/content-type.js';
import { headersMatcher, parseHeaderRules } from '../../src/settings/rules.js';
import { runAction } from '../../support/run-action.js';
import { copy, headObject, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree } from '../helpers/tree.js';

const s3 = useS3();
const fail = (message: string) => new Error(message);

describe('parseHeaderRules', () => {
  it('reads "glob: Header-Name: value" lines, any case, split at the first two colons', () => {
    assert.deepEqual(
      parseHeaderRules(
        [
          'api/*: content-type: application/json',
          '*.pdf: Content-Disposition: attachment; x=a:b',
          '**: X-Amz-Meta-Team: web',
        ],
        fail,
      ),
      [
        { pattern: 'api/*', header: 'ContentType', value: 'application/json' },
        { pattern: '*.pdf', header: 'ContentDisposition', value: 'attachment; x=a:b' },
        { pattern: '**', header: 'x-amz-meta-team', value: 'web' },
      ],
    );
  });

  it('refuses a header it cannot set, the md5 metadata it writes itself, a bad Expires, and a malformed line', () => {
    assert.throws(
      () => parseHeaderRules(['*: X-Frame-Options: DENY'], fail),
      /sets X-Frame-Options, which is not one the action can set: use Cache-Control/,
    );
    assert.throws(() => parseHeaderRules(['*: x-amz-meta-md5: 0'], fail), /which the action writes itself/);
    assert.throws(() => parseHeaderRules(['*: Expires: soon'], fail), /needs an HTTP date for Expires/);
    assert.throws(() => parseHeaderRules(['no header here'], fail), /must be "glob: Header-Name: value"/);
  });
});

describe('headersMatcher', () => {
  const headersFor = headersMatcher(
    parseHeaderRules(
      ['api/*: Content-Type: application/json', '**/*.html: Cache-Control: no-cache', '**: x-amz-meta-team: web'],
      fail,
    ),
    [
      { pattern: '**/*.html', value: 'max-age=60' },
      { pattern: 'assets/**', value: 'max-age=31536000, immutable' },
    ],
    contentTypeFor,
  );

  it('takes, for each header, the first matching rule, the headers input before the cache-control shorthand', () => {
    assert.deepEqual(headersFor('docs/index.html'), {
      ContentType: 'text/html; charset=utf-8',
      CacheControl: 'no-cache',
      Metadata: { team: 'web' },
    });
    assert.equal(headersFor('assets/app.js').CacheControl, 'max-age=31536000, immutable');
  });

  it('gives an extensionless file the Content-Type its rule names, and others the one their name implies', () => {
    assert.equal(headersFor('api/users').ContentType, 'application/json');
    assert.equal(headersFor('users').ContentType, 'application/octet-stream');
  });
});

describe('headers on pushed objects', () => {
  it('stores what the rules give, on files and on redirect objects', async () => {
    const root = await tempDir();
    await writeTree(root, {
      'index.html': 'home',
      'latest.html': { link: 'index.html' },
      'api/users': '[]',
      'guide.pdf': 'pdf',
    });
    const bucket = await s3.bucket();
    const headersFor = headersMatcher(
      parseHeaderRules(
        [
          'api/*: Content-Type: application/json',
          '*.pdf: Content-Disposition: attachment',
          '*.pdf: Content-Language: en',
          '*.pdf: Expires: Wed, 21 Oct 2026 07:28:00 GMT',
          '**: x-amz-meta-team: web',
        ],
        fail,
      ),
      [{ pattern: '**/*.html', value: 'no-cache' }],
      contentTypeFor,
    );
    await copy(s3, 'push', root, bucket, { headersFor });
    const page = await headObject(s3.client, bucket, 'index.html');
    assert.equal(page.CacheControl, 'no-cache');
    assert.equal(page.Metadata?.team, 'web');
    assert.ok(page.Metadata?.md5, 'the md5 metadata stays');
    // Without its key's Cache-Control a CDN would cache the 301 as long as it likes.
    const redirect = await headObject(s3.client, bucket, 'latest.html');
    assert.deepEqual([redirect.WebsiteRedirectLocation, redirect.CacheControl], ['/index.html', 'no-cache']);
    assert.equal((await headObject(s3.client, bucket, 'api/users')).ContentType, 'application/json');
    const pdf = await headObject(s3.client, bucket, 'guide.pdf');
    assert.deepEqual(
      [pdf.ContentDisposition, pdf.ContentLanguage, pdf.Expires?.toISOString()],
      ['attachment', 'en', '2026-10-21T07:28:00.000Z'],
    );
  });

  it('from the bundled action: the headers input, and a refused header is one clear input error', async () => {
    const workspace = await tempDir();
    await writeTree(path.join(workspace, 'site'), { feed: '{}' });
    const bucket = await s3.bucket();
    const run = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket, headers: 'feed: Content-Type: application/feed+json' },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(run.status, 0, run.stdout);
    assert.equal((await headObject(s3.client, bucket, 'feed')).ContentType, 'application/feed+json');
    const refused = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket, headers: '*: Server: me' },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(refused.status, 1);
    assert.match(refused.errors[0] ?? '', /sets Server, which is not one the action can set/);
  });
});
