import type { RemoteLocation } from '../bucket/list.js';
import { listVersions, requireVersioning, type ObjectVersion, type VersionHistory } from '../bucket/versions.js';
import { checkGuards, type Route, type Safety } from '../decide/guards.js';
import type { Filters } from '../decide/inventory.js';
import { plan as makePlan } from '../decide/plan.js';
import { ACTION_FOLDER, type LeaseTerms } from '../deploys/lease.js';
import {
  deployRequests,
  readDeployRecord,
  recordDeploy,
  type DeployTerms,
  type DeployWritten,
  type RecordedObject,
} from '../deploys/record.js';
import { chooseDeploy, restoreTarget } from '../deploys/restore-target.js';
import { keyHash } from '../manifest/format.js';
import { recordRestoredManifest } from '../manifest/restore.js';
import type { RemoteEntry, RemoteFile } from '../model/entries.js';
import { RefusedError } from '../model/errors.js';
import type { StorageSettings } from '../model/headers.js';
import { s3Url } from '../model/keys.js';
import type { Outcome } from '../model/outcome.js';
import type { Reporter } from '../model/reporter.js';
import { plural, thousands } from '../model/words.js';
import type { RunContext } from './job.js';
import { decideUnderLease, holding, leaseRequests, planChanges, type LeaseWatch } from './lease.js';
import {
  applyRestore,
  COPY_LIMIT,
  inspectEmptyVersions,
  restoreRequestEstimate,
  withRedirects,
  type RedirectHeaders,
  type RollbackPlan,
} from './restore.js';
import { applyPlan, type SyncResult } from './result.js';

export interface RollbackJob {
  remote: RemoteLocation;
  isExcluded: (key: string) => boolean;
  /** The deploy manifest's key, relative to the prefix; undefined turns it off. */
  manifestKey: string | undefined;
  /** The deploy to restore; undefined for the one before the latest. */
  deployId: string | undefined;
  /** Delete what the deploy did not have. */
  delete: boolean;
  safety: Safety;
  storage: StorageSettings;
  /** Requests the host sends after the apply (a CDN invalidation), kept back when the budget is checked. */
  reservedRequests: number;
  lease?: LeaseTerms;
  deploys: DeployTerms;
}

/** What a rollback decided: the deploy, the version of each key it left, and the plan to get there. */
interface ChosenRollback {
  id: string;
  /** The VersionId of the manifest the deploy wrote. */
  deployManifest: string | undefined;
  target: Map<string, ObjectVersion>;
  /** The headers of each redirect to restore, from a HEAD of its version. */
  redirects: Map<string, RedirectHeaders>;
  plan: RollbackPlan;
}

/**
 * The prefix becomes what it was when a recorded deploy finished: versioning
 * checked, versions listed, the deploy chosen and its versions found, plan,
 * guards, then server-side copies and deletes, the manifest and a deploy
 * record of its own. Nothing changes before every guard has passed.
 */
export async function rollback(job: RollbackJob, run: RunContext): Promise<SyncResult> {
  await requireVersioning(job.remote);
  const role = { terms: job.lease, remote: job.remote, takes: !job.safety.dryRun };
  const { decided, lease, watch } = await decideUnderLease(role, run.reporter, (seen) => planRollback(job, run, seen));
  let deploy: DeployWritten | undefined;
  const result = await holding(lease, () =>
    applyPlan('push', decided.plan, job.safety.dryRun, async (outcome) => {
      deploy = await restoreAndRecord(job, run, decided, { outcome, listedIds: [...watch.deployIds] });
    }),
  );
  return deploy === undefined ? result : { ...result, deploy };
}

/** Everything before a change: the listing, the deploy and its versions, the plan and the guards. */
async function planRollback(job: RollbackJob, run: RunContext, watch: LeaseWatch): Promise<ChosenRollback> {
  const history = await listVersions(job.remote, run.reporter);
  const current = currentObjects(history, watch.filters(rollbackFilters(job)));
  const id = chooseDeploy(job.deployId, watch.deployIds, job.remote);
  run.reporter.info(`Restoring deploy ${id}.`);
  const record = await readDeployRecord(job.remote, id);
  const target = restoreTarget(id, record, history, rollbackFilters(job).isExcluded);
  const decided = decideRollback(target, current, job, run.reporter);
  refuseTooLarge(decided);
  const redirects = await inspectEmptyVersions(decided, { remote: job.remote, concurrency: run.concurrency });
  const plan = withRedirects(decided, redirects, job.remote.prefix);
  const role = { terms: job.lease, remote: job.remote, takes: !job.safety.dryRun };
  const requestsToApply =
    restoreRequestEstimate(plan) +
    (job.manifestKey === undefined ? 0 : 2) +
    job.reservedRequests +
    leaseRequests(role, plan) +
    deployRequests(job.deploys, planChanges(plan), watch.deployIds.size);
  checkGuards(plan, rollbackRoute(job.remote, id), job.safety, { budget: run.budget, requestsToApply });
  return { id, deployManifest: record.manifest, target, redirects, plan };
}

