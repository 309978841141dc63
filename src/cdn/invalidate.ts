/**
 * Invalidates, in one or more CloudFront distributions, the viewer paths of
 * the objects a push changed, through the origin the check before the sync
 * found (src/cdn/preflight.ts). Never throws for a CloudFront error: the
 * deploy has happened, so each distribution ends with a status, and problems
 * become warnings.
 *
 * Every request goes through the given client, so a request budget attached
 * to it counts each attempt, the SDK's retries and ours included.
 */
import { randomUUID } from 'node:crypto';
import { CreateInvalidationCommand, GetInvalidationCommand, type CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { withPrefix } from '../model/keys.js';
import { collapsePaths, wildcardWholeFolders } from './collapse.js';
import { encodeInvalidationPath, mapThroughOriginPath, urlPathsForKey } from './paths.js';
import type { ServedDistribution } from './preflight.js';
import { isAccessDenied, realSleep, THROTTLING, withRetries, type ErrorLike } from './retry.js';

// 1,000 paths a month are free per account, then $0.005 each: 30 a push keeps one push a day free
// all month even when every push hits the cap (≤ $0.15 a push past it), far below 3,000 in progress.
export const DEFAULT_MAX_PATHS = 30;

/** How long `wait` waits by default for an invalidation to complete. */
export const DEFAULT_WAIT_TIMEOUT_MS = 10 * 60_000;

type DistributionStatus = 'Completed' | 'InProgress' | 'dry run' | 'failed' | 'nothing to invalidate';

export interface InvalidateRequest {
  client: CloudFrontClient;
  /** As the check before the sync read them. */
  distributions: ServedDistribution[];
  /** The run's prefix, without outer slashes ('' for the bucket root). */
  prefix: string;
  /** Keys relative to the prefix that the run uploaded, redirected or deleted. */
  keys: string[];
  /**
   * Every key under the prefix the run knows of (changed ones included), when
   * no object there is hidden from it: folders whose objects all changed are
   * then invalidated with one wildcard each.
   */
  allKeys?: string[];
  indexDocument: string;
  maxPaths: number;
  wait: boolean;
  waitTimeoutMs: number;
  dryRun: boolean;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

interface DistributionResult {
  distributionId: string;
  invalidationId?: string;
  /** The paths sent (or, in a dry run or on failure, that were meant to be). */
  paths: string[];
  /** Paths billed for this invalidation: 0 unless it was created. */
  billablePaths: number;
  status: DistributionStatus;
  warnings: string[];
}

export interface InvalidateResult {
  distributions: DistributionResult[];
  /** Every warning of the run, the per-distribution ones included (each names its distribution). */
  warnings: string[];
}

const POLL_FIRST_DELAY_MS = 2_000;
const POLL_MAX_DELAY_MS = 30_000;

/** Distribution IDs from an input: one or more, newline- or comma-separated. */
export function parseDistributionIds(text: string): string[] {
  const ids = text
    .split(/[\n,]/)
    .map((id) => id.trim())
    .filter((id) => id !== '');
  return [...new Set(ids)];
}

/**
 * The outputs' values: the invalidations created, and the paths they sent;
 * on a dry run, the paths that would be sent (the `dry-run` output says so),
 * and where CloudFront refused an invalidation, the paths it was meant to
 * send, for a user to send by hand (the warning says so).
 */
export function invalidationOutputs(result: InvalidateResult): {
  invalidationIds: string[];
  invalidatedPaths: string[];
} {
  return {
    invalidationIds: result.distributions.flatMap((d) => (d.invalidationId === undefined ? [] : [d.invalidationId])),
    invalidatedPaths: [...new Set(result.distributions.flatMap((d) => d.paths))].sort(),
  };
}

export async function invalidateCdn(request: InvalidateRequest): Promise<InvalidateResult> {
  const distributions: DistributionResult[] = [];
  for (const served of request.distributions) {
    if (request.keys.length === 0) {
      distributions.push({
        distributionId: served.distributionId,
        paths: [],
        billablePaths: 0,
        status: 'nothing to invalidate',
        warnings: [],
      });
    } else {
      distributions.push(await invalidateOne(request, served));
    }
  }
  return { distributions, warnings: distributions.flatMap((d) => d.warnings) };
}

/** The changed paths, with every folder whose objects all changed as one wildcard. */
function wholeFolders(request: InvalidateRequest, originPath: string, changed: string[]): string[] {
  if (request.allKeys === undefined) return changed;
  // The folder the prefix is seen at: nothing above it is the run's to judge.
  const probe = mapThroughOriginPath('-', request.prefix, originPath);
  if (probe === undefined) return changed;
  const root = `/${encodeInvalidationPath(probe.slice(0, -1))}`;
  const universe: string[] = [];
  for (const key of request.allKeys) {
    const viewerKey = mapThroughOriginPath(key, request.prefix, originPath);
    if (viewerKey !== undefined) universe.push(...urlPathsForKey(viewerKey, request.indexDocument));
  }
  return wildcardWholeFolders(changed, universe, root);
}

async function invalidateOne(
  request: InvalidateRequest,
  { distributionId, originPath }: ServedDistribution,
): Promise<DistributionResult> {
  const sleep = request.sleep ?? realSleep;
  const warnings: string[] = [];
  const result = (fields: Omit<DistributionResult, 'distributionId' | 'warnings'>): DistributionResult => ({
    distributionId,
    ...fields,
    warnings,
  });

  const paths = pathsToInvalidate(request, distributionId, originPath, warnings);
  if (paths.length === 0) return result({ paths, billablePaths: 0, status: 'nothing to invalidate' });
  if (request.dryRun) return result({ paths, billablePaths: paths.length, status: 'dry run' });

  const created = await createInvalidation(request, sleep, distributionId, paths, warnings);
  if (created === undefined) return result({ paths, billablePaths: 0, status: 'failed' });
  const { invalidationId } = created;
  let status: DistributionStatus = created.status;
  if (request.wait && status !== 'Completed') {
    status = await waitForCompletion(request, sleep, distributionId, invalidationId, warnings);
  }
  return result({ invalidationId, paths, billablePaths: paths.length, status });
}

/** The viewer paths of the changed keys the distribution serves, fitted into maxPaths. */
function pathsToInvalidate(
  request: InvalidateRequest,
  distributionId: string,
  originPath: string,
  warnings: string[],
): string[] {
  const viewerKeys: string[] = [];
  const outside: string[] = [];
  for (const key of request.keys) {
    const viewerKey = mapThroughOriginPath(key, request.prefix, originPath);
    if (viewerKey === undefined) outside.push(key);
    else viewerKeys.push(viewerKey);
  }
  const [example] = outside;
  if (example !== undefined) {
    warnings.push(
      `${outside.length} changed object(s) are outside origin path ${originPath} of distribution ${distributionId}, ` +
        `which never serves them, and were not invalidated there (for example ${withPrefix(request.prefix, example)}).`,
    );
  }
  const changedPaths = viewerKeys.flatMap((key) => urlPathsForKey(key, request.indexDocument));
  return collapsePaths(wholeFolders(request, originPath, changedPaths), request.maxPaths);
}

/** Creates the invalidation; undefined (with a warning) when CloudFront refused it. */
async function createInvalidation(
  request: InvalidateRequest,
  sleep: (ms: number) => Promise<void>,
  distributionId: string,
  paths: string[],
  warnings: string[],
): Promise<{ invalidationId: string; status: 'Completed' | 'InProgress' } | undefined> {
  // One reference for all attempts: a retry of a request that did reach
  // CloudFront returns that invalidation instead of creating (and billing) another.
  const callerReference = `s3-force-copy ${new Date().toISOString()} ${randomUUID()}`;
  try {
    const output = await withRetries(sleep, () =>
      request.client.send(
        new CreateInvalidationCommand({
          DistributionId: distributionId,
          InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: paths } },
        }),
      ),
    );
    return { invalidationId: output.Invalidation?.Id ?? '', status: statusOf(output.Invalidation?.Status) };
  } catch (error) {
    // The deploy has happened: say what is still cached, so it can be sent by hand.
    const failure = describeFailure(error, distributionId, 'CreateInvalidation').replace(/(?<![.!?])$/, '.');
    warnings.push(`${failure} Not invalidated: ${paths.length} path(s), listed in the invalidated-paths output.`);
    return undefined;
  }
}

