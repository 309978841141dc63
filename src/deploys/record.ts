import { DeleteObjectsCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { RemoteLocation } from '../bucket/list.js';
import { keyHash } from '../manifest/format.js';
import { errorMessage, RefusedError, rootCause } from '../model/errors.js';
import type { RemoteEntries } from '../model/entries.js';
import type { StorageSettings } from '../model/headers.js';
import { withPrefix } from '../model/keys.js';
import { changedCount, type Outcome } from '../model/outcome.js';
import type { Reporter } from '../model/reporter.js';
import { ACTION_FOLDER } from './lease.js';

/** Deploy records live here under the prefix, one object per deploy, named by its id. */
export const DEPLOYS_FOLDER = `${ACTION_FOLDER}deploys/`;
export const DEPLOY_FORMAT = 's3-force-copy deploy';

/** Who made a deploy and how many to keep: from the runner's environment and keep-deploys. */
export interface DeployTerms {
  keep: number;
  commit: string | undefined;
  run: string | undefined;
  actor: string | undefined;
  /** The run's sse and acl, which a bucket policy may demand of every write. */
  encryption: StorageSettings;
}

/**
 * Which version of one key a deploy left: the VersionId of what it wrote
 * (from the write's answer), or, for an object it found in place, the
 * listed ETag and LastModified, which pick that version out of a versions
 * listing (ADR 0010).
 */
export interface RecordedObject {
  etag: string;
  version?: string;
  /** LastModified in ms, as the listing gave it. */
  modified?: number;
}

/**
 * One deploy: what the prefix held when it finished. Keys are hashes, as in
 * the manifest, so a record names no key; the object's LastModified is the
 * deploy's time by S3's clock.
 */
export interface DeployRecord {
  format: typeof DEPLOY_FORMAT;
  version: 1;
  id: string;
  previous: string | undefined;
  kind: 'push' | 'rollback';
  /** For a rollback: the deploy it restored. */
  restored?: string;
  /** The VersionId of the manifest this deploy wrote: a rollback reads it for the records it restores. */
  manifest?: string;
  commit: string | undefined;
  run: string | undefined;
  actor: string | undefined;
  /** By the runner's clock, for people; the object's LastModified is S3's. */
  finished: string;
  counts: { uploaded: number; redirected: number; updated: number; deleted: number; objects: number };
  /** keyHash → its version, for every object under the prefix after the deploy (the action's folder aside). */
  objects: Record<string, RecordedObject>;
}

/** What a pipeline tells recordDeploy of its deploy. */
export interface DeployDone {
  kind: DeployRecord['kind'];
  /** The deploy records the run's listing passed. */
  listedIds: string[];
  objects: Record<string, RecordedObject>;
  outcome: Outcome;
  manifestVersion?: string;
  restored?: string;
}

export interface DeployWritten {
  id: string;
  previous: string | undefined;
  /** For a rollback: the deploy it restored. */
  restored?: string;
}

export function deployTerms(keep: number, env: NodeJS.ProcessEnv, storage: StorageSettings = {}): DeployTerms {
  const run =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  const encryption = { ...storage, StorageClass: undefined };
  return { keep, commit: env.GITHUB_SHA || undefined, run, actor: env.GITHUB_ACTOR || undefined, encryption };
}

/** Sortable by time, unique per run: 20261206T191800123Z-0123456. */
export function newDeployId(now: Date, commit: string | undefined): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return commit ? `${stamp}-${commit.slice(0, 7)}` : stamp;
}

/** The record's key under the prefix for a deploy id, and the id a listed key names. */
export const recordKey = (id: string) => `${DEPLOYS_FOLDER}${id}.json`;
export function idOfRecordKey(key: string): string | undefined {
  return key.startsWith(DEPLOYS_FOLDER) && key.endsWith('.json') ? key.slice(DEPLOYS_FOLDER.length, -5) : undefined;
}

/** What the prefix holds after a push: the listed objects not deleted, as listed, and what it wrote, by version. */
export function objectsAfter(remote: RemoteEntries, outcome: Outcome): Record<string, RecordedObject> {
  const objects: Record<string, RecordedObject> = {};
  const deleted = new Set(outcome.deleted.map((removal) => removal.key));
  for (const [key, entry] of remote) {
    if (deleted.has(key) || entry.etag === undefined) continue;
    objects[keyHash(key)] =
      entry.modified === undefined ? { etag: entry.etag } : { etag: entry.etag, modified: entry.modified };
  }
  for (const [key, written] of outcome.written) {
    objects[keyHash(key)] =
      written.version === undefined ? { etag: written.etag } : { etag: written.etag, version: written.version };
  }
  return objects;
}

