import type { RemoteEntries } from '../model/entries.js';
import type { ListHints } from './list-hints.js';
import { listFlat, ListRequests, type KeyFilter, type RemoteLocation } from './list-requests.js';
import { newListStats, type ListStats } from './list-stats.js';
import { OutOfOrderError, PartitionedListing } from './partitioned-listing.js';

export type { KeyFilter };

export type { ListHints } from './list-hints.js';
export type { RemoteLocation } from './list-requests.js';
export { newListStats, type ListStats } from './list-stats.js';

/** The most partitions a listing is split into. */
export const MAX_PARTITIONS = 64;
/** The most LIST requests in flight at once. */
export const LIST_CONCURRENCY = 16;
/** The most delimiter LISTs a listing sends to find where to split. */
const MAX_DISCOVERY_LISTS = 16;
/**
 * Full pages listed one after another before the listing looks for split
 * points: a smaller site keeps the fewest LISTs (one per 1000 keys), and a
 * larger one is worth the partitions' few extra LISTs to list side by side.
 */
export const FLAT_PAGES = 25;

/** Knobs for tests and measurements; a run uses the defaults. */
export interface ListTuning {
  /** MaxKeys on every LIST; unset, S3's own 1000 (and no MaxKeys is sent). */
  pageSize?: number;
  /** The most partitions; 1 lists flat, one page after another. */
  maxPartitions?: number;
  /** The most LIST requests in flight. */
  concurrency?: number;
  /** The most delimiter LISTs sent to find split points. */
  maxDiscoveryLists?: number;
  /** Full pages listed before looking for split points. */
  flatPages?: number;
  /** Filled in with what the listing did. */
  stats?: ListStats;
}

/**
 * Lists every object under the prefix. One LIST request returns up to 1000
 * keys with their size and ETag, which is enough to decide most comparisons
 * without touching the objects themselves.
 *
 * The first page is a plain listing: at most 1000 keys under the prefix
 * (most sites) take that one LIST. Past it, pages of one ListObjectsV2 chain
 * come one round trip after another, so a large bucket is split into
 * partitions listed side by side (PartitionedListing). A store that does not
 * list in S3's order is listed again flat.
 */
export async function listRemote(
  location: RemoteLocation,
  isExcluded: KeyFilter,
  stop?: AbortSignal,
  tuning: ListTuning = {},
  hints: ListHints = {},
): Promise<RemoteEntries> {
  const stats = Object.assign(tuning.stats ?? newListStats(), newListStats());
  const concurrency = tuning.concurrency ?? LIST_CONCURRENCY;
  // The flat listing takes requests of its own: the partitions' stop once they end.
  const requests = () => new ListRequests(location, tuning.pageSize, concurrency, stats, stop);
  const limits = {
    pageSize: tuning.pageSize ?? 1000,
    maxPartitions: tuning.maxPartitions ?? MAX_PARTITIONS,
    concurrency,
    maxDiscoveryLists: tuning.maxDiscoveryLists ?? MAX_DISCOVERY_LISTS,
    flatPages: tuning.flatPages ?? FLAT_PAGES,
  };
  try {
    return await new PartitionedListing(requests(), isExcluded, limits, stats).run(hints);
  } catch (error) {
    if (!(error instanceof OutOfOrderError)) throw error;
    stats.fellBack = true;
    const entries = await listFlat(requests(), isExcluded);
    stats.entries = entries.size;
    return entries;
  }
}
