import {
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { bareEtag, remoteFile, type RemoteEntries, type RemoteFile } from '../model/entries.js';
import { tagged } from '../model/errors.js';
import { s3Url, stripPrefix } from '../model/keys.js';
import { Pool } from '../model/pool.js';
import { markArchived, type ListedFields } from './archived.js';
import type { ListStats } from './list-stats.js';

/** Whether a listed key is left out; it also sees what the listing tells of the object (the lease reads it). */
export type KeyFilter = (key: string, listed?: { ETag?: string; Size?: number }) => boolean;

export interface RemoteLocation {
  client: S3Client;
  bucket: string;
  prefix: string;
  /** How messages name the store: "AWS S3", or the endpoint's URL. */
  endpointName?: string;
}

/** The kinds of LIST a listing counts: those that fetch keys, and the delimiter LISTs that find split points. */
export type ListKind = 'pageLists' | 'discoveryLists';

/**
 * The LIST requests of one listing, all under its prefix: at most
 * `concurrency` in flight, each counted in the stats, none sent once the run
 * or the listing has stopped.
 */
export class ListRequests {
  /** The prefix as LISTs send it: "" or "prefix/". */
  readonly listPrefix: string;
  /** Stopped by the listing itself: a partition failed, or it is over. */
  readonly halt = new AbortController();
  private readonly pool: Pool;

  constructor(
    readonly location: RemoteLocation,
    /** MaxKeys; undefined sends none, for S3's own 1000. */
    private readonly maxKeys: number | undefined,
    concurrency: number,
    private readonly stats: ListStats,
    private readonly stop: AbortSignal | undefined,
  ) {
    this.listPrefix = location.prefix === '' ? '' : `${location.prefix}/`;
    this.pool = new Pool(concurrency, 'the LIST concurrency');
  }

  /** One LIST under the prefix, once a slot is free; `input` adds to the defaults or overrides them. */
  send(kind: ListKind, input: Partial<ListObjectsV2CommandInput>): Promise<ListObjectsV2CommandOutput> {
    const { client, bucket, prefix } = this.location;
    return this.pool.run(async () => {
      // A run that failed meanwhile (its scan, say), or a partition that
      // failed, asks for no more pages.
      this.stop?.throwIfAborted();
      this.halt.signal.throwIfAborted();
      this.stats[kind] += 1;
      return tagged('list', prefix, () =>
        client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: this.listPrefix === '' ? undefined : this.listPrefix,
            MaxKeys: this.maxKeys,
            ...input,
          }),
        ),
      );
    });
  }

  /** The token for the page after this one, or undefined after the last. */
  continuation(page: ListObjectsV2CommandOutput): string | undefined {
    // Stopping early would make the rest of the bucket look absent, and a pull delete it locally.
    if (page.IsTruncated && !page.NextContinuationToken) {
      const { bucket, prefix } = this.location;
      throw new Error(`Listing ${s3Url(bucket, prefix)} came back truncated without a continuation token`);
    }
    return page.IsTruncated ? page.NextContinuationToken : undefined;
  }
}

/** One chain of pages, for a store whose order partitions cannot rely on. */
export async function listFlat(requests: ListRequests, isExcluded: KeyFilter): Promise<RemoteEntries> {
  const entries: RemoteEntries = new Map();
  let continuationToken: string | undefined;
  do {
    const page = await requests.send('pageLists', { ContinuationToken: continuationToken });
    for (const object of page.Contents ?? []) {
      if (object.Key === undefined) continue;
      const key = stripPrefix(requests.location.prefix, object.Key);
      if (key === undefined || isExcluded(key, object)) continue;
      entries.set(key, listedEntry(object));
    }
    continuationToken = requests.continuation(page);
  } while (continuationToken !== undefined);
  return entries;
}

/** What a listing tells of an object: enough to decide most comparisons without touching it. */
export function listedEntry(object: ListedFields): RemoteFile {
  const entry = remoteFile(object.Size ?? 0, bareEtag(object.ETag), object.LastModified?.getTime());
  return object.StorageClass === undefined ? entry : markArchived(entry, object);
}
