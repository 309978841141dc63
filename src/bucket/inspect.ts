import { HeadObjectCommand, type HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { headersFingerprint, type ObjectHeaders } from '../model/headers.js';
import { tagged } from '../model/errors.js';
import { bareEtag, remoteFile, type RemoteEntries, type RemoteEntry } from '../model/entries.js';
import { withPrefix } from '../model/keys.js';
import { forEachBounded } from '../model/pool.js';
import type { RemoteLocation } from './list.js';

/**
 * HEADs the given keys and replaces their entries with what the object really
 * is: a redirect, or a file whose md5 comes from the `md5` metadata.
 */
export async function inspectRemote(
  location: RemoteLocation,
  entries: RemoteEntries,
  keys: Iterable<string>,
  concurrency: number,
  readHeaders = false,
): Promise<void> {
  await forEachBounded([...keys], concurrency, async (key) => {
    const head = await headOf(location, key);
    const entry = entryFromHead(entries.get(key), head);
    if (readHeaders) entry.headers = headersNow(entry, head);
    entries.set(key, entry);
  });
}

/**
 * inspectRemote for objects written since the manifest, whose headers the
 * rules may need to put back: each entry also gets the fingerprint of the
 * headers it has now.
 */
export function inspectRewritten(
  location: RemoteLocation,
  entries: RemoteEntries,
  keys: Iterable<string>,
  concurrency: number,
): Promise<void> {
  return inspectRemote(location, entries, keys, concurrency, true);
}

/** The fingerprint of an object's headers now; one that never matches a rule for a file that lost its `md5`. */
function headersNow(entry: RemoteEntry, head: HeadObjectCommandOutput): string {
  const headers = headersFingerprint(headersOfHead(head), head.ContentEncoding?.toLowerCase());
  return entry.kind === 'file' && entry.md5 === undefined ? `${headers} without md5` : headers;
}

function headOf({ client, bucket, prefix }: RemoteLocation, key: string): Promise<HeadObjectCommandOutput> {
  return tagged('inspect', key, () =>
    client.send(new HeadObjectCommand({ Bucket: bucket, Key: withPrefix(prefix, key) })),
  );
}

/** The headers an object has, as the rules name them; the md5 metadata is the action's own, not a rule's. */
function headersOfHead(head: HeadObjectCommandOutput): ObjectHeaders {
  const metadata = { ...head.Metadata };
  delete metadata.md5;
  delete metadata.md5chksum;
  // headersFingerprint leaves out the fields that are undefined.
  return {
    ContentType: head.ContentType ?? '',
    CacheControl: head.CacheControl,
    ContentDisposition: head.ContentDisposition,
    ContentLanguage: head.ContentLanguage,
    Expires: head.Expires,
    Metadata: metadata,
  };
}

function entryFromHead(listed: RemoteEntry | undefined, head: HeadObjectCommandOutput): RemoteEntry {
  // Only an empty object is a redirect: one with a body is a file that also
  // redirects, downloaded as a file (with a warning) whether HEADed or not.
  const etag = bareEtag(head.ETag) ?? (listed?.kind === 'file' ? listed.etag : undefined);
  if (head.WebsiteRedirectLocation && (head.ContentLength ?? 0) === 0) {
    const modified = listed?.kind === 'file' ? listed.modified : undefined;
    return {
      kind: 'redirect',
      location: head.WebsiteRedirectLocation,
      ...(etag === undefined ? {} : { etag }),
      ...(modified === undefined ? {} : { modified }),
    };
  }
  const size = head.ContentLength ?? (listed?.kind === 'file' ? listed.size : 0);
  const modified = listed?.kind === 'file' ? listed.modified : undefined;
  const file = remoteFile(size, etag, modified, { md5: metadataMd5(head.Metadata) });
  if (head.ContentEncoding !== undefined) file.encoding = head.ContentEncoding.toLowerCase();
  return file;
}

/**
 * The content md5 from an object's metadata: `md5` as this action (and the
 * script it grew from) writes it, or rclone's `md5chksum`, base64, so a
 * bucket written by `rclone sync` is recognised rather than re-uploaded.
 */
function metadataMd5(metadata: Record<string, string> | undefined): string | undefined {
  const hex = metadata?.md5?.toLowerCase();
  if (hex !== undefined && /^[0-9a-f]{32}$/.test(hex)) return hex;
  const base64 = metadata?.md5chksum;
  if (base64 === undefined) return undefined;
  const bytes = Buffer.from(base64, 'base64');
  return bytes.length === 16 ? bytes.toString('hex') : undefined;
}
