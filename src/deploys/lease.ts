import { randomBytes } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { RemoteLocation } from '../bucket/list.js';
import { OperationError, RefusedError } from '../model/errors.js';
import type { StorageSettings } from '../model/headers.js';
import { s3Url, withPrefix } from '../model/keys.js';
import type { Reporter } from '../model/reporter.js';

/** Everything under this folder of the prefix belongs to the action, never to the mirror. */
export const ACTION_FOLDER = '.s3-force-copy/';
/** The lease's key, relative to the prefix. */
export const LEASE_KEY = `${ACTION_FOLDER}lock.json`;
/** A lease left by a killed run blocks others for at most this long (renewed well before). */
export const LEASE_SECONDS = 240;
/** The longest wait between two looks at a held lease. */
const POLL_MS = 5_000;

/** What a run that takes the lease is told: who it is and how long it may wait. */
export interface LeaseTerms {
  holder: string;
  waitSeconds: number;
  /** How long a lease lasts unrenewed; LEASE_SECONDS but in tests. */
  leaseSeconds: number;
  /** The run's sse and acl: a bucket policy that demands them refuses the lease's PUT without them. */
  encryption?: StorageSettings;
}

export interface LeaseBody {
  holder: string;
  expires: string;
  taken?: string;
  /** Only in a released lease: makes each one's ETag its own. */
  nonce?: string;
}

/**
 * A run ends by overwriting its lease with a released one, not by deleting
 * it: the key's ETag then changes with every deploy, so a run whose listing
 * came before another run's whole deploy fails its If-Match and plans again.
 * A released lease has a size no live one has, so a listing tells it apart
 * with no GET (a no-op stays the listing and one GET).
 */
export const RELEASED_HOLDER = 'released';

export function releasedLease(now = Date.now()): LeaseBody {
  return { holder: RELEASED_HOLDER, expires: new Date(now).toISOString(), nonce: randomBytes(8).toString('hex') };
}

/** The size of every released lease: the time and the nonce have fixed lengths. */
export const RELEASED_SIZE = Buffer.byteLength(JSON.stringify(releasedLease()));

/** What a listing told of the lease's object. */
export interface ListedLease {
  /** As If-Match takes it, quoted. */
  etag: string | undefined;
  size: number | undefined;
}

/** Whether the listed lease may be live: anything but a released one, which its size tells. */
export function mayBeLive(listed: ListedLease): boolean {
  return listed.size !== RELEASED_SIZE;
}

/** A lease's bytes; a live one is never the size of a released one. */
function leaseBytes(body: LeaseBody): string {
  const json = JSON.stringify(body);
  return body.holder !== RELEASED_HOLDER && Buffer.byteLength(json) === RELEASED_SIZE ? `${json} ` : json;
}

type LeaseRead = { lease: LeaseBody; etag: string } | undefined;
type PutAnswer = { etag: string } | 'taken' | 'unsupported';

/** The run's name in the lease: repository, commit and workflow-run URL where the runner gives them. */
export function runHolder(env: NodeJS.ProcessEnv): string {
  const parts = [
    env.GITHUB_REPOSITORY ? `${env.GITHUB_REPOSITORY}${env.GITHUB_SHA ? `@${env.GITHUB_SHA.slice(0, 12)}` : ''}` : '',
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : '',
  ].filter((part) => part !== '');
  return parts.length > 0 ? parts.join(' ') : `a run on process ${process.pid}`;
}

/** The lease object's requests; each answers rather than throws on a lost race. */
export class LeaseStore {
  readonly key: string;
  constructor(
    readonly remote: RemoteLocation,
    private readonly encryption: StorageSettings = {},
  ) {
    this.key = withPrefix(remote.prefix, LEASE_KEY);
  }

  where(): string {
    return s3Url(this.remote.bucket, this.remote.prefix);
  }

  async read(): Promise<LeaseRead> {
    try {
      const response = await this.remote.client.send(
        new GetObjectCommand({ Bucket: this.remote.bucket, Key: this.key }),
      );
      const text = (await response.Body?.transformToString()) ?? '';
      const parsed = JSON.parse(text) as Partial<LeaseBody>;
      // Unreadable or foreign JSON still blocks, until its object is an hour old.
      const expires = typeof parsed.expires === 'string' ? parsed.expires : hourAfter(response.LastModified);
      return { lease: { holder: String(parsed.holder ?? 'an unknown run'), expires }, etag: response.ETag ?? '' };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      if (error instanceof SyntaxError) return { lease: { holder: 'an unknown run', expires: hourAfter() }, etag: '' };
      throw error;
    }
  }

