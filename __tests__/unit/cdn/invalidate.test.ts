/**
 * readServedDistributions (the check before the sync) and invalidateCdn
 * (after it) against moto's CloudFront. The SDK finds moto through the
 * standard AWS_ENDPOINT_URL_CLOUDFRONT variable, as a user's would find any
 * endpoint: the client itself has no endpoint setting.
 *
 * What moto cannot show (an invalidation that stays in progress,
 * TooManyInvalidationsInProgress, throttling, AccessDenied) is scripted by a
 * small middleware that answers in moto's place, just before the HTTP
 * handler, so the SDK's own retries and error parsing still run.
 *
 * Requests are counted by a local middleware in the place the request budget
 * takes (after the retry middleware, so every attempt passes it).
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { CloudFrontClient, type Origin } from '@aws-sdk/client-cloudfront';
import type { HttpResponse } from '@smithy/types';
import { CLOUDFRONT_MAX_ATTEMPTS, createCloudFrontClient } from '../../../src/cdn/client.js';
import {
  DEFAULT_MAX_PATHS,
  invalidateCdn,
  invalidationOutputs,
  parseDistributionIds,
  type InvalidateRequest,
} from '../../../src/cdn/invalidate.js';
import { readServedDistributions } from '../../../src/cdn/preflight.js';
import { RETRY_ATTEMPTS, RETRY_BOUND_MS } from '../../../src/cdn/retry.js';
import { RequestBudget } from '../../../src/bucket/budget.js';
import { RefusedError, RequestLimitError } from '../../../src/model/errors.js';
import { MOTO_CREDENTIALS, motoAvailability, startMoto, type MotoServer } from '../../../support/moto.js';
import { createTestDistribution, invalidationPaths } from '../../helpers/cloudfront.js';

const BUCKET = 'site-bucket';
const WEBSITE = `${BUCKET}.s3-website-us-east-1.amazonaws.com`;

let moto: MotoServer | undefined;
const saved: Record<string, string | undefined> = {};
const ENV = ['AWS_ENDPOINT_URL_CLOUDFRONT', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'AWS_PROFILE'];

/** A client as the action makes it, with every attempt it sends counted by the action's own request budget. */
function countedClient(
  client: CloudFrontClient = createCloudFrontClient({ credentials: MOTO_CREDENTIALS }),
  budget = new RequestBudget(1_000_000),
) {
  budget.attachTo(client, 'CloudFront');
  const count = (command: string): number => budget.byKind()[`CloudFront ${command}`] ?? 0;
  const total = (): number => budget.used;
  return { client, count, total, budget };
}

interface Reply {
  status: number;
  body: string;
}

/**
 * Answers in moto's place when `script` returns a reply for an attempt
 * (numbered from 1 per command); otherwise the request goes on to moto.
 */
function script(client: CloudFrontClient, answer: (command: string, attempt: number) => Reply | undefined): void {
  const attempts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context.commandName ?? '').replace(/Command$/, '');
      const attempt = (attempts.get(command) ?? 0) + 1;
      attempts.set(command, attempt);
      const reply = answer(command, attempt);
      if (reply === undefined) return next(args);
      const response: HttpResponse = {
        statusCode: reply.status,
        headers: { 'content-type': 'text/xml' },
        body: Readable.from([Buffer.from(reply.body)]),
      };
      return { response, output: undefined as never };
    },
    { step: 'deserialize', priority: 'low', name: 'testScript' },
  );
}

const cloudFrontError = (status: number, code: string): Reply => ({
  status,
  body:
    '<?xml version="1.0"?><ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">' +
    `<Error><Type>Sender</Type><Code>${code}</Code><Message>scripted ${code}</Message></Error>` +
    '<RequestId>test</RequestId></ErrorResponse>',
});

/** Rewrites the status CloudFront reports (moto completes every invalidation at once). */
function reportInProgress(client: CloudFrontClient, when: (command: string, call: number) => boolean): void {
  const calls = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const command = (context.commandName ?? '').replace(/Command$/, '');
      const call = (calls.get(command) ?? 0) + 1;
      calls.set(command, call);
      const output = result.output as { Invalidation?: { Status?: string } };
      if (output.Invalidation !== undefined && when(command, call)) output.Invalidation.Status = 'InProgress';
      return result;
    },
    { step: 'initialize', name: 'testInProgress' },
  );
}

function fakeSleep() {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms: number) => void sleeps.push(ms) };
}

const setup = () => createCloudFrontClient({ credentials: MOTO_CREDENTIALS });

