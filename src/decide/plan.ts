import { isFolderPlaceholder, type Entry, type FileOf, type FolderTag, type OpaqueEntry } from '../model/entries.js';
import { sameFolderTag } from '../model/link-tags.js';
import { keysForRedirectLocation, someFolderOf, someFolderOfUpwards, unsafeKeyReason } from '../model/keys.js';
import type { CopyReason, Plan, RedirectCopy } from '../model/plan.js';
import { nameCollisionWarnings } from './collisions.js';
import { untrustedFolderLinks } from './folder-links.js';

export interface PlanRules<S extends Entry, D extends Entry> {
  prefix: string;
  /** Delete what the source does not have. */
  delete: boolean;
  /** Copy every file whatever its md5 (the `force` input). */
  force: boolean;
  /** Whether a source file and the destination's file at its key hold the same content. */
  sameFile: (source: FileOf<S>, destination: FileOf<D>) => boolean;
  /**
   * The fingerprint of the headers the rules give a key now (push with a
   * manifest). An unchanged object whose recorded fingerprint differs is updated in place.
   */
  headersFingerprint?: (key: string, entry: S) => string;
  /** Check that the source's symlinks to folders are whole (a bucket's: other tools may have changed them). */
  verifyFolderLinks?: boolean;
}

export interface Sides<S extends Entry, D extends Entry> {
  source: ReadonlyMap<string, S>;
  destination: ReadonlyMap<string, D>;
}

/** CopyObject copies at most 5 GiB in one request; a larger object is uploaded again instead. */
const COPY_IN_PLACE_LIMIT = 5 * 1024 ** 3;

/**
 * Decides what to do to make the destination an exact copy of the source.
 * Pure: both inventories must already be resolved (md5s computed, ambiguous
 * objects inspected). Entries the source cannot copy are reported and the
 * destination is left alone at those keys.
 */
export function plan<S extends Entry, D extends Entry>(sides: Sides<S, D>, rules: PlanRules<S, D>): Plan<S, D> {
  const result: Plan<S, D> = { copies: [], redirects: [], updates: [], deletes: [], unchanged: [], warnings: [] };
  const folderLinks = rules.verifyFolderLinks
    ? untrustedFolderLinks(sides.source, rules.prefix)
    : { untrusted: new Set<string>(), warnings: [] };
  result.warnings.push(...folderLinks.warnings);
  const planning: Planning<S, D> = {
    ...sides,
    rules,
    result,
    untouchable: new Set(),
    untouchableFolders: new Set(),
    shadowedFiles: filesShadowedByFolders(sides.source),
    untrustedFolderLinks: folderLinks.untrusted,
  };
  const sourceKeys = [...sides.source.keys()].sort();
  for (const key of sourceKeys) planKey(key, sides.source.get(key) as S, planning);
  if (rules.delete) planDeletes(planning);
  result.warnings.push(...nameCollisionWarnings(sourceKeys));
  return result;
}

/** One plan in the making: the sides, the rules, and the keys the destination keeps whatever it holds. */
interface Planning<S extends Entry, D extends Entry> extends Sides<S, D> {
  rules: PlanRules<S, D>;
  result: Plan<S, D>;
  untouchable: Set<string>;
  /** A skipped entry says nothing about the keys below its name: they are left alone. */
  untouchableFolders: Set<string>;
  shadowedFiles: Set<string>;
  /** Symlinks to folders the source holds no longer whole: their redirects are copied one by one. */
  untrustedFolderLinks: Set<string>;
}

function planKey<S extends Entry, D extends Entry>(key: string, entry: S, planning: Planning<S, D>): void {
  // An empty "folder/" object has nothing to mirror; leaving it alone is not news.
  if (isFolderPlaceholder(key, entry)) {
    planning.untouchable.add(key);
    return;
  }
  const skip = skipReason(key, entry, planning.shadowedFiles);
  if (skip !== undefined) {
    planning.result.warnings.push({ key, message: skip });
    planning.untouchable.add(key);
    if (entry.kind === 'opaque') planning.untouchableFolders.add(key);
    return;
  }
  if (entry.kind === 'file') planFile(key, entry as FileOf<S>, planning);
  else if (entry.kind === 'redirect') planRedirect(key, entry as Extract<S, { kind: 'redirect' }>, planning);
}

function planFile<S extends Entry, D extends Entry>(key: string, entry: FileOf<S>, planning: Planning<S, D>): void {
  const { result, rules } = planning;
  const existing = planning.destination.get(key);
  const reason = fileCopyReason(entry, existing, rules);
  if (reason !== undefined) result.copies.push({ key, entry, reason });
  else if (!headersChanged(key, entry, existing, rules)) result.unchanged.push(key);
  else if ((existing as FileOf<D>).size > COPY_IN_PLACE_LIMIT) {
    result.copies.push({ key, entry, reason: 'headers changed (too large to copy in place)' });
  } else {
    const { md5 } = entry as FileOf<Entry>;
    const update = { key, entry: existing as Exclude<D, OpaqueEntry>, reason: 'headers changed' as const };
    result.updates.push(md5 === undefined ? update : { ...update, md5 });
  }
}

