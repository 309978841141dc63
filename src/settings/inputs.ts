import path from 'node:path';
import * as core from '@actions/core';
import { ObjectCannedACL, StorageClass } from '@aws-sdk/client-s3';
import type { Direction } from '../model/direction.js';
import type { StorageSettings } from '../model/headers.js';
import { normalisePrefix, unsafeKeyReason } from '../model/keys.js';
import type { LinkMode } from '../model/link-tags.js';
import { DEFAULT_MAX_PATHS, parseDistributionIds } from '../cdn/invalidate.js';
import { parseCacheControlRules, parseHeaderRules, type CacheControlRule, type HeaderRule } from './rules.js';

/** CloudFront takes at most 3,000 paths in one invalidation. */
const MAX_PATHS_PER_INVALIDATION = 3000;

/**
 * Enough requests in flight to keep a runner busy at S3's usual latency; more
 * gain nothing and, under throttling (503 SlowDown), exhaust the SDK's retries.
 */
export const DEFAULT_CONCURRENCY = 64;

/**
 * The most objects a push deletes when max-delete is empty: what hugo deploy
 * and s3deploy use. A wrong directory or prefix would otherwise delete
 * the live site; the half limit (limitToHalf) guards a site smaller than this.
 * A pull has no default limit: a mirror folder is cheap to rebuild.
 */
const DEFAULT_PUSH_MAX_DELETE = 256;

/** Where the deploy manifest lives, relative to the prefix. */
export const DEFAULT_MANIFEST_KEY = '.s3-force-copy/manifest.json';

type ChecksumMode = 'when-supported' | 'when-required';

/**
 * What the run does: a copy either way, `remove`, which deletes everything
 * under the prefix, or `rollback`, which restores the prefix to a recorded deploy.
 */
export type Action = Direction | 'remove' | 'rollback';

export interface Settings {
  direction: Action;
  /** Absolute path ('' for remove, which has none). */
  directory: string;
  /** As the user wrote it, for messages. */
  directoryInput: string;
  bucket: string;
  prefix: string;
  requestLimit: number;
  region: string;
  endpoint: string | undefined;
  forcePathStyle: boolean;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
  concurrency: number;
  exclude: string[];
  cacheControl: CacheControlRule[];
  headers: HeaderRule[];
  /** Globs of the files stored gzip-compressed. */
  gzip: string[];
  /** How a push stores a symlink: a website redirect object, or a copy of its target. */
  links: LinkMode;
  /** The deploy manifest's key relative to the prefix; undefined when turned off. */
  manifestKey: string | undefined;
  dryRun: boolean;
  delete: boolean;
  maxDelete: number | undefined;
  /** Also refuse deleting more than half of what the destination holds: a push without max-delete. */
  limitToHalf: boolean;
  allowEmpty: boolean;
  force: boolean;
  checksums: ChecksumMode;
  /** CloudFront distributions to invalidate after a push; none when empty. */
  cloudfrontDistributionIds: string[];
  cloudfrontMaxPaths: number;
  cloudfrontWait: boolean;
  /** The file a folder URL serves (`docs/` serves `docs/index.html`). */
  indexDocument: string;
  /** Comment on the pull request the workflow runs for. */
  prComment: boolean;
  githubToken: string;
  /** The public URL at which the prefix is served, for links; never has the prefix added. */
  siteUrl: string | undefined;
  /** Hold the deploy lease while changing the bucket, and wait for another run's. */
  lock: boolean;
  /** Seconds to wait for another run's deploy lease. */
  lockWait: number;
  /** Deploy records kept under .s3-force-copy/deploys/. */
  keepDeploys: number;
  /** The deploy a rollback restores; undefined means the one before the latest. */
  deployId: string | undefined;
  /** Encryption, ACL and storage class every write carries; empty means the bucket's defaults. */
  storage: StorageSettings;
  /** The account that must own the bucket, sent on every S3 request; undefined when not set. */
  expectedBucketOwner: string | undefined;
}

export class InputError extends Error {
  override name = 'InputError';
}

/**
 * Reads and validates every input; the first problem throws one clear sentence.
 * `maskSecret` hides a secret in the runner's log; the command line, which has no runner, passes its own.
 */
