// Files stored gzip-compressed (the gzip input): deterministic bytes, the
// original's md5 in metadata, no HEAD on a no-op push, and a pull that
// gives back the original bytes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { compareFiles } from '../../src/decide/compare.js';
import { gzipBytes } from '../../src/local/digest.js';
import { keyMatcher } from '../../src/settings/rules.js';
import { runAction } from '../../support/run-action.js';
import { md5 } from '../helpers/md5.js';
import { copy, headObject, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree } from '../helpers/tree.js';

const s3 = useS3();
const CSS = 'body { color: red; }\n'.repeat(200);
const gzip = keyMatcher(['*.css', '*.svg']);
const MANIFEST = '.s3-force-copy/manifest.json';

/** An object stored gzip-encoded by another tool, with the md5 metadata it chose. */
async function putCompressed(bucket: string, key: string, body: Buffer, md5Metadata: string): Promise<void> {
  await s3.client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentEncoding: 'gzip',
      Metadata: { md5: md5Metadata },
    }),
  );
}

describe('gzipBytes', () => {
  it('makes the same bytes for the same input: no mtime, a fixed level and OS byte', () => {
    const a = gzipBytes(Buffer.from(CSS));
    assert.deepEqual(a, gzipBytes(Buffer.from(CSS)));
    assert.deepEqual([...a.subarray(4, 8)], [0, 0, 0, 0], 'mtime 0');
    assert.equal(a[9], 3, 'one OS byte everywhere');
    assert.equal(gunzipSync(a).toString(), CSS);
  });
});

describe('compareFiles with a stored form', () => {
  const stored = gzipBytes(Buffer.from(CSS));
  const local = {
    kind: 'file' as const,
    size: CSS.length,
    md5: md5(CSS),
    stored: { size: stored.length, md5: md5(stored), encoding: 'gzip' as const },
  };

  it('matches the listed object by the compressed size and ETag, with no HEAD', () => {
    assert.equal(compareFiles(local, { kind: 'file', size: stored.length, etag: md5(stored) }), 'same');
  });

  it('does not take an uncompressed object with the same content for the compressed one', () => {
    const inspected = { kind: 'file' as const, size: stored.length, etag: 'kms-etag', md5: md5(CSS), inspected: true };
    assert.equal(compareFiles(local, inspected), 'different');
    assert.equal(compareFiles(local, { ...inspected, encoding: 'gzip' }), 'same');
  });
});