function planRedirect<S extends Entry, D extends Entry>(
  key: string,
  entry: Extract<S, { kind: 'redirect' }>,
  planning: Planning<S, D>,
): void {
  const { result, rules, source } = planning;
  const skip = (message: string) => {
    result.warnings.push({ key, message: `Skipped redirect: ${message}` });
    // The destination may hold a folder at its name (a local link to one): left alone too.
    planning.untouchable.add(key);
    planning.untouchableFolders.add(key);
  };
  const target = resolveRedirect(rules.prefix, entry.location, source);
  if (!target.ok) return skip(target.reason);
  if (target.key === key) return skip('it points to itself');
  // A redirect to nothing would be a 404 on the website and a dangling link on disk.
  const end = chainEnd(rules.prefix, key, target.key, source, planning.shadowedFiles);
  if (!end.ok) return skip(end.reason);
  const existing = planning.destination.get(key);
  const folder =
    entry.folder !== undefined && !planning.untrustedFolderLinks.has(entry.folder.link) ? entry.folder : undefined;
  const reason =
    redirectCopyReason(rules.prefix, [target.key, end.key], existing, planning.destination, rules.force) ??
    folderTagReason(folder, existing);
  if (reason !== undefined) {
    const copy = { key, target: target.key, location: entry.location, reason };
    result.redirects.push(folder === undefined ? copy : { ...copy, folder });
  } else if (!headersChanged(key, entry, existing, rules)) result.unchanged.push(key);
  else result.updates.push({ key, entry: existing as Exclude<D, OpaqueEntry>, reason: 'headers changed' });
}

function planDeletes<S extends Entry, D extends Entry>(planning: Planning<S, D>): void {
  const { source, destination, result } = planning;
  const onlyInDestination = [...destination.keys()].filter((key) => !source.has(key));
  for (const key of onlyInDestination.sort()) {
    if (planning.untouchable.has(key) || isBelowAny(key, planning.untouchableFolders)) continue;
    const entry = destination.get(key) as D;
    // A local name that is not a safe key has no path the pull may touch: keep it, as the bucket's own.
    const unsafe = entry.kind === 'opaque' ? unsafeKeyReason(key) : undefined;
    if (unsafe !== undefined) result.warnings.push({ key, message: `Kept: its name is not a safe key: ${unsafe}` });
    else result.deletes.push({ key, entry });
  }
}

/** Whether the destination recorded other headers for an object than the rules give it now. */
function headersChanged<S extends Entry, D extends Entry>(
  key: string,
  entry: S,
  existing: D | undefined,
  rules: PlanRules<S, D>,
): boolean {
  if (rules.headersFingerprint === undefined || existing === undefined || !('headers' in existing)) return false;
  return existing.headers !== undefined && existing.headers !== rules.headersFingerprint(key, entry);
}

function isBelowAny(key: string, folders: Set<string>): boolean {
  return folders.size > 0 && someFolderOf(key, (folder) => folders.has(folder));
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
function filesShadowedByFolders(source: ReadonlyMap<string, Entry>): Set<string> {
  const shadowed = new Set<string>();
  // Each folder is looked up once, from its deepest key up: a folder seen
  // before had its own folders seen with it.
  const folders = new Set<string>();
  for (const key of source.keys()) {
    someFolderOfUpwards(key, (folder) => {
      if (folders.has(folder)) return true;
      folders.add(folder);
      if (source.has(folder)) shadowed.add(folder);
      return false;
    });
  }
  return shadowed;
}

function fileCopyReason<S extends Entry, D extends Entry>(
  entry: FileOf<S>,
  existing: D | undefined,
  rules: PlanRules<S, D>,
): CopyReason | undefined {
  if (existing === undefined) return 'new';
  if (existing.kind === 'redirect') return 'replaces a redirect';
  if (existing.kind === 'opaque') return 'replaces something else';
  if (rules.force) return 'forced';
  return rules.sameFile(entry, existing as FileOf<D>) ? undefined : 'md5 differs';
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
  destination: ReadonlyMap<string, Entry>,
  force: boolean,
): RedirectCopy['reason'] | undefined {
  if (existing === undefined) return 'new';
  // A forced push does not HEAD zero-byte objects, so it cannot tell a redirect from an empty file.
  if (force) return 'forced';
  if (existing.kind !== 'redirect') return 'replaces a file';
  const current = resolveRedirect(prefix, existing.location, destination);
  return current.ok && targets.includes(current.key) ? undefined : 'target differs';
}

/** A redirect that leads the right way but stands for another symlink (to a folder, or none) is written again. */
function folderTagReason(
  folder: FolderTag | undefined,
  existing: Entry | undefined,
): RedirectCopy['reason'] | undefined {
  if (existing?.kind !== 'redirect') return undefined;
  return sameFolderTag(folder, existing.folder) ? undefined : 'symlink differs';
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
  source: ReadonlyMap<string, Entry>,
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
function resolveRedirect(prefix: string, location: string, inventory: ReadonlyMap<string, Entry>): ResolvedRedirect {
  const target = keysForRedirectLocation(prefix, location);
  if (!target.ok) return target;
  const existing = target.candidates.find((candidate) => inventory.has(candidate));
  return { ok: true, key: existing ?? (target.candidates[0] as string) };
}
