/**
 * The request budget on a real S3Client whose HTTP handler is a fake: every
 * request the SDK would put on the wire reaches the fake, which answers with
 * scripted statuses, so retries and refusals can be counted exactly.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { HttpRequest, HttpResponse } from '@smithy/types';
import { assertCanAfford } from '../../../src/decide/guards.js';
import { RequestLimitError } from '../../../src/model/errors.js';
import { RequestBudget, requestKind } from '../../../src/bucket/budget.js';

interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

const BUCKET = 'bucket';
const ok = (body = '', headers: Record<string, string> = {}): Reply => ({ status: 200, body, headers });
const s3Error = (status: number, code: string): Reply => ({
  status,
  body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>fake</Message></Error>`,
  headers: { 'content-type': 'application/xml' },
});

/** Successful answers that each command's parser accepts. */
function success(request: HttpRequest): Reply {
  const query = request.query ?? {};
  if (request.method === 'GET' && 'list-type' in query) {
    return ok(
      '<ListBucketResult><Name>bucket</Name><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount></ListBucketResult>',
    );
  }
  if (request.method === 'POST' && 'uploads' in query) {
    return ok('<InitiateMultipartUploadResult><UploadId>upload-1</UploadId></InitiateMultipartUploadResult>');
  }
  if (request.method === 'POST' && 'delete' in query) return ok('<DeleteResult></DeleteResult>');
  if (request.method === 'DELETE') return { status: 204 };
  if (request.method === 'GET') return ok('body', { 'content-length': '4', etag: '"etag"' });
  return ok('', { etag: '"etag"' });
}

/**
 * A client with the fake handler. `script` answers the n-th request (0-based)
 * or returns undefined for a plain success; `requests` records what was sent.
 */
function fakeClient(
  budget: RequestBudget,
  script: (request: HttpRequest, index: number) => Reply | undefined = () => undefined,
  maxAttempts = 3,
) {
  const requests: HttpRequest[] = [];
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://s3.fake.test',
    forcePathStyle: true,
    credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
    maxAttempts,
    requestHandler: {
      handle: async (request: HttpRequest): Promise<{ response: HttpResponse }> => {
        requests.push(request);
        const reply = script(request, requests.length - 1) ?? success(request);
        return {
          response: {
            statusCode: reply.status,
            headers: reply.headers ?? {},
            body: Readable.from(reply.body ? [Buffer.from(reply.body)] : []),
          },
        };
      },
    },
  });
  budget.attachTo(client);
  return { client, requests };
}

const head = (key = 'a.txt') => new HeadObjectCommand({ Bucket: BUCKET, Key: key });

describe('every attempt counts', () => {
  it('a throttled request and its retry count twice, and both reached the handler', async () => {
    const budget = new RequestBudget(100);
    const { client, requests } = fakeClient(budget, (_request, index) =>
      index === 0 ? s3Error(503, 'SlowDown') : undefined,
    );
    await client.send(head());
    assert.equal(requests.length, 2);
    assert.equal(budget.used, 2);
    assert.equal(budget.byKind().HEAD, 2);
  });

  it('500s then a success count every attempt', async () => {
    const budget = new RequestBudget(100);
    const { client, requests } = fakeClient(budget, (_request, index) =>
      index < 2 ? s3Error(500, 'InternalError') : undefined,
    );
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'a.txt', Body: 'a', ContentLength: 1 }));
    assert.equal(requests.length, 3);
    assert.deepEqual([budget.used, budget.byKind().PUT], [3, 3]);
  });

  it('a request that exhausts its attempts counts all of them', async () => {
    const budget = new RequestBudget(100);
    const { client, requests } = fakeClient(budget, () => s3Error(500, 'InternalError'), 4);
    await assert.rejects(client.send(head()), (error: Error) => error.name === 'InternalError');
    assert.equal(requests.length, 4);
    assert.equal(budget.used, 4);
  });

  it('a client error is not retried and counts once', async () => {
    const budget = new RequestBudget(100);
    const { client, requests } = fakeClient(budget, () => s3Error(403, 'AccessDenied'));
    await assert.rejects(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.txt' })), /fake|AccessDenied/);
    assert.deepEqual([requests.length, budget.used, budget.byKind().GET], [1, 1, 1]);
  });
});

