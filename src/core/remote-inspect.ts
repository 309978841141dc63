import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { tagged } from './errors.js';
import type { Entry, FileEntry, Inventory } from './inventory.js';
import { withPrefix } from './keys.js';
import { forEachBounded } from './parallel.js';
import type { RemoteLocation } from './remote-list.js';

export type { RemoteLocation } from './remote-list.js';

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
    const head = await tagged('inspect', key, () =>
      client.send(new HeadObjectCommand({ Bucket: bucket, Key: withPrefix(prefix, key) })),
    );
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
