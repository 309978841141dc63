import { applyPull } from './download.js';
import { applyPush, pushRequestEstimate } from './upload.js';
import type { StoresGzipped } from '../decide/compare.js';
import { GZIP_MAX_BYTES } from '../local/digest.js';
import type { Direction } from '../model/direction.js';
import { errorMessage, rootCause } from '../model/errors.js';
import { checkGuards, type RequestMeter } from '../decide/guards.js';
import { headersFingerprint } from '../model/headers.js';
import type { Entry } from '../model/entries.js';
import { manifestAfterPush, writeManifest } from '../manifest/manifest.js';
import type { HeadersFor } from '../model/headers.js';
import { emptyOutcome, type Outcome } from '../model/outcome.js';
import { plan as makePlan, type Plan, type Warning } from '../decide/plan.js';
import type { RemoteLocation } from '../bucket/list.js';
import type { Reporter } from '../model/reporter.js';
import { resolve } from '../decide/resolve.js';
import { takeInventory, type TakenInventory } from '../decide/inventory.js';
import type { TempFiles } from '../local/temp-files.js';
import { plural, thousands } from '../model/words.js';

export type { Direction } from '../model/direction.js';

export interface ForceCopyOptions {
  direction: Direction;
  /** Absolute path of the local directory. */
  root: string;
  remote: RemoteLocation;
  budget: RequestMeter;
  concurrency: number;
  isExcluded: (key: string) => boolean;
  /** The headers and metadata the rules give each key on push. */
  headersFor: HeadersFor;
  /** Keys stored gzip-compressed (the `gzip` input): on push they are compressed, on pull compared as such. */
  gzip: (key: string) => boolean;
  /** The deploy manifest's key, relative to the prefix; undefined turns it off. */
  manifestKey: string | undefined;
  /** Requests the host sends after the apply (a CDN invalidation), kept back when the budget is checked. */
  reservedRequests?: number;
  force: boolean;
  /** Delete what the source does not have. */
  delete: boolean;
  maxDelete: number | undefined;
  allowEmpty: boolean;
  dryRun: boolean;
  /** Where a pull registers its temporary files, for the process to remove on cancel. */
  tempFiles: TempFiles;
  reporter: Reporter;
}

export interface ForceCopyResult {
  direction: Direction;
  dryRun: boolean;
  plan: Plan;
  /** What was done: empty on a dry run, partial when `failure` is set. */
  outcome: Outcome;
  /** Every warning of the run: the plan's, then the apply's. */
  warnings: Warning[];
  /** Why the apply stopped part-way; everything before the apply throws instead, having changed nothing. */
  failure?: unknown;
}

/**
 * The pipeline: inventory → resolve → plan → guards → apply. Nothing changes
 * before every guard has passed; an apply that fails returns what it did.
 */
export async function forceCopy(options: ForceCopyOptions): Promise<ForceCopyResult> {
  const { direction, reporter } = options;
  const requestsSent = () => options.budget.used;

  const storesGzipped: StoresGzipped = (key, size) => size <= GZIP_MAX_BYTES && options.gzip(key);
  const { manifestKey } = options;
  // The manifest is not part of the mirror: never listed, scanned, copied or deleted.
  const isExcluded = (key: string) => key === manifestKey || options.isExcluded(key);
  // force decides without the manifest, and rewrites it.
  const readManifestKey = options.force ? undefined : manifestKey;
  const inventory = await takeInventory({
    ...options,
    isExcluded,
    requestsSent,
    storesGzipped,
    manifestKey: readManifestKey,
  });
  const fingerprint = (key: string, encoding?: string) => headersFingerprint(options.headersFor(key), encoding);

  const plan = await reporter.group('Compare', async () => {
    await resolve(inventory, { ...options, storesGzipped });
    const { source, destination } = inventory.sides;
    const planned = makePlan(source, destination, {
      prefix: options.remote.prefix,
      delete: options.delete,
      force: options.force,
      ...(direction === 'push' && manifestKey !== undefined
        ? {
            headersFingerprint: (key: string, entry: Entry) =>
              fingerprint(key, entry.kind === 'file' && storesGzipped(key, entry.size) ? 'gzip' : undefined),
          }
        : {}),
    });
    reporter.info(describePlan(planned));
    return planned;
  });
  for (const warning of plan.warnings) reporter.warn(warning.key, warning.message);

  checkGuards(plan, {
    ...options,
    requestsToApply:
      (direction === 'push'
        ? pushRequestEstimate(plan, storesGzipped) + (manifestKey === undefined ? 0 : 1)
        : plan.copies.length) + (options.reservedRequests ?? 0),
  });

  const outcome = emptyOutcome();
  const result: ForceCopyResult = { direction, dryRun: options.dryRun, plan, outcome, warnings: plan.warnings };
  if (options.dryRun) return result;
  try {
    if (direction === 'push') await applyPush(plan, outcome, { ...options, storesGzipped });
    else await applyPull(plan, outcome, { ...options, folders: inventory.sides.local.folders });
  } catch (error) {
    result.failure = error;
  }
  if (direction === 'push' && result.failure === undefined && manifestKey !== undefined) {
    await recordManifest(plan, inventory, outcome, { ...options, manifestKey, fingerprint });
  }
  result.warnings = [...plan.warnings, ...outcome.warnings];
  return result;
}

/**
 * After a push that changed anything (or was forced), the manifest records
 * what the bucket now holds. It only saves requests: a write that fails is a
 * warning, and the next run is correct without it.
 */
async function recordManifest(
  plan: Plan,
  inventory: TakenInventory,
  outcome: Outcome,
  options: Pick<ForceCopyOptions, 'remote' | 'force' | 'reporter'> & {
    manifestKey: string;
    fingerprint: (key: string, encoding?: string) => string;
  },
): Promise<void> {
  const changed = outcome.copied.length + outcome.redirected.length + outcome.updated.length + outcome.deleted.length;
  // A no-op writes nothing, unless there was no manifest to read: the next run then has one.
  if (changed === 0 && !options.force && inventory.manifest !== undefined) return;
  const { sides } = inventory;
  const manifest = manifestAfterPush(options.remote.prefix, plan, sides.remote, sides.source, outcome, (key) =>
    options.fingerprint(key, outcome.written.get(key)?.encoding),
  );
  try {
    await writeManifest(options.remote, options.manifestKey, manifest);
  } catch (error) {
    const warning = {
      key: options.manifestKey,
      message: `Could not write the deploy manifest (${errorMessage(rootCause(error))}); the next run HEADs what it would have known from it.`,
    };
    options.reporter.warn(warning.key, warning.message);
    outcome.warnings.push(warning);
  }
}

function describePlan(plan: Plan): string {
  return (
    `plan: ${plural(plan.copies.length, 'file')} to copy, ${plural(plan.redirects.length, 'redirect')}, ` +
    (plan.updates.length > 0 ? `${plural(plan.updates.length, 'header update')}, ` : '') +
    `${plural(plan.deletes.length, 'key')} to delete, ` +
    `${thousands(plan.unchanged.length)} unchanged`
  );
}
