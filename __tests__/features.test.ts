import assert from 'node:assert/strict';
import { lstat, readFile, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { PART_SIZE, SMALL_FILE } from '../src/core/digest.js';
import { RefusedError } from '../src/core/errors.js';
import { cacheControlMatcher } from '../src/settings/rules.js';
import { changesOf } from '../src/report/outputs.js';
import { makeSiteFixture, mutate, touchAll } from '../support/fixture.js';
import { startS3Proxy, type ProxiedRequest, type S3Proxy } from '../support/s3-proxy.js';
import {
  actionClient,
  copy,
  freshConnectionClient,
  getText,
  headObject,
  putObject,
  useS3,
  type CopyOverrides,
  type CopyRun,
} from './helpers/s3.js';
import { tempDir } from './helpers/temp.js';
import { snapshot, writeTree, type TreeSpec } from './helpers/tree.js';
import type { Direction } from '../src/core/force-copy.js';
import { md5 } from './helpers/md5.js';

const s3 = useS3();
let proxy: S3Proxy;
// Started on first use: s3rver itself only starts in useS3's before hook.
let proxyStarted: Promise<S3Proxy> | undefined;
after(async () => {
  await (await proxyStarted)?.stop();
});

/** One run of the core whose every request goes through the counting proxy; the log starts empty. */
async function viaProxy(
  direction: Direction,
  root: string,
  bucket: string,
  overrides: CopyOverrides = {},
): Promise<CopyRun> {
  proxyStarted ??= startS3Proxy({ upstream: s3.server.endpoint });
  proxy = await proxyStarted;
  proxy.reset();
  return copy(s3, direction, root, bucket, {
    createClient: freshConnectionClient,
    ...overrides,
    endpoint: proxy.endpoint,
  });
}

/** Requests in the proxy log that change the bucket. */
function writesIn(log: ProxiedRequest[]): ProxiedRequest[] {
  return log.filter((request) => request.kind === 'PUT' || request.kind === 'POST' || request.kind === 'DELETE');
}

/** Every key in the bucket with its ETag, so content changes show up as well as additions and removals. */
async function bucketState(bucket: string): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  let token: string | undefined;
  do {
    const page = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key) state[object.Key] = object.ETag ?? '';
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return state;
}

async function seed(bucket: string, objects: Record<string, string>): Promise<void> {
  for (const [key, body] of Object.entries(objects)) await putObject(s3.client, bucket, key, body);
}

const refusal = (pattern: RegExp) => (error: unknown) => error instanceof RefusedError && pattern.test(error.message);

