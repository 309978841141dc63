// Large files: multipart uploads on pooled connections, and the slots and
// order in which large and small files are transferred.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PART_SIZE, SMALL_FILE } from '../../src/local/digest.js';
import { md5 } from '../helpers/md5.js';
import { useCountingProxy } from '../helpers/proxy.js';
import { actionClient, copy, headObject, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree, type TreeSpec } from '../helpers/tree.js';

const s3 = useS3();
const proxy = useCountingProxy(s3);
const { viaProxy } = proxy;

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