describe('request kinds', () => {
  it('classifies each S3 call the action makes by what goes on the wire', async () => {
    const budget = new RequestBudget(100);
    const { client, requests } = fakeClient(budget);
    await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'p/' }));
    await client.send(head());
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.txt' }));
    assert.equal(await got.Body?.transformToString(), 'body');
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'a.txt', Body: 'a', ContentLength: 1 }));
    await client.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'x' }], Quiet: true } }));
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'x' }));
    await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'big' }));
    await client.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: 'big', UploadId: 'upload-1', PartNumber: 1, Body: 'p' }),
    );
    await client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'big', UploadId: 'upload-1' }));

    assert.deepEqual(
      requests.map((request) => request.method),
      ['GET', 'HEAD', 'GET', 'PUT', 'POST', 'DELETE', 'POST', 'PUT', 'DELETE'],
    );
    assert.deepEqual(budget.byKind(), { LIST: 1, HEAD: 1, GET: 1, PUT: 2, POST: 2, DELETE: 2, OTHER: 0 });
    assert.equal(budget.used, 9);
  });

  it('requestKind tells a listing from a GET by its list-type query, and anything else is OTHER', () => {
    assert.equal(requestKind({ method: 'GET', path: '/bucket', query: { 'list-type': '2' } }), 'LIST');
    assert.equal(requestKind({ method: 'GET', path: '/bucket/list-type', query: {} }), 'GET');
    assert.equal(requestKind({ method: 'GET', path: '/bucket/a' }), 'GET');
    for (const method of ['HEAD', 'PUT', 'POST', 'DELETE'] as const) assert.equal(requestKind({ method }), method);
    assert.equal(requestKind({ method: 'OPTIONS' }), 'OTHER');
    assert.equal(requestKind({}), 'OTHER');
  });
});

describe('the limit', () => {
  it('refuses the request that would pass the limit before it is sent', async () => {
    const budget = new RequestBudget(2);
    const { client, requests } = fakeClient(budget);
    await client.send(head('a'));
    await client.send(head('b'));
    const error = await client.send(head('c')).then(
      () => assert.fail('the third request should be refused'),
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof RequestLimitError);
    assert.match(error.message, /request-limit of 2 requests/);
    assert.match(error.message, /Raise the request-limit input/);
    assert.deepEqual([error.needed, error.limit], [3, 2]);
    assert.equal(requests.length, 2, 'the handler never saw the refused request');
    assert.equal(budget.used, 2, 'a refused request is not counted');
    assert.deepEqual(
      requests.map((request) => request.path),
      ['/bucket/a', '/bucket/b'],
    );
  });

  it('stops a retry at the limit too, without retrying the refusal', async () => {
    const budget = new RequestBudget(1);
    const { client, requests } = fakeClient(budget, () => s3Error(500, 'InternalError'), 5);
    await assert.rejects(client.send(head()), RequestLimitError);
    assert.equal(requests.length, 1);
    assert.equal(budget.used, 1);
  });

  it('never refuses an AbortMultipartUpload, which ends the bill for stored parts, but counts it', async () => {
    const budget = new RequestBudget(1);
    const { client, requests } = fakeClient(budget);
    await client.send(head());
    await client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'big.bin', UploadId: 'upload-1' }));
    assert.equal(requests.length, 2, 'the abort reached the handler past the limit');
    assert.deepEqual([budget.used, budget.byKind().DELETE], [2, 1]);
    await assert.rejects(client.send(head('b')), RequestLimitError);
    await assert.rejects(client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'x' })), RequestLimitError);
  });

  it('a limit of zero sends nothing', async () => {
    const budget = new RequestBudget(0);
    const { client, requests } = fakeClient(budget);
    await assert.rejects(
      client.send(new ListObjectsV2Command({ Bucket: BUCKET })),
      /Stopped at the request-limit of 0 requests/,
    );
    assert.equal(requests.length, 0);
  });
});

describe('assertCanAfford', () => {
  it('allows a plan that reaches the limit exactly and refuses one past it, naming the numbers', async () => {
    const budget = new RequestBudget(10);
    const { client } = fakeClient(budget, (_request, index) => (index === 0 ? s3Error(503, 'SlowDown') : undefined));
    await client.send(head());
    await client.send(head());
    assert.equal(budget.used, 3);

    assertCanAfford(budget, 7);
    const error = (() => {
      try {
        assertCanAfford(budget, 8);
      } catch (thrown) {
        return thrown;
      }
      return assert.fail('a plan of 8 more requests should be refused');
    })();
    assert.ok(error instanceof RequestLimitError);
    assert.equal(error.name, 'RequestLimitError');
    assert.equal(
      error.message,
      'This run needs about 11 S3 requests (3 already sent to list and inspect, 8 to apply the plan), ' +
        'which is more than the request-limit of 10. Nothing was changed. ' +
        'Raise the request-limit input if this is expected.',
    );
    assert.deepEqual([error.needed, error.limit], [11, 10]);
    assert.equal(budget.used, 3, 'checking sends nothing');
  });
});
