import type { ListRequests } from './list-requests.js';
import { foldersToSplit, type Partition, type Splits } from './partitions.js';

/**
 * Finds split points with delimiter LISTs, `StartAfter` the last key a
 * partition has listed: the CommonPrefixes, subfolders still to come, are the
 * split points. At most `budget` of these LISTs in a listing.
 */
export class SplitDiscovery {
  private left: number;

  constructor(
    private readonly requests: ListRequests,
    budget: number,
  ) {
    this.left = budget;
  }

  /** Whether a delimiter LIST is left, and a folder to send it in. */
  canLook(partition: Partition, partitionCount: number): boolean {
    return this.left > 0 && this.folders(partition, partitionCount).length > 0;
  }

  /** Sends the delimiter LISTs in the folders to look in next, and gathers what they found. */
  async find(partition: Partition, partitionCount: number): Promise<Splits> {
    const folders = this.folders(partition, partitionCount);
    partition.continueIn = undefined;
    this.left -= folders.length;
    const pages = await Promise.all(
      folders.map((folder) =>
        this.requests.send('discoveryLists', {
          Prefix: folder === '' ? undefined : folder,
          // S3's own 1000, whatever the page size a test sets: a test with
          // tiny pages still finds every split point.
          MaxKeys: undefined,
          Delimiter: '/',
          StartAfter: partition.reached === '' ? undefined : partition.reached,
        }),
      ),
    );
    return {
      boundaries: pages.flatMap((page) =>
        (page.CommonPrefixes ?? []).flatMap(({ Prefix }) => (Prefix ? [Prefix] : [])),
      ),
      truncatedIn: folders.filter((_, i) => pages[i]?.IsTruncated).pop(),
    };
  }

  /**
   * Where to look next: the folder a truncated delimiter page left unshown,
   * else the folders the rest of the partition lies in (foldersToSplit), one
   * at a time, the next one after a look that found none; both at once the
   * first time, when the listing is still one partition.
   */
  private folders(partition: Partition, partitionCount: number): string[] {
    if (partition.continueIn !== undefined) return [partition.continueIn];
    const folders = foldersToSplit(this.requests.listPrefix, partition.reached, partition.upper);
    if (partitionCount === 1 && partition.misses === 0) return folders.slice(0, this.left);
    return folders.slice(partition.misses, partition.misses + 1);
  }
}
