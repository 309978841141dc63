import { listRemote, type RemoteLocation } from '../bucket/list.js';
import { assertCanAfford, refuseTooManyDeletes, type Route } from '../decide/guards.js';
import { plan as makePlan } from '../decide/plan.js';
import { RefusedError } from '../model/errors.js';
import type { LocalEntry, RemoteEntry } from '../model/entries.js';
import { s3Url } from '../model/keys.js';
import type { Reporter } from '../model/reporter.js';
import { plural } from '../model/words.js';
import type { Filters } from '../decide/inventory.js';
import { ACTION_FOLDER, type LeaseTerms } from '../deploys/lease.js';
import { deleteObjects, deleteRequests } from './delete.js';
import type { RunContext } from './job.js';
import { decideUnderLease, holding, leaseRequests, type LeaseWatch } from './lease.js';
import { applyPlan, type SyncResult } from './result.js';

export interface RemoveJob {
  remote: RemoteLocation;
  isExcluded: (key: string) => boolean;
  /** The most deletes a run may make; undefined for no limit. */
  maxDelete: number | undefined;
  dryRun: boolean;
  /** The deploy lease (lock: true); undefined takes none. */
  lease?: LeaseTerms;
}

/** How the max-delete refusal names what a remove deletes. */
const REMOVE_ROUTE: Pick<Route, 'deletedItem' | 'deleteAdvice'> = {
  deletedItem: 'object',
  deleteAdvice:
    'Check that directory and prefix point where you meant (a push deletes every object under the prefix that the directory lacks). ',
};

/**
 * Removes every object under the prefix, and nothing outside it: the clean-up
 * of a pull-request preview. A push from an empty directory in all but its
 * guard: an empty prefix would name the whole bucket, so it is refused.
 */
export async function remove(job: RemoveJob, run: RunContext): Promise<SyncResult> {
  const { remote } = job;
  refuseWholeBucket(remote);
  const role = { terms: job.lease, remote, takes: !job.dryRun };
  const { decided, lease } = await decideUnderLease(role, run.reporter, (watch) => planRemoval(job, run, watch));
  const { plan } = decided;
  return holding(lease, () =>
    applyPlan('push', plan, job.dryRun, (outcome) => deleteObjects(plan.deletes, outcome, { remote, ...run })),
  );
}

/** Everything under the prefix but the action's own folder, which a remove leaves alone. */
async function planRemoval(job: RemoveJob, run: RunContext, watch: LeaseWatch) {
  const isExcluded = (key: string) => key.startsWith(ACTION_FOLDER) || job.isExcluded(key);
  const listed = await listEverything(
    job.remote,
    watch.filters({ isExcluded, storesGzipped: () => false }),
    run.reporter,
  );
  const plan = makePlan<LocalEntry, RemoteEntry>(
    { source: new Map(), destination: listed },
    { prefix: job.remote.prefix, delete: true, force: false, sameFile: () => false },
  );
  refuseTooManyDeletes(plan, REMOVE_ROUTE as Route, job.maxDelete);
  const lease = leaseRequests({ terms: job.lease, remote: job.remote, takes: !job.dryRun }, plan);
  if (!job.dryRun) assertCanAfford(run.budget, deleteRequests(plan.deletes.length) + lease);
  return { plan };
}

function refuseWholeBucket(remote: RemoteLocation): void {
  if (remote.prefix !== '') return;
  throw new RefusedError(
    `direction: remove deletes everything under the prefix, and the prefix is empty, which would be all of ${s3Url(remote.bucket, '')}. Nothing was changed. Set prefix to the preview's folder, such as pr-12.`,
  );
}

function listEverything(remote: RemoteLocation, filters: Filters, reporter: Reporter) {
  return reporter.group(`List ${s3Url(remote.bucket, remote.prefix)}/`, async () => {
    const entries = await listRemote(remote, filters.isExcluded);
    reporter.info(`${plural(entries.size, 'object')} to remove`);
    return entries;
  });
}
