/**
 * The website-hosting question's edges that moto cannot show: the region S3
 * names in its answer, a store that answers a listing, the endpoint's
 * spelling by region; and the verdict's quiet cases.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { S3Client } from '@aws-sdk/client-s3';
import { readWebsiteHosting, websiteEndpointAddress } from '../../../src/bucket/website.js';
import { servingVerdict, type ServingFacts } from '../../../src/report/serving.js';

describe('websiteEndpointAddress', () => {
  it('spells the older regions with a dash and the others with a dot', () => {
    assert.equal(websiteEndpointAddress('b', 'us-east-1', ''), 'http://b.s3-website-us-east-1.amazonaws.com/');
    assert.equal(
      websiteEndpointAddress('b', 'ap-southeast-2', ''),
      'http://b.s3-website-ap-southeast-2.amazonaws.com/',
    );
    assert.equal(websiteEndpointAddress('b', 'us-gov-west-1', ''), 'http://b.s3-website-us-gov-west-1.amazonaws.com/');
    assert.equal(websiteEndpointAddress('b', 'eu-central-1', ''), 'http://b.s3-website.eu-central-1.amazonaws.com/');
    assert.equal(websiteEndpointAddress('b', 'us-east-2', ''), 'http://b.s3-website.us-east-2.amazonaws.com/');
    assert.equal(websiteEndpointAddress('b', 'us-gov-east-1', ''), 'http://b.s3-website.us-gov-east-1.amazonaws.com/');
    assert.equal(websiteEndpointAddress('b', 'cn-north-1', ''), 'http://b.s3-website.cn-north-1.amazonaws.com.cn/');
  });

  it('serves the prefix as a folder, each segment encoded', () => {
    assert.equal(
      websiteEndpointAddress('b', 'eu-west-1', 'pr 7/site'),
      'http://b.s3-website-eu-west-1.amazonaws.com/pr%207/site/',
    );
  });
});

describe('readWebsiteHosting, on a loopback server that answers as S3 would', () => {
  let answer: { status: number; headers: Record<string, string>; body: string };
  let requests = 0;
  let server: http.Server;
  let client: S3Client;
  before(async () => {
    server = http.createServer((_request, response) => {
      requests += 1;
      response.writeHead(answer.status, { 'content-type': 'application/xml', ...answer.headers });
      response.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    // As the action's client: its middleware cache serves every later command from the first one's stack.
    client = new S3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      cacheMiddleware: true,
      maxAttempts: 1,
    });
  });
  after(() => {
    client.destroy();
    server.close();
  });

  const website =
    '<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument></WebsiteConfiguration>';

  it('takes the region S3 names for the bucket over the one the run was given, every time', async () => {
    answer = { status: 200, headers: { 'x-amz-bucket-region': 'eu-central-1' }, body: website };
    assert.deepEqual(await readWebsiteHosting(client, 'site', 'us-east-1'), { state: 'on', region: 'eu-central-1' });
    answer = { status: 200, headers: { 'x-amz-bucket-region': 'ap-south-1' }, body: website };
    assert.deepEqual(await readWebsiteHosting(client, 'site', 'us-east-1'), { state: 'on', region: 'ap-south-1' });
    answer = { status: 200, headers: {}, body: website };
    assert.deepEqual(await readWebsiteHosting(client, 'site', 'us-west-2'), { state: 'on', region: 'us-west-2' });
  });

  it('takes a listing, from a store that ignores ?website, for a store without the call', async () => {
    answer = { status: 200, headers: {}, body: '<ListBucketResult><Name>site</Name></ListBucketResult>' };
    assert.deepEqual(await readWebsiteHosting(client, 'site', 'us-east-1'), { state: 'unsupported' });
  });

  it('says why it does not know, for any other error, in one request', async () => {
    answer = { status: 500, headers: {}, body: '<Error><Code>InternalError</Code><Message>boom</Message></Error>' };
    requests = 0;
    const hosting = await readWebsiteHosting(client, 'site', 'us-east-1');
    assert.equal(hosting.state, 'unknown');
    assert.match(hosting.state === 'unknown' ? hosting.reason : '', /^InternalError: boom/);
    assert.equal(requests, 1);
  });
});

describe('servingVerdict', () => {
  const facts: ServingFacts = {
    bucket: 'site',
    redirects: 3,
    hosting: undefined,
    distributions: [],
    sse: undefined,
    indexDocument: 'index.html',
  };

  it('says nothing when it did not ask, and nothing for a store without the call', () => {
    assert.deepEqual(servingVerdict(facts), { warnings: [], notes: [] });
    assert.deepEqual(servingVerdict({ ...facts, hosting: { state: 'unsupported' } }), { warnings: [], notes: [] });
  });

  it('notes, never warns, what it could not find out', () => {
    const verdict = servingVerdict({ ...facts, hosting: { state: 'unknown', reason: 'InternalError: boom' } });
    assert.deepEqual(verdict.warnings, []);
    assert.deepEqual(verdict.notes, [
      'Could not check that bucket site hosts a website (InternalError: boom); the 3 redirects are written either way.',
    ]);
  });

  it('warns about a REST origin only for a push with redirects, and about SSE-KMS only through a website origin', () => {
    const rest = [{ distributionId: 'EREST', endpoint: 'rest' as const }];
    assert.deepEqual(servingVerdict({ ...facts, redirects: 0, distributions: rest }).warnings, []);
    assert.equal(servingVerdict({ ...facts, distributions: rest }).warnings.length, 1);
    assert.deepEqual(servingVerdict({ ...facts, sse: 'aws:kms', distributions: rest }).warnings.length, 1);
    assert.deepEqual(servingVerdict({ ...facts, sse: 'AES256', distributions: rest }).warnings.length, 1);
    const website = [{ distributionId: 'EWEB', endpoint: 'website' as const }];
    assert.deepEqual(servingVerdict({ ...facts, distributions: website }).warnings, []);
    const kms = servingVerdict({ ...facts, redirects: 0, sse: 'aws:kms:dsse', distributions: website });
    assert.equal(kms.warnings.length, 1);
    assert.match(kms.warnings[0] ?? '', /EWEB .* cannot serve objects encrypted with SSE-KMS \(sse: aws:kms:dsse\)/);
  });
});
