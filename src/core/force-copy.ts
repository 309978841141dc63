import { applyPull } from './apply-pull.js';
import { applyPush, pushRequestEstimate } from './apply-push.js';
import type { Direction } from './direction.js';
import { checkGuards, type RequestMeter } from './guards.js';
import { emptyOutcome, type Outcome } from './outcome.js';
import { plan as makePlan, type Plan, type Warning } from './plan.js';
import type { RemoteLocation } from './remote-list.js';
import type { Reporter } from './reporter.js';
import { resolve } from './resolve.js';
import { takeInventory } from './take-inventory.js';
import type { TempFiles } from './temp-files.js';
import { plural, thousands } from './words.js';

export type { Direction } from './direction.js';

export interface ForceCopyOptions {
  direction: Direction;
  /** Absolute path of the local directory. */
  root: string;
  remote: RemoteLocation;
  budget: RequestMeter;
  concurrency: number;
  isExcluded: (key: string) => boolean;
  contentType: (key: string) => string;
  cacheControl: (key: string) => string | undefined;
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

  const inventory = await takeInventory({ ...options, requestsSent });

  const plan = await reporter.group('Compare', async () => {
    await resolve(inventory, options);
    const { source, destination } = inventory.sides;
    const planned = makePlan(source, destination, {
      prefix: options.remote.prefix,
      delete: options.delete,
      force: options.force,
    });
    reporter.info(describePlan(planned));
    return planned;
  });
  for (const warning of plan.warnings) reporter.warn(warning.key, warning.message);

  checkGuards(plan, {
    ...options,
    requestsToApply: direction === 'push' ? pushRequestEstimate(plan) : plan.copies.length,
  });

  const outcome = emptyOutcome();
  const result: ForceCopyResult = { direction, dryRun: options.dryRun, plan, outcome, warnings: plan.warnings };
  if (options.dryRun) return result;
  try {
    if (direction === 'push') await applyPush(plan, outcome, options);
    else await applyPull(plan, outcome, { ...options, folders: inventory.sides.local.folders });
  } catch (error) {
    result.failure = error;
  }
  result.warnings = [...plan.warnings, ...outcome.warnings];
  return result;
}

function describePlan(plan: Plan): string {
  return (
    `plan: ${plural(plan.copies.length, 'file')} to copy, ${plural(plan.redirects.length, 'redirect')}, ` +
    `${plural(plan.deletes.length, 'key')} to delete, ${thousands(plan.unchanged.length)} unchanged`
  );
}
