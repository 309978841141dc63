// A dry run reports the whole plan and changes nothing, on either side.
import assert from 'node:assert/strict';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { changesOf } from '../../src/report/outputs.js';
import { diskState } from '../helpers/fs-state.js';
import { useCountingProxy, writesIn } from '../helpers/proxy.js';
import { bucketState, copy, putObject, seed, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree } from '../helpers/tree.js';

const s3 = useS3();
const proxy = useCountingProxy(s3);
const { viaProxy } = proxy;

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
    await seed(s3.client, bucket, { 'same.txt': 'same', 'changed.txt': 'old', 'stale.txt': 'stale' });
    const before = await bucketState(s3.client, bucket);

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
    assert.deepEqual(await bucketState(s3.client, bucket), before);
  });

  it('pull reports the whole plan and changes nothing locally', async () => {
    const bucket = await s3.bucket();
    await seed(s3.client, bucket, { 'same.txt': 'same', 'changed.txt': 'remote', 'new/deep.txt': 'new' });
    await putObject(s3.client, bucket, 'link.txt', '', { redirect: '/same.txt' });
    const mirror = await tempDir();
    await writeTree(mirror, { 'same.txt': 'same', 'changed.txt': 'local', 'stale.txt': 'stale', 'old/x.txt': 'x' });
    const before = await diskState(mirror);

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
    assert.deepEqual(await diskState(mirror), before);
  });

  it('a pull into a missing folder on a dry run plans everything and does not even create it', async () => {
    const base = await tempDir();
    const mirror = path.join(base, 'missing');
    const bucket = await s3.bucket();
    await seed(s3.client, bucket, { 'a.txt': 'a' });
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
