// Production buckets: encryption, ACLs, storage classes and the expected
// bucket owner, pushed by the bundled action to moto (which keeps what it is
// sent) through the proxy (which records every request's headers).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readFile } from 'node:fs/promises';
import {
  GetObjectAclCommand,
  HeadObjectCommand,
  PutObjectCommand,
  RestoreObjectCommand,
  type HeadObjectCommandOutput,
  type StorageClass,
} from '@aws-sdk/client-s3';
import { motoAvailability } from '../../support/moto.js';
import { runAction } from '../../support/run-action.js';
import type { ProxiedRequest } from '../../support/s3-proxy.js';
import { useMotoS3 } from '../helpers/moto-s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree } from '../helpers/tree.js';

const OWNER = '123456789012';

describe('production buckets on moto', motoAvailability(), () => {
  const store = useMotoS3({ proxied: true });

  const newBucket = (): Promise<string> => store.bucket();

  /** A site with a small file, a redirect and a file large enough for a multipart upload. */
  async function site(): Promise<string> {
    const workspace = await tempDir('prod');
    await writeTree(path.join(workspace, 'site'), {
      'index.html': 'home',
      'latest.html': { link: 'index.html' },
      'big.bin': Buffer.alloc(9 * 1024 * 1024, 7),
    });
    return workspace;
  }

  const run = (workspace: string, bucket: string, inputs: Record<string, string>) =>
    runAction(workspace, { directory: 'site', bucket, ...inputs }, { endpoint: store.proxy.endpoint });

  const head = (bucket: string, key: string): Promise<HeadObjectCommandOutput> =>
    store.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));

  /** The writes of a run that carry an object's settings: PUTs (parts aside) and multipart Creates. */
  const objectWrites = (log: ProxiedRequest[]) =>
    log.filter(
      (r) =>
        (r.kind === 'PUT' && !r.query.includes('partNumber=')) || (r.kind === 'POST' && /(^|&)uploads/.test(r.query)),
    );

  it('every write carries sse, acl and storage-class, and every request the expected owner', async () => {
    const workspace = await site();
    const bucket = await newBucket();
    store.proxy.reset();
    const pushed = await run(workspace, bucket, {
      direction: 'push',
      sse: 'AES256',
      acl: 'public-read',
      'storage-class': 'STANDARD_IA',
      'expected-bucket-owner': OWNER,
    });
    assert.equal(pushed.status, 0, pushed.stdout);
    const log = store.proxy.log();
    assert.ok(log.length > 0);
    for (const request of log) {
      assert.equal(request.headers['x-amz-expected-bucket-owner'], OWNER, `${request.method} ${request.key}`);
    }
    const writes = objectWrites(log);
    // index.html, the redirect, big.bin's Create, the manifest, the deploy lease, its release and the deploy record.
    assert.ok(
      writes.some((r) => r.kind === 'POST'),
      'a multipart upload was created',
    );
    assert.equal(writes.length, 7, JSON.stringify(writes.map((r) => [r.method, r.key])));
    for (const write of writes) {
      assert.equal(write.headers['x-amz-server-side-encryption'], 'AES256', write.key);
      assert.equal(write.headers['x-amz-acl'], 'public-read', write.key);
      // The action's own objects (manifest, lease, record) are read often: never archived.
      const ours = write.key.includes('/.s3-force-copy/');
      assert.equal(write.headers['x-amz-storage-class'], ours ? undefined : 'STANDARD_IA', write.key);
    }
    for (const key of ['index.html', 'latest.html', 'big.bin']) {
      const object = await head(bucket, key);
      assert.equal(object.ServerSideEncryption, 'AES256', key);
      assert.equal(object.StorageClass, 'STANDARD_IA', key);
      const acl = await store.client.send(new GetObjectAclCommand({ Bucket: bucket, Key: key }));
      assert.ok(
        acl.Grants?.some((g) => g.Grantee?.URI?.endsWith('/global/AllUsers') && g.Permission === 'READ'),
        `${key} is public-read`,
      );
    }

    // A pull of any direction names the owner too.
    store.proxy.reset();
    const pulled = await run(await tempDir('prod-pull'), bucket, {
      direction: 'pull',
      'expected-bucket-owner': OWNER,
    });
    assert.equal(pulled.status, 0, pulled.stdout);
    assert.ok(store.proxy.log().length > 0);
    for (const request of store.proxy.log()) assert.equal(request.headers['x-amz-expected-bucket-owner'], OWNER);
  });

  it('a changed setting updates unchanged objects in place, then a no-op costs the listing and one GET', async () => {
    const workspace = await site();
    const bucket = await newBucket();
    const first = await run(workspace, bucket, { direction: 'push', 'expected-bucket-owner': OWNER });
    assert.equal(first.status, 0, first.stdout);
    assert.equal((await head(bucket, 'index.html')).StorageClass ?? 'STANDARD', 'STANDARD');

    store.proxy.reset();
    const settings = { sse: 'AES256', 'storage-class': 'STANDARD_IA', 'expected-bucket-owner': OWNER };
    const changed = await run(workspace, bucket, { direction: 'push', ...settings });
    assert.equal(changed.status, 0, changed.stdout);
    assert.deepEqual(
      [changed.outputs.uploaded, changed.outputs.redirected, changed.outputs.updated],
      ['0', '0', '3'],
      changed.stdout,
    );
    const copies = store.proxy.log().filter((r) => r.headers['x-amz-copy-source'] !== undefined);
    assert.equal(copies.length, 3);
    for (const copy of copies) {
      assert.equal(copy.headers['x-amz-source-expected-bucket-owner'], OWNER, 'the copy source names the owner');
      assert.equal(copy.headers['x-amz-storage-class'], 'STANDARD_IA');
      assert.equal(copy.headers['x-amz-server-side-encryption'], 'AES256');
      assert.ok(Number(copy.headers['content-length'] ?? 0) === 0, 'no body is sent again');
    }
    for (const key of ['index.html', 'latest.html', 'big.bin']) {
      const object = await head(bucket, key);
      assert.equal(object.StorageClass, 'STANDARD_IA', key);
      assert.equal(object.ServerSideEncryption, 'AES256', key);
    }
    assert.equal((await head(bucket, 'latest.html')).WebsiteRedirectLocation, '/index.html');

    store.proxy.reset();
    const noop = await run(workspace, bucket, { direction: 'push', ...settings });
    assert.equal(noop.status, 0, noop.stdout);
    assert.deepEqual(
      store.proxy.log().map((r) => r.kind),
      ['LIST', 'GET'],
    );
  });

  it('a pull skips archived objects that are not restored, with one warning, and keeps their local copies', async () => {
    const bucket = await newBucket();
    const put = (key: string, body: string, storageClass?: StorageClass) =>
      store.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, StorageClass: storageClass }));
    await put('a.txt', 'standard');
    await put('cold/b.txt', 'glacier b', 'GLACIER');
    await put('cold/c.txt', 'deep c', 'DEEP_ARCHIVE');
    await put('warm.txt', 'restored', 'GLACIER');
    await put('tiered.txt', 'tiered', 'INTELLIGENT_TIERING');
    await store.client.send(new RestoreObjectCommand({ Bucket: bucket, Key: 'warm.txt', RestoreRequest: { Days: 1 } }));
    const workspace = await tempDir('prod-archive');
    await writeTree(path.join(workspace, 'site'), { 'cold/b.txt': 'my old copy', 'tiered.txt': 'my tiered copy' });

    // Intelligent-Tiering's archive tiers list as INTELLIGENT_TIERING; only the GET says.
    store.fault = (request) =>
      request.kind === 'GET' && request.key.endsWith('/tiered.txt')
        ? {
            status: 403,
            code: 'InvalidObjectState',
            message: 'The operation is not valid for the object storage class',
          }
        : undefined;
    store.proxy.reset();
    try {
      const pulled = await run(workspace, bucket, { direction: 'pull' });
      assert.equal(pulled.status, 0, pulled.stdout);
      const read = (key: string) => readFile(path.join(workspace, 'site', key), 'utf8');
      assert.equal(await read('a.txt'), 'standard');
      assert.equal(await read('warm.txt'), 'restored', 'a restored object is downloaded');
      assert.equal(await read('cold/b.txt'), 'my old copy', 'a skipped object’s local copy is kept');
      assert.equal(await read('tiered.txt'), 'my tiered copy');
      await assert.rejects(read('cold/c.txt'));
      const gets = store.proxy
        .log()
        .filter((r) => r.kind === 'GET' && !r.key.endsWith('manifest.json'))
        .map((r) => r.key.slice(bucket.length + 2));
      assert.deepEqual(gets.sort(), ['a.txt', 'tiered.txt', 'warm.txt'], 'no GET of an archived object');
      const archived = pulled.warnings.filter((w) => /archived object/.test(w));
      assert.equal(archived.length, 2, pulled.warnings.join('\n'));
      assert.match(archived[0] ?? '', /2 archived objects skipped, not downloaded \(cold\/b\.txt, cold\/c\.txt\)/);
      assert.match(archived[0] ?? '', /aws s3api restore-object --bucket \S+ --key cold\/b\.txt/);
      assert.match(archived[0] ?? '', /add them to exclude/);
      assert.match(archived[1] ?? '', /1 archived object skipped, not downloaded \(tiered\.txt\)/);
      assert.equal(pulled.outputs.warnings, '3', 'each skipped object counts');
      for (const key of ['cold/b.txt', 'cold/c.txt', 'tiered.txt']) assert.ok(pulled.summary.includes(key), key);
    } finally {
      store.fault = () => undefined;
    }
  });

  it('errors name the fix: ACLs disabled, a KMS key the role may not use', async () => {
    const workspace = await site();
    const bucket = await newBucket();
    const arn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    try {
      store.fault = (request) =>
        request.kind === 'PUT'
          ? { status: 400, code: 'AccessControlListNotSupported', message: 'The bucket does not allow ACLs' }
          : undefined;
      const acl = await run(workspace, bucket, { direction: 'push', acl: 'public-read' });
      assert.equal(acl.status, 1);
      assert.match(acl.errors.join('\n'), /has ACLs disabled \(Object Ownership: bucket owner enforced\).*remove acl/);

      store.fault = (request) =>
        request.kind === 'PUT'
          ? {
              status: 403,
              code: 'AccessDenied',
              message: `User: arn:aws:sts::123456789012:assumed-role/deploy/gh is not authorized to perform: kms:GenerateDataKey on resource: ${arn}`,
            }
          : undefined;
      const kms = await run(workspace, bucket, { direction: 'push', sse: 'aws:kms', 'sse-kms-key-id': arn });
      assert.equal(kms.status, 1);
      assert.match(kms.errors.join('\n'), /KMS denied kms:GenerateDataKey on arn:aws:kms:us-east-1:123456789012:key\//);

      store.fault = (request) => (request.kind === 'PUT' ? { status: 403, code: 'AccessDenied' } : undefined);
      const plain = await run(workspace, bucket, { direction: 'push' });
      assert.equal(plain.status, 1);
      assert.match(plain.errors.join('\n'), /bucket policies also often require encryption, so set sse/);
    } finally {
      store.fault = () => undefined;
    }
  });
});
