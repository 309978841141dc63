import type { RemoteLocation } from '../bucket/list.js';
import type { Filters } from '../decide/inventory.js';
import { takeLease, waitForNoLease, type HeldLease } from '../deploys/hold.js';
import { LEASE_KEY, LeaseStore, mayBeLive, type LeaseTerms, type ListedLease } from '../deploys/lease.js';
import { idOfRecordKey } from '../deploys/record.js';
import type { Plan } from '../model/plan.js';
import type { Reporter } from '../model/reporter.js';

/** What a listing told of the lease's key: the action's folder is excluded, so the filter is where it shows. */
export class LeaseWatch {
  /** The lease's object as listed; undefined when the listing had none. */
  lease: ListedLease | undefined;
  /** The deploy records the listing passed, by id: the previous deploy, and those to trim. */
  readonly deployIds = new Set<string>();

  filters(filters: Filters): Filters {
    return {
      ...filters,
      isExcluded: (key, listed) => {
        if (key === LEASE_KEY) this.lease = { etag: quoted(listed?.ETag), size: listed?.Size };
        const id = idOfRecordKey(key);
        if (id !== undefined) this.deployIds.add(id);
        return filters.isExcluded(key);
      },
    };
  }
}

/** Who takes part in the lease: a run that changes the bucket takes it, a pull or dry run only waits. */
export interface LeaseRole {
  terms: LeaseTerms | undefined;
  remote: RemoteLocation;
  /** False for a pull and a dry run, which change nothing in the bucket. */
  takes: boolean;
}

export function planChanges(plan: Plan): boolean {
  return plan.copies.length + plan.redirects.length + plan.updates.length + plan.deletes.length > 0;
}

/** The lease's PUT and its release, reserved in the budget check when the plan will take it. */
export function leaseRequests(role: LeaseRole, plan: Plan): number {
  return role.terms !== undefined && role.takes && planChanges(plan) ? 2 : 0;
}

/**
 * Decides, then takes the lease when the plan changes anything (after the
 * guards, before the apply). A run that had to wait decides again: the run
 * it waited for changed what was listed. A no-op, pull or dry run takes no
 * lease, but waits for one its listing showed, then decides again.
 */
export async function decideUnderLease<D extends { plan: Plan }>(
  role: LeaseRole,
  reporter: Reporter,
  decideOnce: (watch: LeaseWatch) => Promise<D>,
): Promise<{ decided: D; lease: HeldLease | undefined; watch: LeaseWatch }> {
  const watch = new LeaseWatch();
  const decided = await decideOnce(watch);
  if (role.terms === undefined) return { decided, lease: undefined, watch };
  const store = new LeaseStore(role.remote, role.terms.encryption);
  if (!role.takes || !planChanges(decided.plan)) {
    const waited = mayBeHeld(watch) && (await waitForNoLease(store, role.terms.waitSeconds, reporter));
    if (!waited) return { decided, lease: undefined, watch };
    const again = new LeaseWatch();
    return { decided: await decideOnce(again), lease: undefined, watch: again };
  }
  const taken = await takeLease(store, role.terms, reporter, watch.lease);
  if (!taken.waited) return { decided, lease: taken.lease, watch };
  reporter.info('The bucket may have changed while this run waited: listing and deciding again under the lease.');
  try {
    const again = new LeaseWatch();
    return { decided: await decideOnce(again), lease: taken.lease, watch: again };
  } catch (error) {
    await taken.lease?.release();
    throw error;
  }
}

function mayBeHeld(watch: LeaseWatch): boolean {
  return watch.lease !== undefined && mayBeLive(watch.lease);
}

/** An ETag as If-Match takes it; a listing may give it bare. */
function quoted(etag: string | undefined): string | undefined {
  if (etag === undefined || etag === '') return undefined;
  return etag.startsWith('"') ? etag : `"${etag}"`;
}

/** Runs the apply holding the lease, and releases it however the apply ends. */
export async function holding<T>(lease: HeldLease | undefined, apply: () => Promise<T>): Promise<T> {
  try {
    return await apply();
  } finally {
    await lease?.release().catch(() => undefined);
  }
}