/** The action's folder and the manifest are never content; exclude keeps its keys out as on a push. */
function rollbackFilters(job: RollbackJob): Filters {
  const { manifestKey, isExcluded } = job;
  return {
    isExcluded: (key) => key.startsWith(ACTION_FOLDER) || key === manifestKey || isExcluded(key),
    storesGzipped: () => false,
  };
}

/** The objects under the prefix now; the lease watch sees every current key go by. */
function currentObjects(history: VersionHistory, filters: Filters): Map<string, RemoteEntry> {
  const current = new Map<string, RemoteEntry>();
  for (const [key, version] of history.current) {
    if (!filters.isExcluded(key, { ETag: version.etag, Size: version.size })) current.set(key, entryOf(version));
  }
  return current;
}

/** A version as the plan sees it: a file (redirects are empty objects until the apply HEADs them), by VersionId. */
function entryOf(version: ObjectVersion): RemoteFile {
  return { kind: 'file', size: version.size, etag: version.etag, modified: version.modified, version: version.id };
}

/** The shared plan, with the deploy's versions as the source: a key whose version differs is copied back. */
function decideRollback(
  target: Map<string, ObjectVersion>,
  current: Map<string, RemoteEntry>,
  job: RollbackJob,
  reporter: Reporter,
): RollbackPlan {
  const source = new Map<string, RemoteEntry>([...target].map(([key, version]) => [key, entryOf(version)]));
  const plan = makePlan<RemoteEntry, RemoteEntry>(
    { source, destination: current },
    {
      prefix: job.remote.prefix,
      delete: job.delete,
      force: false,
      sameFile: (wanted, now) => wanted.version === now.version,
    },
  );
  reporter.info(
    `plan: ${plural(plan.copies.length, 'object')} to restore, ${plural(plan.deletes.length, 'key')} to delete, ` +
      `${thousands(plan.unchanged.length)} unchanged`,
  );
  for (const warning of plan.warnings) reporter.warn(warning.key, warning.message);
  return plan;
}

function refuseTooLarge(plan: RollbackPlan): void {
  const large = plan.copies.filter((copy) => copy.entry.size > COPY_LIMIT);
  if (large.length === 0) return;
  throw new RefusedError(
    `A rollback copies each object in one CopyObject, which takes at most 5 GiB, and ${plural(large.length, 'object')} ` +
      `to restore ${large.length === 1 ? 'is' : 'are'} larger (${large[0]?.key}), so nothing was changed: push that deploy's commit again instead.`,
  );
}

function rollbackRoute(remote: RemoteLocation, id: string): Route {
  return {
    verb: 'restore',
    source: `Deploy ${id}`,
    sourceItem: 'object',
    destination: `under ${s3Url(remote.bucket, remote.prefix)}`,
    deletedItem: 'object',
    deleteAdvice:
      'Check that deploy-id names the deploy you meant (a rollback deletes every object that deploy did not have). ',
  };
}

/** The apply, then the manifest (also after a failure part-way), then the rollback's own deploy record. */
async function restoreAndRecord(
  job: RollbackJob,
  run: RunContext,
  chosen: ChosenRollback,
  { outcome, listedIds }: { outcome: Outcome; listedIds: string[] },
): Promise<DeployWritten | undefined> {
  const { remote, manifestKey, storage } = job;
  let manifestVersion: string | undefined;
  try {
    const restoring = { versions: chosen.target, redirects: chosen.redirects };
    await applyRestore(chosen.plan, restoring, outcome, { ...run, remote, storage });
  } finally {
    if (manifestKey !== undefined) {
      const where = { remote, manifestKey, storage, deployManifest: chosen.deployManifest };
      manifestVersion = await recordRestoredManifest(
        where,
        chosen.target,
        chosen.plan.unchanged,
        outcome,
        run.reporter,
      );
    }
  }
  const objects = objectsRestored(chosen.target, outcome);
  const done = { kind: 'rollback' as const, restored: chosen.id, listedIds, objects, outcome, manifestVersion };
  return recordDeploy(remote, job.deploys, done, run.reporter);
}

/** The restored deploy's versions, each copy by the version it made: exact, from the versions listing. */
function objectsRestored(target: Map<string, ObjectVersion>, outcome: Outcome): Record<string, RecordedObject> {
  const objects: Record<string, RecordedObject> = {};
  for (const [key, version] of target) {
    const written = outcome.written.get(key);
    objects[keyHash(key)] =
      written === undefined
        ? { etag: version.etag, version: version.id }
        : { etag: written.etag, ...(written.version === undefined ? {} : { version: written.version }) };
  }
  return objects;
}
