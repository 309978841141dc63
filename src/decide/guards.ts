import { RefusedError, RequestLimitError } from '../model/errors.js';
import type { Plan, Removal } from '../model/plan.js';
import { plural } from '../model/words.js';

/** What the guards read of the request budget. */
export interface RequestMeter {
  readonly used: number;
  readonly limit: number;
}

/** The user's limits on what a run may do. */
export interface Safety {
  allowEmpty: boolean;
  /** The most deletes a run may make; undefined for no limit. */
  maxDelete: number | undefined;
  /**
   * Also refuse deleting more than half of a destination of more than
   * SMALL_DESTINATION entries: a push's default, off once max-delete is set.
   */
  limitToHalf: boolean;
  dryRun: boolean;
}

/**
 * The half limit spares a destination this small: the first deploys of a tiny
 * site replace most of it, and what a wrong folder could delete there is little.
 */
const SMALL_DESTINATION = 10;

/** How the refusals name the two sides, so that each sentence reads right for the run. */
export interface Route {
  /** `push` or `pull`. */
  verb: string;
  /** The source, as a sentence starts with it: "The directory site" or "s3://bucket/prefix". */
  source: string;
  /** What the source is made of: "entry" or "key". */
  sourceItem: string;
  /** Where the destination's content is: "under s3://bucket/prefix" or "in site". */
  destination: string;
  /** What a delete removes: "object" or "file". */
  deletedItem: string;
  /** A sentence (or nothing) on what to check when a run would delete too much. */
  deleteAdvice: string;
}

/** Every guard, before anything changes: an empty source, too many deletes, a plan past the budget. */
export function checkGuards(
  plan: Plan,
  route: Route,
  safety: Safety,
  cost: { budget: RequestMeter; requestsToApply: number },
): void {
  refuseEmptySource(plan, route, safety.allowEmpty);
  refuseTooManyDeletes(plan, route, safety.maxDelete);
  if (safety.limitToHalf) refuseDeletingMost(plan, route);
  if (!safety.dryRun) assertCanAfford(cost.budget, cost.requestsToApply);
}

function refuseEmptySource(plan: Plan, route: Route, allowEmpty: boolean): void {
  // Counted from the plan, so a source holding only skipped entries (broken
  // links, unsafe keys) counts as empty too.
  const copyable = plan.copies.length + plan.redirects.length + plan.updates.length + plan.unchanged.length;
  if (copyable > 0 || allowEmpty) return;
  throw new RefusedError(
    `${route.source} has nothing to ${route.verb} (it is empty or every ${route.sourceItem} was skipped), so a ${route.verb} would delete everything ${route.destination}. Nothing was changed. Set allow-empty: true if that is what you want.`,
  );
}

export function refuseTooManyDeletes(plan: Plan, route: Route, maxDelete: number | undefined): void {
  if (maxDelete === undefined || plan.deletes.length <= maxDelete) return;
  throw deleteRefusal(plan, route, `max-delete (${maxDelete})`, `raise max-delete to ${plan.deletes.length} or more`);
}

/** A push from the wrong folder would otherwise empty a site well under max-delete's 256. */
function refuseDeletingMost(plan: Plan, route: Route): void {
  const held = heldByDestination(plan);
  if (held <= SMALL_DESTINATION || plan.deletes.length * 2 <= held) return;
  throw deleteRefusal(
    plan,
    route,
    `half of the ${plural(held, route.deletedItem)} ${route.destination} (the default limit when max-delete is not set)`,
    `set max-delete to ${plan.deletes.length} or more (a max-delete you set replaces both default limits)`,
  );
}

/** The refusal of too many deletes: the limit passed, what to check, and how to go ahead. */
function deleteRefusal(plan: Plan, route: Route, limit: string, goAhead: string): RefusedError {
  const protect = protectingExcludes(plan.deletes);
  return new RefusedError(
    `This run would delete ${plural(plan.deletes.length, route.deletedItem)}, more than ${limit}. Nothing was changed. ` +
      route.deleteAdvice +
      (protect.length > 0
        ? `Most of them are under ${protect.map((p) => `${p.folder}/ (${p.count})`).join(', ')}: if that is content of its own, keep it with exclude: ${protect.map((p) => p.pattern).join(', ')}. `
        : '') +
      `To go ahead, ${goAhead}, or set delete: false to keep what the source lacks.`,
  );
}

/**
 * What the destination holds at the keys the plan decides: each one it
 * deletes, keeps or replaces. Keys it must leave alone are not counted.
 */
function heldByDestination(plan: Plan): number {
  const replaced = [...plan.copies, ...plan.redirects].filter((copy) => copy.reason !== 'new').length;
  return plan.deletes.length + plan.unchanged.length + plan.updates.length + replaced;
}

/**
 * The top folders that hold most of the deletes, and an exclude pattern for
 * each, digits made wildcards: `pr-12/` and `pr-13/` are both `pr-*` content.
 */
function protectingExcludes(deletes: readonly Removal[]): { folder: string; count: number; pattern: string }[] {
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
      'Nothing was changed. Raise the request-limit input if this is expected.',
    needed,
    budget.limit,
  );
}