  /** PUT If-None-Match: * (create) or If-Match the ETag (take over, renew). */
  async put(body: LeaseBody, condition: { ifMatch: string } | 'create'): Promise<PutAnswer> {
    const bytes = leaseBytes(body);
    try {
      const response = await this.remote.client.send(
        new PutObjectCommand({
          ...this.encryption,
          Bucket: this.remote.bucket,
          Key: this.key,
          Body: bytes,
          ContentType: 'application/json',
          CacheControl: 'no-store',
          ...(condition === 'create' ? { IfNoneMatch: '*' } : { IfMatch: condition.ifMatch }),
        }),
      );
      return { etag: response.ETag ?? '' };
    } catch (error) {
      const status = statusOf(error);
      // 409: another conditional write to the key was in flight; 404: an If-Match on a key since deleted.
      if (status === 412 || status === 409 || status === 404) return 'taken';
      // A refused ACL is the acl input's, not a store without conditional writes.
      const refusedAcl = (error as { name?: string }).name === 'AccessControlListNotSupported';
      if ((status === 501 || status === 400) && !refusedAcl) return 'unsupported';
      // Tagged as the write it is, so a denial gets the advice on sse, acl and bucket policies.
      throw new OperationError('upload', LEASE_KEY, error);
    }
  }

  /** Overwrites the lease with a released one while its ETag is still `etag`; false when it was no longer ours. */
  async release(etag: string): Promise<boolean> {
    const answer = await this.put(releasedLease(), { ifMatch: etag });
    return typeof answer === 'object';
  }

  /** Deletes the lease only while its ETag is still `etag`; false when it was no longer ours. */
  async remove(etag: string): Promise<boolean> {
    try {
      await this.remote.client.send(
        new DeleteObjectCommand({ Bucket: this.remote.bucket, Key: this.key, IfMatch: etag }),
      );
      return true;
    } catch (error) {
      if (statusOf(error) === 412) return false;
      throw error;
    }
  }
}

export function statusOf(error: unknown): number | undefined {
  const found = error as { $metadata?: { httpStatusCode?: number }; name?: string };
  if (found?.name === 'PreconditionFailed') return 412;
  if (found?.name === 'NoSuchKey' || found?.name === 'NotFound') return 404;
  return found?.$metadata?.httpStatusCode;
}

function hourAfter(date: Date | undefined = new Date()): string {
  return new Date(date.getTime() + 3_600_000).toISOString();
}

export function isLive(lease: LeaseBody, now = Date.now()): boolean {
  const expires = Date.parse(lease.expires);
  return Number.isNaN(expires) || expires > now;
}

/** The lease as a sentence: who holds it and until when. */
export function describeLease(lease: LeaseBody): string {
  return `${lease.holder} (its lease expires ${lease.expires})`;
}

/** How long to sleep before looking again: until the deadline or the lease's expiry, at most POLL_MS. */
export function pollDelay(lease: LeaseBody, deadline: number, now = Date.now()): number {
  const expires = Date.parse(lease.expires);
  const untilExpiry = Number.isNaN(expires) ? POLL_MS : expires - now + 50;
  return Math.max(50, Math.min(POLL_MS, deadline - now, untilExpiry));
}

export function refuseHeldLease(store: LeaseStore, lease: LeaseBody, waitSeconds: number): RefusedError {
  return new RefusedError(
    `The deploy lease on ${store.where()} is held by ${describeLease(lease)}, and lock-wait (${waitSeconds} s) ran out before it was released. Nothing was changed. Run again once that run is over, or raise lock-wait.`,
  );
}

/** Says once per holder whom the run waits for. */
export function waitingLogger(store: LeaseStore, waitSeconds: number, reporter: Reporter) {
  let said = '';
  return (lease: LeaseBody): void => {
    if (said === lease.holder) return;
    said = lease.holder;
    reporter.info(
      `Waiting for the deploy lease on ${store.where()}, held by ${describeLease(lease)}; waiting up to lock-wait ${waitSeconds} s.`,
    );
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The run's lease terms, or undefined under lock: false. The lease's life can
 * be shortened for tests only (S3_FORCE_COPY_LEASE_SECONDS), never lengthened.
 */
export function leaseTerms(
  lock: boolean,
  waitSeconds: number,
  env: NodeJS.ProcessEnv,
  storage: StorageSettings = {},
): LeaseTerms | undefined {
  if (!lock) return undefined;
  const asked = Number(env.S3_FORCE_COPY_LEASE_SECONDS);
  const leaseSeconds = Number.isFinite(asked) && asked >= 1 && asked < LEASE_SECONDS ? asked : LEASE_SECONDS;
  return { holder: runHolder(env), waitSeconds, leaseSeconds, encryption: { ...storage, StorageClass: undefined } };
}
