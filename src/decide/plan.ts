import { deployWaves } from '../sync/deploy-order.js';
import { nameCollisionWarnings } from './collisions.js';
import { compareFiles } from './compare.js';
import { isFolderPlaceholder, type Entry, type FileEntry, type Inventory, type RedirectEntry } from '../model/entries.js';
import { keysForRedirectLocation, unsafeKeyReason } from '../model/keys.js';

export type CopyReason =
  | 'new'
  | 'md5 differs'
  | 'forced'
  | 'replaces a redirect'
  | 'replaces something else'
  | 'headers changed (too large to copy in place)';

export interface FileCopy {
  key: string;
  entry: FileEntry;
  reason: CopyReason;
}

export interface RedirectCopy {
  key: string;
  /** Target key, relative to the prefix. */
  target: string;
  /** WebsiteRedirectLocation as the source holds it. */
  location: string;
  reason: 'new' | 'target differs' | 'replaces a file' | 'forced';
}

/** An object whose content is up to date but whose headers the rules now set otherwise. */
export interface HeaderUpdate {
  key: string;
  /** The object as the destination holds it. */
  entry: FileEntry | RedirectEntry;
  reason: 'headers changed';
}

export interface Removal {
  key: string;
  entry: Entry;
}

export interface Warning {
  key: string;
  message: string;
}

export interface Plan {
  copies: FileCopy[];
  redirects: RedirectCopy[];
  updates: HeaderUpdate[];
  deletes: Removal[];
  unchanged: string[];
  warnings: Warning[];
}

export interface PlanOptions {
  prefix: string;
  /** Delete what the source does not have. */
  delete: boolean;
  /** Copy every file whatever its md5 (the `force` input). */
  force: boolean;
  /**
   * The fingerprint of the headers the rules give a key now (push only). An
   * unchanged object whose recorded fingerprint differs is updated in place.
   */
  headersFingerprint?: (key: string, entry: Entry) => string;
}

/** CopyObject copies at most 5 GiB in one request; a larger object is uploaded again instead. */
export const COPY_IN_PLACE_LIMIT = 5 * 1024 ** 3;

/**
 * Decides what to do to make the destination an exact copy of the source.
 * Pure: both inventories must already be resolved (md5s computed, ambiguous
 * objects inspected). Entries the source cannot copy are reported and the
 * destination is left alone at those keys. Copies come in apply order
 * (apply-order.ts), so the report reads the order from the plan.
 */
export function plan(source: Inventory, destination: Inventory, options: PlanOptions): Plan {
  const result: Plan = { copies: [], redirects: [], updates: [], deletes: [], unchanged: [], warnings: [] };
  const untouchable = new Set<string>();
  // A skipped link to a folder (or anything opaque) says nothing about the
  // keys below its name: they are left alone rather than deleted.
  const untouchableFolders = new Set<string>();
  const shadowedFiles = filesShadowedByFolders(source);

  const sourceKeys = [...source.keys()].sort();
  for (const key of sourceKeys) {
    const entry = source.get(key) as Entry;
    // An empty "folder/" object (what the S3 console's "Create folder" makes)
    // is a placeholder with nothing to mirror; leaving it alone is not news.
    if (isFolderPlaceholder(key, entry)) {
      untouchable.add(key);
      continue;
    }
    const skip = skipReason(key, entry, shadowedFiles);
    if (skip !== undefined) {
      result.warnings.push({ key, message: skip });
      untouchable.add(key);
      if (entry.kind === 'opaque') untouchableFolders.add(key);
      continue;
    }
    const existing = destination.get(key);
    if (entry.kind === 'file') {
      const reason = fileCopyReason(entry, existing, options.force);
      if (reason !== undefined) result.copies.push({ key, entry, reason });
      else if (!headersChanged(key, entry, existing, options)) result.unchanged.push(key);
      else if ((existing as FileEntry).size > COPY_IN_PLACE_LIMIT) {
        result.copies.push({ key, entry, reason: 'headers changed (too large to copy in place)' });
      } else result.updates.push({ key, entry: existing as FileEntry, reason: 'headers changed' });
    } else if (entry.kind === 'redirect') {
      const target = resolveRedirect(options.prefix, entry.location, source);
      if (!target.ok) {
        result.warnings.push({ key, message: `Skipped redirect: ${target.reason}` });
        untouchable.add(key);
        continue;
      }
      if (target.key === key) {
        result.warnings.push({ key, message: 'Skipped redirect: it points to itself' });
        untouchable.add(key);
        continue;
      }
      // A redirect to nothing would be a 404 on the website and a dangling link on disk.
      const end = chainEnd(options.prefix, key, target.key, source, shadowedFiles);
      if (!end.ok) {
        result.warnings.push({ key, message: `Skipped redirect: ${end.reason}` });
        untouchable.add(key);
        continue;
      }
      const reason = redirectCopyReason(options.prefix, [target.key, end.key], existing, destination, options.force);
      if (reason !== undefined) result.redirects.push({ key, target: target.key, location: entry.location, reason });
      else if (!headersChanged(key, entry, existing, options)) result.unchanged.push(key);
      else result.updates.push({ key, entry: existing as RedirectEntry, reason: 'headers changed' });
    }
  }

  result.copies = deployWaves(result.copies).flat();

  if (options.delete) {
    const onlyInDestination = [...destination.keys()].filter((key) => !source.has(key));
    for (const key of onlyInDestination.sort()) {
      if (!untouchable.has(key) && !isBelowAny(key, untouchableFolders)) {
        const entry = destination.get(key) as Entry;
        // A local name that is not a safe key has no path the pull may touch: keep it, as the bucket's own.
        const unsafe = entry.kind === 'opaque' ? unsafeKeyReason(key) : undefined;
        if (unsafe !== undefined) result.warnings.push({ key, message: `Kept: its name is not a safe key: ${unsafe}` });
        else result.deletes.push({ key, entry });
      }
    }
  }
  result.warnings.push(...nameCollisionWarnings(sourceKeys));
  return result;
}

