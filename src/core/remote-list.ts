import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Inventory } from './inventory.js';
import { tagged } from './errors.js';
import { stripPrefix } from './keys.js';

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
    const page = await tagged('list', prefix, () =>
      client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix === '' ? undefined : `${prefix}/`,
          ContinuationToken: continuationToken,
        }),
      ),
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
