import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { after, before } from 'node:test';
import { startS3Server, TEST_CREDENTIALS, type S3TestServer } from '../../support/s3-server.js';
import type { Direction } from '../../src/model/direction.js';
import type { SyncResult } from '../../src/sync/result.js';
import { RequestBudget, type RequestKind } from '../../src/bucket/budget.js';
import type { Settings } from '../../src/settings/inputs.js';
import { excludeMatcher } from '../../src/settings/rules.js';
import { runJobOrThrow, type JobPieces } from './jobs.js';
import { createS3Client, type Timeouts } from '../../src/bucket/client.js';
import { readListPagesLean } from '../../src/bucket/lean-list.js';

export interface S3Harness {
  server: S3TestServer;
  client: S3Client;
  /** A new, empty bucket. */
  bucket(): Promise<string>;
}

/** Starts one s3rver for the test file (stopped after it) and hands out fresh buckets. */
export function useS3(websiteBuckets: string[] = []): S3Harness {
  const harness = {} as S3Harness;
  let counter = 0;
  before(async () => {
    harness.server = await startS3Server(websiteBuckets);
    harness.client = makeClient(harness.server.endpoint);
    harness.bucket = async () => {
      counter += 1;
      const name = `bucket-${process.pid}-${counter}`;
      await harness.client.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    };
  });
  after(async () => {
    harness.client?.destroy();
    await harness.server?.stop();
  });
  return harness;
}

/** A client as the action builds one (its lean LIST reader too, unless `sdkListReader`). */
export function makeClient(endpoint: string, { keepAlive = true, sdkListReader = false } = {}): S3Client {
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
    ...(keepAlive ? {} : { requestHandler: { httpAgent: { keepAlive: false } } }),
  });
  if (!sdkListReader) readListPagesLean(client);
  return client;
}

/**
 * makeClient with a new connection per request. Tests that assert exact
 * request counts through the proxy use it: with no retries, a kept-alive
 * socket closed by the other side at the moment it is reused would fail the
 * run on a busy machine, and a retry would change the counts.
 */
export function freshConnectionClient(endpoint: string): S3Client {
  return makeClient(endpoint, { keepAlive: false });
}

/** Settings for a push through `endpoint` with the test credentials, as the action would hold them, with these overrides. */
export function testSettings(endpoint: string, overrides: Partial<Settings> = {}): Settings {
  return {
    direction: 'push',
    directory: '.',
    directoryInput: '.',
    bucket: 'unused',
    prefix: '',
    requestLimit: 1_000_000,
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
    concurrency: 8,
    exclude: [],
    cacheControl: [],
    headers: [],
    gzip: [],
    links: 'redirect',
    manifestKey: undefined,
    dryRun: false,
    delete: true,
    maxDelete: undefined,
    limitToHalf: false,
    allowEmpty: false,
    force: false,
    checksums: 'when-required',
    cloudfrontDistributionIds: [],
    cloudfrontMaxPaths: 30,
    cloudfrontWait: false,
    indexDocument: 'index.html',
    prComment: false,
    githubToken: '',
    siteUrl: undefined,
    lock: false,
    lockWait: 600,
    keepDeploys: 20,
    deployId: undefined,
    storage: {},
    expectedBucketOwner: undefined,
    ...overrides,
  };
}

/** A client built by the action's own createS3Client (retries on: several attempts per request). */
export function actionClient(endpoint: string, timeouts?: Timeouts): S3Client {
  return createS3Client(testSettings(endpoint), timeouts);
}

export type RequestCounts = Record<RequestKind, number> & { total: number };

export interface CopyRun {
  result: SyncResult;
  requests: RequestCounts;
}

export type CopyOverrides = Partial<Omit<JobPieces, 'direction' | 'root' | 'remote' | 'budget'>> & {
  prefix?: string;
  requestLimit?: number;
  exclude?: string[];
  /** Lets a test add middleware (for example a fault) to the run's own client. */
  configureClient?: (client: S3Client) => void;
  /** Sends the run's requests here instead of to s3rver directly (for example a support/s3-proxy.ts proxy). */
  endpoint?: string;
  /** Builds the run's client instead of makeClient, e.g. actionClient for the action's retry settings. */
  createClient?: (endpoint: string) => S3Client;
};

/** One run of the core against the harness, with its own client and request budget. */
export async function copy(
  harness: S3Harness,
  direction: Direction,
  root: string,
  bucket: string,
  overrides: CopyOverrides = {},
): Promise<CopyRun> {
  const {
    prefix = '',
    requestLimit = 1_000_000,
    exclude = [],
    configureClient,
    endpoint,
    createClient,
    ...rest
  } = overrides;
  const client = (createClient ?? makeClient)(endpoint ?? harness.server.endpoint);
  const budget = new RequestBudget(requestLimit);
  budget.attachTo(client);
  configureClient?.(client);
  try {
    const result = await runJobOrThrow({
      direction,
      root,
      remote: { client, bucket, prefix },
      budget,
      isExcluded: excludeMatcher(exclude),
      ...rest,
    });
    return { result, requests: { ...budget.byKind(), total: budget.used } as RequestCounts };
  } catch (error) {
    (error as { requests?: number }).requests = budget.used;
    throw error;
  } finally {
    client.destroy();
  }
}

/** Every key in the bucket with its ETag, so content changes show up as well as additions and removals. */
export async function bucketState(client: S3Client, bucket: string): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key) state[object.Key] = object.ETag ?? '';
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return state;
}

/** Every key in the bucket, sorted. */
export async function listKeys(client: S3Client, bucket: string): Promise<string[]> {
  return Object.keys(await bucketState(client, bucket)).sort();
}

export async function putObject(
  client: S3Client,
  bucket: string,
  key: string,
  body: string | Uint8Array,
  extra: { md5?: string; redirect?: string; metadata?: Record<string, string> } = {},
): Promise<void> {
  const metadata = { ...extra.metadata, ...(extra.md5 ? { md5: extra.md5 } : {}) };
  await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentLength: typeof body === 'string' ? Buffer.byteLength(body) : body.length,
      Metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
      WebsiteRedirectLocation: extra.redirect,
    }),
  );
}

export async function headObject(client: S3Client, bucket: string, key: string) {
  return client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
}

export async function getText(client: S3Client, bucket: string, key: string): Promise<string> {
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await response.Body?.transformToString()) ?? '';
}

/** Puts each object (key → body) into the bucket. */
export async function seed(client: S3Client, bucket: string, objects: Record<string, string>): Promise<void> {
  for (const [key, body] of Object.entries(objects)) await putObject(client, bucket, key, body);
}

const DEPLOY_RECORD = /(^|\/)\.s3-force-copy\/deploys\//;
/** The deploy records among keys (issue 27: a changing push writes one). */
export const deployRecords = (keys: string[]): string[] => keys.filter((key) => DEPLOY_RECORD.test(key));
const LEASE = /(^|\/)\.s3-force-copy\/lock\.json$/;
/** The keys but the deploy records and the lease, for tests about the site's own objects and the manifest. */
export const withoutRunRecords = (keys: string[]): string[] =>
  keys.filter((key) => !DEPLOY_RECORD.test(key) && !LEASE.test(key));
