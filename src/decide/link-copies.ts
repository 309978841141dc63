import type { LocalEntries, RemoteEntries, RemoteEntry, RemoteFile } from '../model/entries.js';
import { redirectLocationForKey } from '../model/keys.js';

/**
 * Objects a push HEADs to learn whether they are copies for the same
 * symlinks (`links: copy`), or copies for symlinks where a file now is:
 * those at the keys of local link copies, and those that may be a copy
 * (possibleLinkCopies) at a local file's key, that neither a HEAD nor the
 * manifest has described. A forced push copies anyway.
 */
export function linkCopiesToInspect(local: LocalEntries, remote: RemoteEntries, force: boolean): string[] {
  if (force) return [];
  const keys = new Set(possibleLinkCopies(remote).filter((key) => local.get(key)?.kind === 'file'));
  for (const [key, entry] of local) {
    const other = entry.kind === 'file' && entry.link !== undefined ? remote.get(key) : undefined;
    if (other?.kind === 'file' && !other.inspected) keys.add(key);
  }
  return [...keys];
}

/**
 * Objects a pull HEADs to learn whether they are copies for symlinks: a
 * copy made server-side lists the ETag of the object it copies, so only
 * files whose ETag another listed object shares can be one.
 */
export function possibleLinkCopies(remote: RemoteEntries): string[] {
  const byEtag = new Map<string, string[]>();
  for (const [key, entry] of remote) {
    if (entry.kind !== 'file' || entry.inspected || entry.etag === undefined || entry.size === 0) continue;
    const same = byEtag.get(entry.etag);
    if (same === undefined) byEtag.set(entry.etag, [key]);
    else same.push(key);
  }
  return [...byEtag.values()].filter((keys) => keys.length > 1).flat();
}

/**
 * A pull reads a copy for a symlink as the redirect it stands for, whatever
 * `links` says, so it makes the symlink again (one for a whole folder) and
 * compares it as one. A copy whose target the bucket lacks, or that holds
 * other bytes than its target now (another tool rewrote one), stays a file.
 */
export function linkCopiesAsRedirects(remote: RemoteEntries, prefix: string): void {
  // Decided on the listing as it is, so a copy of a copy is read the same whatever the order.
  const copies = [...remote].filter(
    ([, entry]) =>
      entry.kind === 'file' && entry.link !== undefined && holdsBytesOf(entry, remote.get(entry.link.target)),
  );
  for (const [key, entry] of copies) {
    if (entry.kind !== 'file' || entry.link === undefined) continue;
    const { folder } = entry.link;
    const location = redirectLocationForKey(prefix, entry.link.target);
    remote.set(key, {
      kind: 'redirect',
      location,
      ...(entry.etag === undefined ? {} : { etag: entry.etag }),
      ...(folder === undefined ? {} : { folder }),
    });
  }
}

/**
 * Whether a copy still holds its target's bytes: the same ETag (CopyObject
 * keeps it), or the same md5 where the ETags are not md5s (KMS, a multipart
 * target). A link would serve the target's bytes, so a stale copy is a file,
 * with the manifest or without, however many other objects share its ETag.
 */
function holdsBytesOf(copy: RemoteFile, target: RemoteEntry | undefined): boolean {
  if (target?.kind !== 'file') return false;
  if (copy.etag !== undefined && copy.etag === target.etag) return true;
  return copy.md5 !== undefined && copy.md5 === target.md5;
}