/** Whether the destination recorded other headers for an object than the rules give it now. */
function headersChanged(key: string, entry: Entry, existing: Entry | undefined, options: PlanOptions): boolean {
  if (options.headersFingerprint === undefined || existing === undefined || existing.kind === 'opaque') return false;
  return existing.headers !== undefined && existing.headers !== options.headersFingerprint(key, entry);
}

function isBelowAny(key: string, folders: Set<string>): boolean {
  if (folders.size === 0) return false;
  for (let slash = key.indexOf('/'); slash !== -1; slash = key.indexOf('/', slash + 1)) {
    if (folders.has(key.slice(0, slash))) return true;
  }
  return false;
}

function skipReason(key: string, entry: Entry, shadowedFiles: Set<string>): string | undefined {
  if (entry.kind === 'opaque') return `Skipped: ${entry.reason}`;
  const unsafe = unsafeKeyReason(key);
  if (unsafe !== undefined) return `Skipped unsafe key: ${unsafe}`;
  if (shadowedFiles.has(key)) {
    return 'Skipped: other keys use this name as a folder, and a local file and folder cannot share a name';
  }
  return undefined;
}

/** Keys that are also used as a folder by other keys ("abc" beside "abc/x"). */
function filesShadowedByFolders(source: Inventory): Set<string> {
  const shadowed = new Set<string>();
  // Each folder is looked up once, from its deepest key up: a folder seen
  // before had its own folders seen with it.
  const folders = new Set<string>();
  for (const key of source.keys()) {
    for (let slash = key.lastIndexOf('/'); slash !== -1; slash = key.lastIndexOf('/', slash - 1)) {
      const folder = key.slice(0, slash);
      if (folders.has(folder)) break;
      folders.add(folder);
      if (source.has(folder)) shadowed.add(folder);
    }
  }
  return shadowed;
}

function fileCopyReason(entry: FileEntry, existing: Entry | undefined, force: boolean): CopyReason | undefined {
  if (existing === undefined) return 'new';
  if (existing.kind === 'redirect') return 'replaces a redirect';
  if (existing.kind === 'opaque') return 'replaces something else';
  if (force) return 'forced';
  return compareFiles(entry, existing) === 'same' ? undefined : 'md5 differs';
}

/**
 * `targets` are the redirect's first hop and the file its chain reaches: the
 * bucket records a redirect by its first hop, a local link by its end, and
 * either one pointing there means the destination already leads the same way.
 */
function redirectCopyReason(
  prefix: string,
  targets: [string, string],
  existing: Entry | undefined,
  destination: Inventory,
  force: boolean,
): RedirectCopy['reason'] | undefined {
  if (existing === undefined) return 'new';
  // A forced push does not HEAD zero-byte objects, so it cannot tell a redirect from an empty file.
  if (force) return 'forced';
  if (existing.kind !== 'redirect') return 'replaces a file';
  const current = resolveRedirect(prefix, existing.location, destination);
  return current.ok && targets.includes(current.key) ? undefined : 'target differs';
}

/**
 * The file a redirect finally leads to, through any redirects on the way
 * (the bucket can hold such a chain when a push skipped a name and kept its
 * old redirect). A local link is recorded by that end, since the scan
 * follows links to it, so a pull compares by it: comparing by the first hop
 * alone would relink a chain on every run. A chain through a key the plan
 * skips (one used as a folder, say) would end at no local file, so it fails.
 */
function chainEnd(
  prefix: string,
  key: string,
  first: string,
  source: Inventory,
  shadowedFiles: Set<string>,
): ResolvedRedirect {
  const passed = new Set([key]);
  let current = first;
  for (;;) {
    const entry = source.get(current);
    const where = current === first ? `its target ${first}` : `it leads through ${first} to ${current}, which`;
    if (entry === undefined || entry.kind === 'opaque') return { ok: false, reason: `${where} is not in the source` };
    if (skipReason(current, entry, shadowedFiles) !== undefined) return { ok: false, reason: `${where} is skipped` };
    if (entry.kind === 'file') return { ok: true, key: current };
    if (passed.has(current)) return { ok: false, reason: `it leads through ${first} into a loop of redirects` };
    passed.add(current);
    const next = resolveRedirect(prefix, entry.location, source);
    if (!next.ok) return { ok: false, reason: `it leads through ${first} to a redirect that cannot be followed` };
    current = next.key;
  }
}

type ResolvedRedirect = { ok: true; key: string } | { ok: false; reason: string };

/** Picks the reading of a location that names a key the inventory has. */
function resolveRedirect(prefix: string, location: string, inventory: Inventory): ResolvedRedirect {
  const target = keysForRedirectLocation(prefix, location);
  if (!target.ok) return target;
  const existing = target.candidates.find((candidate) => inventory.has(candidate));
  return { ok: true, key: existing ?? (target.candidates[0] as string) };
}