describe('prefix', () => {
  const LOCAL: TreeSpec = {
    'index.html': 'new home',
    'a/b.css': 'b { }',
    'link.html': { link: 'index.html' },
    'a/up.html': { link: '../index.html' },
  };
  // Keys that share the first letters of the prefix, a key equal to the prefix
  // itself, and a root-level key with the same relative name as one the push
  // deletes ("old.html" beside "site/old.html").
  const OUTSIDE = {
    'site2/index.html': 'other site',
    'site2/old.html': 'other old',
    'sitemap.xml': '<urlset/>',
    site: 'a key equal to the prefix',
    'old.html': 'root old',
    'root.txt': 'root',
  };

  it('push writes and deletes only under prefix/, and redirect locations include the prefix', async () => {
    const source = await tempDir();
    await writeTree(source, LOCAL);
    const bucket = await s3.bucket();
    await seed(bucket, { ...OUTSIDE, 'site/old.html': 'stale', 'site/index.html': 'old home' });
    const before = await bucketState(bucket);

    const run = await viaProxy('push', source, bucket, { prefix: 'site' });
    assert.equal(run.result.outcome.copied.length, 2);
    assert.equal(run.result.outcome.redirected.length, 2);
    assert.equal(run.result.outcome.deleted.length, 1);
    assert.deepEqual(
      run.result.plan.deletes.map((d) => d.key),
      ['old.html'],
      'deletes are planned relative to the prefix',
    );

    const after = await bucketState(bucket);
    for (const key of Object.keys(OUTSIDE)) assert.equal(after[key], before[key], `${key} is untouched`);
    assert.deepEqual(Object.keys(after).sort(), [
      'old.html',
      'root.txt',
      'site',
      'site/a/b.css',
      'site/a/up.html',
      'site/index.html',
      'site/link.html',
      'site2/index.html',
      'site2/old.html',
      'sitemap.xml',
    ]);
    assert.equal(await getText(s3.client, bucket, 'site/index.html'), 'new home');
    assert.equal(await getText(s3.client, bucket, 'site2/old.html'), 'other old');
    assert.equal((await headObject(s3.client, bucket, 'site/link.html')).WebsiteRedirectLocation, '/site/index.html');
    assert.equal((await headObject(s3.client, bucket, 'site/a/up.html')).WebsiteRedirectLocation, '/site/index.html');

    // Every request the run sent was scoped: object requests under site/, listings with prefix=site/.
    for (const request of proxy.log()) {
      if (request.kind === 'LIST') assert.match(request.query, /(^|&)prefix=site%2F(&|$)/, request.query);
      else if (request.kind !== 'POST') assert.ok(request.key.startsWith(`/${bucket}/site/`), request.key);
    }
  });

  it('pull reads only under prefix/, maps keys without it, and never picks up site2', async () => {
    const source = await tempDir();
    await writeTree(source, LOCAL);
    const bucket = await s3.bucket();
    await seed(bucket, OUTSIDE);
    await copy(s3, 'push', source, bucket, { prefix: 'site' });

    const base = await tempDir();
    const mirror = path.join(base, 'mirror');
    await writeTree(mirror, { 'stale.txt': 'not in the bucket' });
    const run = await viaProxy('pull', mirror, bucket, { prefix: 'site' });
    assert.equal(run.result.outcome.copied.length, 2);
    assert.equal(run.result.outcome.redirected.length, 2);
    assert.equal(run.result.outcome.deleted.length, 1);
    assert.deepEqual(await snapshot(mirror), {
      'a/': 'folder',
      'a/b.css': `md5 ${md5('b { }')}`,
      'a/up.html': 'link -> ../index.html',
      'index.html': `md5 ${md5('new home')}`,
      'link.html': 'link -> index.html',
    });
    for (const request of proxy.log()) {
      if (request.kind === 'LIST') assert.match(request.query, /(^|&)prefix=site%2F(&|$)/, request.query);
      else assert.ok(request.key.startsWith(`/${bucket}/site/`), request.key);
    }
  });

  it('a pull of "site" finds nothing when only "site2/" and "sitemap.xml" exist', async () => {
    const mirror = await tempDir();
    await writeTree(mirror, { 'keep.txt': 'keep' });
    const bucket = await s3.bucket();
    await seed(bucket, { 'site2/index.html': 'other', 'sitemap.xml': 'x', site: 'x' });
    await assert.rejects(copy(s3, 'pull', mirror, bucket, { prefix: 'site' }), refusal(/has nothing to pull/));
    const run = await copy(s3, 'pull', mirror, bucket, { prefix: 'site', allowEmpty: true, delete: false });
    assert.equal(run.result.plan.copies.length, 0);
    assert.deepEqual(await snapshot(mirror), { 'keep.txt': `md5 ${md5('keep')}` });
  });
});

