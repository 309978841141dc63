import path from 'node:path';
import * as core from '@actions/core';
import type { Direction } from '../model/direction.js';
import { normalisePrefix, unsafeKeyReason } from '../model/keys.js';
import { DEFAULT_MAX_PATHS, parseDistributionIds } from '../cdn/invalidate.js';
import { parseCacheControlRules, parseHeaderRules, type CacheControlRule, type HeaderRule } from './rules.js';

/** CloudFront takes at most 3,000 paths in one invalidation. */
const MAX_PATHS_PER_INVALIDATION = 3000;

/**
 * The default concurrency, from the benchmark's sweep at 1 to 100 ms
 * (BENCHMARKS.md): 64 keeps a runner busy up to about 80 ms a request. More
 * gained nothing measurable, and under throttling (503 SlowDown) the SDK's
 * retry budget ran out at 128, so runs stopped converging.
 */
export const DEFAULT_CONCURRENCY = 64;

/**
 * The most objects a push deletes when max-delete is empty: what hugo deploy
 * and s3deploy use. A wrong directory or prefix would otherwise delete
 * the live site. A pull has no default limit: a mirror folder is cheap to rebuild.
 */
export const DEFAULT_PUSH_MAX_DELETE = 256;

/** Where the deploy manifest lives, relative to the prefix. */
export const DEFAULT_MANIFEST_KEY = '.s3-force-copy/manifest.json';

export type ChecksumMode = 'when-supported' | 'when-required';

/** What the run does: a copy either way, or `remove`, which deletes everything under the prefix. */
export type Action = Direction | 'remove';

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
  /** The deploy manifest's key relative to the prefix; undefined when turned off. */
  manifestKey: string | undefined;
  dryRun: boolean;
  delete: boolean;
  maxDelete: number | undefined;
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
}

export class InputError extends Error {
  override name = 'InputError';
}

/** Reads and validates every input; the first problem throws one clear sentence. */
export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  // Secrets first, so nothing below can log them unmasked.
  const accessKeyId = core.getInput('aws-access-key-id');
  const secretAccessKey = core.getInput('aws-secret-access-key');
  const sessionToken = core.getInput('aws-session-token');
  const githubToken = core.getInput('github-token');
  for (const secret of [accessKeyId, secretAccessKey, sessionToken, githubToken]) if (secret) core.setSecret(secret);
  if ((accessKeyId === '') !== (secretAccessKey === '')) {
    throw new InputError(
      'Set both aws-access-key-id and aws-secret-access-key, or neither to use the default credentials.',
    );
  }
  if (sessionToken !== '' && accessKeyId === '') {
    throw new InputError('The aws-session-token input needs aws-access-key-id and aws-secret-access-key as well.');
  }

  const direction = required('direction');
  if (direction !== 'push' && direction !== 'pull' && direction !== 'remove') {
    throw new InputError(`The direction input must be "push", "pull" or "remove", not "${direction}".`);
  }
  const directoryInput = direction === 'remove' ? core.getInput('directory') : required('directory');
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const bucket = required('bucket');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/.test(bucket)) {
    throw new InputError(`The bucket input must be a bucket name such as "my-site", not "${bucket}".`);
  }
  const endpoint = core.getInput('endpoint') || undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) {
    throw new InputError(`The endpoint input must be an http:// or https:// URL, not "${endpoint}".`);
  }
  const checksums = core.getInput('request-checksums') || 'auto';
  if (!['auto', 'when-supported', 'when-required'].includes(checksums)) {
    throw new InputError(
      `The request-checksums input must be auto, when-supported or when-required, not "${checksums}".`,
    );
  }

  const siteUrl = core.getInput('site-url') || undefined;
  if (siteUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(siteUrl)) {
    throw new InputError(`The site-url input must be an http:// or https:// URL, not "${siteUrl}".`);
  }
  const indexDocument = core.getInput('index-document') || 'index.html';
  if (indexDocument.includes('/') || unsafeKeyReason(indexDocument) !== undefined) {
    throw new InputError(`The index-document input must be a file name such as "index.html", not "${indexDocument}".`);
  }
  const cloudfrontDistributionIds = distributionIds(core.getInput('cloudfront-distribution-id'));
  // Empty turns the manifest off; a value the input never had means the default.
  const manifestInput =
    env['INPUT_MANIFEST-KEY'] === undefined && process.env['INPUT_MANIFEST-KEY'] === undefined
      ? DEFAULT_MANIFEST_KEY
      : core.getInput('manifest-key');
  const manifestKey = manifestInput === '' ? undefined : normalisePrefix(manifestInput);
  if (manifestKey !== undefined && unsafeKeyReason(manifestKey) !== undefined) {
    throw new InputError(`The manifest-key input "${manifestInput}" cannot be used: ${unsafeKeyReason(manifestKey)}.`);
  }

  return {
    direction,
    directory: directoryInput === '' ? '' : path.resolve(workspace, directoryInput),
    directoryInput,
    bucket,
    prefix: safePrefix(core.getInput('prefix')),
    requestLimit: wholeNumber('request-limit', 1_000_000, 1),
    region: core.getInput('region') || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    endpoint,
    forcePathStyle: flag('force-path-style', false),
    credentials:
      accessKeyId === '' ? undefined : { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    concurrency: wholeNumber('concurrency', DEFAULT_CONCURRENCY, 1, 256),
    exclude: lines('exclude'),
    cacheControl: parseCacheControlRules(lines('cache-control'), (message) => new InputError(message)),
    headers: parseHeaderRules(lines('headers'), (message) => new InputError(message)),
    gzip: lines('gzip'),
    manifestKey,
    dryRun: flag('dry-run', false),
    delete: flag('delete', true),
    maxDelete:
      core.getInput('max-delete') !== ''
        ? wholeNumber('max-delete', 0, 0)
        : direction === 'push'
          ? DEFAULT_PUSH_MAX_DELETE
          : undefined,
    allowEmpty: flag('allow-empty', false),
    force: flag('force', false),
    checksums:
      checksums === 'auto'
        ? endpoint === undefined
          ? 'when-supported'
          : 'when-required'
        : (checksums as ChecksumMode),
    cloudfrontDistributionIds,
    cloudfrontMaxPaths: wholeNumber('cloudfront-max-paths', DEFAULT_MAX_PATHS, 1, MAX_PATHS_PER_INVALIDATION),
    cloudfrontWait: flag('cloudfront-wait', false),
    indexDocument,
    prComment: flag('pr-comment', false),
    githubToken,
    siteUrl,
  };
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
