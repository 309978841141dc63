// A prefix scopes every request of a push or pull to prefix/; nothing outside
// it (site2/, sitemap.xml, a key equal to the prefix) is read or touched.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { refusal } from '../helpers/jobs.js';
import { diskState } from '../helpers/fs-state.js';
import { md5 } from '../helpers/md5.js';
import { useCountingProxy } from '../helpers/proxy.js';
import { bucketState, copy, getText, headObject, seed, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree, type TreeSpec } from '../helpers/tree.js';

const s3 = useS3();
const proxy = useCountingProxy(s3);
const { viaProxy } = proxy;

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
    await seed(s3.client, bucket, { ...OUTSIDE, 'site/old.html': 'stale', 'site/index.html': 'old home' });
    const before = await bucketState(s3.client, bucket);

    const run = await viaProxy('push', source, bucket, { prefix: 'site' });
    assert.equal(run.result.outcome.copied.length, 2);
    assert.equal(run.result.outcome.redirected.length, 2);
    assert.equal(run.result.outcome.deleted.length, 1);
    assert.deepEqual(
      run.result.plan.deletes.map((d) => d.key),
      ['old.html'],
      'deletes are planned relative to the prefix',
    );

    const after = await bucketState(s3.client, bucket);
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
    await seed(s3.client, bucket, OUTSIDE);
    await copy(s3, 'push', source, bucket, { prefix: 'site' });

    const base = await tempDir();
    const mirror = path.join(base, 'mirror');
    await writeTree(mirror, { 'stale.txt': 'not in the bucket' });
    const run = await viaProxy('pull', mirror, bucket, { prefix: 'site' });
    assert.equal(run.result.outcome.copied.length, 2);
    assert.equal(run.result.outcome.redirected.length, 2);
    assert.equal(run.result.outcome.deleted.length, 1);
    assert.deepEqual(await diskState(mirror), {
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
    await seed(s3.client, bucket, { 'site2/index.html': 'other', 'sitemap.xml': 'x', site: 'x' });
    await assert.rejects(copy(s3, 'pull', mirror, bucket, { prefix: 'site' }), refusal(/has nothing to pull/));
    const run = await copy(s3, 'pull', mirror, bucket, { prefix: 'site', allowEmpty: true, delete: false });
    assert.equal(run.result.plan.copies.length, 0);
    assert.deepEqual(await diskState(mirror), { 'keep.txt': `md5 ${md5('keep')}` });
  });
});
