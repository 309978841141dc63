import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { applyPull, type PullOutcome } from './apply-pull.js';
import { applyPush, pushRequestEstimate, type PushOutcome } from './apply-push.js';
import { localFilesToDigest, remoteKeysToInspect } from './compare.js';
import { digestFile, SMALL_FILE } from './digest.js';
import type { FileEntry, Inventory } from './inventory.js';
import { localPathForKey } from './keys.js';
import { scanLocal } from './local-inventory.js';
import { forEachBounded } from './parallel.js';
import { plan as makePlan, type Plan, type Warning } from './plan.js';
import { inspectRemote, listRemote, type RemoteLocation } from './remote-inventory.js';
import type { Reporter } from './reporter.js';
import type { RequestBudget } from './request-budget.js';
import { nameCollisionWarnings } from './collisions.js';

export type Direction = 'push' | 'pull';

/** Large files are hashed from streams that wait on the disk, so several run at once (small ones are read synchronously). */
const DIGEST_CONCURRENCY = 16;

export interface ForceCopyOptions {
  direction: Direction;
  /** Absolute path of the local directory. */
  root: string;
  remote: RemoteLocation;
  budget: RequestBudget;
  concurrency: number;
  isExcluded: (key: string) => boolean;
  contentType: (key: string) => string;
  cacheControl: (key: string) => string | undefined;
  force: boolean;
  deleteExtraneous: boolean;
  maxDelete: number | undefined;
  allowEmpty: boolean;
  dryRun: boolean;
  reporter: Reporter;
}

export interface ForceCopyResult {
  direction: Direction;
  plan: Plan;
  dryRun: boolean;
  /** Files uploaded on push or downloaded on pull. */
  copied: number;
  /** Redirect objects written on push, symlinks made on pull. */
  redirected: number;
  unchanged: number;
  deleted: number;
  bytes: number;
  warnings: Warning[];
}

export class RefusedError extends Error {
  override name = 'RefusedError';
}

/** inventory → plan → guards → apply. Nothing changes before every guard has passed. */
export async function forceCopy(options: ForceCopyOptions): Promise<ForceCopyResult> {
  const { direction, root, remote, reporter } = options;
  const push = direction === 'push';

  // A pull into a missing directory plans against an empty one; the folder
  // is made only when the plan is applied, so a refused run leaves nothing.
  const rootStats = await stat(root).catch(() => undefined);
  checkRoot(root, rootStats, push);
  const missing = rootStats === undefined;

  // The listing needs nothing from the scan, so its first page is on the
  // wire while the directory is walked.
  const stopListing = new AbortController();
  const listing = listRemote(remote, options.isExcluded, stopListing.signal);
  listing.catch(() => undefined); // awaited below; this only keeps a failure from going unhandled meanwhile

  const scanning = reporter.group('Scan the local directory', async () => {
    const scanned = missing
      ? { entries: new Map() as Inventory, folders: [], realRoot: root }
      : await scanLocal(root, { prefix: remote.prefix, isExcluded: options.isExcluded });
    reporter.info(`${scanned.entries.size} local entries in ${root}`);
    return scanned;
  });
  const local = await scanning.catch((error: unknown) => {
    stopListing.abort();
    throw error;
  });

  // Hash while the listing is on the wire: every file on push (a no-op push
  // needs nearly all md5s), small ones on pull. Once the listing is in, only
  // files the bucket has at the same size are still hashed here; a push takes
  // the md5 of the others from the bytes it uploads.
  let wanted: Set<string> | undefined;
  const early = [...local.entries]
    .filter(([, entry]) => entry.kind === 'file' && (push || entry.size <= SMALL_FILE))
    .map(([key]) => key);
  const hashedEarly = new Set(early);
  const earlyHashing = digestLocalFiles(root, local.entries, early, (key) => wanted?.has(key) ?? true);
  earlyHashing.catch(() => undefined); // awaited below; this only keeps a failure from going unhandled meanwhile

  const remoteEntries = await reporter.group(`List s3://${remote.bucket}/${remote.prefix}`, async () => {
    const listed = await listing;
    reporter.info(`${listed.size} objects, ${options.budget.used} requests so far`);
    return listed;
  });

  const plan = await reporter.group('Compare', async () => {
    wanted = new Set(localFilesToDigest(local.entries, remoteEntries, options.force));
    const digests = [...wanted].filter((key) => !hashedEarly.has(key));
    const inspect = (keys: string[]) => inspectRemote(remote, remoteEntries, keys, options.concurrency);
    // Zero-byte objects are HEADed whatever the local md5s say, so those
    // requests run while the files are hashed; the rest need the md5s first.
    const zeroBytes = remoteKeysToInspect(local.entries, remoteEntries, !push, options.force).filter(
      (key) => (remoteEntries.get(key) as FileEntry).size === 0,
    );
    await Promise.all([earlyHashing, digestLocalFiles(root, local.entries, digests), inspect(zeroBytes)]);
    const undecided = remoteKeysToInspect(local.entries, remoteEntries, !push, options.force);
    await inspect(undecided);
    const inspected = zeroBytes.length + undecided.length;
    const hashed = [...local.entries.values()].filter((entry) => entry.kind === 'file' && entry.md5 !== undefined);
    reporter.info(`hashed ${hashed.length} local files, inspected ${inspected} objects`);
    const [source, destination] = push ? [local.entries, remoteEntries] : [remoteEntries, local.entries];
    const result = makePlan(source, destination, {
      prefix: remote.prefix,
      deleteExtraneous: options.deleteExtraneous,
      force: options.force,
    });
    result.warnings.push(...nameCollisionWarnings([...source.keys()]));
    reporter.info(
      `plan: ${result.copies.length} to copy, ${result.redirects.length} redirects, ` +
        `${result.deletes.length} to delete, ${result.unchanged.length} unchanged`,
    );
    return result;
  });

  for (const warning of plan.warnings) reporter.warn(warning.key, warning.message);
  guard(plan, options);

  const result: ForceCopyResult = {
    direction,
    plan,
    dryRun: options.dryRun,
    copied: 0,
    redirected: 0,
    unchanged: plan.unchanged.length,
    deleted: 0,
    bytes: 0,
    warnings: [...plan.warnings],
  };
  if (options.dryRun) return result;

  const context = { root, remote, concurrency: options.concurrency, reporter };
  if (push) {
    const outcome: PushOutcome = await applyPush(plan, {
      ...context,
      contentType: options.contentType,
      cacheControl: options.cacheControl,
    });
    Object.assign(result, {
      copied: outcome.uploaded.length,
      redirected: outcome.redirected.length,
      deleted: outcome.deleted,
      bytes: outcome.bytes,
    });
  } else {
    const outcome: PullOutcome = await applyPull(plan, {
      ...context,
      deleteExtraneous: options.deleteExtraneous,
      folders: local.folders,
    });
    Object.assign(result, {
      copied: outcome.downloaded.length,
      redirected: outcome.linked.length,
      deleted: outcome.deleted,
      bytes: outcome.bytes,
    });
    for (const warning of outcome.warnings) reporter.warn(warning.key, warning.message);
    result.warnings.push(...outcome.warnings);
  }
  return result;
}