describe('exclude', () => {
  it('push neither uploads nor deletes excluded keys; .DS_Store and ._* are excluded by default', async () => {
    const source = await tempDir();
    await writeTree(source, {
      'index.html': 'home',
      'notes.log': 'local log',
      'drafts/new.html': 'draft',
      '.DS_Store': 'finder',
      'sub/.DS_Store': 'finder',
      'sub/._page.html': 'resource fork',
      'sub/page.html': 'page',
    });
    const bucket = await s3.bucket();
    await seed(bucket, {
      'server.log': 'remote log',
      'drafts/old.html': 'remote draft',
      '.DS_Store': 'remote finder',
      'sub/._other': 'remote fork',
      'stale.txt': 'stale',
    });
    const run = await viaProxy('push', source, bucket, { exclude: ['*.log', 'drafts/**'] });
    assert.deepEqual(run.result.plan.copies.map((c) => c.key).sort(), ['index.html', 'sub/page.html']);
    assert.deepEqual(
      run.result.plan.deletes.map((d) => d.key),
      ['stale.txt'],
    );
    assert.deepEqual(Object.keys(await bucketState(bucket)).sort(), [
      '.DS_Store',
      'drafts/old.html',
      'index.html',
      'server.log',
      'sub/._other',
      'sub/page.html',
    ]);
    assert.equal(await getText(s3.client, bucket, '.DS_Store'), 'remote finder');
    // Excluded keys are not even inspected.
    assert.deepEqual(
      proxy.log().filter((r) => /\.log$|drafts|DS_Store|\/\._/.test(r.key)),
      [],
    );
  });

  it('a pattern that names a folder excludes everything under it, on both sides', async () => {
    // The local scan skips a folder whose name matches; the bucket listing must
    // skip the keys below it too, or a push deletes them and a pull re-downloads them.
    const source = await tempDir();
    await writeTree(source, { 'index.html': 'home', 'drafts/a.html': 'local draft', '._meta/x': 'fork folder' });
    const bucket = await s3.bucket();
    await seed(bucket, { 'drafts/b.html': 'remote draft', '._meta/y': 'remote fork folder' });
    const pushed = await copy(s3, 'push', source, bucket, { exclude: ['drafts'] });
    assert.deepEqual(pushed.result.plan.deletes, []);
    assert.deepEqual(Object.keys(await bucketState(bucket)).sort(), ['._meta/y', 'drafts/b.html', 'index.html']);

    const pulled = await copy(s3, 'pull', source, bucket, { exclude: ['drafts'] });
    assert.deepEqual(pulled.result.plan.copies, []);
    assert.deepEqual(pulled.result.plan.deletes, []);
    assert.deepEqual(await snapshot(source), {
      '._meta/': 'folder',
      '._meta/x': `md5 ${md5('fork folder')}`,
      'drafts/': 'folder',
      'drafts/a.html': `md5 ${md5('local draft')}`,
      'index.html': `md5 ${md5('home')}`,
    });
  });

  it('pull neither downloads nor deletes excluded keys', async () => {
    const mirror = await tempDir();
    await writeTree(mirror, {
      'local.log': 'keep me',
      'drafts/mine.html': 'keep me too',
      '.DS_Store': 'local finder',
      'stale.txt': 'stale',
    });
    const bucket = await s3.bucket();
    await seed(bucket, {
      'index.html': 'home',
      'notes.log': 'remote log',
      'drafts/a.html': 'remote draft',
      '.DS_Store': 'remote finder',
      '._index.html': 'remote fork',
    });
    const run = await viaProxy('pull', mirror, bucket, { exclude: ['*.log', 'drafts/**'] });
    assert.deepEqual(
      run.result.plan.copies.map((c) => c.key),
      ['index.html'],
    );
    assert.deepEqual(
      run.result.plan.deletes.map((d) => d.key),
      ['stale.txt'],
    );
    assert.equal(proxy.counts().GET, 1);
    assert.deepEqual(await snapshot(mirror), {
      '.DS_Store': `md5 ${md5('local finder')}`,
      'drafts/': 'folder',
      'drafts/mine.html': `md5 ${md5('keep me too')}`,
      'index.html': `md5 ${md5('home')}`,
      'local.log': `md5 ${md5('keep me')}`,
    });
  });
});

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
    await copy(s3, 'push', source, bucket, { cacheControl: cacheControlMatcher(RULES) });

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

  it('first match wins: swapping the rules changes the overlap only', () => {
    const swapped = cacheControlMatcher([RULES[1], RULES[0]] as typeof RULES);
    assert.equal(swapped('assets/page.html'), IMMUTABLE);
    assert.equal(swapped('index.html'), 'no-cache');
    assert.equal(swapped('robots.txt'), undefined);
  });
});