export function readSettings(
  env: NodeJS.ProcessEnv = process.env,
  maskSecret: (secret: string) => void = core.setSecret,
): Settings {
  // Secrets first, so nothing below can log them unmasked.
  const { credentials, githubToken } = readSecrets(maskSecret);
  const target = readTarget(env);
  const endpoint = httpUrl('endpoint', core.getInput('endpoint'));
  const checksums = readChecksums(endpoint);
  const siteUrl = httpUrl('site-url', core.getInput('site-url'));
  const indexDocument = readIndexDocument();
  const cloudfrontDistributionIds = distributionIds(core.getInput('cloudfront-distribution-id'));
  const manifestKey = readManifestKey(env);
  const prefix = safePrefix(core.getInput('prefix'));
  const storage = readStorage(target.direction);
  const expectedBucketOwner = readExpectedBucketOwner();
  return {
    ...target,
    prefix,
    ...readConnection(env),
    endpoint,
    credentials,
    ...readRules(),
    manifestKey,
    ...readSafeguards(target.direction),
    checksums,
    cloudfrontDistributionIds,
    cloudfrontMaxPaths: wholeNumber('cloudfront-max-paths', DEFAULT_MAX_PATHS, 1, MAX_PATHS_PER_INVALIDATION),
    cloudfrontWait: flag('cloudfront-wait', false),
    indexDocument,
    prComment: flag('pr-comment', false),
    githubToken,
    siteUrl,
    lock: flag('lock', true),
    lockWait: wholeNumber('lock-wait', 600, 0, 6 * 3600),
    keepDeploys: wholeNumber('keep-deploys', 20, 1, 1000),
    deployId: readDeployId(target.direction),
    storage,
    expectedBucketOwner,
  };
}

const SSE_VALUES = ['AES256', 'aws:kms', 'aws:kms:dsse'] as const;

/** sse, sse-kms-key-id, sse-bucket-key, acl and storage-class; each empty leaves the bucket's default. */
function readStorage(direction: Action): StorageSettings {
  const sse = core.getInput('sse');
  const keyId = core.getInput('sse-kms-key-id');
  const acl = core.getInput('acl');
  const storageClass = core.getInput('storage-class');
  if (sse !== '' && !(SSE_VALUES as readonly string[]).includes(sse)) {
    throw new InputError(`The sse input must be AES256, aws:kms or aws:kms:dsse, not "${sse}".`);
  }
  if (keyId !== '' && !sse.startsWith('aws:kms')) {
    throw new InputError('The sse-kms-key-id input needs sse set to aws:kms or aws:kms:dsse.');
  }
  if (acl !== '' && !(Object.values(ObjectCannedACL) as string[]).includes(acl)) {
    throw new InputError(`The acl input must be a canned ACL such as private or public-read, not "${acl}".`);
  }
  if (storageClass !== '' && !(Object.values(StorageClass) as string[]).includes(storageClass)) {
    throw new InputError(
      `The storage-class input must be an S3 storage class such as STANDARD_IA, not "${storageClass}".`,
    );
  }
  if (storageClass !== '' && direction !== 'push' && direction !== 'rollback') {
    throw new InputError(
      `The storage-class input applies to what a push or rollback writes; remove it from this ${direction}.`,
    );
  }
  const bucketKey = core.getInput('sse-bucket-key') === '' ? undefined : flag('sse-bucket-key', false);
  return {
    ...(sse === '' ? {} : { ServerSideEncryption: sse as StorageSettings['ServerSideEncryption'] }),
    ...(keyId === '' ? {} : { SSEKMSKeyId: keyId }),
    ...(bucketKey === undefined ? {} : { BucketKeyEnabled: bucketKey }),
    ...(acl === '' ? {} : { ACL: acl as ObjectCannedACL }),
    ...(storageClass === '' ? {} : { StorageClass: storageClass as StorageClass }),
  };
}

/** A 12-digit AWS account ID, or undefined when empty. */
function readExpectedBucketOwner(): string | undefined {
  const owner = core.getInput('expected-bucket-owner');
  if (owner === '') return undefined;
  if (!/^\d{12}$/.test(owner)) {
    throw new InputError(`The expected-bucket-owner input must be a 12-digit AWS account ID, not "${owner}".`);
  }
  return owner;
}