const createDistribution = (origins: Partial<Origin>[], targetOriginId?: string) =>
  createTestDistribution(setup(), WEBSITE, origins, targetOriginId);
const invalidationsOf = (distributionId: string) => invalidationPaths(setup(), distributionId);

type Request = Omit<InvalidateRequest, 'distributions'> & { distributionIds: string[] };

function request(fields: Partial<Request> & Pick<Request, 'client' | 'distributionIds'>): Request {
  return {
    prefix: 'live',
    keys: ['index.html'],
    indexDocument: 'index.html',
    maxPaths: DEFAULT_MAX_PATHS,
    wait: false,
    waitTimeoutMs: 60_000,
    dryRun: false,
    sleep: fakeSleep().sleep,
    ...fields,
  };
}

/** As a run does it: each distribution read before the sync, then invalidated after it through the same client. */
async function invalidate({ distributionIds, ...fields }: Request) {
  const distributions = await readServedDistributions(fields.client, distributionIds, BUCKET, undefined, fields.sleep);
  return invalidateCdn({ ...fields, distributions });
}

describe('invalidateCdn against moto', motoAvailability(), () => {
  before(async () => {
    for (const name of ENV) saved[name] = process.env[name];
    moto = await startMoto();
    process.env.AWS_ENDPOINT_URL_CLOUDFRONT = moto.url;
    delete process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
    delete process.env.AWS_PROFILE;
  });

  after(async () => {
    for (const name of ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await moto?.stop();
  });

  it('maps keys through the origin path: /index.html and /, not /live/…', async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    const { client, count } = countedClient();
    const result = await invalidate(request({ client, distributionIds: [id] }));
    const [only] = result.distributions;
    assert.deepEqual(only?.paths, ['/', '/index.html']);
    assert.equal(only?.billablePaths, 2);
    assert.ok(only?.invalidationId);
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(await invalidationsOf(id), [['/', '/index.html']]);
    assert.equal(count('CreateInvalidation'), 1);
    assert.deepEqual(invalidationOutputs(result), {
      invalidationIds: [only?.invalidationId],
      invalidatedPaths: ['/', '/index.html'],
    });
  });

  it('gives two distributions their own invalidation, each through its own origin path', async () => {
    const live = await createDistribution([{ OriginPath: '/live' }]);
    const whole = await createDistribution([{ OriginPath: '' }]);
    const { client } = countedClient();
    const keys = ['index.html', 'docs/a b.html'];
    const result = await invalidate(request({ client, distributionIds: [live, whole], keys }));
    assert.deepEqual(
      result.distributions.map((d) => [d.distributionId, d.paths]),
      [
        [live, ['/', '/docs/a%20b.html', '/index.html']],
        [whole, ['/live', '/live/', '/live/docs/a%20b.html', '/live/index.html']],
      ],
    );
    assert.deepEqual(await invalidationsOf(live), [['/', '/docs/a%20b.html', '/index.html']]);
    assert.deepEqual(await invalidationsOf(whole), [['/live', '/live/', '/live/docs/a%20b.html', '/live/index.html']]);
    assert.equal(new Set(invalidationOutputs(result).invalidationIds).size, 2);
  });

  it('sends nothing after the check without keys', async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    const { client, count, total } = countedClient();
    const result = await invalidate(request({ client, distributionIds: [id], keys: [] }));
    assert.deepEqual([count('GetDistributionConfig'), total()], [1, 1]);
    assert.deepEqual(
      result.distributions.map((d) => d.status),
      ['nothing to invalidate'],
    );
    assert.deepEqual(await invalidationsOf(id), []);
  });

  it('creates nothing in a dry run, but reads the config and reports the paths', async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    const { client, count } = countedClient();
    const result = await invalidate(request({ client, distributionIds: [id], dryRun: true }));
    const [only] = result.distributions;
    assert.equal(only?.status, 'dry run');
    assert.deepEqual(only?.paths, ['/', '/index.html']);
    assert.equal(only?.invalidationId, undefined);
    assert.equal(count('GetDistributionConfig'), 1);
    assert.equal(count('CreateInvalidation'), 0);
    assert.deepEqual(await invalidationsOf(id), []);
    assert.deepEqual(invalidationOutputs(result), { invalidationIds: [], invalidatedPaths: ['/', '/index.html'] });
  });

  it('sends collapsed wildcards over max-paths', async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    const { client } = countedClient();
    const keys = ['index.html', ...Array.from({ length: 10 }, (_, i) => `blog/post-${i}.html`)];
    const result = await invalidate(request({ client, distributionIds: [id], keys, maxPaths: 3 }));
    assert.deepEqual(result.distributions[0]?.paths, ['/', '/blog/*', '/index.html']);
    assert.equal(result.distributions[0]?.billablePaths, 3);
    assert.deepEqual(await invalidationsOf(id), [['/', '/blog/*', '/index.html']]);
  });

  it('with wait, polls with backoff until Completed', async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    const { client, count } = countedClient();
    // Created in progress, still so at the first poll, then moto's COMPLETED.
    reportInProgress(client, (command, call) => command === 'CreateInvalidation' || call <= 1);
    const { sleeps, sleep } = fakeSleep();
    const result = await invalidate(request({ client, distributionIds: [id], wait: true, sleep }));
    assert.equal(result.distributions[0]?.status, 'Completed');
    assert.equal(count('GetInvalidation'), 2);
    assert.deepEqual(sleeps, [2_000, 4_000]);
    assert.deepEqual(result.warnings, []);
  });

  it('without wait, reports InProgress and does not poll', async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    const { client, count } = countedClient();
    reportInProgress(client, () => true);
    const result = await invalidate(request({ client, distributionIds: [id] }));
    assert.equal(result.distributions[0]?.status, 'InProgress');
    assert.equal(count('GetInvalidation'), 0);
  });

  it('ends a wait that never completes with a warning, within the bound', { timeout: 20_000 }, async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    const { client, count } = countedClient();
    reportInProgress(client, () => true);
    const { sleeps, sleep } = fakeSleep();
    const result = await invalidate(
      request({ client, distributionIds: [id], wait: true, waitTimeoutMs: 60_000, sleep }),
    );
    const [only] = result.distributions;
    assert.equal(only?.status, 'InProgress');
    assert.ok(only?.invalidationId);
    assert.match(result.warnings.join('\n'), /still in progress after 60 s/);
    assert.equal(
      sleeps.reduce((a, b) => a + b, 0),
      60_000,
    );
    // 2 + 4 + 8 + 16 + 30 = 60 s: five polls.
    assert.deepEqual(sleeps, [2_000, 4_000, 8_000, 16_000, 30_000]);
    assert.equal(count('GetInvalidation'), 5);
  });

  it('retries TooManyInvalidationsInProgress, and every attempt is counted', async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    const { client, count } = countedClient();
    script(client, (command, attempt) =>
      command === 'CreateInvalidation' && attempt <= 2
        ? cloudFrontError(400, 'TooManyInvalidationsInProgress')
        : undefined,
    );
    const { sleeps, sleep } = fakeSleep();
    const result = await invalidate(request({ client, distributionIds: [id], sleep }));
    assert.equal(result.distributions[0]?.status, 'Completed');
    assert.deepEqual(sleeps, [2_000, 4_000]);
    assert.equal(count('CreateInvalidation'), 3);
    assert.deepEqual(await invalidationsOf(id), [['/', '/index.html']]);
  });

  it('gives up on TooManyInvalidationsInProgress after a bounded number of attempts', async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    const { client, count } = countedClient();
    script(client, (command) =>
      command === 'CreateInvalidation' ? cloudFrontError(400, 'TooManyInvalidationsInProgress') : undefined,
    );
    const { sleeps, sleep } = fakeSleep();
    const result = await invalidate(request({ client, distributionIds: [id], sleep }));
    const [only] = result.distributions;
    assert.equal(only?.status, 'failed');
    assert.equal(only?.billablePaths, 0);
    assert.deepEqual(only?.paths, ['/', '/index.html']);
    assert.match(result.warnings.join('\n'), /TooManyInvalidationsInProgress/);
    assert.equal(count('CreateInvalidation'), RETRY_ATTEMPTS);
    assert.ok(sleeps.reduce((a, b) => a + b, 0) <= RETRY_BOUND_MS);
    assert.deepEqual(await invalidationsOf(id), []);
  });

  it('retries throttling (its code, a 429, a 503) a bounded number of times, each attempt counted', async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    // One SDK attempt per command, so that only our retries run (the SDK's
    // delays are real time).
    const { client, count } = countedClient(
      new CloudFrontClient({ region: 'us-east-1', credentials: MOTO_CREDENTIALS, maxAttempts: 1 }),
    );
    // Each way CloudFront or a proxy in front of it may say so: the code, a 429, a 503.
    const throttled = [
      cloudFrontError(400, 'Throttling'),
      cloudFrontError(429, 'SlowDownPlease'),
      cloudFrontError(503, 'ServiceUnavailable'),
      cloudFrontError(400, 'Throttling'),
      cloudFrontError(429, 'SlowDownPlease'),
    ];
    script(client, (command, attempt) => (command === 'CreateInvalidation' ? throttled[attempt - 1] : undefined));
    const { sleeps, sleep } = fakeSleep();
    const result = await invalidate(request({ client, distributionIds: [id], sleep }));
    assert.equal(result.distributions[0]?.status, 'failed');
    assert.equal(count('CreateInvalidation'), RETRY_ATTEMPTS);
    assert.deepEqual(sleeps, [2_000, 4_000, 8_000, 16_000]);
  });

  it('lets the SDK retry a single throttled attempt itself, counted', async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    const { client, count } = countedClient();
    script(client, (command, attempt) =>
      command === 'CreateInvalidation' && attempt === 1 ? cloudFrontError(503, 'ServiceUnavailable') : undefined,
    );
    const { sleeps, sleep } = fakeSleep();
    const result = await invalidate(request({ client, distributionIds: [id], sleep }));
    assert.equal(result.distributions[0]?.status, 'Completed');
    assert.equal(count('CreateInvalidation'), 2);
    assert.deepEqual(sleeps, []);
    assert.ok(CLOUDFRONT_MAX_ATTEMPTS >= 2);
  });

  it('reports AccessDenied with the IAM action to grant, without throwing', async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    const { client, count } = countedClient();
    script(client, (command) => (command === 'CreateInvalidation' ? cloudFrontError(403, 'AccessDenied') : undefined));
    const result = await invalidate(request({ client, distributionIds: [id] }));
    assert.equal(result.distributions[0]?.status, 'failed');
    assert.match(result.warnings.join('\n'), /access denied to cloudfront:CreateInvalidation/);
    assert.match(result.warnings.join('\n'), /Not invalidated: 2 path\(s\), listed in the invalidated-paths output\./);
    assert.equal(count('CreateInvalidation'), 1);
    // What it meant to send, for a user to send by hand; no invalidation ID.
    assert.deepEqual(invalidationOutputs(result), { invalidationIds: [], invalidatedPaths: ['/', '/index.html'] });
  });

  it('keeps the paths it meant to send when the distribution went away after the check', async () => {
    const { client } = countedClient();
    const result = await invalidateCdn({
      ...request({ client, distributionIds: [] }),
      distributions: [{ distributionId: 'EGONE', originId: 'origin', originPath: '/live' }],
    });
    assert.equal(result.distributions[0]?.status, 'failed');
    assert.match(result.warnings.join('\n'), /EGONE/);
    assert.deepEqual(invalidationOutputs(result).invalidatedPaths, ['/', '/index.html']);
  });

  it('names cloudfront:GetInvalidation when a wait is denied, keeping the invalidation', async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    const { client } = countedClient();
    reportInProgress(client, () => true);
    script(client, (command) => (command === 'GetInvalidation' ? cloudFrontError(403, 'AccessDenied') : undefined));
    const result = await invalidate(request({ client, distributionIds: [id], wait: true }));
    assert.equal(result.distributions[0]?.status, 'InProgress');
    assert.ok(result.distributions[0]?.invalidationId);
    assert.match(result.warnings.join('\n'), /cloudfront:GetInvalidation/);
  });

  it('reports a request-limit refusal as failed with its message, not retried', async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    // Room for the GetDistributionConfig only: the budget refuses the CreateInvalidation.
    const { client, count, total } = countedClient(undefined, new RequestBudget(1));
    const { sleeps, sleep } = fakeSleep();
    const result = await invalidate(request({ client, distributionIds: [id], sleep }));
    assert.equal(result.distributions[0]?.status, 'failed');
    assert.match(result.warnings.join('\n'), /Stopped at the request-limit of 1 request\./);
    assert.deepEqual(invalidationOutputs(result).invalidatedPaths, ['/', '/index.html']);
    assert.deepEqual(sleeps, []);
    assert.deepEqual([count('GetDistributionConfig'), count('CreateInvalidation'), total()], [1, 0, 1]);
    assert.deepEqual(await invalidationsOf(id), []);
  });

  it('skips, with a warning, objects outside the origin path', async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    const { client, count } = countedClient();
    const result = await invalidate(request({ client, distributionIds: [id], prefix: 'staging' }));
    assert.equal(result.distributions[0]?.status, 'nothing to invalidate');
    assert.match(result.warnings.join('\n'), /outside origin path \/live/);
    assert.equal(count('CreateInvalidation'), 0);
  });
});

