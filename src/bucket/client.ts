import { S3Client } from '@aws-sdk/client-s3';
import { sendContentMd5OnDeleteObjects } from './delete-md5.js';
import { sendExpectedBucketOwner } from './expected-owner.js';
import { readListPagesLean } from './lean-list.js';
import type { Settings } from '../settings/inputs.js';

const MAX_ATTEMPTS = 5;

/**
 * Multipart uploads in flight at once, whatever the concurrency: each holds up
 * to three 8 MiB parts in memory, so 4 slots keep a push under ~100 MiB of part
 * buffers while the small files go on at full concurrency.
 */
export const LARGE_UPLOAD_SLOTS = 4;

export interface Timeouts {
  /** Time to set up a connection. */
  connectMs: number;
  /** Time a request may go without any data moving before it is retried. */
  idleMs: number;
}

/**
 * The SDK waits forever by default, so one stalled connection would hang the
 * job until GitHub cancels it. An idle limit (not a total one) never cuts a
 * large transfer that is still moving.
 */
const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, idleMs: 60_000 };

/**
 * The S3 client for a run. Checksums default to WHEN_REQUIRED for custom
 * endpoints: SDK v3 sends CRC32 checksums by default since early 2025, and
 * several S3-compatible stores reject them.
 */
export function createS3Client(settings: Settings, timeouts: Timeouts = DEFAULT_TIMEOUTS): S3Client {
  const checksum = settings.checksums === 'when-required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
  // Enough that no transfer waits for a socket: the requests the concurrency
  // allows, plus two parts in flight for each multipart upload slot.
  const maxSockets = settings.concurrency + 2 * LARGE_UPLOAD_SLOTS;
  const client = new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    credentials: settings.credentials,
    maxAttempts: MAX_ATTEMPTS,
    // A bucket in another region than `region` answers 301 with its own
    // region; the SDK then signs for that region and sends the request again.
    followRegionRedirects: true,
    // Resolves each command's middleware stack once instead of per request,
    // a tenth of the client's CPU per small file. Middleware added after a
    // command's first request would be ignored for it, so everything that adds
    // middleware (Content-MD5 below, the request budget) does so before.
    cacheMiddleware: true,
    // With `Expect: 100-continue` the SDK sends each large body on a one-off
    // connection; without it, parts ride the pooled keep-alive connections
    // (docs/adr/0002-no-expect-100-continue.md).
    expectContinueHeader: false,
    requestChecksumCalculation: checksum,
    responseChecksumValidation: checksum,
    requestHandler: {
      connectionTimeout: timeouts.connectMs,
      socketTimeout: timeouts.idleMs,
      httpsAgent: { maxSockets },
      httpAgent: { maxSockets },
    },
  });
  if (settings.checksums === 'when-required') sendContentMd5OnDeleteObjects(client);
  if (settings.expectedBucketOwner !== undefined) sendExpectedBucketOwner(client, settings.expectedBucketOwner);
  readListPagesLean(client);
  return client;
}