/** The AWS credentials (undefined for the default chain) and the GitHub token, each masked in the log. */
function readSecrets(maskSecret: (secret: string) => void): Pick<Settings, 'credentials' | 'githubToken'> {
  const accessKeyId = core.getInput('aws-access-key-id');
  const secretAccessKey = core.getInput('aws-secret-access-key');
  const sessionToken = core.getInput('aws-session-token');
  const githubToken = core.getInput('github-token');
  for (const secret of [accessKeyId, secretAccessKey, sessionToken, githubToken]) if (secret) maskSecret(secret);
  if ((accessKeyId === '') !== (secretAccessKey === '')) {
    throw new InputError(
      'Set both aws-access-key-id and aws-secret-access-key, or neither to use the default credentials.',
    );
  }
  if (sessionToken !== '' && accessKeyId === '') {
    throw new InputError('The aws-session-token input needs aws-access-key-id and aws-secret-access-key as well.');
  }
  const credentials =
    accessKeyId === '' ? undefined : { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  return { credentials, githubToken };
}

/** What the run does, and the directory and bucket it does it between. */
function readTarget(env: NodeJS.ProcessEnv): Pick<Settings, 'direction' | 'directory' | 'directoryInput' | 'bucket'> {
  const direction = required('direction');
  if (direction !== 'push' && direction !== 'pull' && direction !== 'remove' && direction !== 'rollback') {
    throw new InputError(`The direction input must be "push", "pull", "remove" or "rollback", not "${direction}".`);
  }
  // remove and rollback touch only the bucket.
  const bucketOnly = direction === 'remove' || direction === 'rollback';
  const directoryInput = bucketOnly ? core.getInput('directory') : required('directory');
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const bucket = required('bucket');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/.test(bucket)) {
    throw new InputError(`The bucket input must be a bucket name such as "my-site", not "${bucket}".`);
  }
  const directory = directoryInput === '' ? '' : path.resolve(workspace, directoryInput);
  return { direction, directory, directoryInput, bucket };
}

/** An optional http(s) URL input: undefined when empty. */
function httpUrl(name: string, raw: string): string | undefined {
  if (raw === '') return undefined;
  if (!/^https?:\/\/[^\s/]+/.test(raw)) {
    throw new InputError(`The ${name} input must be an http:// or https:// URL, not "${raw}".`);
  }
  return raw;
}

/** `auto` means every checksum the SDK can send on AWS, only the required ones on another store, which may lack the rest. */
function readChecksums(endpoint: string | undefined): ChecksumMode {
  const checksums = core.getInput('request-checksums') || 'auto';
  if (!['auto', 'when-supported', 'when-required'].includes(checksums)) {
    throw new InputError(
      `The request-checksums input must be auto, when-supported or when-required, not "${checksums}".`,
    );
  }
  if (checksums !== 'auto') return checksums as ChecksumMode;
  return endpoint === undefined ? 'when-supported' : 'when-required';
}

function readIndexDocument(): string {
  const indexDocument = core.getInput('index-document') || 'index.html';
  if (indexDocument.includes('/') || unsafeKeyReason(indexDocument) !== undefined) {
    throw new InputError(`The index-document input must be a file name such as "index.html", not "${indexDocument}".`);
  }
  return indexDocument;
}

/** The manifest's key relative to the prefix, or undefined when the input turns it off. */
function readManifestKey(env: NodeJS.ProcessEnv): string | undefined {
  // Empty turns the manifest off; a value the input never had means the default.
  const manifestInput =
    env['INPUT_MANIFEST-KEY'] === undefined && process.env['INPUT_MANIFEST-KEY'] === undefined
      ? DEFAULT_MANIFEST_KEY
      : core.getInput('manifest-key');
  const manifestKey = manifestInput === '' ? undefined : normalisePrefix(manifestInput);
  if (manifestKey !== undefined && unsafeKeyReason(manifestKey) !== undefined) {
    throw new InputError(`The manifest-key input "${manifestInput}" cannot be used: ${unsafeKeyReason(manifestKey)}.`);
  }
  return manifestKey;
}

