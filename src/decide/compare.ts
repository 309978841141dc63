import { isFolderPlaceholder, isMultipartEtag, isPlainMd5, type FileEntry, type Inventory } from '../model/entries.js';

export type Match = 'same' | 'different' | 'unknown';

/**
 * Compares two file entries from whatever each side knows. A listed ETag
 * counts as an md5 only when it looks like one; a multipart ETag is compared
 * with the one predicted locally; a file stored compressed is compared by
 * its stored form. 'unknown' means a HEAD could still prove them equal
 * through the `md5` metadata.
 */
export function compareFiles(a: FileEntry, b: FileEntry): Match {
  // A compressed object known to hold the same content: another zlib build may compress it to other bytes.
  if (expectsGzip(a, b) && isGzipped(a, b) && a.md5 !== undefined && a.md5 === b.md5) return 'same';
  if (storedSize(a) !== storedSize(b)) return 'different';
  if (overlaps(storedFingerprints(a), storedFingerprints(b))) return 'same';
  const remote = isRemote(a) ? a : isRemote(b) ? b : undefined;
  if (remote !== undefined && !remote.inspected) return 'unknown';
  // The same content by the md5 metadata: the same object, unless it is meant to be stored compressed and is not.
  if (a.md5 !== undefined && a.md5 === b.md5) return expectsGzip(a, b) && !isGzipped(a, b) ? 'different' : 'same';
  return 'different';
}

function isRemote(entry: FileEntry): boolean {
  return entry.etag !== undefined || entry.inspected === true;
}

function storedSize(entry: FileEntry): number {
  return entry.stored?.size ?? entry.size;
}

/** What identifies the stored bytes: the listed ETag, or the local md5 (or predicted multipart ETag) of what would be stored. */
function storedFingerprints(entry: FileEntry): string[] {
  if (entry.stored !== undefined) return [entry.stored.md5];
  const result: string[] = [];
  if (isPlainMd5(entry.etag) || isMultipartEtag(entry.etag)) result.push(entry.etag as string);
  if (!isRemote(entry) && entry.md5 !== undefined) result.push(entry.md5);
  if (entry.multipartEtag !== undefined) result.push(entry.multipartEtag);
  return result;
}

function overlaps(a: string[], b: string[]): boolean {
  return a.some((fingerprint) => b.includes(fingerprint));
}

function expectsGzip(a: FileEntry, b: FileEntry): boolean {
  return a.stored?.encoding === 'gzip' || b.stored?.encoding === 'gzip';
}

function isGzipped(a: FileEntry, b: FileEntry): boolean {
  return a.encoding === 'gzip' || b.encoding === 'gzip';
}

/**
 * The local files still to hash for the plan: those the bucket has at the
 * same size, since a size difference already decides, and whose md5 the scan
 * has not taken yet. Nothing when forced, which copies every file anyway. A
 * pushed file's md5 for its metadata is taken from the bytes read to upload it.
 */
export function localFilesToDigest(sides: SidesToCompare, force: boolean): string[] {
  if (force) return [];
  const keys: string[] = [];
  for (const [key, entry] of sides.local) {
    if (entry.kind !== 'file' || entry.md5 !== undefined) continue;
    const other = sides.remote.get(key);
    // A file stored compressed has a stored size that only compressing it tells.
    if (other?.kind === 'file' && (other.size === entry.size || sides.storesGzipped(key, entry.size))) keys.push(key);
  }
  return keys;
}

/**
 * Zero-byte objects a HEAD must look at, since the listing cannot tell a
 * redirect from an empty file: every pulled one (to make a file or a link),
 * and on push those the directory also has. Known from the listing alone, so
 * these HEADs run while the local files are hashed.
 */
export function zeroByteKeysToInspect(sides: SidesToCompare, force: boolean): string[] {
  const keys: string[] = [];
  for (const [key, remoteEntry] of sides.remote) {
    if (remoteEntry.kind !== 'file' || remoteEntry.inspected || remoteEntry.size !== 0) continue;
    if (sides.remoteIsSource) {
      if (!isFolderPlaceholder(key, remoteEntry)) keys.push(key); // a placeholder the plan leaves alone
      continue;
    }
    // A forced push overwrites whatever is there, so there is nothing to learn.
    const localEntry = sides.local.get(key);
    if (!force && localEntry !== undefined && localEntry.kind !== 'opaque') keys.push(key);
  }
  return keys;
}

/**
 * Same-size objects whose listed ETag neither proves nor disproves equality
 * with the local md5 (KMS, another tool's multipart upload): a HEAD reads
 * their `md5` metadata. Needs the local md5s first.
 */
export function undecidedKeysToInspect(sides: SidesToCompare, force: boolean): string[] {
  if (force) return [];
  const keys: string[] = [];
  for (const [key, remoteEntry] of sides.remote) {
    if (remoteEntry.kind !== 'file' || remoteEntry.inspected || remoteEntry.size === 0) continue;
    const localEntry = sides.local.get(key);
    if (localEntry?.kind === 'file' && compareFiles(localEntry, remoteEntry) === 'unknown') keys.push(key);
  }
  return keys;
}

/** What the comparison reads of both sides. */
export interface SidesToCompare {
  local: Inventory;
  remote: Inventory;
  remoteIsSource: boolean;
  /** Whether a local file is stored gzip-compressed in the bucket (the `gzip` input). */
  storesGzipped: StoresGzipped;
}

export type StoresGzipped = (key: string, size: number) => boolean;
