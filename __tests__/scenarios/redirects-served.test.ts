// The preflight that says whether a push's redirects will be served: the
// bundled action pushes to moto (which keeps website configurations) through
// the proxy (which counts each GetBucketWebsite and answers for stores and
// roles that will not), with CloudFront in moto too.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PutBucketWebsiteCommand } from '@aws-sdk/client-s3';
import { createCloudFrontClient } from '../../src/cdn/client.js';
import { MOTO_CREDENTIALS, motoAvailability } from '../../support/moto.js';
import { runAction } from '../../support/run-action.js';
import type { ProxiedRequest } from '../../support/s3-proxy.js';
import { createTestDistribution } from '../helpers/cloudfront.js';
import { useMotoS3 } from '../helpers/moto-s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree } from '../helpers/tree.js';

const isWebsiteRequest = (request: ProxiedRequest) =>
  request.method === 'GET' && request.query.split('&').some((part) => part.split('=')[0] === 'website');

describe('whether the redirects a push writes will be served', motoAvailability(), () => {
  const store = useMotoS3({ proxied: true });

  async function newBucket({ hosting }: { hosting: boolean }): Promise<string> {
    const bucket = await store.bucket();
    if (hosting) {
      await store.client.send(
        new PutBucketWebsiteCommand({
          Bucket: bucket,
          WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } },
        }),
      );
    }
    return bucket;
  }

  /** Two pages and two redirects to them. */
  async function site(): Promise<string> {
    const workspace = await tempDir('served');
    await writeTree(path.join(workspace, 'site'), {
      'index.html': 'home',
      'about.html': 'about',
      'latest.html': { link: 'index.html' },
      'me.html': { link: 'about.html' },
    });
    return workspace;
  }

  /** Through the `endpoint` input: an S3-compatible store, as far as the action knows. */
  const push = (workspace: string, bucket: string, inputs: Record<string, string> = {}) =>
    runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket, ...inputs },
      { endpoint: store.proxy.endpoint },
    );

  /**
   * As on AWS: no `endpoint` input, so the action takes the bucket for an AWS
   * one (website-endpoint address, CloudFront origins by AWS host names); the
   * SDK still sends to the proxy, through the standard variables.
   */
  const pushAsOnAws = (workspace: string, bucket: string, inputs: Record<string, string> = {}) =>
    runAction(
      workspace,
      {
        direction: 'push',
        directory: 'site',
        bucket,
        'force-path-style': 'true',
        'aws-access-key-id': MOTO_CREDENTIALS.accessKeyId,
        'aws-secret-access-key': MOTO_CREDENTIALS.secretAccessKey,
        ...inputs,
      },
      { env: { AWS_ENDPOINT_URL_S3: store.proxy.endpoint, AWS_ENDPOINT_URL_CLOUDFRONT: store.moto.url } },
    );

  const websiteRequests = () => store.proxy.log().filter(isWebsiteRequest).length;

  it('warns once, counted, that a bucket without hosting will not serve the redirects; a no-op asks nothing', async () => {
    const workspace = await site();
    const bucket = await newBucket({ hosting: false });
    store.proxy.reset();
    const first = await push(workspace, bucket);
    assert.equal(first.status, 0, first.stdout);
    assert.equal(first.outputs.redirected, '2');
    assert.equal(websiteRequests(), 1, 'one GetBucketWebsite');
    assert.equal(first.warnings.length, 1, first.stdout);
    assert.match(first.warnings[0] ?? '', new RegExp(`^Bucket ${bucket} has no static website hosting`));
    assert.match(first.warnings[0] ?? '', /the 2 redirects this push writes will not be served/);
    assert.ok(
      first.warnings[0]?.endsWith(`aws s3 website s3://${bucket}/ --index-document index.html`),
      first.warnings[0],
    );
    assert.equal(first.outputs.warnings, '1');

    store.proxy.reset();
    const noop = await push(workspace, bucket);
    assert.equal(noop.status, 0, noop.stdout);
    assert.deepEqual(
      store.proxy.log().map((r) => r.kind),
      ['LIST', 'GET'],
      'a no-op push costs the listing and the manifest, no GetBucketWebsite',
    );
    assert.deepEqual(noop.warnings, []);

    // A change that writes no redirect asks nothing either.
    await writeTree(path.join(workspace, 'site'), { 'about.html': 'about, revised' });
    store.proxy.reset();
    const pageOnly = await push(workspace, bucket);
    assert.equal(pageOnly.status, 0, pageOnly.stdout);
    assert.equal(pageOnly.outputs.uploaded, '1');
    assert.equal(websiteRequests(), 0);
    assert.deepEqual(pageOnly.warnings, []);
  });

  it('links: copy writes no redirect, so it asks nothing and warns of nothing', async () => {
    const workspace = await site();
    const bucket = await newBucket({ hosting: false });
    store.proxy.reset();
    const run = await push(workspace, bucket, { links: 'copy' });
    assert.equal(run.status, 0, run.stdout);
    assert.equal(run.outputs.redirected, '0');
    assert.equal(websiteRequests(), 0);
    assert.deepEqual(run.warnings, []);
  });

  it('with hosting on, says nothing wrong and shows the website endpoint under the prefix', async () => {
    const workspace = await site();
    const bucket = await newBucket({ hosting: true });
    store.proxy.reset();
    const run = await pushAsOnAws(workspace, bucket, { prefix: 'live' });
    assert.equal(run.status, 0, run.stdout);
    assert.equal(websiteRequests(), 1);
    assert.deepEqual(run.warnings, []);
    const address = `http://${bucket}.s3-website-us-east-1.amazonaws.com/live/`;
    assert.ok(run.summary.includes(`<a href="${address}">${address}</a>`), run.summary);
    assert.match(run.stdout, new RegExp(`Bucket ${bucket} hosts a website`));

    // site-url says where the site is: no website-endpoint address then.
    await writeTree(path.join(workspace, 'site'), { 'new.html': { link: 'index.html' } });
    const withSiteUrl = await pushAsOnAws(workspace, bucket, { prefix: 'live', 'site-url': 'https://example.com/' });
    assert.equal(withSiteUrl.status, 0, withSiteUrl.stdout);
    assert.equal(withSiteUrl.outputs.redirected, '1');
    assert.ok(!withSiteUrl.summary.includes('s3-website'), withSiteUrl.summary);
  });

  it('an AccessDenied is one info line naming s3:GetBucketWebsite, never a warning or a failure', async () => {
    const workspace = await site();
    const bucket = await newBucket({ hosting: false });
    store.fault = (request) => (isWebsiteRequest(request) ? { status: 403, code: 'AccessDenied' } : undefined);
    store.proxy.reset();
    try {
      const run = await push(workspace, bucket);
      assert.equal(run.status, 0, run.stdout);
      assert.equal(websiteRequests(), 1);
      assert.deepEqual(run.warnings, []);
      assert.deepEqual(run.errors, []);
      assert.equal(run.outputs.warnings, '0');
      const lines = run.stdout.split('\n').filter((line) => line.includes('s3:GetBucketWebsite'));
      assert.equal(lines.length, 1, run.stdout);
      assert.ok(!lines[0]?.startsWith('::'), 'an info line, not an annotation');
    } finally {
      store.fault = () => undefined;
    }
  });

  for (const [status, code] of [
    [501, 'NotImplemented'],
    [405, 'MethodNotAllowed'],
  ] as const) {
    it(`a store that answers ${code} is skipped quietly, in one request`, async () => {
      const workspace = await site();
      const bucket = await newBucket({ hosting: false });
      store.fault = (request) => (isWebsiteRequest(request) ? { status, code } : undefined);
      store.proxy.reset();
      try {
        const run = await push(workspace, bucket);
        assert.equal(run.status, 0, run.stdout);
        assert.equal(websiteRequests(), 1, 'not retried');
        assert.deepEqual(run.warnings, []);
        assert.doesNotMatch(run.stdout, /website/i);
      } finally {
        store.fault = () => undefined;
      }
    });
  }

  it('behind CloudFront: a REST-endpoint origin serves redirects as empty pages; a website one, no SSE-KMS', async () => {
    // For this process's own client, which makes the distributions.
    const saved = process.env.AWS_ENDPOINT_URL_CLOUDFRONT;
    process.env.AWS_ENDPOINT_URL_CLOUDFRONT = store.moto.url;
    const cloudfront = createCloudFrontClient({ credentials: MOTO_CREDENTIALS });
    try {
      const workspace = await site();
      const bucket = await newBucket({ hosting: true });
      const rest = await createTestDistribution(cloudfront, `${bucket}.s3.us-east-1.amazonaws.com`, [{}]);
      const website = await createTestDistribution(cloudfront, `${bucket}.s3-website-us-east-1.amazonaws.com`, [{}]);

      const viaRest = await pushAsOnAws(workspace, bucket, { 'cloudfront-distribution-id': rest });
      assert.equal(viaRest.status, 0, viaRest.stdout);
      assert.equal(viaRest.warnings.length, 1, viaRest.stdout);
      assert.match(viaRest.warnings[0] ?? '', new RegExp(`${rest} reaches bucket ${bucket} through its REST endpoint`));
      assert.match(viaRest.warnings[0] ?? '', /serves the 2 redirects this push writes as empty pages/);
      assert.match(viaRest.warnings[0] ?? '', /website endpoint .* the origin, or set links: copy/);
      assert.equal(viaRest.outputs.warnings, '1');

      // No redirect written, nothing to say about them; SSE-KMS through the website endpoint, whatever changed.
      await writeTree(path.join(workspace, 'site'), { 'about.html': 'about, revised' });
      store.proxy.reset();
      const kms = await pushAsOnAws(workspace, bucket, { 'cloudfront-distribution-id': website, sse: 'aws:kms' });
      assert.equal(kms.status, 0, kms.stdout);
      assert.equal(websiteRequests(), 0);
      assert.equal(kms.warnings.length, 1, kms.stdout);
      assert.match(
        kms.warnings[0] ?? '',
        new RegExp(`${website} reaches bucket ${bucket} through its website endpoint`),
      );
      assert.match(kms.warnings[0] ?? '', /cannot serve objects encrypted with SSE-KMS \(sse: aws:kms\)/);
    } finally {
      cloudfront.destroy();
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_CLOUDFRONT;
      else process.env.AWS_ENDPOINT_URL_CLOUDFRONT = saved;
    }
  });
});
