import { remoteFile, type RemoteEntries } from '../model/entries.js';
import { keyHash, type Manifest } from './format.js';

/**
 * Fills in, from the manifest, what only a HEAD could say of a listed
 * object (its md5, that it is a redirect and where to, its headers), for
 * every object whose listed size and ETag are exactly those recorded.
 * Returns how many entries it trusted.
 */
export function trustManifest(remote: RemoteEntries, manifest: Manifest): number {
  let trusted = 0;
  for (const [key, entry] of remote) {
    if (entry.kind !== 'file' || entry.inspected || entry.etag === undefined) continue;
    const record = manifest.records.get(keyHash(key));
    if (record === undefined || record.size !== entry.size || record.etag !== entry.etag) continue;
    if (record.modified !== undefined && record.modified !== entry.modified) continue;
    if (record.location !== undefined && entry.size === 0) {
      remote.set(key, {
        kind: 'redirect',
        location: record.location,
        etag: record.etag,
        ...(record.headers === undefined ? {} : { headers: record.headers }),
        ...(entry.modified === undefined ? {} : { modified: entry.modified }),
        ...(record.folder === undefined ? {} : { folder: record.folder }),
      });
    } else if (record.md5 !== undefined) {
      // A new entry with every field at once (see newRecord), whose md5 is the
      // listing's ETag string where they are equal, not the manifest's copy.
      const md5 = record.md5 === record.etag ? entry.etag : record.md5;
      const trustedEntry = remoteFile(entry.size, entry.etag, entry.modified, { md5 });
      if (record.encoding !== undefined) trustedEntry.encoding = record.encoding;
      if (record.headers !== undefined) trustedEntry.headers = record.headers;
      if (record.linkFile !== undefined) {
        trustedEntry.link =
          record.folder === undefined
            ? { target: record.linkFile }
            : { target: record.linkFile, folder: record.folder };
      }
      remote.set(key, trustedEntry);
    } else {
      continue;
    }
    trusted += 1;
  }
  return trusted;
}
