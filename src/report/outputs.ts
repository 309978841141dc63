import { changedCount } from '../model/outcome.js';
import { deployOrder } from '../sync/deploy-order.js';
import type { SyncResult } from '../sync/result.js';
import { plural } from './format.js';

/**
 * The action's count outputs. This is the one place where the core's names
 * meet the names users see:
 * - `uploaded` (push) and `downloaded` (pull) are the outcome's `copied`;
 * - `redirected` is redirect objects written on push, symlinks made on pull;
 * - `skipped` is the plan's `unchanged`.
 * On a dry run every count is the planned one (the `dry-run` output says so).
 */
export interface Counts {
  uploaded: number;
  downloaded: number;
  redirected: number;
  /** Headers replaced in place, content unchanged. */
  updated: number;
  skipped: number;
  deleted: number;
  /** Every warning the run printed, not only the entries it skipped. */
  warnings: number;
  requests: number;
  bytes: number;
}

export function countsOf(result: SyncResult, requests: number, warnings: number): Counts {
  const push = result.direction === 'push';
  const { plan, outcome } = result;
  const copied = result.dryRun ? plan.copies.length : outcome.copied.length;
  return {
    uploaded: push ? copied : 0,
    downloaded: push ? 0 : copied,
    redirected: result.dryRun ? plan.redirects.length : outcome.redirected.length,
    updated: result.dryRun ? plan.updates.length : outcome.updated.length,
    skipped: plan.unchanged.length,
    deleted: result.dryRun ? plan.deletes.length : outcome.deleted.length,
    warnings,
    requests,
    bytes: result.dryRun ? plan.copies.reduce((sum, copy) => sum + copy.entry.size, 0) : outcome.bytes,
  };
}

export type ChangeAction = 'uploaded' | 'downloaded' | 'redirected' | 'linked' | 'updated' | 'deleted';

interface Change {
  key: string;
  action: ChangeAction;
  reason: string;
  /** Where a redirect or symlink leads. */
  target?: string;
}

/** Keys in the changed-keys output. */
const CHANGED_KEYS_CAP = 1000;

/**
 * What changed, in apply order: the plan's on a dry run, otherwise only the
 * work that was done (all of it, or what a failed run finished).
 */
export function changesOf(result: SyncResult): Change[] {
  const push = result.direction === 'push';
  const source = result.dryRun ? result.plan : undefined;
  const planned = deployOrder(result.plan.copies);
  const copies = source === undefined ? inPlanOrder(planned, result.outcome.copied) : planned;
  const redirects = source?.redirects ?? inPlanOrder(result.plan.redirects, result.outcome.redirected);
  const deletes = source?.deletes ?? result.outcome.deleted;
  const updates = source?.updates ?? inPlanOrder(result.plan.updates, result.outcome.updated);
  return [
    ...copies.map((copy): Change => ({ key: copy.key, action: push ? 'uploaded' : 'downloaded', reason: copy.reason })),
    ...redirects.map((r): Change => ({
      key: r.key,
      action: push ? 'redirected' : 'linked',
      reason: r.reason,
      target: r.target,
    })),
    ...updates.map((u): Change => ({ key: u.key, action: 'updated', reason: u.reason })),
    ...deletes.map((d): Change => ({ key: d.key, action: 'deleted', reason: 'not in the source' })),
  ];
}

/** The done items in the plan's order (they finish in whatever order the transfers end). */
function inPlanOrder<T>(planned: readonly T[], done: readonly T[]): T[] {
  const finished = new Set(done);
  return planned.filter((item) => finished.has(item));
}

export function changedKeysOutput(changes: Change[]): string {
  return JSON.stringify(changes.slice(0, CHANGED_KEYS_CAP).map((change) => change.key));
}

/**
 * Where a failed run left the destination, in one line: "uploaded 6 of 11
 * files; nothing was deleted; re-run to finish".
 */
export function destinationState(result: SyncResult): string {
  const push = result.direction === 'push';
  const { plan, outcome } = result;
  const parts: string[] = [];
  if (plan.copies.length > 0) {
    parts.push(`${push ? 'uploaded' : 'downloaded'} ${outcome.copied.length} of ${plural(plan.copies.length, 'file')}`);
  }
  if (plan.redirects.length > 0) {
    parts.push(
      push
        ? `wrote ${outcome.redirected.length} of ${plural(plan.redirects.length, 'redirect')}`
        : `made ${outcome.redirected.length} of ${plural(plan.redirects.length, 'symlink')}`,
    );
  }
  if (plan.updates.length > 0) {
    parts.push(`updated the headers of ${outcome.updated.length} of ${plural(plan.updates.length, 'object')}`);
  }
  if (plan.deletes.length > 0) {
    parts.push(
      outcome.deleted.length === 0
        ? 'nothing was deleted'
        : `deleted ${outcome.deleted.length} of ${plural(plan.deletes.length, push ? 'object' : 'file')}`,
    );
  }
  if (changedCount(outcome) === 0) parts.unshift('nothing was changed');
  parts.push('re-run to finish (a re-run sends only what is still missing)');
  return parts.join('; ');
}

/** The change as done, or as planned on a dry run: "uploaded", or "upload". */
export function changeVerb(action: ChangeAction, dryRun: boolean): string {
  if (!dryRun) return action;
  const planned: Record<ChangeAction, string> = {
    uploaded: 'upload',
    downloaded: 'download',
    redirected: 'redirect',
    linked: 'link',
    updated: 'update',
    deleted: 'delete',
  };
  return planned[action];
}
