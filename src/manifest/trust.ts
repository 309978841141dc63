import { remoteFile, type RemoteEntries, type RemoteEntry } from '../model/entries.js';
import { keyHash, type Manifest, type ManifestRecord } from './format.js';

/** What trusting the manifest told: how many entries it filled in, and the objects written since it. */
export interface Trust {
  trusted: number;
  /** Listed with the size and ETag recorded but written after the manifest: a HEAD must say what they are now. */
  rewritten: string[];
}

/**
 * Fills in, from the manifest, what only a HEAD could say of a listed
 * object (its md5, that it is a redirect and where to, its headers), for
 * every object whose listed size and ETag are exactly those recorded and
 * that was not written after the manifest.
 */
export function trustManifest(remote: RemoteEntries, manifest: Manifest): Trust {
  const trust: Trust = { trusted: 0, rewritten: [] };
  for (const [key, entry] of remote) {
    if (entry.kind !== 'file' || entry.inspected || entry.etag === undefined) continue;
    const record = manifest.records.get(keyHash(key));
    if (record === undefined || record.size !== entry.size || record.etag !== entry.etag) continue;
    if (record.modified !== undefined && record.modified !== entry.modified) continue;
    if (writtenSince(manifest, entry.modified)) {
      trust.rewritten.push(key);
      continue;
    }
    const trusted = trustedEntry(record, entry);
    if (trusted === undefined) continue;
    remote.set(key, trusted);
    trust.trusted += 1;
  }
  return trust;
}

/**
 * Whether an object was written after the manifest, in whole seconds: the
 * GET's Last-Modified has no finer resolution, nor has S3's listing. An
 * object of the manifest's own second is taken as written before it: its run
 * writes every object before the manifest, most often within that second,
 * and distrusting them would cost a no-op run a HEAD each. Only another
 * write in the rest of that very second goes unseen.
 */
export function writtenSince(manifest: Manifest, modified: number | undefined): boolean {
  if (manifest.modified === undefined || modified === undefined) return false;
  return Math.floor(modified / 1000) > Math.floor(manifest.modified / 1000);
}

/** Whether no listed object was written after the manifest, so it still describes the bucket. */
export function isCurrent(manifest: Manifest, remote: RemoteEntries): boolean {
  for (const entry of remote.values()) if (writtenSince(manifest, entry.modified)) return false;
  return true;
}

function trustedEntry(record: ManifestRecord, entry: RemoteEntry & { kind: 'file' }): RemoteEntry | undefined {
  if (record.location !== undefined && entry.size === 0) {
    return {
      kind: 'redirect',
      location: record.location,
      etag: record.etag,
      ...(record.headers === undefined ? {} : { headers: record.headers }),
      ...(entry.modified === undefined ? {} : { modified: entry.modified }),
    };
  }
  if (record.md5 === undefined) return undefined;
  // A new entry with every field at once (see newRecord), whose md5 is the
  // listing's ETag string where they are equal, not the manifest's copy.
  const md5 = record.md5 === record.etag ? entry.etag : record.md5;
  const trusted = remoteFile(entry.size, entry.etag, entry.modified, { md5 });
  if (record.encoding !== undefined) trusted.encoding = record.encoding;
  if (record.headers !== undefined) trusted.headers = record.headers;
  return trusted;
}
