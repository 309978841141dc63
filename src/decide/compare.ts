import {
  isFolderPlaceholder,
  isMultipartEtag,
  isPlainMd5,
  type LocalEntries,
  type LocalFile,
  type RemoteEntries,
  type RemoteFile,
  type StoresGzipped,
} from '../model/entries.js';

export type Match = 'same' | 'different' | 'unknown';

/**
 * Compares a local file with the object at its key from whatever each side
 * knows. A listed ETag counts as an md5 only when it looks like one; a
 * multipart ETag is compared with the one predicted locally; a file stored
 * compressed is compared by its stored form. 'unknown' means a HEAD could
 * still prove them equal through the `md5` metadata.
 */
export function compareFiles(local: LocalFile, remote: RemoteFile): Match {
  const expectsGzip = local.stored?.encoding === 'gzip';
  const isGzipped = remote.encoding === 'gzip';
  // Another zlib build may compress the same content to other bytes.
  if (expectsGzip && isGzipped && local.md5 !== undefined && local.md5 === remote.md5) return 'same';
  if ((local.stored?.size ?? local.size) !== remote.size) return 'different';
  const listed = remoteFingerprint(remote);
  if (listed !== undefined && localFingerprints(local).includes(listed)) return 'same';
  if (remote.etag !== undefined && !remote.inspected) return 'unknown';
  // The same content by the md5 metadata, unless it is meant to be stored compressed and is not.
  if (local.md5 !== undefined && local.md5 === remote.md5) return expectsGzip && !isGzipped ? 'different' : 'same';
  return 'different';
}

/** The listed ETag, where it identifies the stored bytes. */
function remoteFingerprint(remote: RemoteFile): string | undefined {
  return isPlainMd5(remote.etag) || isMultipartEtag(remote.etag) ? remote.etag : undefined;
}

/** What the bucket would list for this file: its stored form's md5, or its md5 and predicted multipart ETag. */
function localFingerprints(local: LocalFile): (string | undefined)[] {
  if (local.stored !== undefined) return [local.stored.md5];
  return [local.md5, local.multipartEtag];
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
 * Zero-byte objects a HEAD must look at when the bucket is the source: the
 * listing cannot tell a redirect from an empty file, and each becomes one or
 * the other. A folder placeholder the plan leaves alone.
 */
export function zeroByteSourceObjects(remote: RemoteEntries): string[] {
  const keys: string[] = [];
  for (const [key, entry] of remote) {
    if (isUninspectedEmptyFile(entry) && !isFolderPlaceholder(key, entry)) keys.push(key);
  }
  return keys;
}

/**
 * Objects a HEAD must look at when the bucket is the source: the zero-byte
 * ones, and those whose size differs from the local file at their key, which
 * may be that file stored compressed (a HEAD tells, by Content-Encoding and
 * the original's md5): deciding by size alone would download it on every
 * run. Compressed files the `gzip` globs name compare by their stored form.
 */
export function sourceObjectsToInspect(sides: SidesToCompare, force: boolean): string[] {
  const keys = zeroByteSourceObjects(sides.remote);
  if (force) return keys;
  for (const [key, remote] of sides.remote) {
    if (remote.kind !== 'file' || remote.inspected || remote.size === 0) continue;
    const local = sides.local.get(key);
    if (local?.kind !== 'file' || local.size === remote.size || sides.storesGzipped(key, local.size)) continue;
    keys.push(key);
  }
  return keys;
}

/**
 * Local files whose object turned out to be stored compressed with the md5
 * of its original: the comparison needs their md5, which a size difference
 * did not ask for before.
 */
export function originalsToDigest(sides: SidesToCompare): string[] {
  const keys: string[] = [];
  for (const [key, remote] of sides.remote) {
    if (remote.kind !== 'file' || remote.encoding !== 'gzip' || remote.md5 === undefined) continue;
    const local = sides.local.get(key);
    if (local?.kind === 'file' && local.md5 === undefined) keys.push(key);
  }
  return keys;
}

/**
 * Whether a local file is the original of an object stored compressed: what
 * a pull writes for it. Only a pull may ask this; a push of the same file
 * without the `gzip` globs means to store it uncompressed.
 */
export function isOriginalOf(local: LocalFile, remote: RemoteFile): boolean {
  return remote.encoding === 'gzip' && remote.md5 !== undefined && local.md5 === remote.md5;
}

/**
 * Zero-byte objects a HEAD must look at when the bucket is the destination:
 * those the directory also has, to tell whether they already hold what it
 * would write. A forced push overwrites whatever is there, so it learns nothing.
 */
export function zeroByteDestinationObjects(sides: SidesToCompare, force: boolean): string[] {
  if (force) return [];
  const keys: string[] = [];
  for (const [key, entry] of sides.remote) {
    if (!isUninspectedEmptyFile(entry)) continue;
    const local = sides.local.get(key);
    if (local !== undefined && local.kind !== 'opaque') keys.push(key);
  }
  return keys;
}

function isUninspectedEmptyFile(entry: RemoteFile | { kind: 'redirect' }): entry is RemoteFile {
  return entry.kind === 'file' && !entry.inspected && entry.size === 0;
}

/**
 * Same-size objects whose listed ETag neither proves nor disproves equality
 * with the local md5 (KMS, another tool's multipart upload): a HEAD reads
 * their `md5` metadata. Needs the local md5s first.
 */
export function undecidedKeysToInspect(sides: SidesToCompare, force: boolean): string[] {
  if (force) return [];
  const keys: string[] = [];
  for (const [key, remote] of sides.remote) {
    if (remote.kind !== 'file' || remote.inspected || remote.size === 0) continue;
    const local = sides.local.get(key);
    if (local?.kind === 'file' && compareFiles(local, remote) === 'unknown') keys.push(key);
  }
  return keys;
}

/** What the comparison reads of both sides. */
export interface SidesToCompare {
  local: LocalEntries;
  remote: RemoteEntries;
  storesGzipped: StoresGzipped;
}
