// A push that fails part-way records what it did in the manifest, so its
// re-run sends only what is still missing, and the manifest never claims
// what was not done. s3rver behind support/s3-proxy.ts, which refuses one
// key's PUT and counts every request.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { decodeManifest, keyHash, type Manifest } from '../../src/manifest/format.js';
import { contentTypeFor } from '../../src/settings/content-type.js';
import { headersMatcher } from '../../src/settings/rules.js';
import { startS3Proxy, type Fault, type FaultRequest, type S3Proxy } from '../../support/s3-proxy.js';
import { md5 } from '../helpers/md5.js';
import {
  copy,
  freshConnectionClient,
  getText,
  headObject,
  putObject,
  useS3,
  type CopyOverrides,
} from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree, type TreeSpec } from '../helpers/tree.js';

const s3 = useS3();
let proxy: S3Proxy;
let fault: ((request: FaultRequest) => Fault) | undefined;

// Started by the first test rather than in a root before(): it needs useS3's server.
beforeEach(async () => {
  proxy ??= await startS3Proxy({ upstream: s3.server.endpoint, fault: (request) => fault?.(request) });
  fault = undefined;
  proxy.reset();
});
after(() => proxy?.stop());

const MANIFEST = '.s3-force-copy/manifest.json';
const DENIED: Fault = { status: 403, code: 'AccessDenied' };
const SITE: TreeSpec = {
  'index.html': 'home',
  'about.html': 'about',
  'stale.html': 'stale',
  'assets/app.css': 'css',
  'assets/app.js': 'js',
  'latest.html': { link: 'index.html' },
};

/** One run through the proxy, with the manifest on, its requests counted from a fresh log. */
function viaProxy(root: string, bucket: string, overrides: CopyOverrides = {}) {
  proxy.reset();
  return copy(s3, 'push', root, bucket, {
    manifestKey: MANIFEST,
    createClient: freshConnectionClient,
    ...overrides,
    endpoint: proxy.endpoint,
  });
}

/** Refuses every PUT of `key` (an upload, or a CopyObject of a header update). */
function refusePut(bucket: string, key: string): void {
  fault = (request) => (request.method === 'PUT' && request.key === `/${bucket}/${key}` ? DENIED : undefined);
}

async function failedRun(root: string, bucket: string, overrides: CopyOverrides = {}) {
  return viaProxy(root, bucket, overrides).then(
    () => assert.fail('the push should fail'),
    (error: Error & { result?: { outcome: { copied: { key: string }[]; updated: { key: string }[] } } }) => error,
  );
}

async function storedManifest(bucket: string): Promise<Manifest> {
  const response = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: MANIFEST }));
  const manifest = decodeManifest(await response.Body!.transformToByteArray(), '');
  assert.ok(!('ignored' in manifest), 'the failed run wrote a manifest');
  return manifest;
}

const counts = () => {
  const { LIST, GET, HEAD, PUT, POST, DELETE } = proxy.counts();
  return { LIST, GET, HEAD, PUT, POST, DELETE };
};