async function waitForCompletion(
  request: InvalidateRequest,
  sleep: (ms: number) => Promise<void>,
  distributionId: string,
  invalidationId: string,
  warnings: string[],
): Promise<DistributionStatus> {
  const started = Date.now();
  let slept = 0;
  let delay = POLL_FIRST_DELAY_MS;
  for (;;) {
    // Sleep time counts even when a fake sleep takes none, so the wait ends either way.
    const remaining = request.waitTimeoutMs - Math.max(Date.now() - started, slept);
    if (remaining <= 0) {
      warnings.push(
        `Invalidation ${invalidationId} of distribution ${distributionId} was still in progress after ` +
          `${Math.round(request.waitTimeoutMs / 1000)} s; stopped waiting (it goes on in CloudFront).`,
      );
      return 'InProgress';
    }
    const pause = Math.min(delay, remaining);
    await sleep(pause);
    slept += pause;
    delay = Math.min(delay * 2, POLL_MAX_DELAY_MS);
    try {
      const output = await withRetries(sleep, () =>
        request.client.send(new GetInvalidationCommand({ DistributionId: distributionId, Id: invalidationId })),
      );
      if (statusOf(output.Invalidation?.Status) === 'Completed') return 'Completed';
    } catch (error) {
      warnings.push(
        `${describeFailure(error, distributionId, 'GetInvalidation')} Invalidation ${invalidationId} was created; ` +
          'stopped waiting for it.',
      );
      return 'InProgress';
    }
  }
}

/** CloudFront says `Completed` or `InProgress` (moto says `COMPLETED`). */
function statusOf(status: string | undefined): 'Completed' | 'InProgress' {
  return status?.toLowerCase() === 'completed' ? 'Completed' : 'InProgress';
}

const IAM_ACTIONS = {
  CreateInvalidation: 'cloudfront:CreateInvalidation',
  GetInvalidation: 'cloudfront:GetInvalidation',
} as const;

function describeFailure(error: unknown, distributionId: string, operation: keyof typeof IAM_ACTIONS): string {
  const { name = 'Error', message = String(error) } = (error ?? {}) as ErrorLike;
  if (name === 'RequestLimitError') return `Distribution ${distributionId}: ${operation} not sent. ${message}`;
  if (isAccessDenied(error)) {
    const action = IAM_ACTIONS[operation];
    return (
      `Distribution ${distributionId}: access denied to ${action} (${message}). ` +
      `Allow ${action} on arn:aws:cloudfront::ACCOUNT_ID:distribution/${distributionId} for the credentials this job uses.`
    );
  }
  if (name === 'NoSuchDistribution') {
    return `Distribution ${distributionId} does not exist, or not in the account of these credentials (${message}).`;
  }
  const tail = name === 'TooManyInvalidationsInProgress' || THROTTLING.has(name) ? ` (gave up after retrying)` : '';
  return `Distribution ${distributionId}: ${operation} failed${tail}: ${name}: ${message}`;
}
