import { compareFiles, zeroByteDestinationObjects } from '../decide/compare.js';
import { decide } from '../decide/decide.js';
import { linkCopiesToInspect } from '../decide/link-copies.js';
import { linksAsCopies } from '../local/link-copies.js';
import { sameLinkCopy, type LinkMode } from '../model/link-tags.js';
import { checkGuards, type Route } from '../decide/guards.js';
import { takeInventory, type Filters, type Inventories } from '../decide/inventory.js';
import { deployRequests, objectsAfter, recordDeploy, type DeployTerms, type DeployWritten } from '../deploys/record.js';
import { requireSourceDirectory } from '../local/directory.js';
import { recordManifest } from '../manifest/record.js';
import { isCurrent } from '../manifest/trust.js';
import type { LocalEntry, RemoteEntry } from '../model/entries.js';
import { headersFingerprint, type HeadersFor, type StorageSettings } from '../model/headers.js';
import { s3Url } from '../model/keys.js';
import type { Outcome } from '../model/outcome.js';
import type { PushPlan } from '../model/plan.js';
import { copyFilters, manifestToRead, type CopyJob, type RunContext } from './job.js';
import { applyPlan, type SyncResult } from './result.js';
import { decideUnderLease, holding, leaseRequests, planChanges, type LeaseWatch } from './lease.js';
import { applyPush, pushRequestEstimate } from './upload.js';

export interface PushJob extends CopyJob {
  /** The headers and metadata the rules give each key. */
  headersFor: HeadersFor;
  /** Encryption and ACL for the manifest, which the rules' headersFor does not cover. */
  storage: StorageSettings;
  /** Requests the host sends after the apply (a CDN invalidation), kept back when the budget is checked. */
  reservedRequests: number;
  /** How symlinks are stored: redirect objects, or copies of their targets. */
  links: LinkMode;
  /** Write a deploy record after a push that changed anything; undefined writes none. */
  deploys?: DeployTerms;
}

/**
 * The bucket becomes a copy of the directory: inventory, decide, guards,
 * apply, then the manifest of what the bucket now holds. Nothing changes
 * before every guard has passed.
 */
export async function push(job: PushJob, run: RunContext): Promise<SyncResult> {
  const { root, remote } = job;
  await requireSourceDirectory(root);
  const role = { terms: job.lease, remote, takes: !job.safety.dryRun };
  const { decided, lease, watch } = await decideUnderLease(role, run.reporter, (seen) =>
    inventoryAndPlan(job, run, seen),
  );
  const { plan, inventories, filters } = decided;
  let deploy: DeployWritten | undefined;
  const result = await holding(lease, () =>
    applyPlan('push', plan, job.safety.dryRun, async (outcome) => {
      const context = { ...run, root, remote, headersFor: job.headersFor, storesGzipped: filters.storesGzipped };
      let manifestVersion: string | undefined;
      try {
        await applyPush(plan, outcome, context);
      } finally {
        // A push that failed part-way records what it did, so its re-run sends only what is still missing.
        manifestVersion = await recordPush(job, inventories, plan, outcome, run);
      }
      if (job.deploys === undefined) return;
      const objects = objectsAfter(inventories.remote, outcome);
      const done = { kind: 'push' as const, listedIds: [...watch.deployIds], objects, outcome, manifestVersion };
      deploy = await recordDeploy(remote, job.deploys, done, run.reporter);
    }),
  );
  return deploy === undefined ? result : { ...result, deploy };
}

/** The manifest of what the bucket holds after the apply, whether it finished or not. */
async function recordPush(
  job: PushJob,
  inventories: Inventories,
  plan: PushPlan,
  outcome: Outcome,
  run: RunContext,
): Promise<string | undefined> {
  if (job.manifestKey === undefined) return undefined;
  const fingerprint = (key: string, encoding?: string) => headersFingerprint(job.headersFor(key), encoding);
  const { manifest } = inventories;
  const manifestCurrent = manifest !== undefined && isCurrent(manifest, inventories.remote);
  const found = { remote: inventories.remote, local: inventories.local.entries, manifestCurrent };
  const target = { remote: job.remote, manifestKey: job.manifestKey, force: job.force, storage: job.storage };
  return recordManifest(target, plan, found, outcome, { fingerprint, reporter: run.reporter });
}

/** Inventory, decide and guards: everything before a change. */
async function inventoryAndPlan(job: PushJob, run: RunContext, watch: LeaseWatch) {
  const filters = watch.filters(copyFilters(job));
  const directory = { root: job.root, exists: true, hashEarlyUpTo: Infinity };
  const bucket = { remote: job.remote, manifestKey: manifestToRead(job), listTuning: job.listTuning };
  const inventories = await takeInventory(directory, bucket, filters, run.reporter, () => run.budget.used);
  if (job.links === 'copy') linksAsCopies(inventories.local.entries, job.remote.prefix, filters.storesGzipped);
  const plan = await decidePush(inventories, job, filters, run);
  const lease = leaseRequests({ terms: job.lease, remote: job.remote, takes: !job.safety.dryRun }, plan);
  const requestsToApply =
    pushRequestEstimate(plan, filters.storesGzipped) +
    manifestWrites(job) +
    job.reservedRequests +
    lease +
    deployRequests(job.deploys, planChanges(plan), watch.deployIds.size);
  checkGuards(plan, pushRoute(job), job.safety, { budget: run.budget, requestsToApply });
  return { plan, inventories, filters };
}

function decidePush(inventories: Inventories, job: PushJob, filters: Filters, run: RunContext): Promise<PushPlan> {
  const { storesGzipped } = filters;
  const fingerprint = (key: string, entry: LocalEntry) =>
    headersFingerprint(
      job.headersFor(key),
      entry.kind === 'file' && storesGzipped(key, entry.size) ? 'gzip' : undefined,
    );
  const sides = { source: inventories.local.entries, destination: inventories.remote };
  return decide<LocalEntry, RemoteEntry>(
    inventories,
    sides,
    {
      resolve: {
        force: job.force,
        storesGzipped,
        objectsToInspect: (compared, force) => [
          ...new Set([
            ...zeroByteDestinationObjects(compared, force),
            ...linkCopiesToInspect(compared.local, compared.remote, force),
          ]),
        ],
      },
      plan: {
        prefix: job.remote.prefix,
        delete: job.delete,
        force: job.force,
        // The same bytes as a copy for another symlink, or for none (`links: copy`), are written again.
        sameFile: (local, remote) => compareFiles(local, remote) === 'same' && sameLinkCopy(local.link, remote.link),
        ...(job.manifestKey === undefined ? {} : { headersFingerprint: fingerprint }),
      },
    },
    { location: job.remote, concurrency: run.concurrency },
    run.reporter,
  );
}

/** The manifest's PUT. */
function manifestWrites(job: PushJob): number {
  return job.manifestKey === undefined ? 0 : 1;
}

function pushRoute({ root, remote }: PushJob): Route {
  return {
    verb: 'push',
    source: `The directory ${root}`,
    sourceItem: 'entry',
    destination: `under ${s3Url(remote.bucket, remote.prefix)}`,
    deletedItem: 'object',
    deleteAdvice:
      'Check that directory and prefix point where you meant (a push deletes every object under the prefix that the directory lacks). ',
  };
}
