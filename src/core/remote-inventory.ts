import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Entry, FileEntry, Inventory } from './inventory.js';
import { stripPrefix, withPrefix } from './keys.js';
import { forEachBounded } from './parallel.js';

export interface RemoteLocation {
  client: S3Client;
  bucket: string;
  prefix: string;
}

/**
 * Lists every object under the prefix. One LIST request returns up to 1000
 * keys with their size and ETag, which is enough to decide most comparisons
 * without touching the objects themselves.
 */
export async function listRemote(
  { client, bucket, prefix }: RemoteLocation,
  isExcluded: (key: string) => boolean,
  stop?: AbortSignal,
): Promise<Inventory> {
  const entries: Inventory = new Map();
  let continuationToken: string | undefined;
  do {
    // A run that failed meanwhile (its scan, say) asks for no more pages.
    stop?.throwIfAborted();
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix === '' ? undefined : `${prefix}/`,
        ContinuationToken: continuationToken,
      }),
    );
    for (const object of page.Contents ?? []) {
      if (object.Key === undefined) continue;
      const key = stripPrefix(prefix, object.Key);
      if (key === undefined || isExcluded(key)) continue;
      entries.set(key, {
        kind: 'file',
        size: object.Size ?? 0,
        etag: object.ETag?.replace(/"/g, '').toLowerCase(),
      });
    }
    // Stopping early would make the rest of the bucket look absent, and a pull delete it locally.
    if (page.IsTruncated && !page.NextContinuationToken) {
      throw new Error(`Listing s3://${bucket}/${prefix} came back truncated without a continuation token`);
    }
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken !== undefined);
  return entries;
}

/**
 * HEADs the given keys and replaces their entries with what the object really
 * is: a redirect, or a file whose md5 comes from the `md5` metadata.
 */
export async function inspectRemote(
  { client, bucket, prefix }: RemoteLocation,
  entries: Inventory,
  keys: Iterable<string>,
  concurrency: number,
): Promise<void> {
  await forEachBounded([...keys], concurrency, async (key) => {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: withPrefix(prefix, key) }));
    entries.set(key, entryFromHead(entries.get(key), head));
  });
}

function entryFromHead(
  listed: Entry | undefined,
  head: { WebsiteRedirectLocation?: string; Metadata?: Record<string, string>; ContentLength?: number; ETag?: string },
): Entry {
  // Only an empty object is a redirect: one with a body is a file that also
  // redirects, downloaded as a file (with a warning) whether HEADed or not.
  if (head.WebsiteRedirectLocation && (head.ContentLength ?? 0) === 0) {
    return { kind: 'redirect', location: head.WebsiteRedirectLocation };
  }
  const md5 = head.Metadata?.md5?.toLowerCase();
  const file: FileEntry = {
    kind: 'file',
    size: head.ContentLength ?? (listed?.kind === 'file' ? listed.size : 0),
    etag: head.ETag?.replace(/"/g, '').toLowerCase() ?? (listed?.kind === 'file' ? listed.etag : undefined),
    inspected: true,
  };
  if (md5 !== undefined && md5 !== '') file.md5 = md5;
  return file;
}
