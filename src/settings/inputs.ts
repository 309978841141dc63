import path from 'node:path';
import * as core from '@actions/core';
import type { Direction } from '../core/direction.js';
import { normalisePrefix, unsafeKeyReason } from '../core/keys.js';
import { parseCacheControlRules, type CacheControlRule } from './rules.js';

/**
 * The default concurrency, from the benchmark (BENCHMARKS.md#concurrency): at
 * 20 ms per request, 32 in flight beat 16 by 5-10% on bulk transfers; at 1 ms
 * the run is CPU-bound and 8 to 64 perform alike. Real S3 takes far more
 * parallel requests than the local test server, so the higher value is the
 * safer bet; memory stays bounded because large uploads have slots of their own.
 */
export const DEFAULT_CONCURRENCY = 32;

/**
 * The most objects a push deletes when max-delete is empty: what hugo deploy
 * and s3deploy use. A wrong directory or prefix would otherwise delete
 * the live site. A pull has no default limit: a mirror folder is cheap to rebuild.
 */
export const DEFAULT_PUSH_MAX_DELETE = 256;

export type ChecksumMode = 'when-supported' | 'when-required';

export interface Settings {
  direction: Direction;
  /** Absolute path. */
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
  dryRun: boolean;
  delete: boolean;
  maxDelete: number | undefined;
  allowEmpty: boolean;
  force: boolean;
  checksums: ChecksumMode;
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
  for (const secret of [accessKeyId, secretAccessKey, sessionToken]) if (secret) core.setSecret(secret);
  if ((accessKeyId === '') !== (secretAccessKey === '')) {
    throw new InputError(
      'Set both aws-access-key-id and aws-secret-access-key, or neither to use the default credentials.',
    );
  }
  if (sessionToken !== '' && accessKeyId === '') {
    throw new InputError('The aws-session-token input needs aws-access-key-id and aws-secret-access-key as well.');
  }

  const direction = required('direction');
  if (direction !== 'push' && direction !== 'pull') {
    throw new InputError(`The direction input must be "push" or "pull", not "${direction}".`);
  }
  const directoryInput = required('directory');
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

  return {
    direction,
    directory: path.resolve(workspace, directoryInput),
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
  };
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
