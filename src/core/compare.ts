import { isFolderPlaceholder, isMultipartEtag, isPlainMd5, type FileEntry, type Inventory } from './inventory.js';

export type Match = 'same' | 'different' | 'unknown';

/**
 * Compares two file entries from whatever each side knows. A listed ETag
 * counts as an md5 only when it looks like one; a multipart ETag is compared
 * with the one predicted locally. 'unknown' means a HEAD could still prove
 * them equal through the `md5` metadata.
 */
export function compareFiles(a: FileEntry, b: FileEntry): Match {
  if (a.size !== b.size) return 'different';
  const fingerprintsA = fingerprints(a);
  for (const fingerprint of fingerprints(b)) {
    if (fingerprintsA.has(fingerprint)) return 'same';
  }
  const remote = a.etag !== undefined ? a : b.etag !== undefined ? b : undefined;
  if (remote !== undefined && !remote.inspected) return 'unknown';
  return 'different';
}

function fingerprints(entry: FileEntry): Set<string> {
  const result = new Set<string>();
  if (entry.md5 !== undefined) result.add(entry.md5);
  if (isPlainMd5(entry.etag)) result.add(entry.etag);
  if (isMultipartEtag(entry.etag)) result.add(entry.etag as string);
  if (entry.multipartEtag !== undefined) result.add(entry.multipartEtag);
  return result;
}

/**
 * The local files whose md5 the plan needs: those the bucket has at the same
 * size, since a size difference already decides. Nothing when forced, which
 * copies every file anyway. A pushed file's md5 for its metadata is taken
 * from the bytes read to upload it.
 */
export function localFilesToDigest(sides: SidesToCompare, force: boolean): string[] {
  if (force) return [];
  const keys: string[] = [];
  for (const [key, entry] of sides.local) {
    if (entry.kind !== 'file') continue;
    const other = sides.remote.get(key);
    if (other?.kind === 'file' && other.size === entry.size) keys.push(key);
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
}
