// Exactly which requests a run sends, counted by the proxy and by the budget.
import assert from 'node:assert/strict';
import { lstat, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { makeSiteFixture, mutate, touchAll } from '../../support/fixture.js';
import { diskState } from '../helpers/fs-state.js';
import { md5 } from '../helpers/md5.js';
import { useCountingProxy } from '../helpers/proxy.js';
import { copy, headObject, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { numberedFiles, writeTree } from '../helpers/tree.js';

const s3 = useS3();
const proxy = useCountingProxy(s3);
const { viaProxy } = proxy;

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
    const before = await diskState(source);
    const pull = await viaProxy('pull', source, bucket);
    const remaining = objects - deleted.length;
    const pullExpected = { LIST: Math.ceil(remaining / 1000), HEAD: links, ...none };
    assert.deepEqual(proxy.counts(), { ...pullExpected, total: 2 + 20 });
    assert.deepEqual(pull.requests, { ...pullExpected, OTHER: 0, total: 2 + 20 });
    assert.equal(pull.result.plan.unchanged.length, remaining);
    assert.deepEqual(await diskState(source), before);
    const firstLink = fixture.symlinks[0];
    assert.ok(firstLink);
    assert.equal(await readlink(path.join(source, firstLink.path)), firstLink.target);
  });

  it('a no-op push of 1500 small files costs ceil(1500/1000) = 2 LIST requests and nothing else', async () => {
    const source = await tempDir();
    await writeTree(source, numberedFiles(1500));
    const bucket = await s3.bucket();
    await copy(s3, 'push', source, bucket);
    const again = await copy(s3, 'push', source, bucket);
    assert.deepEqual(again.requests, { LIST: 2, HEAD: 0, GET: 0, PUT: 0, POST: 0, DELETE: 0, OTHER: 0, total: 2 });
  });
});