describe('large files', () => {
  it('a multipart upload sends no Expect: 100-continue, so its parts reuse the pooled connections', async () => {
    const source = await tempDir();
    // Three parts, two of them in flight at once.
    const video = Buffer.alloc(2 * PART_SIZE + 1024, 'v');
    await writeTree(source, { 'video.mp4': video });
    const bucket = await s3.bucket();
    await viaProxy('push', source, bucket, { createClient: actionClient });

    const parts = proxy.log().filter((request) => request.kind === 'PUT' && request.query.includes('partNumber='));
    assert.equal(parts.length, 3);
    assert.deepEqual(
      proxy.log().filter((request) => request.expectsContinue),
      [],
    );
    // The listing, the create and the complete share the parts' connections:
    // one-off connections would make one per part on top.
    assert.ok(
      new Set(proxy.log().map((request) => request.connection)).size <= 2,
      JSON.stringify(proxy.log().map(({ kind, connection }) => [kind, connection])),
    );
    const head = await headObject(s3.client, bucket, 'video.mp4');
    assert.equal(head.ContentLength, video.length);
    assert.equal(head.Metadata?.md5, md5(video));
  });
});

describe('dry-run', () => {
  it('push reports the whole plan and sends no PUT, POST or DELETE', async () => {
    const source = await tempDir();
    await writeTree(source, {
      'same.txt': 'same',
      'changed.txt': 'new and longer',
      'new.css': 'new',
      'page.html': 'page',
      'link.html': { link: 'page.html' },
    });
    const bucket = await s3.bucket();
    await seed(bucket, { 'same.txt': 'same', 'changed.txt': 'old', 'stale.txt': 'stale' });
    const before = await bucketState(bucket);

    const run = await viaProxy('push', source, bucket, { dryRun: true });
    assert.equal(run.result.dryRun, true);
    assert.deepEqual(
      run.result.plan.copies.map((c) => [c.key, c.reason]),
      [
        ['changed.txt', 'md5 differs'],
        ['new.css', 'new'],
        ['page.html', 'new'],
      ],
    );
    assert.deepEqual(
      run.result.plan.redirects.map((r) => [r.key, r.target]),
      [['link.html', 'page.html']],
    );
    assert.deepEqual(
      run.result.plan.deletes.map((d) => d.key),
      ['stale.txt'],
    );
    assert.deepEqual(run.result.plan.unchanged, ['same.txt']);
    assert.deepEqual(
      changesOf(run.result).map((c) => `${c.action} ${c.key}`),
      ['uploaded changed.txt', 'uploaded new.css', 'uploaded page.html', 'redirected link.html', 'deleted stale.txt'],
    );
    assert.deepEqual(
      [
        run.result.outcome.copied.length,
        run.result.outcome.redirected.length,
        run.result.outcome.deleted.length,
        run.result.outcome.bytes,
      ],
      [0, 0, 0, 0],
    );

    assert.deepEqual([run.requests.PUT, run.requests.POST, run.requests.DELETE], [0, 0, 0]);
    assert.deepEqual(writesIn(proxy.log()), []);
    assert.equal(proxy.counts().LIST, 1);
    assert.deepEqual(await bucketState(bucket), before);
  });

  it('pull reports the whole plan and changes nothing locally', async () => {
    const bucket = await s3.bucket();
    await seed(bucket, { 'same.txt': 'same', 'changed.txt': 'remote', 'new/deep.txt': 'new' });
    await putObject(s3.client, bucket, 'link.txt', '', { redirect: '/same.txt' });
    const mirror = await tempDir();
    await writeTree(mirror, { 'same.txt': 'same', 'changed.txt': 'local', 'stale.txt': 'stale', 'old/x.txt': 'x' });
    const before = await snapshot(mirror);

    const run = await viaProxy('pull', mirror, bucket, { dryRun: true });
    assert.deepEqual(
      run.result.plan.copies.map((c) => c.key),
      ['changed.txt', 'new/deep.txt'],
    );
    assert.deepEqual(
      run.result.plan.redirects.map((r) => r.key),
      ['link.txt'],
    );
    assert.deepEqual(
      run.result.plan.deletes.map((d) => d.key),
      ['old/x.txt', 'stale.txt'],
    );
    assert.deepEqual(run.result.plan.unchanged, ['same.txt']);
    assert.deepEqual(
      [run.result.outcome.copied.length, run.result.outcome.redirected.length, run.result.outcome.deleted.length],
      [0, 0, 0],
    );
    assert.equal(proxy.counts().GET, 0);
    assert.deepEqual(writesIn(proxy.log()), []);
    assert.deepEqual(await snapshot(mirror), before);
  });

  it('a pull into a missing folder on a dry run plans everything and does not even create it', async () => {
    const base = await tempDir();
    const mirror = path.join(base, 'missing');
    const bucket = await s3.bucket();
    await seed(bucket, { 'a.txt': 'a' });
    const run = await copy(s3, 'pull', mirror, bucket, { dryRun: true });
    assert.deepEqual(
      run.result.plan.copies.map((c) => c.key),
      ['a.txt'],
    );
    const created = await lstat(mirror).then(
      () => true,
      () => false,
    );
    assert.equal(created, false, 'a dry run changes nothing locally');
  });
});