function checkRoot(root: string, stats: Stats | undefined, push: boolean): void {
  if (stats === undefined) {
    if (push) throw new RefusedError(`The directory ${root} does not exist, so there is nothing to push.`);
    return;
  }
  if (!stats.isDirectory()) throw new RefusedError(`The directory input ${root} is not a folder.`);
}

async function digestLocalFiles(
  root: string,
  entries: Inventory,
  keys: string[],
  stillWanted: (key: string) => boolean = () => true,
): Promise<void> {
  await forEachBounded(keys, DIGEST_CONCURRENCY, async (key) => {
    // Small files hash synchronously. A turn of the event loop between them
    // lets each listing page through as it arrives, so the next LIST is not
    // held up until every file is hashed.
    await nextTurn();
    if (!stillWanted(key)) return;
    const entry = entries.get(key) as FileEntry;
    const digest = await digestFile(localPathForKey(root, key), entry.size);
    entry.md5 = digest.md5;
    if (digest.multipartEtag !== undefined) entry.multipartEtag = digest.multipartEtag;
  });
}

function guard(plan: Plan, options: ForceCopyOptions): void {
  const push = options.direction === 'push';
  // Counted from the plan, so a source holding only skipped entries (broken
  // links, unsafe keys) counts as empty too.
  const copyable = plan.copies.length + plan.redirects.length + plan.unchanged.length;
  if (copyable === 0 && !options.allowEmpty) {
    throw new RefusedError(
      push
        ? `The directory ${options.root} has nothing to push (it is empty or every entry was skipped), so a push would delete everything under s3://${options.remote.bucket}/${options.remote.prefix}. Nothing was changed. Set allow-empty: true if that is what you want.`
        : `s3://${options.remote.bucket}/${options.remote.prefix} has nothing to pull (it is empty or every key was skipped), so a pull would delete everything in ${options.root}. Nothing was changed. Set allow-empty: true if that is what you want.`,
    );
  }
  if (options.maxDelete !== undefined && plan.deletes.length > options.maxDelete) {
    throw new RefusedError(
      `This run would delete ${plan.deletes.length} ${push ? 'objects' : 'files'}, more than max-delete (${options.maxDelete}). Nothing was changed.`,
    );
  }
  if (!options.dryRun) {
    options.budget.assertCanAfford(push ? pushRequestEstimate(plan) : plan.copies.length);
  }
}
