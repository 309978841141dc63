// The checks a run passes before its first change (src/decide/guards.ts):
// max-delete, an empty source, and the request limit.
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { refusal } from '../../helpers/jobs.js';
import { diskState } from '../../helpers/fs-state.js';
import { md5 } from '../../helpers/md5.js';
import { useCountingProxy, writesIn } from '../../helpers/proxy.js';
import { actionClient, bucketState, copy, listKeys, putObject, seed, useS3 } from '../../helpers/s3.js';
import { tempDir } from '../../helpers/temp.js';
import { writeTree } from '../../helpers/tree.js';

const s3 = useS3();
const proxy = useCountingProxy(s3);
const { viaProxy } = proxy;

describe('max-delete', () => {
  it('push fails before any change when the plan deletes more, and runs at exactly the limit', async () => {
    const source = await tempDir();
    await writeTree(source, { 'a.txt': 'a', 'b.html': 'b' });
    const bucket = await s3.bucket();
    await seed(s3.client, bucket, { 'x1.txt': '1', 'x2.txt': '2', 'x3.txt': '3' });
    const before = await bucketState(s3.client, bucket);

    await assert.rejects(
      viaProxy('push', source, bucket, { maxDelete: 2 }),
      refusal(/would delete 3 objects, more than max-delete \(2\)\. Nothing was changed\./),
    );
    assert.deepEqual(writesIn(proxy.log()), []);
    assert.deepEqual(await bucketState(s3.client, bucket), before);

    const run = await copy(s3, 'push', source, bucket, { maxDelete: 3 });
    assert.equal(run.result.outcome.deleted.length, 3);
    assert.deepEqual(await listKeys(s3.client, bucket), ['a.txt', 'b.html']);
  });

  it('pull fails before any change when the plan deletes more, and runs at exactly the limit', async () => {
    const bucket = await s3.bucket();
    await seed(s3.client, bucket, { 'a.txt': 'a' });
    const mirror = await tempDir();
    await writeTree(mirror, { 'x1.txt': '1', 'x2.txt': '2', 'deep/x3.txt': '3' });
    const before = await diskState(mirror);

    await assert.rejects(
      viaProxy('pull', mirror, bucket, { maxDelete: 2 }),
      refusal(/would delete 3 files, more than max-delete \(2\)\. Nothing was changed\./),
    );
    assert.equal(proxy.counts().GET, 0);
    assert.deepEqual(await diskState(mirror), before);

    const run = await copy(s3, 'pull', mirror, bucket, { maxDelete: 3 });
    assert.equal(run.result.outcome.deleted.length, 3);
    assert.deepEqual(await diskState(mirror), { 'a.txt': `md5 ${md5('a')}` });
  });

  it('the half limit allows deleting half of more than 10 objects, and refuses one more', async () => {
    const bucket = await s3.bucket();
    await seed(s3.client, bucket, Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`p${i}.txt`, `${i}`])));
    const source = await tempDir();
    // Keeps p0 to p5 (p0 changed): 6 of 12 deleted is half, not more.
    await writeTree(source, { 'p0.txt': 'new', 'p1.txt': '1', 'p2.txt': '2', 'p3.txt': '3', 'p4.txt': '4' });
    await assert.rejects(
      copy(s3, 'push', source, bucket, { limitToHalf: true }),
      refusal(/would delete 7 objects, more than half of the 12 objects under s3:\/\/.*\/ \(the default limit/),
    );
    await writeTree(source, { 'p5.txt': '5' });
    const run = await copy(s3, 'push', source, bucket, { limitToHalf: true });
    assert.equal(run.result.outcome.deleted.length, 6);
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
    await seed(s3.client, bucket, { 'site/a.txt': 'a', 'site/b/c.txt': 'c', 'other/keep.txt': 'keep' });
    const before = await bucketState(s3.client, bucket);

    await assert.rejects(
      viaProxy('push', source, bucket, { prefix: 'site' }),
      refusal(
        /has nothing to push .*, so a push would delete everything under s3:\/\/.*\/site\. Nothing was changed\./,
      ),
    );
    assert.deepEqual(writesIn(proxy.log()), []);
    assert.deepEqual(await bucketState(s3.client, bucket), before);

    // The retrying client: s3rver sometimes fails a DeleteObjects that empties two folders at once.
    const run = await copy(s3, 'push', source, bucket, {
      prefix: 'site',
      allowEmpty: true,
      createClient: actionClient,
    });
    assert.equal(run.result.outcome.deleted.length, 2);
    assert.deepEqual(await listKeys(s3.client, bucket), ['other/keep.txt']);
  });

  it('a directory holding only entries it must skip counts as empty', async () => {
    const source = await tempDir();
    await writeTree(source, { 'broken.html': { link: 'missing.html' }, 'out.html': { link: '/etc/passwd' } });
    const bucket = await s3.bucket();
    await seed(s3.client, bucket, { 'site/a.txt': 'a' });
    const before = await bucketState(s3.client, bucket);
    await assert.rejects(copy(s3, 'push', source, bucket, { prefix: 'site' }), refusal(/has nothing to push/));
    assert.deepEqual(await bucketState(s3.client, bucket), before);
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
    const before = await diskState(mirror);

    await assert.rejects(
      viaProxy('pull', mirror, bucket),
      refusal(/has nothing to pull .*, so a pull would delete everything in/),
    );
    assert.deepEqual(await diskState(mirror), before);

    const run = await copy(s3, 'pull', mirror, bucket, { allowEmpty: true });
    assert.equal(run.result.outcome.deleted.length, 3);
    assert.deepEqual(await diskState(mirror), {});
  });
});

describe('request-limit', () => {
  it('fails before any change when listing reaches the limit', async () => {
    const source = await tempDir();
    await writeTree(source, { 'a.txt': 'a' });
    const bucket = await s3.bucket();
    for (let i = 0; i < 1001; i += 1) await putObject(s3.client, bucket, `old/${i}.txt`, `${i}`);
    await assert.rejects(copy(s3, 'push', source, bucket, { requestLimit: 1 }), /request-limit of 1\b/);
    assert.equal((await listKeys(s3.client, bucket)).length, 1001);
  });

  it('fails before any change when the plan would pass the limit, and says how many it needs', async () => {
    const source = await tempDir();
    await writeTree(source, { 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c' });
    const bucket = await s3.bucket();
    await putObject(s3.client, bucket, 'extra.txt', 'x');
    await assert.rejects(
      copy(s3, 'push', source, bucket, { requestLimit: 4 }),
      (error: Error) =>
        /needs about 5 S3 requests \(1 already sent to list and inspect, 4 to apply the plan\)/.test(error.message) &&
        /Raise the request-limit input/.test(error.message),
    );
    assert.deepEqual(await listKeys(s3.client, bucket), ['extra.txt']);
  });

  it('keeps back the requests a CloudFront invalidation will send after the apply', async () => {
    const source = await tempDir();
    await writeTree(source, { 'a.txt': 'a', 'b.txt': 'b' });
    const bucket = await s3.bucket();
    // 1 LIST + 2 PUT fit in 3, but not with 2 more kept for the invalidation.
    await assert.rejects(
      copy(s3, 'push', source, bucket, { requestLimit: 3, reservedRequests: 2 }),
      /needs about 5 S3 requests/,
    );
    assert.deepEqual(await listKeys(s3.client, bucket), []);
    await copy(s3, 'push', source, bucket, { requestLimit: 3 });
  });
});
