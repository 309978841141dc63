import type { ListTuning, RemoteLocation } from '../../src/bucket/list.js';
import { RequestBudget } from '../../src/bucket/budget.js';
import type { Safety } from '../../src/decide/guards.js';
import { TempFiles } from '../../src/local/temp-files.js';
import type { Direction } from '../../src/model/direction.js';
import { RefusedError, rootCause } from '../../src/model/errors.js';
import type { HeadersFor, StorageSettings } from '../../src/model/headers.js';
import { silentReporter, type Reporter } from '../../src/model/reporter.js';
import { contentTypeFor } from '../../src/settings/content-type.js';
import { excludeMatcher, headersMatcher } from '../../src/settings/rules.js';
import type { CopyJob, RunContext } from '../../src/sync/job.js';
import { pull, type PullJob } from '../../src/sync/pull.js';
import { push, type PushJob } from '../../src/sync/push.js';
import type { SyncResult } from '../../src/sync/result.js';

/** What a test may say about a run; everything else takes the defaults below. */
export interface JobPieces {
  direction: Direction;
  root: string;
  remote: RemoteLocation;
  budget?: RequestBudget;
  concurrency?: number;
  reporter?: Reporter;
  isExcluded?: (key: string) => boolean;
  headersFor?: HeadersFor;
  storage?: StorageSettings;
  gzip?: (key: string) => boolean;
  /** Off unless a test is about it, so request counts stay those of the listing and the plan. */
  manifestKey?: string;
  force?: boolean;
  delete?: boolean;
  maxDelete?: number;
  /** The half limit a push without max-delete has; off unless a test is about it. */
  limitToHalf?: boolean;
  allowEmpty?: boolean;
  dryRun?: boolean;
  tempFiles?: TempFiles;
  reservedRequests?: number;
  listTuning?: ListTuning;
}

/** The run's context: a generous budget, 8 at a time, and no log unless a test wants one. */
export function runContext(pieces: Pick<JobPieces, 'budget' | 'concurrency' | 'reporter'>): RunContext {
  return {
    budget: pieces.budget ?? new RequestBudget(1_000_000),
    concurrency: pieces.concurrency ?? 8,
    reporter: pieces.reporter ?? silentReporter,
  };
}

export function safety(pieces: Pick<JobPieces, 'allowEmpty' | 'maxDelete' | 'limitToHalf' | 'dryRun'>): Safety {
  return {
    allowEmpty: pieces.allowEmpty ?? false,
    maxDelete: pieces.maxDelete,
    limitToHalf: pieces.limitToHalf ?? false,
    dryRun: pieces.dryRun ?? false,
  };
}

export function copyJob(pieces: JobPieces): CopyJob {
  return {
    root: pieces.root,
    remote: pieces.remote,
    isExcluded: pieces.isExcluded ?? excludeMatcher([]),
    gzip: pieces.gzip ?? (() => false),
    manifestKey: pieces.manifestKey,
    force: pieces.force ?? false,
    delete: pieces.delete ?? true,
    safety: safety(pieces),
    ...(pieces.listTuning === undefined ? {} : { listTuning: pieces.listTuning }),
  };
}

export function pushJob(pieces: JobPieces): PushJob {
  return {
    ...copyJob(pieces),
    headersFor: pieces.headersFor ?? headersMatcher([], [], contentTypeFor),
    reservedRequests: pieces.reservedRequests ?? 0,
    storage: pieces.storage ?? {},
  };
}

export function pullJob(pieces: JobPieces): PullJob {
  return { ...copyJob(pieces), tempFiles: pieces.tempFiles ?? new TempFiles(), listingTellsRestore: false };
}

/** The push or pull pipeline the pieces name, as the action runs it. */
export function runJob(pieces: JobPieces): Promise<SyncResult> {
  const context = runContext(pieces);
  return pieces.direction === 'push' ? push(pushJob(pieces), context) : pull(pullJob(pieces), context);
}

/**
 * runJob, with a failure thrown as it happened: the cause itself, not its
 * operation tag, carrying the partial result as `result`. Most tests ask
 * "did it fail, and how"; those about the tag or the partial result call
 * runJob itself.
 */
export async function runJobOrThrow(pieces: JobPieces): Promise<SyncResult> {
  let result: SyncResult;
  try {
    result = await runJob(pieces);
  } catch (error) {
    throw rootCause(error);
  }
  if (result.failure !== undefined) throw Object.assign(rootCause(result.failure) as Error, { result });
  return result;
}

/** For assert.rejects: a RefusedError whose message matches the pattern. */
export const refusal = (pattern: RegExp) => (error: unknown) =>
  error instanceof RefusedError && pattern.test(error.message);