describe('readServedDistributions against moto', motoAvailability(), () => {
  before(async () => {
    for (const name of ENV) saved[name] = process.env[name];
    moto = await startMoto();
    process.env.AWS_ENDPOINT_URL_CLOUDFRONT = moto.url;
    delete process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
    delete process.env.AWS_PROFILE;
  });

  after(async () => {
    for (const name of ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await moto?.stop();
  });

  const check = (client: CloudFrontClient, ids: string[], endpoint?: string) =>
    readServedDistributions(client, ids, BUCKET, endpoint, fakeSleep().sleep);

  it('reads each distribution once, repeats dropped, with the origin that serves the bucket', async () => {
    const live = await createDistribution([{ OriginPath: '/live' }]);
    const whole = await createDistribution([{ DomainName: 'other.s3.amazonaws.com' }, { Id: 'site' }], 'site');
    const { client, count } = countedClient();
    assert.deepEqual(await check(client, [live, whole, live]), [
      { distributionId: live, originId: 'origin', originPath: '/live' },
      { distributionId: whole, originId: 'site', originPath: '' },
    ]);
    assert.equal(count('GetDistributionConfig'), 2);
  });

  it('matches an origin on the S3-compatible endpoint the run uses', async () => {
    const id = await createDistribution([{ DomainName: 'minio.example.com', OriginPath: `/${BUCKET}/live` }]);
    const { client } = countedClient();
    assert.deepEqual(await check(client, [id], 'https://minio.example.com'), [
      { distributionId: id, originId: 'origin', originPath: '/live' },
    ]);
    await assert.rejects(check(client, [id]), RefusedError);
  });

  it('refuses a distribution that does not exist, in one sentence, and reads no further', async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    const { client, count } = countedClient();
    await assert.rejects(check(client, ['EDOESNOTEXIST', id]), (error: Error) => {
      assert.ok(error instanceof RefusedError);
      assert.equal(
        error.message,
        'CloudFront distribution EDOESNOTEXIST does not exist, or not in the account of these credentials: ' +
          'check cloudfront-distribution-id; nothing was changed.',
      );
      return true;
    });
    assert.equal(count('GetDistributionConfig'), 1);
  });

  it('refuses a distribution that serves another bucket, naming what it serves', async () => {
    const id = await createDistribution([{ DomainName: 'other-bucket.s3.amazonaws.com', OriginPath: '/live' }]);
    const { client } = countedClient();
    await assert.rejects(
      check(client, [id]),
      new RefusedError(
        `CloudFront distribution ${id} serves other-bucket.s3.amazonaws.com/live, not bucket ${BUCKET}, and ` +
          "invalidating it would evict another site's cache: check cloudfront-distribution-id; nothing was changed.",
      ),
    );
  });

  it('refuses a distribution it may not read, naming cloudfront:GetDistributionConfig', async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    const { client, count } = countedClient();
    script(client, (command) =>
      command === 'GetDistributionConfig' ? cloudFrontError(403, 'AccessDenied') : undefined,
    );
    await assert.rejects(check(client, [id]), (error: Error) => {
      assert.ok(error instanceof RefusedError);
      assert.match(error.message, /^CloudFront denied cloudfront:GetDistributionConfig on distribution /);
      assert.match(error.message, new RegExp(`arn:aws:cloudfront::ACCOUNT_ID:distribution/${id} `));
      return true;
    });
    assert.equal(count('GetDistributionConfig'), 1);
  });

  it('refuses when CloudFront keeps throttling, after our bounded retries', async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    const { client } = countedClient(
      new CloudFrontClient({ region: 'us-east-1', credentials: MOTO_CREDENTIALS, maxAttempts: 1 }),
    );
    script(client, (command) => (command === 'GetDistributionConfig' ? cloudFrontError(400, 'Throttling') : undefined));
    await assert.rejects(check(client, [id]), /Could not read the config of CloudFront distribution .* \(Throttling: /);
  });

  it('lets a request-limit refusal through as itself', async () => {
    const id = await createDistribution([{ OriginPath: '/live' }]);
    const { client, total } = countedClient(undefined, new RequestBudget(0));
    await assert.rejects(check(client, [id]), RequestLimitError);
    assert.equal(total(), 0);
  });
});

describe('parseDistributionIds', () => {
  it('splits on newlines and commas, trims, drops empties and repeats', () => {
    assert.deepEqual(parseDistributionIds(' E1,E2\n\nE3 , E1\n'), ['E1', 'E2', 'E3']);
    assert.deepEqual(parseDistributionIds(''), []);
  });
});