describe('max-delete', () => {
  it('push fails before any change when the plan deletes more, and runs at exactly the limit', async () => {
    const source = await tempDir();
    await writeTree(source, { 'a.txt': 'a', 'b.html': 'b' });
    const bucket = await s3.bucket();
    await seed(bucket, { 'x1.txt': '1', 'x2.txt': '2', 'x3.txt': '3' });
    const before = await bucketState(bucket);

    await assert.rejects(
      viaProxy('push', source, bucket, { maxDelete: 2 }),
      refusal(/would delete 3 objects, more than max-delete \(2\)\. Nothing was changed\./),
    );
    assert.deepEqual(writesIn(proxy.log()), []);
    assert.deepEqual(await bucketState(bucket), before);

    const run = await copy(s3, 'push', source, bucket, { maxDelete: 3 });
    assert.equal(run.result.outcome.deleted.length, 3);
    assert.deepEqual(Object.keys(await bucketState(bucket)).sort(), ['a.txt', 'b.html']);
  });

  it('pull fails before any change when the plan deletes more, and runs at exactly the limit', async () => {
    const bucket = await s3.bucket();
    await seed(bucket, { 'a.txt': 'a' });
    const mirror = await tempDir();
    await writeTree(mirror, { 'x1.txt': '1', 'x2.txt': '2', 'deep/x3.txt': '3' });
    const before = await snapshot(mirror);

    await assert.rejects(
      viaProxy('pull', mirror, bucket, { maxDelete: 2 }),
      refusal(/would delete 3 files, more than max-delete \(2\)\. Nothing was changed\./),
    );
    assert.equal(proxy.counts().GET, 0);
    assert.deepEqual(await snapshot(mirror), before);

    const run = await copy(s3, 'pull', mirror, bucket, { maxDelete: 3 });
    assert.equal(run.result.outcome.deleted.length, 3);
    assert.deepEqual(await snapshot(mirror), { 'a.txt': `md5 ${md5('a')}` });
  });

  it('max-delete 0 still allows a run that deletes nothing', async () => {
    const source = await tempDir();
    await writeTree(source, { 'a.txt': 'a' });
    const bucket = await s3.bucket();
    const run = await copy(s3, 'push', source, bucket, { maxDelete: 0 });
    assert.equal(run.result.outcome.copied.length, 1);
  });
});