/** How the run talks to S3, the endpoint and credentials aside. */
function readConnection(
  env: NodeJS.ProcessEnv,
): Pick<Settings, 'requestLimit' | 'region' | 'forcePathStyle' | 'concurrency'> {
  return {
    requestLimit: wholeNumber('request-limit', 1_000_000, 1),
    region: core.getInput('region') || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    forcePathStyle: flag('force-path-style', false),
    concurrency: wholeNumber('concurrency', DEFAULT_CONCURRENCY, 1, 256),
  };
}

/** Which keys the run skips, and the headers and encoding it gives the others. */
function readRules(): Pick<Settings, 'exclude' | 'cacheControl' | 'headers' | 'gzip' | 'links'> {
  return {
    exclude: lines('exclude'),
    cacheControl: parseCacheControlRules(lines('cache-control'), inputError),
    headers: parseHeaderRules(lines('headers'), inputError),
    gzip: lines('gzip'),
    links: linkMode(),
  };
}

function linkMode(): LinkMode {
  const raw = core.getInput('links');
  if (raw === '' || raw === 'redirect' || raw === 'copy') return raw === '' ? 'redirect' : raw;
  throw new InputError(`The links input must be redirect or copy, not "${raw}".`);
}

/** What the run may change: dry run, deletion and its limit, an empty source, forced copies. */
function readSafeguards(
  direction: Action,
): Pick<Settings, 'dryRun' | 'delete' | 'maxDelete' | 'limitToHalf' | 'allowEmpty' | 'force'> {
  return {
    dryRun: flag('dry-run', false),
    delete: flag('delete', true),
    maxDelete: readMaxDelete(direction),
    limitToHalf: (direction === 'push' || direction === 'rollback') && core.getInput('max-delete') === '',
    allowEmpty: flag('allow-empty', false),
    force: flag('force', false),
  };
}

/** A deploy's id as the deploy-id output gives it; only a rollback reads it. */
function readDeployId(direction: Action): string | undefined {
  const id = core.getInput('deploy-id');
  if (id === '') return undefined;
  if (direction !== 'rollback') {
    throw new InputError(`The deploy-id input names the deploy a rollback restores; remove it from this ${direction}.`);
  }
  if (!/^[0-9A-Za-z][0-9A-Za-z_-]{0,99}$/.test(id)) {
    throw new InputError(`The deploy-id input must be a deploy's id such as 20261206T191800123Z-0123456, not "${id}".`);
  }
  return id;
}

function readMaxDelete(direction: Action): number | undefined {
  if (core.getInput('max-delete') !== '') return wholeNumber('max-delete', 0, 0);
  return direction === 'push' || direction === 'rollback' ? DEFAULT_PUSH_MAX_DELETE : undefined;
}

function inputError(message: string): InputError {
  return new InputError(message);
}

/** One or more IDs, newline- or comma-separated; each as CloudFront spells them (upper-case letters and digits). */
function distributionIds(raw: string): string[] {
  const ids = parseDistributionIds(raw);
  for (const id of ids) {
    if (!/^[A-Z0-9]{6,32}$/.test(id)) {
      throw new InputError(`The cloudfront-distribution-id input must list IDs such as "E2QWRUHAPOMQZL", not "${id}".`);
    }
  }
  return ids;
}

/** The prefix without its outer slashes, refusing what could never be part of a safe key. */
function safePrefix(raw: string): string {
  const prefix = normalisePrefix(raw);
  const unsafe = prefix === '' ? undefined : unsafeKeyReason(prefix);
  if (unsafe !== undefined) throw new InputError(`The prefix input "${raw}" cannot be used: ${unsafe}.`);
  return prefix;
}

function required(name: string): string {
  const value = core.getInput(name);
  if (value === '') throw new InputError(`The ${name} input is required.`);
  return value;
}

function wholeNumber(name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = core.getInput(name);
  if (raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!/^\d[\d_]*$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    throw new InputError(`The ${name} input must be a whole number ${range}, not "${raw}".`);
  }
  return value;
}

function flag(name: string, fallback: boolean): boolean {
  const raw = core.getInput(name);
  if (raw === '') return fallback;
  if (raw.toLowerCase() === 'true') return true;
  if (raw.toLowerCase() === 'false') return false;
  throw new InputError(`The ${name} input must be true or false, not "${raw}".`);
}

function lines(name: string): string[] {
  return core
    .getInput(name)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
