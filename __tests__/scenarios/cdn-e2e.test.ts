// CloudFront invalidation end to end: the bundled action pushes to s3rver and
// invalidates in moto, found through AWS_ENDPOINT_URL_CLOUDFRONT as a user's
// emulator would be.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCloudFrontClient } from '../../src/cdn/client.js';
import { MOTO_CREDENTIALS, motoAvailability, startMoto, type MotoServer } from '../../support/moto.js';
import { runAction } from '../../support/run-action.js';
import { startS3Proxy } from '../../support/s3-proxy.js';
import { createTestDistribution, invalidationPaths } from '../helpers/cloudfront.js';
import { listKeys, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree } from '../helpers/tree.js';

const s3 = useS3();

describe('CloudFront invalidation from the bundled action', motoAvailability(), () => {
  let moto: MotoServer;
  const cloudfront = () => createCloudFrontClient({ credentials: MOTO_CREDENTIALS });
  const saved = process.env.AWS_ENDPOINT_URL_CLOUDFRONT;
  before(async () => {
    moto = await startMoto();
    // For this process's own client, which makes the distributions and reads what was sent.
    process.env.AWS_ENDPOINT_URL_CLOUDFRONT = moto.url;
  });
  after(async () => {
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_CLOUDFRONT;
    else process.env.AWS_ENDPOINT_URL_CLOUDFRONT = saved;
    await moto?.stop();
  });

  async function site(): Promise<string> {
    const workspace = await tempDir('cdn');
    await writeTree(path.join(workspace, 'site'), {
      'index.html': 'home',
      'docs/guide/index.html': 'guide',
      'docs/intro.html': 'intro',
      'assets/app.css': 'css',
    });
    return workspace;
  }

  const push = (workspace: string, bucket: string, inputs: Record<string, string>, endpoint = s3.server.endpoint) =>
    runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket, prefix: 'live', ...inputs },
      { endpoint, env: { AWS_ENDPOINT_URL_CLOUDFRONT: moto.url } },
    );

  it('invalidates what the push changed, through the origin path, and counts the requests', async () => {
    const workspace = await site();
    const bucket = await s3.bucket();
    const id = await createTestDistribution(cloudfront(), `${bucket}.s3-website-us-east-1.amazonaws.com`, [
      { OriginPath: '/live' },
    ]);
    const first = await push(workspace, bucket, { 'cloudfront-distribution-id': id });
    assert.equal(first.status, 0, first.stdout);
    // Every object under the prefix is new: one wildcard, at the origin path's root, evicts nothing else.
    assert.deepEqual(JSON.parse(first.outputs['invalidated-paths'] ?? ''), ['/*']);
    assert.match(first.stdout, new RegExp(`^${id}: \\w+ \\S+, 1 path \\(1 billable\\)$`, 'm'));
    assert.equal((JSON.parse(first.outputs['invalidation-ids'] ?? '') as string[]).length, 1);
    // 1 LIST + the manifest's GET, 4 PUT + the manifest's PUT, the lease's PUT and DELETE, the deploy
    // record's PUT, then GetDistributionConfig + CreateInvalidation.
    assert.equal(first.outputs.requests, '12');
    assert.match(first.summary, /<h3>CloudFront invalidation<\/h3>/);
    assert.match(first.summary, /CloudFront GetDistributionConfig, 1 CloudFront CreateInvalidation/);

    await writeTree(path.join(workspace, 'site'), { 'docs/guide/index.html': 'guide, revised' });
    const second = await push(workspace, bucket, { 'cloudfront-distribution-id': id });
    assert.equal(second.status, 0, second.stdout);
    // docs/guide/ holds only what changed: its wildcard, and the folder's bare path; docs/intro.html is kept.
    const expected = ['/docs/guide', '/docs/guide/*'];
    assert.deepEqual(JSON.parse(second.outputs['invalidated-paths'] ?? ''), expected, 'not /live/docs/…');
    assert.deepEqual(await invalidationPaths(cloudfront(), id), [['/*'], expected]);

    const noop = await push(workspace, bucket, { 'cloudfront-distribution-id': id });
    assert.equal(noop.status, 0, noop.stdout);
    assert.equal(noop.outputs['invalidated-paths'], '[]');
    assert.equal((await invalidationPaths(cloudfront(), id)).length, 2, 'a run that changed nothing sends none');
  });

  it('a dry run sends none and shows the paths it would send', async () => {
    const workspace = await site();
    const bucket = await s3.bucket();
    const id = await createTestDistribution(cloudfront(), `${bucket}.s3-website-us-east-1.amazonaws.com`, [{}]);
    const run = await push(workspace, bucket, { 'cloudfront-distribution-id': id, 'dry-run': 'true' });
    assert.equal(run.status, 0, run.stdout);
    // No origin path: the prefix is part of the URL, and /live serves live/index.html too. Nothing
    // above the prefix's folder is the run's to judge, so its wildcard stops there.
    assert.deepEqual(JSON.parse(run.outputs['invalidated-paths'] ?? ''), ['/live', '/live/*']);
    assert.equal(run.outputs['invalidation-ids'], '[]');
    assert.match(run.summary, /<h3>CloudFront: would invalidate<\/h3>/);
    assert.deepEqual(await invalidationPaths(cloudfront(), id), []);
  });

  it('a push that fails half-way still invalidates what it changed', async () => {
    const workspace = await site();
    const bucket = await s3.bucket();
    const id = await createTestDistribution(cloudfront(), `${bucket}.s3-website-us-east-1.amazonaws.com`, [
      { OriginPath: '/live' },
    ]);
    // Pages go up after assets: the first page refused leaves only the asset changed.
    const proxy = await startS3Proxy({
      upstream: s3.server.endpoint,
      fault: (request) =>
        request.method === 'PUT' && request.key.endsWith('.html') ? { status: 403, code: 'AccessDenied' } : undefined,
    });
    try {
      const run = await push(workspace, bucket, { 'cloudfront-distribution-id': id, concurrency: '1' }, proxy.endpoint);
      assert.equal(run.status, 1);
      // Only the assets went up, all of them: their folder, and no page.
      assert.deepEqual(await invalidationPaths(cloudfront(), id), [['/assets/*']]);
      assert.deepEqual(JSON.parse(run.outputs['invalidated-paths'] ?? ''), ['/assets/*']);
    } finally {
      await proxy.stop();
    }
  });

  it('a removed preview is invalidated too, as one wildcard for its prefix', async () => {
    const workspace = await site();
    const bucket = await s3.bucket();
    const id = await createTestDistribution(cloudfront(), `${bucket}.s3-website-us-east-1.amazonaws.com`, [{}]);
    const published = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket, prefix: 'pr-12' },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(published.status, 0, published.stdout);
    const removed = await runAction(
      workspace,
      { direction: 'remove', bucket, prefix: 'pr-12', 'cloudfront-distribution-id': id },
      { endpoint: s3.server.endpoint, env: { AWS_ENDPOINT_URL_CLOUDFRONT: moto.url } },
    );
    assert.equal(removed.status, 0, removed.stdout);
    assert.deepEqual(await invalidationPaths(cloudfront(), id), [['/pr-12', '/pr-12/*']]);
  });

  it('keeps back only the CreateInvalidation: a push that needs exactly its request-limit runs', async () => {
    const workspace = await site();
    const bucket = await s3.bucket();
    const id = await createTestDistribution(cloudfront(), `${bucket}.s3-website-us-east-1.amazonaws.com`, [
      { OriginPath: '/live' },
    ]);
    // GetDistributionConfig, LIST, GET, the lease's PUT, 4 PUT, the manifest's and the deploy record's PUT,
    // the lease's DELETE, then CreateInvalidation: 12.
    const run = await push(workspace, bucket, { 'cloudfront-distribution-id': id, 'request-limit': '12' });
    assert.equal(run.status, 0, run.stdout);
    assert.equal(run.outputs.requests, '12');
    assert.deepEqual(await invalidationPaths(cloudfront(), id), [['/*']]);
  });

  it('refuses a distribution that does not exist before any change, and the run fails', async () => {
    const workspace = await site();
    const bucket = await s3.bucket();
    const run = await push(workspace, bucket, { 'cloudfront-distribution-id': 'EDOESNOTEXIST' });
    assert.equal(run.status, 1, run.stdout);
    assert.deepEqual(run.errors, [
      'CloudFront distribution EDOESNOTEXIST does not exist, or not in the account of these credentials: ' +
        'check cloudfront-distribution-id; nothing was changed.',
    ]);
    assert.deepEqual(await listKeys(s3.client, bucket), [], 'nothing uploaded');
    // The GetDistributionConfig only: the bucket was not even listed.
    assert.equal(run.outputs.requests, '1');
    assert.match(run.summary, /<h2>s3-force-copy push failed<\/h2>/);
    assert.match(run.summary, /EDOESNOTEXIST does not exist/);
  });

  it("refuses a distribution that serves another bucket, a dry run too, and evicts nobody's cache", async () => {
    const workspace = await site();
    const bucket = await s3.bucket();
    const theirs = await createTestDistribution(cloudfront(), 'their-bucket.s3-website-us-east-1.amazonaws.com', [{}]);
    for (const dryRun of ['false', 'true']) {
      const run = await push(workspace, bucket, { 'cloudfront-distribution-id': theirs, 'dry-run': dryRun });
      assert.equal(run.status, 1, run.stdout);
      assert.equal(run.errors.length, 1, run.stdout);
      assert.match(
        run.errors[0] ?? '',
        new RegExp(
          `^CloudFront distribution ${theirs} serves their-bucket\\.s3-website-us-east-1\\.amazonaws\\.com, not bucket ${bucket}, `,
        ),
      );
      assert.match(run.errors[0] ?? '', /nothing was changed\.$/);
    }
    assert.deepEqual(await listKeys(s3.client, bucket), [], 'nothing uploaded');
    assert.deepEqual(await invalidationPaths(cloudfront(), theirs), [], 'nothing invalidated');
  });

  it('an invalidation refused after the deploy is a counted warning, with the paths it meant to send', async () => {
    const workspace = await site();
    const bucket = await s3.bucket();
    const id = await createTestDistribution(cloudfront(), `${bucket}.s3-website-us-east-1.amazonaws.com`, [
      { OriginPath: '/live' },
    ]);
    // CloudFront reads the config (before the sync), then refuses the invalidation (after it).
    const proxy = await startS3Proxy({
      upstream: moto.url,
      fault: (request) =>
        request.method === 'POST' && request.key.endsWith('/invalidation')
          ? { status: 403, code: 'AccessDenied', message: 'not allowed to invalidate' }
          : undefined,
    });
    try {
      const run = await runAction(
        workspace,
        { direction: 'push', directory: 'site', bucket, prefix: 'live', 'cloudfront-distribution-id': id },
        { endpoint: s3.server.endpoint, env: { AWS_ENDPOINT_URL_CLOUDFRONT: proxy.endpoint } },
      );
      assert.equal(run.status, 0, run.stdout);
      assert.equal(run.outputs.uploaded, '4');
      assert.equal(run.warnings.length, 1, run.stdout);
      assert.match(run.warnings[0] ?? '', /access denied to cloudfront:CreateInvalidation/);
      assert.equal(run.outputs.warnings, '1');
      assert.deepEqual(JSON.parse(run.outputs['invalidated-paths'] ?? ''), ['/*'], 'what it meant to send');
      assert.equal(run.outputs['invalidation-ids'], '[]');
      assert.match(run.summary, /<td>Warnings<\/td><td>1<\/td>/);
      assert.match(run.summary, /<td>failed: Distribution \w+: access denied to cloudfront:CreateInvalidation \(/);
      assert.match(run.summary, /listed in the invalidated-paths output/);
      assert.deepEqual(await invalidationPaths(cloudfront(), id), []);
    } finally {
      await proxy.stop();
    }
  });
});