describe('empty source', () => {
  it('push from an empty directory fails before any change unless allow-empty', async () => {
    const source = await tempDir();
    // Only default-excluded litter: still empty as far as the copy is concerned.
    await writeTree(source, { '.DS_Store': 'finder' });
    const bucket = await s3.bucket();
    await seed(bucket, { 'site/a.txt': 'a', 'site/b/c.txt': 'c', 'other/keep.txt': 'keep' });
    const before = await bucketState(bucket);

    await assert.rejects(
      viaProxy('push', source, bucket, { prefix: 'site' }),
      refusal(
        /has nothing to push .*, so a push would delete everything under s3:\/\/.*\/site\. Nothing was changed\./,
      ),
    );
    assert.deepEqual(writesIn(proxy.log()), []);
    assert.deepEqual(await bucketState(bucket), before);

    // The retrying client: s3rver sometimes fails a DeleteObjects that empties two folders at once.
    const run = await copy(s3, 'push', source, bucket, {
      prefix: 'site',
      allowEmpty: true,
      createClient: actionClient,
    });
    assert.equal(run.result.outcome.deleted.length, 2);
    assert.deepEqual(Object.keys(await bucketState(bucket)), ['other/keep.txt']);
  });

  it('a directory holding only entries it must skip counts as empty', async () => {
    const source = await tempDir();
    await writeTree(source, { 'broken.html': { link: 'missing.html' }, 'out.html': { link: '/etc/passwd' } });
    const bucket = await s3.bucket();
    await seed(bucket, { 'site/a.txt': 'a' });
    const before = await bucketState(bucket);
    await assert.rejects(copy(s3, 'push', source, bucket, { prefix: 'site' }), refusal(/has nothing to push/));
    assert.deepEqual(await bucketState(bucket), before);
  });

  it('a refused pull into a missing directory does not create it', async () => {
    const bucket = await s3.bucket();
    const mirror = path.join(await tempDir(), 'not-yet');
    await assert.rejects(copy(s3, 'pull', mirror, bucket), refusal(/has nothing to pull/));
    await assert.rejects(stat(mirror), { code: 'ENOENT' });
  });

  it('pull from an empty bucket fails before deleting local files unless allow-empty', async () => {
    const bucket = await s3.bucket();
    const mirror = await tempDir();
    await writeTree(mirror, { 'a.txt': 'a', 'deep/b.txt': 'b', 'link.txt': { link: 'a.txt' } });
    const before = await snapshot(mirror);

    await assert.rejects(
      viaProxy('pull', mirror, bucket),
      refusal(/has nothing to pull .*, so a pull would delete everything in/),
    );
    assert.deepEqual(await snapshot(mirror), before);

    const run = await copy(s3, 'pull', mirror, bucket, { allowEmpty: true });
    assert.equal(run.result.outcome.deleted.length, 3);
    assert.deepEqual(await snapshot(mirror), {});
  });
});

describe('delete: false', () => {
  it('push uploads but deletes no object', async () => {
    const source = await tempDir();
    await writeTree(source, { 'a.txt': 'a' });
    const bucket = await s3.bucket();
    await seed(bucket, { 'extra.txt': 'extra', 'deep/extra.html': 'extra' });
    const run = await viaProxy('push', source, bucket, { delete: false });
    assert.deepEqual(run.result.plan.deletes, []);
    assert.equal(run.result.outcome.deleted.length, 0);
    assert.equal(proxy.counts().POST + proxy.counts().DELETE, 0);
    assert.deepEqual(Object.keys(await bucketState(bucket)).sort(), ['a.txt', 'deep/extra.html', 'extra.txt']);
  });

  it('pull downloads but deletes no local file or folder', async () => {
    const bucket = await s3.bucket();
    await seed(bucket, { 'a.txt': 'a' });
    const mirror = await tempDir();
    await writeTree(mirror, { 'extra.txt': 'extra', 'deep/extra.txt': 'extra', 'link.txt': { link: 'extra.txt' } });
    const run = await copy(s3, 'pull', mirror, bucket, { delete: false });
    assert.deepEqual(run.result.plan.deletes, []);
    assert.equal(run.result.outcome.deleted.length, 0);
    assert.deepEqual(await snapshot(mirror), {
      'a.txt': `md5 ${md5('a')}`,
      'deep/': 'folder',
      'deep/extra.txt': `md5 ${md5('extra')}`,
      'extra.txt': `md5 ${md5('extra')}`,
      'link.txt': 'link -> extra.txt',
    });
  });
});

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
    const rules = cacheControlMatcher([{ pattern: '**/*', value: 'max-age=60' }]);

    // Without force the new rule changes nothing: every md5 matches.
    const unforced = await copy(s3, 'push', source, bucket, { cacheControl: rules });
    assert.equal(unforced.result.outcome.copied.length, 0);
    assert.equal((await headObject(s3.client, bucket, 'index.html')).CacheControl, undefined);

    const forced = await copy(s3, 'push', source, bucket, { cacheControl: rules, force: true });
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

    const again = await copy(s3, 'push', source, bucket, { cacheControl: rules });
    assert.equal(
      again.result.outcome.copied.length + again.result.outcome.redirected.length + again.result.outcome.deleted.length,
      0,
    );
  });
});

