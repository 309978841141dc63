// Rollback: the bundled action against moto, which keeps versions, copies
// from a version and answers conditional writes as S3 does. A proxy in front
// of it records every request of the rollback, to show that no file's bytes
// are sent.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createCloudFrontClient } from '../../src/cdn/client.js';
import { MOTO_CREDENTIALS, motoAvailability } from '../../support/moto.js';
import { runAction } from '../../support/run-action.js';
import { startS3Proxy, type S3Proxy } from '../../support/s3-proxy.js';
import { createTestDistribution, invalidationPaths } from '../helpers/cloudfront.js';
import { useMotoS3 } from '../helpers/moto-s3.js';
import { listKeys } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree, type TreeSpec } from '../helpers/tree.js';

const RUNNER = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '42', GITHUB_ACTOR: 'octocat' };

/** v1, then v2: a page changed, an asset deleted, a redirect re-pointed, one deleted, one added, new headers. */
const V1: TreeSpec = {
  'index.html': 'home, first',
  'about.html': 'about',
  'keep.js': 'same in both',
  'gone.css': 'only in v1',
  'old.html': { link: 'index.html' },
  'legacy.html': { link: 'about.html' },
};
const V2: TreeSpec = {
  'index.html': 'home, second',
  'about.html': 'about',
  'keep.js': 'same in both',
  'new.html': 'only in v2',
  'old.html': { link: 'about.html' },
  'fresh.html': { link: 'new.html' },
};
const CACHE_V1 = '**/*.html: no-cache';
const CACHE_V2 = '**/*.html: max-age=60';

/** Every object under live/ but the action's folder: body, headers, metadata and redirect. */
type Snapshot = Record<string, Record<string, unknown>>;

