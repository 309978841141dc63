// A bucket whose listed ETags are not md5s (SSE-KMS, SSE-C): s3rver behind the
// proxy, which rewrites every ETag as S3 lists those objects. The manifest's
// md5s still make a no-op the listing and one GET, either way.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startS3Proxy, type S3Proxy } from '../../support/s3-proxy.js';
import { md5 } from '../helpers/md5.js';
import { copy, freshConnectionClient, listKeys, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { numberedFiles, writeTree } from '../helpers/tree.js';

const s3 = useS3();
const MANIFEST = '.s3-force-copy/manifest.json';

describe('a bucket whose ETags are not md5s', () => {
  let proxy: S3Proxy;
  before(async () => {
    proxy = await startS3Proxy({ upstream: s3.server.endpoint, fault: () => ({ rewriteEtags: true }) });
  });
  after(async () => proxy?.stop());

  const through = { endpoint: '', createClient: freshConnectionClient };
  const kinds = () => proxy.log().map((r) => r.kind);

  async function site(): Promise<{ root: string; bucket: string }> {
    const root = await tempDir('kms');
    await writeTree(root, { ...numberedFiles(100), 'index.html': 'home', 'latest.html': { link: 'index.html' } });
    return { root, bucket: await s3.bucket() };
  }

  it('the proxy lists ETags that are not the md5s', async () => {
    const { root, bucket } = await site();
    await copy(s3, 'push', root, bucket, { ...through, endpoint: proxy.endpoint, manifestKey: MANIFEST });
    const listed = freshConnectionClient(proxy.endpoint);
    const page = await listed.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'index.html' }));
    listed.destroy();
    const etag = page.Contents?.[0]?.ETag?.replace(/"/g, '') ?? '';
    assert.match(etag, /^[0-9a-f]{32}$/);
    assert.notEqual(etag, md5('home'));
  });

  it('no-op push and pull cost the listing and one GET; 1% sends only the changed file', async () => {
    const { root, bucket } = await site();
    const options = { ...through, endpoint: proxy.endpoint, manifestKey: MANIFEST };
    await copy(s3, 'push', root, bucket, options);

    proxy.reset();
    const noop = await copy(s3, 'push', root, bucket, options);
    assert.deepEqual(kinds(), ['LIST', 'GET'], 'a no-op push');
    assert.equal(noop.result.plan.copies.length, 0);

    proxy.reset();
    const pulled = await copy(s3, 'pull', root, bucket, options);
    assert.deepEqual(kinds(), ['LIST', 'GET'], 'a no-op pull');
    assert.equal(pulled.result.plan.copies.length, 0);

    await writeFile(path.join(root, 'f', '7.txt'), 'file 7 changed');
    proxy.reset();
    const changed = await copy(s3, 'push', root, bucket, options);
    assert.deepEqual(
      changed.result.outcome.copied.map((c) => c.key),
      ['f/7.txt'],
    );
    const puts = proxy
      .log()
      .filter((r) => r.kind === 'PUT')
      .map((r) => r.key.slice(bucket.length + 2));
    assert.deepEqual(puts.sort(), [MANIFEST, 'f/7.txt'].sort());
    assert.ok(!kinds().includes('HEAD'), kinds().join(' '));
  });

  it('without the manifest a no-op may HEAD, but never re-uploads an unchanged file', async () => {
    const { root, bucket } = await site();
    const options = { ...through, endpoint: proxy.endpoint };
    await copy(s3, 'push', root, bucket, options);
    proxy.reset();
    const noop = await copy(s3, 'push', root, bucket, options);
    assert.ok(!kinds().includes('PUT'), kinds().join(' '));
    assert.equal(noop.result.plan.copies.length, 0);
    assert.equal((await listKeys(s3.client, bucket)).length, 102);
  });
});
