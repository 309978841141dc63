import type { Direction } from '../model/direction.js';
import { RefusedError, RequestLimitError } from '../model/errors.js';
import type { Plan, Removal } from './plan.js';
import type { RemoteLocation } from '../bucket/list.js';
import { plural } from '../model/words.js';

/** What the guards read of the request budget. */
export interface RequestMeter {
  readonly used: number;
  readonly limit: number;
}

export interface GuardOptions {
  direction: Direction;
  root: string;
  remote: Pick<RemoteLocation, 'bucket' | 'prefix'>;
  allowEmpty: boolean;
  /** The most deletes a run may make; undefined for no limit. */
  maxDelete: number | undefined;
  dryRun: boolean;
  budget: RequestMeter;
  /** Requests the plan will send once applied. */
  requestsToApply: number;
}

/** Every guard, before anything changes: an empty source, too many deletes, a plan past the budget. */
export function checkGuards(plan: Plan, options: GuardOptions): void {
  refuseEmptySource(plan, options);
  refuseTooManyDeletes(plan, options);
  if (!options.dryRun) assertCanAfford(options.budget, options.requestsToApply);
}

function refuseEmptySource(plan: Plan, options: GuardOptions): void {
  // Counted from the plan, so a source holding only skipped entries (broken
  // links, unsafe keys) counts as empty too.
  const copyable = plan.copies.length + plan.redirects.length + plan.updates.length + plan.unchanged.length;
  if (copyable > 0 || options.allowEmpty) return;
  const remote = `s3://${options.remote.bucket}/${options.remote.prefix}`;
  throw new RefusedError(
    options.direction === 'push'
      ? `The directory ${options.root} has nothing to push (it is empty or every entry was skipped), so a push would delete everything under ${remote}. Nothing was changed. Set allow-empty: true if that is what you want.`
      : `${remote} has nothing to pull (it is empty or every key was skipped), so a pull would delete everything in ${options.root}. Nothing was changed. Set allow-empty: true if that is what you want.`,
  );
}

export function refuseTooManyDeletes(plan: Plan, options: Pick<GuardOptions, 'direction' | 'maxDelete'>): void {
  if (options.maxDelete === undefined || plan.deletes.length <= options.maxDelete) return;
  const things = options.direction === 'push' ? 'object' : 'file';
  const protect = protectingExcludes(plan.deletes);
  throw new RefusedError(
    `This run would delete ${plural(plan.deletes.length, things)}, more than max-delete (${options.maxDelete}). Nothing was changed. ` +
      (options.direction === 'push'
        ? 'Check that directory and prefix point where you meant (a push deletes every object under the prefix that the directory lacks). '
        : '') +
      (protect.length > 0
        ? `Most of them are under ${protect.map((p) => `${p.folder}/ (${p.count})`).join(', ')}: if that is content of its own, keep it with exclude: ${protect.map((p) => p.pattern).join(', ')}. `
        : '') +
      `To go ahead, raise max-delete to ${plan.deletes.length} or more, or set delete: false to keep what the source lacks.`,
  );
}

/**
 * The top folders that hold most of the deletes, and an exclude pattern for
 * each, digits made wildcards: `pr-12/` and `pr-13/` are both `pr-*` content.
 */
export function protectingExcludes(deletes: readonly Removal[]): { folder: string; count: number; pattern: string }[] {
  const byFolder = new Map<string, number>();
  for (const { key } of deletes) {
    const slash = key.indexOf('/');
    if (slash > 0) byFolder.set(key.slice(0, slash), (byFolder.get(key.slice(0, slash)) ?? 0) + 1);
  }
  const top = [...byFolder].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3);
  const covered = top.reduce((sum, [, count]) => sum + count, 0);
  if (covered * 2 < deletes.length) return [];
  const seen = new Set<string>();
  const result: { folder: string; count: number; pattern: string }[] = [];
  for (const [folder, count] of top) {
    const pattern = `${folder.replace(/\d+/g, '*')}/**`;
    if (seen.has(pattern)) continue;
    seen.add(pattern);
    result.push({ folder, count, pattern });
  }
  return result;
}

/** Fails, before any change, when the plan cannot finish within the limit. */
export function assertCanAfford(budget: RequestMeter, planned: number): void {
  const needed = budget.used + planned;
  if (needed <= budget.limit) return;
  throw new RequestLimitError(
    `This run needs about ${plural(needed, 'S3 request')} (${budget.used} already sent to list and inspect, ` +
      `${planned} to apply the plan), which is more than the request-limit of ${budget.limit}. ` +
      'Nothing was changed. Raise the `request-limit` input if this is expected.',
    needed,
    budget.limit,
  );
}