describe('gzip on push and pull', () => {
  it('stores the compressed bytes with Content-Encoding gzip, the original md5 and the Content-Type of the name', async () => {
    const root = await tempDir();
    await writeTree(root, { 'site.css': CSS, 'logo.png': 'png' });
    const bucket = await s3.bucket();
    await copy(s3, 'push', root, bucket, { gzip });
    const head = await headObject(s3.client, bucket, 'site.css');
    assert.equal(head.ContentEncoding, 'gzip');
    assert.equal(head.ContentType, 'text/css; charset=utf-8');
    assert.equal(head.Metadata?.md5, md5(CSS));
    assert.equal(head.ETag, JSON.stringify(md5(gzipBytes(Buffer.from(CSS)))));
    const object = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: 'site.css' }));
    assert.equal(gunzipSync(await object.Body!.transformToByteArray()).toString(), CSS);
    assert.equal((await headObject(s3.client, bucket, 'logo.png')).ContentEncoding, undefined);
  });

  it('a no-op push of a compressed file sends no HEAD and no PUT', async () => {
    const root = await tempDir();
    await writeTree(root, { 'site.css': CSS, 'index.html': 'home' });
    const bucket = await s3.bucket();
    await copy(s3, 'push', root, bucket, { gzip });
    const again = await copy(s3, 'push', root, bucket, { gzip });
    assert.deepEqual([again.requests.LIST, again.requests.HEAD, again.requests.PUT], [1, 0, 0]);
  });

  it('a no-op push of a large tree (hashed on the file thread) re-sends no compressed file', async () => {
    const root = await tempDir();
    const spec: Record<string, string> = {};
    for (let i = 0; i < 1200; i += 1) spec[i % 2 === 0 ? `s/${i}.css` : `t/${i}.txt`] = `${CSS}${i}`;
    await writeTree(root, spec);
    const bucket = await s3.bucket();
    await copy(s3, 'push', root, bucket, { gzip });
    const again = await copy(s3, 'push', root, bucket, { gzip });
    assert.deepEqual([again.requests.HEAD, again.requests.PUT], [0, 0]);
  });

  it('turning gzip off stores the file as it is again', async () => {
    const root = await tempDir();
    await writeTree(root, { 'site.css': CSS });
    const bucket = await s3.bucket();
    await copy(s3, 'push', root, bucket, { gzip });
    const plain = await copy(s3, 'push', root, bucket);
    assert.equal(plain.result.outcome.copied.length, 1);
    assert.equal((await headObject(s3.client, bucket, 'site.css')).ContentEncoding, undefined);
  });

  it('a pull with the same globs writes the original bytes, and a no-op pull downloads nothing', async () => {
    const root = await tempDir();
    await writeTree(root, { 'site.css': CSS, 'index.html': 'home' });
    const bucket = await s3.bucket();
    await copy(s3, 'push', root, bucket, { gzip });
    const mirror = await tempDir();
    await copy(s3, 'pull', mirror, bucket, { gzip });
    assert.equal(await readFile(path.join(mirror, 'site.css'), 'utf8'), CSS);
    const again = await copy(s3, 'pull', mirror, bucket, { gzip });
    assert.deepEqual([again.requests.GET, again.requests.HEAD, again.result.outcome.copied.length], [0, 0, 0]);
  });

  it('a large compressed file (past the size taken whole) is streamed back to the original on pull', async () => {
    const root = await tempDir();
    // Random bytes do not compress: still over 1 MiB stored, so the download streams.
    const big = randomBytes(2 * 1024 * 1024);
    await writeTree(root, { 'data.svg': big });
    const bucket = await s3.bucket();
    await copy(s3, 'push', root, bucket, { gzip });
    assert.ok(((await headObject(s3.client, bucket, 'data.svg')).ContentLength ?? 0) > 1024 * 1024);
    const mirror = await tempDir();
    await copy(s3, 'pull', mirror, bucket, { gzip });
    assert.ok((await readFile(path.join(mirror, 'data.svg'))).equals(big));
  });

  it('a pull without the globs writes what is stored: another tool’s pre-compressed file stays compressed', async () => {
    const bucket = await s3.bucket();
    const stored = gzipBytes(Buffer.from(CSS));
    await s3.client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'vendor.css', Body: stored, ContentEncoding: 'gzip' }),
    );
    const mirror = await tempDir();
    await copy(s3, 'pull', mirror, bucket);
    assert.ok((await readFile(path.join(mirror, 'vendor.css'))).equals(stored));
    const again = await copy(s3, 'pull', mirror, bucket);
    assert.equal(again.requests.GET, 0, 'and it is not downloaded again');
  });

  it('a pull without the globs writes the original bytes of what the action stored compressed, and the next pull is a no-op', async () => {
    const root = await tempDir();
    await writeTree(root, { 'site.css': CSS, 'index.html': 'home' });
    const bucket = await s3.bucket();
    await copy(s3, 'push', root, bucket, { gzip, manifestKey: MANIFEST });

    const mirror = await tempDir();
    const first = await copy(s3, 'pull', mirror, bucket, { manifestKey: MANIFEST });
    assert.equal(first.result.outcome.copied.length, 2);
    assert.equal(await readFile(path.join(mirror, 'site.css'), 'utf8'), CSS);
    // The manifest knows the object is stored compressed with the original's md5: the listing and one GET.
    const again = await copy(s3, 'pull', mirror, bucket, { manifestKey: MANIFEST });
    assert.deepEqual(
      [again.requests.LIST, again.requests.GET, again.requests.HEAD, again.requests.total],
      [1, 1, 0, 2],
    );
    assert.equal(again.result.plan.unchanged.length, 2);

    // Without the manifest, a HEAD of the object whose size differs tells the same, run after run.
    const plain = await tempDir();
    await copy(s3, 'pull', plain, bucket);
    assert.equal(await readFile(path.join(plain, 'site.css'), 'utf8'), CSS);
    for (let run = 0; run < 2; run += 1) {
      const noop = await copy(s3, 'pull', plain, bucket);
      assert.deepEqual([noop.requests.GET, noop.requests.HEAD, noop.result.outcome.copied.length], [0, 1, 0]);
    }
  });

  it('a pull without the globs streams a large compressed file back to the original, the md5 checked after', async () => {
    const root = await tempDir();
    const big = randomBytes(2 * 1024 * 1024);
    await writeTree(root, { 'data.svg': big });
    const bucket = await s3.bucket();
    await copy(s3, 'push', root, bucket, { gzip });
    const mirror = await tempDir();
    await copy(s3, 'pull', mirror, bucket);
    assert.ok((await readFile(path.join(mirror, 'data.svg'))).equals(big));
    assert.deepEqual(await readdir(mirror), ['data.svg'], 'no temporary file is left');
    const again = await copy(s3, 'pull', mirror, bucket);
    assert.deepEqual([again.requests.GET, again.result.outcome.copied.length], [0, 0]);
  });

  it('a compressed object whose md5 metadata describes its stored bytes is written as stored', async () => {
    const bucket = await s3.bucket();
    const stored = gzipBytes(Buffer.from(CSS));
    await putCompressed(bucket, 'archive.css', stored, md5(stored));
    const mirror = await tempDir();
    await copy(s3, 'pull', mirror, bucket);
    assert.ok((await readFile(path.join(mirror, 'archive.css'))).equals(stored));
  });

  it('a compressed object that matches its md5 neither as stored nor decompressed fails the pull, naming the key and what to do', async () => {
    const bucket = await s3.bucket();
    for (const [key, body] of [
      ['small.css', gzipBytes(Buffer.from(CSS))],
      ['large.svg', gzipBytes(randomBytes(2 * 1024 * 1024))],
    ] as const) {
      await putCompressed(bucket, key, body, md5('something else'));
      const mirror = await tempDir();
      await assert.rejects(
        copy(s3, 'pull', mirror, bucket, { exclude: [key === 'small.css' ? '*.svg' : '*.css'] }),
        (error: Error) => {
          assert.match(
            error.message,
            new RegExp(
              `Downloaded ${key.replace('.', '\\.')} has md5 [0-9a-f]{32} \\([0-9a-f]{32} decompressed\\) but its metadata says ${md5('something else')}`,
            ),
          );
          assert.match(error.message, /push it again from its source, or add it to exclude/);
          return true;
        },
      );
      assert.deepEqual(await readdir(mirror), [], 'nothing is written, no temporary file is left');
    }
  });

  it('from the bundled action: the gzip input', async () => {
    const workspace = await tempDir();
    await writeTree(path.join(workspace, 'site'), { 'site.css': CSS });
    const bucket = await s3.bucket();
    const run = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket, gzip: '*.css' },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(run.status, 0, run.stdout);
    assert.equal((await headObject(s3.client, bucket, 'site.css')).ContentEncoding, 'gzip');
  });
});