describe('deploy order', () => {
  it('push uploads assets, then HTML, then redirects, then deletes', async () => {
    const source = await tempDir();
    const spec: TreeSpec = {};
    // Names interleave in key order, so only deliberate ordering passes.
    for (let i = 0; i < 12; i += 1) {
      spec[`p${i}.css`] = `css ${i}`;
      spec[`p${i}.html`] = `html ${i}`;
      spec[`p${i}.htm`] = `htm ${i}`;
      spec[`p${i}.js`] = `js ${i}`;
    }
    for (let i = 0; i < 6; i += 1) {
      spec[`a-link${i}.html`] = { link: `p${i}.html` };
      spec[`z-link${i}.css`] = { link: `p${i}.css` };
    }
    await writeTree(source, spec);
    const redirects = new Set(Object.keys(spec).filter((key) => typeof spec[key] === 'object'));
    const bucket = await s3.bucket();
    await seed(bucket, { 'a-stale.txt': 'x', 'p0.css': 'old', 'z-stale.html': 'x' });

    const run = await viaProxy('push', source, bucket, { concurrency: 8 });
    assert.equal(run.result.outcome.deleted.length, 2);
    const phaseOf = (request: ProxiedRequest): number => {
      if (request.kind === 'POST') {
        assert.match(request.query, /(^|&)delete(=|&|$)/);
        return 3;
      }
      const key = request.key.slice(`/${bucket}/`.length);
      if (redirects.has(key)) return 2;
      return /\.html?$/.test(key) ? 1 : 0;
    };
    const phases = writesIn(proxy.log()).map(phaseOf);
    assert.deepEqual(
      phases,
      [...phases].sort((a, b) => a - b),
      'assets < HTML < redirects < DeleteObjects',
    );
    assert.deepEqual(
      [0, 1, 2, 3].map((phase) => phases.filter((p) => p === phase).length),
      [24, 24, 12, 1],
    );
    // The keys taken for redirects really are redirect objects.
    for (const key of redirects) {
      const head = await headObject(s3.client, bucket, key);
      assert.ok(head.WebsiteRedirectLocation, key);
      assert.equal(head.ContentLength, 0);
    }
  });
});

describe('transfer order', () => {
  const large = (size: number) => Buffer.alloc(size, 1).toString();

  it('push runs large files in slots of their own, largest first, beside the small ones', async () => {
    const source = await tempDir();
    const spec: TreeSpec = {};
    for (let i = 0; i < 6; i += 1) {
      spec[`big-${i}.js`] = large(SMALL_FILE + 1000 * (i + 1));
      spec[`small-${i}.css`] = `small ${i}`;
    }
    await writeTree(source, spec);
    const bucket = await s3.bucket();
    await viaProxy('push', source, bucket, { concurrency: 2 });
    const puts = proxy
      .log()
      .filter((request) => request.kind === 'PUT')
      .map((request) => request.key.slice(`/${bucket}/`.length));
    const bigOnes = puts.filter((key) => key.startsWith('big-'));
    // Four slots: the fifth large file waits for one of the four largest to
    // finish, while the small files have gone ahead on slots of their own.
    assert.deepEqual(new Set(bigOnes.slice(0, 4)), new Set(['big-5.js', 'big-4.js', 'big-3.js', 'big-2.js']));
    assert.ok(
      puts.findIndex((key) => key.startsWith('small-')) < puts.indexOf(bigOnes[4] as string),
      `small files waited for the large ones: ${puts.join(' ')}`,
    );
  });

  it('pull downloads the largest files first', async () => {
    const source = await tempDir();
    await writeTree(source, {
      'a.css': 'a',
      'b.html': 'bb',
      'm.js': large(SMALL_FILE + 2000),
      'y.html': large(SMALL_FILE + 1000),
    });
    const bucket = await s3.bucket();
    await copy(s3, 'push', source, bucket);
    await viaProxy('pull', await tempDir(), bucket, { concurrency: 1 });
    const gets = proxy
      .log()
      .filter((request) => request.kind === 'GET')
      .map((request) => request.key.slice(`/${bucket}/`.length));
    assert.deepEqual(gets, ['m.js', 'y.html', 'b.html', 'a.css']);
  });
});