/** A record's PUT, and a DeleteObjects when the listed records are already keep-deploys: reserved in the budget check. */
export function deployRequests(terms: DeployTerms | undefined, changes: boolean, listedRecords: number): number {
  if (terms === undefined || !changes) return 0;
  return listedRecords + 1 > terms.keep ? 2 : 1;
}

/**
 * After an apply that changed anything: the deploy's record, then the records
 * past keep-deploys removed. Like the manifest it saves no correctness of the
 * sync itself, so a failure is a warning.
 */
export async function recordDeploy(
  remote: RemoteLocation,
  terms: DeployTerms,
  deploy: DeployDone,
  reporter: Reporter,
): Promise<DeployWritten | undefined> {
  if (changedCount(deploy.outcome) === 0) return undefined;
  const sorted = [...deploy.listedIds].sort();
  const record = deployRecord(terms, deploy, sorted.at(-1));
  try {
    await remote.client.send(
      new PutObjectCommand({
        ...terms.encryption,
        Bucket: remote.bucket,
        Key: withPrefix(remote.prefix, recordKey(record.id)),
        Body: JSON.stringify(record),
        ContentType: 'application/json',
        CacheControl: 'no-store',
      }),
    );
  } catch (error) {
    const message = `Could not write the deploy record (${errorMessage(rootCause(error))}); this deploy cannot be rolled back to by id.`;
    reporter.warn(recordKey(record.id), message);
    deploy.outcome.warnings.push({ key: recordKey(record.id), message });
    return undefined;
  }
  reporter.info(`Deploy ${record.id} recorded${record.previous ? ` (the one before: ${record.previous})` : ''}.`);
  await trimDeploys(remote, [...sorted, record.id], terms.keep, reporter);
  return { id: record.id, previous: record.previous, ...(deploy.restored ? { restored: deploy.restored } : {}) };
}

function deployRecord(terms: DeployTerms, deploy: DeployDone, previous: string | undefined): DeployRecord {
  const now = new Date();
  const { outcome } = deploy;
  return {
    format: DEPLOY_FORMAT,
    version: 1,
    id: newDeployId(now, terms.commit),
    previous,
    kind: deploy.kind,
    ...(deploy.restored === undefined ? {} : { restored: deploy.restored }),
    ...(deploy.manifestVersion === undefined ? {} : { manifest: deploy.manifestVersion }),
    commit: terms.commit,
    run: terms.run,
    actor: terms.actor,
    finished: now.toISOString(),
    counts: {
      uploaded: outcome.copied.length,
      redirected: outcome.redirected.length,
      updated: outcome.updated.length,
      deleted: outcome.deleted.length,
      objects: Object.keys(deploy.objects).length,
    },
    objects: deploy.objects,
  };
}

/** Removes the records past the newest `keep`, in one DeleteObjects (the listing found them for free). */
async function trimDeploys(remote: RemoteLocation, ids: string[], keep: number, reporter: Reporter): Promise<void> {
  const old = ids.slice(0, Math.max(0, ids.length - keep)).slice(0, 1000);
  if (old.length === 0) return;
  try {
    await remote.client.send(
      new DeleteObjectsCommand({
        Bucket: remote.bucket,
        Delete: { Objects: old.map((id) => ({ Key: withPrefix(remote.prefix, recordKey(id)) })), Quiet: true },
      }),
    );
  } catch (error) {
    reporter.warn(DEPLOYS_FOLDER, `Could not remove old deploy records (${errorMessage(rootCause(error))}).`);
  }
}

/** One GET of a deploy's record; a record that is not one refuses the rollback before any change. */
export async function readDeployRecord(remote: RemoteLocation, id: string): Promise<DeployRecord> {
  const key = withPrefix(remote.prefix, recordKey(id));
  const response = await remote.client.send(new GetObjectCommand({ Bucket: remote.bucket, Key: key }));
  const text = (await response.Body?.transformToString('utf8')) ?? '';
  let record: Partial<DeployRecord> | undefined;
  try {
    record = JSON.parse(text) as Partial<DeployRecord>;
  } catch {
    record = undefined;
  }
  if (record?.format !== DEPLOY_FORMAT || record.version !== 1 || typeof record.objects !== 'object') {
    throw new RefusedError(`The deploy record ${key} is not one this action wrote (or reads); nothing was changed.`);
  }
  return record as DeployRecord;
}