describe('a push that failed part-way', () => {
  it('records its header updates, so the re-run updates only the one refused, and deletes', async () => {
    const root = await tempDir();
    await writeTree(root, SITE);
    const bucket = await s3.bucket();
    await viaProxy(root, bucket);
    const headersFor = headersMatcher([], [{ pattern: '**/*.html', value: 'no-cache' }], contentTypeFor);
    await writeTree(root, { 'assets/app.css': 'css v2', 'new.html': 'new' });
    await rm(path.join(root, 'stale.html'));

    refusePut(bucket, 'about.html');
    const error = await failedRun(root, bucket, { headersFor });
    assert.equal(error.name, 'AccessDenied');
    const done = error.result?.outcome;
    assert.deepEqual(done?.copied.map((c) => c.key).sort(), ['assets/app.css', 'new.html']);
    assert.deepEqual(done?.updated.map((u) => u.key).sort(), ['index.html', 'latest.html']);
    const manifest = await storedManifest(bucket);
    // Not done: about.html keeps the headers it had, stale.html is still there.
    const about = manifest.records.get(keyHash('about.html'));
    const index = manifest.records.get(keyHash('index.html'));
    assert.ok(about && index && manifest.records.has(keyHash('stale.html')));
    assert.notEqual(about.headers, index.headers);

    fault = undefined;
    const rerun = await viaProxy(root, bucket, { headersFor });
    const { plan } = rerun.result;
    assert.deepEqual([plan.copies, plan.redirects, plan.updates.map((u) => u.key)], [[], [], ['about.html']]);
    assert.deepEqual(
      plan.deletes.map((d) => d.key),
      ['stale.html'],
    );
    // The listing, the manifest's GET, one CopyObject, the manifest's PUT, one DeleteObjects.
    assert.deepEqual(counts(), { LIST: 1, GET: 1, HEAD: 0, PUT: 2, POST: 1, DELETE: 0 });
    assert.equal((await headObject(s3.client, bucket, 'about.html')).CacheControl, 'no-cache');
    await viaProxy(root, bucket, { headersFor });
    assert.deepEqual(counts(), { LIST: 1, GET: 1, HEAD: 0, PUT: 0, POST: 0, DELETE: 0 });
  });

  it('records the uploads that succeeded, so the re-run sends only the files still missing', async () => {
    const root = await tempDir();
    await writeTree(root, SITE);
    const bucket = await s3.bucket();
    await viaProxy(root, bucket);
    const changed: TreeSpec = {
      'assets/app.css': 'css v2',
      'assets/app.js': 'js v2',
      'assets/new.js': 'new',
      'index.html': 'home v2',
      'about.html': 'about v2',
    };
    await writeTree(root, changed);

    // An asset is refused: the other assets go up, no page does (deploy order), nothing is deleted.
    refusePut(bucket, 'assets/app.js');
    const error = await failedRun(root, bucket);
    assert.equal(error.name, 'AccessDenied');
    const uploaded = (error.result?.outcome.copied ?? []).map((c) => c.key).sort();
    assert.deepEqual(uploaded, ['assets/app.css', 'assets/new.js']);
    const manifest = await storedManifest(bucket);
    // What was not written keeps the record of the object still there.
    assert.equal(manifest.records.get(keyHash('assets/app.js'))?.etag, md5('js'));
    assert.equal(manifest.records.get(keyHash('index.html'))?.etag, md5('home'));
    assert.equal(manifest.records.get(keyHash('assets/app.css'))?.etag, md5('css v2'));

    fault = undefined;
    const rerun = await viaProxy(root, bucket);
    assert.deepEqual(rerun.result.plan.copies.map((c) => c.key).sort(), ['about.html', 'assets/app.js', 'index.html']);
    // The listing, the manifest's GET, the three files, the manifest's PUT.
    assert.deepEqual(counts(), { LIST: 1, GET: 1, HEAD: 0, PUT: 4, POST: 0, DELETE: 0 });
    await viaProxy(root, bucket);
    assert.deepEqual(counts(), { LIST: 1, GET: 1, HEAD: 0, PUT: 0, POST: 0, DELETE: 0 });
  });

  it('never records what it did not do: a file it did not get to upload is not taken for uploaded', async () => {
    const root = await tempDir();
    await writeTree(root, SITE);
    const bucket = await s3.bucket();
    // Another tool's object of the same size, without md5 metadata: only the local file knows the md5 meant.
    await putObject(s3.client, bucket, 'about.html', 'ABOUT');

    refusePut(bucket, 'about.html');
    const error = await failedRun(root, bucket);
    assert.equal(error.name, 'AccessDenied');
    const about = (await storedManifest(bucket)).records.get(keyHash('about.html'));
    assert.deepEqual([about?.etag, about?.md5], [md5('ABOUT'), undefined]);

    fault = undefined;
    const rerun = await viaProxy(root, bucket);
    assert.deepEqual(
      rerun.result.plan.copies.map((c) => c.key),
      ['about.html'],
    );
    assert.equal(await getText(s3.client, bucket, 'about.html'), 'about');
  });
});
