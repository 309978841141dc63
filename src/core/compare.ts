import {
  isFolderPlaceholder,
  isMultipartEtag,
  isPlainMd5,
  type Entry,
  type FileEntry,
  type Inventory,
} from './inventory.js';

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
export function localFilesToDigest(local: Inventory, remote: Inventory, force: boolean): string[] {
  if (force) return [];
  const keys: string[] = [];
  for (const [key, entry] of local) {
    if (entry.kind !== 'file') continue;
    const other = remote.get(key);
    if (other?.kind === 'file' && other.size === entry.size) keys.push(key);
  }
  return keys;
}

/**
 * The remote keys the listing cannot decide, so they need one HEAD each:
 * zero-byte objects that the other side also has (they may be redirects),
 * pulled zero-byte objects (to know whether to make a file or a link), and
 * same-size files whose ETag does not prove equality.
 */
export function remoteKeysToInspect(
  local: Inventory,
  remote: Inventory,
  remoteIsSource: boolean,
  force: boolean,
): string[] {
  const keys: string[] = [];
  for (const [key, remoteEntry] of remote) {
    if (remoteEntry.kind !== 'file' || remoteEntry.inspected) continue;
    const localEntry: Entry | undefined = local.get(key);
    if (remoteEntry.size === 0 && remoteIsSource) {
      if (isFolderPlaceholder(key, remoteEntry)) continue; // the plan leaves it alone
      keys.push(key);
      continue;
    }
    // A forced push overwrites whatever is there, so there is nothing to learn.
    if (force || localEntry === undefined || localEntry.kind === 'opaque') continue;
    if (remoteEntry.size === 0) {
      keys.push(key);
      continue;
    }
    if (localEntry.kind !== 'file') continue;
    if (compareFiles(localEntry, remoteEntry) === 'unknown') keys.push(key);
  }
  return keys;
}
