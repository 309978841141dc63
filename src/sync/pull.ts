import { compareFiles, isOriginalOf, sourceObjectsToInspect } from '../decide/compare.js';
import { decide } from '../decide/decide.js';
import { linkCopiesAsRedirects, possibleLinkCopies } from '../decide/link-copies.js';
import { checkGuards, type Route } from '../decide/guards.js';
import { takeInventory, type Filters, type Inventories } from '../decide/inventory.js';
import { SMALL_FILE } from '../local/digest.js';
import { destinationDirectoryExists } from '../local/directory.js';
import type { TempFiles } from '../local/temp-files.js';
import type { LocalEntry, RemoteEntry } from '../model/entries.js';
import { s3Url } from '../model/keys.js';
import type { PullPlan } from '../model/plan.js';
import { setAsideArchived } from './archived.js';
import { applyPull } from './download.js';
import { copyFilters, manifestToRead, type CopyJob, type RunContext } from './job.js';
import { decideUnderLease, type LeaseWatch } from './lease.js';
import { applyPlan, type SyncResult } from './result.js';

export interface PullJob extends CopyJob {
  /** Where downloads register their temporary files, for the process to remove on cancel. */
  tempFiles: TempFiles;
  /** The store lists RestoreStatus when asked (AWS S3), so an archived object without one is not restored. */
  listingTellsRestore: boolean;
}

/**
 * The directory becomes a copy of the bucket: inventory, decide, guards,
 * apply. A missing directory is planned against as empty, and made only
 * when the plan is applied.
 */
export async function pull(job: PullJob, run: RunContext): Promise<SyncResult> {
  const { root, remote } = job;
  const exists = await destinationDirectoryExists(root);
  // A pull takes no lease, but waits for one its listing shows: that run is changing what it lists.
  const role = { terms: job.lease, remote, takes: false };
  const { decided } = await decideUnderLease(role, run.reporter, (watch) => inventoryAndPlan(job, run, watch, exists));
  const { plan, inventories, archived } = decided;
  const result = await applyPlan('pull', plan, job.safety.dryRun, (outcome) =>
    applyPull(plan, outcome, {
      ...run,
      root,
      remote,
      delete: job.delete,
      folders: inventories.local.folders,
      folderLinks: inventories.local.folderLinks,
      tempFiles: job.tempFiles,
      gzip: job.gzip,
    }),
  );
  return { ...result, warnings: [...archived, ...result.warnings] };
}

async function inventoryAndPlan(job: PullJob, run: RunContext, watch: LeaseWatch, exists: boolean) {
  const filters = watch.filters(copyFilters(job));
  // Only small files are hashed before the listing says which md5s it needs.
  const directory = { root: job.root, exists, hashEarlyUpTo: SMALL_FILE };
  const bucket = { remote: job.remote, manifestKey: manifestToRead(job), listTuning: job.listTuning };
  const inventories = await takeInventory(directory, bucket, filters, run.reporter, () => run.budget.used);
  const archived = await setAsideArchived(inventories, job.remote, job.listingTellsRestore, run);
  const plan = await decidePull(inventories, job, filters, run);
  checkGuards(plan, pullRoute(job), job.safety, { budget: run.budget, requestsToApply: plan.copies.length });
  return { plan, inventories, archived };
}

function decidePull(inventories: Inventories, job: PullJob, filters: Filters, run: RunContext): Promise<PullPlan> {
  const sides = { source: inventories.remote, destination: inventories.local.entries };
  return decide<RemoteEntry, LocalEntry>(
    inventories,
    sides,
    {
      resolve: {
        force: job.force,
        storesGzipped: filters.storesGzipped,
        objectsToInspect: (compared, force) => [
          ...new Set([...sourceObjectsToInspect(compared, force), ...possibleLinkCopies(compared.remote)]),
        ],
        inspected: (remote) => linkCopiesAsRedirects(remote, job.remote.prefix),
      },
      plan: {
        prefix: job.remote.prefix,
        delete: job.delete,
        force: job.force,
        // A file pulled from an object stored compressed was written as its original.
        sameFile: (remote, local) => compareFiles(local, remote) === 'same' || isOriginalOf(local, remote),
        verifyFolderLinks: true,
      },
    },
    { location: job.remote, concurrency: run.concurrency },
    run.reporter,
  );
}

function pullRoute({ root, remote }: PullJob): Route {
  return {
    verb: 'pull',
    source: s3Url(remote.bucket, remote.prefix),
    sourceItem: 'key',
    destination: `in ${root}`,
    deletedItem: 'file',
    deleteAdvice: '',
  };
}