describe('request counts', () => {
  it('no-op push, 1% push and no-op pull send only what the listing cannot answer', async () => {
    const source = await tempDir();
    const fixture = await makeSiteFixture(source, { files: 2000, bigFiles: 0, symlinks: 20, seed: 7 });
    const links = fixture.symlinks.length;
    assert.equal(links, 20);
    const objects = fixture.files.length + links;
    const bucket = await s3.bucket();
    const initial = await copy(s3, 'push', source, bucket, { concurrency: 16 });
    assert.deepEqual([initial.result.outcome.copied.length, initial.result.outcome.redirected.length], [2000, 20]);
    const none = { GET: 0, PUT: 0, POST: 0, DELETE: 0 };

    // A fresh checkout: every mtime changes, no content does. The fixture has no
    // empty files, so the only zero-byte objects are the 20 redirects; each needs
    // a HEAD because a listing cannot tell a redirect from an empty file.
    await touchAll(source);
    const noop = await viaProxy('push', source, bucket);
    const noopExpected = { LIST: Math.ceil(objects / 1000), HEAD: links, ...none }; // 3 LIST + 20 HEAD
    assert.deepEqual(proxy.counts(), { ...noopExpected, total: 3 + 20 });
    assert.deepEqual(noop.requests, { ...noopExpected, OTHER: 0, total: 3 + 20 });
    assert.equal(noop.result.plan.unchanged.length, objects);

    // Change 1% (half keep their size) and delete 1%.
    const sizes = new Map<string, number>();
    for (const file of fixture.files) sizes.set(file, (await lstat(path.join(source, file))).size);
    const { changed, deleted } = await mutate(source, 0.01, 3);
    const sameSize: string[] = [];
    for (const file of changed) {
      if ((await lstat(path.join(source, file))).size === sizes.get(file)) sameSize.push(file);
    }
    assert.deepEqual([changed.length, deleted.length, sameSize.length], [20, 20, 10]);

    const onePercent = await viaProxy('push', source, bucket);
    // LIST: the bucket still holds all 2020 objects when it is listed, so 3.
    // HEAD: the 20 redirects as above, plus each changed file that kept its
    // size: its listed ETag is a plain md5 that differs from the local one, but
    // an ETag is not the md5 for SSE-KMS objects, so compareFiles calls that
    // 'unknown' and a HEAD reads the md5 metadata. A changed size decides
    // without a HEAD, and a deleted file has nothing local to compare.
    // PUT: one per changed file (all below the 1 MiB single-PUT threshold).
    // POST: one DeleteObjects for the 20 deletions.
    const onePercentExpected = {
      LIST: Math.ceil(objects / 1000),
      HEAD: links + sameSize.length,
      GET: 0,
      PUT: changed.length,
      POST: 1,
      DELETE: 0,
    };
    assert.deepEqual(proxy.counts(), { ...onePercentExpected, total: 3 + 30 + 20 + 1 });
    assert.deepEqual(onePercent.requests, { ...onePercentExpected, OTHER: 0, total: 3 + 30 + 20 + 1 });
    assert.deepEqual(onePercent.result.plan.copies.map((c) => c.key).sort(), [...changed].sort());
    assert.deepEqual(onePercent.result.plan.deletes.map((d) => d.key).sort(), [...deleted].sort());
    const headed = proxy
      .log()
      .filter((r) => r.kind === 'HEAD')
      .map((r) => r.key.slice(`/${bucket}/`.length))
      .sort();
    assert.deepEqual(headed, [...fixture.symlinks.map((l) => l.path), ...sameSize].sort());
    const changedFile = changed[0] as string;
    assert.equal(
      (await headObject(s3.client, bucket, changedFile)).Metadata?.md5,
      md5(await readFile(path.join(source, changedFile))),
    );

    // A no-op pull into the same tree: 2000 objects now, so 2 LIST, and the 20
    // zero-byte objects are HEADed to learn they are redirects.
    const before = await snapshot(source);
    const pull = await viaProxy('pull', source, bucket);
    const remaining = objects - deleted.length;
    const pullExpected = { LIST: Math.ceil(remaining / 1000), HEAD: links, ...none };
    assert.deepEqual(proxy.counts(), { ...pullExpected, total: 2 + 20 });
    assert.deepEqual(pull.requests, { ...pullExpected, OTHER: 0, total: 2 + 20 });
    assert.equal(pull.result.plan.unchanged.length, remaining);
    assert.deepEqual(await snapshot(source), before);
    const firstLink = fixture.symlinks[0];
    assert.ok(firstLink);
    assert.equal(await readlink(path.join(source, firstLink.path)), firstLink.target);
  });
});