describe('rollback', motoAvailability(), () => {
  const store = useMotoS3();
  let proxy: S3Proxy;
  const cloudfront = () => createCloudFrontClient({ credentials: MOTO_CREDENTIALS });
  const saved = process.env.AWS_ENDPOINT_URL_CLOUDFRONT;
  before(async () => {
    proxy = await startS3Proxy({ upstream: store.moto.url });
    // This process's CloudFront client reads the invalidations from moto too.
    process.env.AWS_ENDPOINT_URL_CLOUDFRONT = store.moto.url;
  });
  after(async () => {
    await proxy?.stop();
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_CLOUDFRONT;
    else process.env.AWS_ENDPOINT_URL_CLOUDFRONT = saved;
  });

  const act = (workspace: string, inputs: Record<string, string>, endpoint = store.moto.url) =>
    runAction(
      workspace,
      { bucket: inputs.bucket ?? '', prefix: 'live', ...inputs },
      { endpoint, env: { ...RUNNER, AWS_ENDPOINT_URL_CLOUDFRONT: store.moto.url } },
    );
  const push = (workspace: string, bucket: string, cacheControl: string) =>
    act(workspace, { direction: 'push', directory: 'site', bucket, 'cache-control': cacheControl });
  const rollback = (workspace: string, bucket: string, inputs: Record<string, string> = {}, endpoint?: string) =>
    act(workspace, { direction: 'rollback', bucket, ...inputs }, endpoint);

  async function snapshot(bucket: string): Promise<Snapshot> {
    const state: Snapshot = {};
    for (const key of await listKeys(store.client, bucket)) {
      if (key.startsWith('live/.s3-force-copy/')) continue;
      const got = await store.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const { ContentType, CacheControl, ContentEncoding, Metadata, WebsiteRedirectLocation } = got;
      const body = (await got.Body?.transformToString()) ?? '';
      state[key] = { body, ContentType, CacheControl, ContentEncoding, Metadata, WebsiteRedirectLocation };
    }
    return state;
  }

  /** A workspace holding v1 and v2 pushed one after the other, with both snapshots and deploy ids. */
  async function twoDeploys() {
    const workspace = await tempDir('rollback');
    const bucket = await store.bucket({ versioned: true });
    await writeTree(path.join(workspace, 'site'), V1);
    const first = await push(workspace, bucket, CACHE_V1);
    assert.equal(first.status, 0, first.stdout);
    const v1 = await snapshot(bucket);
    await rm(path.join(workspace, 'site'), { recursive: true });
    await writeTree(path.join(workspace, 'site'), V2);
    const second = await push(workspace, bucket, CACHE_V2);
    assert.equal(second.status, 0, second.stdout);
    const v2 = await snapshot(bucket);
    assert.notDeepEqual(v2, v1);
    const ids = [first.outputs['deploy-id'] ?? '', second.outputs['deploy-id'] ?? ''];
    return { workspace, bucket, v1, v2, ids };
  }

  it('restores v1 exactly by server-side copies, then a second rollback returns to v2', async () => {
    const { workspace, bucket, v1, v2, ids } = await twoDeploys();
    const distribution = await createTestDistribution(cloudfront(), `${bucket}.s3-website-us-east-1.amazonaws.com`, [
      { OriginPath: '/live' },
    ]);
    proxy.reset();
    const back = await rollback(
      workspace,
      bucket,
      { 'deploy-id': ids[0] ?? '', 'cloudfront-distribution-id': distribution },
      proxy.endpoint,
    );
    assert.equal(back.status, 0, back.stdout);
    assert.deepEqual(await snapshot(bucket), v1, 'contents, headers, metadata, redirects and keys of v1');
    assertServerSideOnly(proxy);
    // index.html and gone.css copied back; about.html's headers; old.html and legacy.html re-created; new.html and fresh.html deleted.
    assert.deepEqual((JSON.parse(back.outputs['changed-keys'] ?? '') as string[]).sort(), [
      'about.html',
      'fresh.html',
      'gone.css',
      'index.html',
      'legacy.html',
      'new.html',
      'old.html',
    ]);
    assert.equal(back.outputs.uploaded, '3');
    assert.equal(back.outputs.redirected, '2');
    assert.equal(back.outputs.deleted, '2');
    assert.equal(back.outputs.bytes, '0', 'no byte through the runner');
    // GET: versioning, the record, the old manifest; LIST: the versions; HEAD: the 2 empty versions; PUT: 3 copies,
    // 2 redirects, lease, manifest, record; POST: the deletes; PUT: the lease's release; then CloudFront's 2.
    assert.match(
      back.summary,
      /18 of 1,000,000 allowed \(1 LIST, 2 HEAD, 3 GET, 9 PUT, 1 POST, 1 CloudFront GetDistributionConfig, 1 CloudFront CreateInvalidation\)/,
    );
    const invalidated = JSON.parse(back.outputs['invalidated-paths'] ?? '') as string[];
    assert.deepEqual(await invalidationPaths(cloudfront(), distribution), [[...invalidated].sort()]);
    assert.ok(
      !invalidated.some((p) => p.includes('keep.js') || p === '/*'),
      `only what changed: ${invalidated.join(' ')}`,
    );
    const rolledBack = back.outputs['deploy-id'] ?? '';
    assert.ok(rolledBack > (ids[1] ?? ''), 'the rollback is a deploy of its own');
    assert.match(back.summary, new RegExp(`It restored deploy <code>${ids[0]}</code>`));
    assert.match(back.summary, new RegExp(`deploy-id: ${ids[1]}`), 'the step that undoes it');

    const again = await rollback(workspace, bucket);
    assert.equal(again.status, 0, again.stdout);
    assert.match(again.stdout, new RegExp(`Restoring deploy ${ids[1]}\\.`), 'the one before the latest');
    assert.deepEqual(await snapshot(bucket), v2);

    const noop = await push(workspace, bucket, CACHE_V2);
    assert.equal(noop.status, 0, noop.stdout);
    assert.equal(noop.outputs.requests, '2', 'after a rollback, the manifest still lets a no-op push cost LIST + GET');
  });

  it('refuses an unversioned bucket before any change, saying how to enable versioning', async () => {
    const workspace = await tempDir('rollback');
    const bucket = await store.bucket();
    await writeTree(path.join(workspace, 'site'), V1);
    assert.equal((await push(workspace, bucket, CACHE_V1)).status, 0);
    const before = await listKeys(store.client, bucket);
    const refused = await rollback(workspace, bucket);
    assert.notEqual(refused.status, 0);
    const message = refused.errors.join('\n');
    assert.match(message, /needs versioning on s3:\/\/moto-\S+\/, and it is not enabled, so nothing was changed/);
    assert.match(message, /put-bucket-versioning --bucket \S+ --versioning-configuration Status=Enabled/);
    assert.match(message, /only deploys made after that can be restored/);
    assert.equal(refused.outputs.requests, '1', 'GetBucketVersioning only');
    assert.deepEqual(await listKeys(store.client, bucket), before);
  });

  it('refuses an unknown deploy-id in one sentence naming the deploys it can restore', async () => {
    const { workspace, bucket, v2, ids } = await twoDeploys();
    const refused = await rollback(workspace, bucket, { 'deploy-id': '20200101T000000000Z-feedbee' });
    assert.notEqual(refused.status, 0);
    assert.deepEqual(refused.errors, [
      `Deploy 20200101T000000000Z-feedbee is not on record under s3://${bucket}/live (unknown, or trimmed past keep-deploys), so nothing was changed: the deploys it can restore are ${ids[0]} and ${ids[1]}.`,
    ]);
    assert.deepEqual(await snapshot(bucket), v2);
  });

  it('a dry rollback lists what would change and changes nothing', async () => {
    const { workspace, bucket, v2, ids } = await twoDeploys();
    const keysBefore = await listKeys(store.client, bucket);
    const dry = await rollback(workspace, bucket, { 'deploy-id': ids[0] ?? '', 'dry-run': 'true' });
    assert.equal(dry.status, 0, dry.stdout);
    assert.equal(dry.outputs['dry-run'], 'true');
    assert.equal(dry.outputs['deploy-id'], '');
    assert.deepEqual((JSON.parse(dry.outputs['changed-keys'] ?? '') as string[]).sort(), [
      'about.html',
      'fresh.html',
      'gone.css',
      'index.html',
      'legacy.html',
      'new.html',
      'old.html',
    ]);
    assert.match(dry.summary, /Would /);
    assert.deepEqual(await snapshot(bucket), v2);
    assert.deepEqual(await listKeys(store.client, bucket), keysBefore, 'no lease, record or manifest written');
  });
});

/** Every write of the rollback to a content key is a copy: a PUT with x-amz-copy-source, redirects with their location. */
function assertServerSideOnly(proxy: S3Proxy): void {
  const writes = proxy.log().filter((request) => request.method === 'PUT' || request.method === 'POST');
  const content = writes.filter((request) => !request.key.includes('/live/.s3-force-copy/'));
  assert.ok(content.length > 0);
  for (const request of content) {
    if (request.method === 'POST') {
      assert.match(request.query, /^delete/, `${request.key}: only DeleteObjects is a POST`);
      continue;
    }
    assert.ok(request.headers['x-amz-copy-source']?.includes('versionId='), `${request.key} is a copy of a version`);
    assert.equal(request.headers['content-length'] ?? '0', '0', `${request.key} sends no body`);
  }
  const redirects = content.filter((request) => request.headers['x-amz-website-redirect-location'] !== undefined);
  assert.deepEqual(redirects.map((request) => request.key.replace(/^\/[^/]+\//, '')).sort(), [
    'live/legacy.html',
    'live/old.html',
  ]);
  for (const request of redirects) assert.equal(request.headers['x-amz-metadata-directive'], 'REPLACE');
}
