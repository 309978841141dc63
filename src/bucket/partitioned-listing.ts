import type { _Object } from '@aws-sdk/client-s3';
import type { RemoteEntries } from '../model/entries.js';
import { stripPrefix } from '../model/keys.js';
import { HintsHeard, hintedSplits, type ListHints } from './list-hints.js';
import { listedEntry, type KeyFilter, type ListRequests } from './list-requests.js';
import type { ListStats } from './list-stats.js';
import { compareKeys, inOrderAfter, type Partition, Partitions } from './partitions.js';
import { SplitDiscovery } from './split-discovery.js';

/** A page out of the order S3 lists keys in, once partitions rely on that order. */
export class OutOfOrderError extends Error {}

/** The limits of one listing, with the defaults filled in. */
export interface ListingLimits {
  /** Keys a full page holds. */
  pageSize: number;
  maxPartitions: number;
  /** The most LIST requests in flight, and so the most partitions one split makes. */
  concurrency: number;
  maxDiscoveryLists: number;
  flatPages: number;
}

/**
 * A listing split into partitions as it goes. It starts with one partition,
 * the whole prefix, listed flat. Once it has had FLAT_PAGES full pages, and
 * later whenever a partition's page comes back truncated with every key still
 * inside it, the partition is large: with its next page it looks for split
 * points (SplitDiscovery). The partition ends at the first, and a new
 * partition starts at each. Keys of the other side's tree, when the run has
 * them, split the whole listing at once instead (hintedSplits).
 *
 * Split points only decide how the work is shared, not what is listed: a
 * partition keeps the keys up to its end and stops at the first page that
 * passes it. Keys come back in UTF-8 byte order (compareKeys); each page is
 * checked against it, and a store that lists in another order (or ignores
 * StartAfter) fails the listing with OutOfOrderError, to be listed again
 * flat rather than trusted.
 *
 * Requests: every page but a partition's last holds a full page of its keys,
 * so the pages number at most the flat listing's plus one per partition
 * (MAX_PARTITIONS), plus the delimiter LISTs (MAX_DISCOVERY_LISTS); at most
 * LIST_CONCURRENCY are in flight.
 */
export class PartitionedListing {
  private readonly partitions: Partitions;
  private readonly discovery: SplitDiscovery;
  private readonly chains: Promise<void>[] = [];
  private firstError: { error: unknown } | undefined;
  /** False once a page came back out of order before any split: the listing stays flat. */
  private splittable = true;
  private readonly hints: HintsHeard;

  constructor(
    private readonly requests: ListRequests,
    private readonly isExcluded: KeyFilter,
    private readonly limits: ListingLimits,
    private readonly stats: ListStats,
  ) {
    this.partitions = new Partitions(limits.maxPartitions, limits.concurrency, (partition) => this.start(partition));
    this.discovery = new SplitDiscovery(requests, limits.maxDiscoveryLists);
    this.hints = new HintsHeard(limits.flatPages * limits.pageSize);
  }

  async run(hints: ListHints): Promise<RemoteEntries> {
    const whole = this.partitions.begin();
    this.hints.listen(hints, () => {
      // Only a listing with more than one page is split: an empty bucket (a first push) keeps its one LIST.
      if (whole.seen >= this.limits.pageSize) this.splitByKeys(whole);
    });
    await this.settled();
    this.stats.partitions = this.partitions.count;
    this.requests.halt.abort(); // nothing more starts: a hint that comes now is too late
    if (this.firstError !== undefined) throw this.firstError.error;
    const { entries, taken } = this.partitions.inventory();
    this.stats.entries = taken;
    return entries;
  }

  /** Lists a partition in a chain of its own; the first chain to fail stops the others. */
  private start(partition: Partition): void {
    this.chains.push(
      this.list(partition).catch((error: unknown) => {
        this.firstError ??= { error };
        this.requests.halt.abort();
      }),
    );
  }

  /** Waits until no chain is left running (chains start while others run), so none lists on after a failure. */
  private async settled(): Promise<void> {
    for (let settled = 0; settled < this.chains.length;) {
      const count = this.chains.length;
      await Promise.all(this.chains.slice(settled));
      settled = count;
    }
  }

  private async list(partition: Partition): Promise<void> {
    try {
      await this.listPages(partition);
    } finally {
      partition.done = true;
    }
  }

  /** Lists one partition, page after page, looking for split points beside a page once it turns out large. */
  private async listPages(partition: Partition): Promise<void> {
    let continuationToken: string | undefined;
    let lookForSplits = partition.continueIn !== undefined && this.canSplit(partition);
    let fullPages = 0;
    for (let first = true; ; first = false) {
      const [page, splits] = await bothSettled(
        this.requests.send('pageLists', {
          StartAfter: first && partition.after !== '' ? partition.after : undefined,
          ContinuationToken: continuationToken,
        }),
        lookForSplits ? this.discovery.find(partition, this.partitions.count) : Promise.resolve(undefined),
      );
      const contents = page.Contents ?? [];
      this.checkOrder(partition, contents);
      if (splits !== undefined && this.splittable) this.partitions.split(partition, splits);
      if (!this.take(partition, contents)) return;
      continuationToken = this.requests.continuation(page);
      if (continuationToken === undefined) return;
      if (this.hints.hasKeys && this.partitions.count === 1) this.splitByKeys(partition);
      fullPages += 1;
      lookForSplits = this.isLarge(partition, fullPages) && this.canSplit(partition);
    }
  }

  /** Partitions would miss or repeat keys of a page out of order; one flat chain only needs the tokens. */
  private checkOrder(partition: Partition, contents: readonly _Object[]): void {
    if (inOrderAfter(partition.reached, contents)) return;
    if (this.partitions.count > 1) throw new OutOfOrderError();
    this.splittable = false;
  }

  /** Takes the page's keys up to the partition's end; false once the page passes it. */
  private take(partition: Partition, contents: readonly _Object[]): boolean {
    for (const object of contents) {
      if (object.Key === undefined) continue;
      if (partition.upper !== undefined && compareKeys(object.Key, partition.upper) > 0) return false;
      partition.reached = object.Key;
      partition.seen += 1;
      const key = stripPrefix(this.requests.location.prefix, object.Key);
      if (key === undefined || this.isExcluded(key, object)) continue;
      partition.entries.push([key, listedEntry(object)]);
    }
    return true;
  }

  /**
   * Whether a partition that has had `fullPages` full pages is worth splitting
   * with its next page: one made from the hint's keys once it holds a page more
   * than the hint said; the whole listing after FLAT_PAGES of them, or at once
   * when the hint's size says it is large; any other partition at once.
   */
  private isLarge(partition: Partition, fullPages: number): boolean {
    if (partition.expected !== undefined) return partition.seen > partition.expected + this.limits.pageSize;
    return this.partitions.count > 1 || fullPages >= this.limits.flatPages || this.hints.large;
  }

  private canSplit(partition: Partition): boolean {
    return (
      this.splittable &&
      this.partitions.count < this.limits.maxPartitions &&
      this.discovery.canLook(partition, this.partitions.count)
    );
  }

  /**
   * Splits the whole listing, while it is still one chain, at keys of the
   * other side's tree. Each partition then expects its share of the keys, and
   * looks for split points of its own only past that (the store holds more).
   */
  private splitByKeys(whole: Partition): void {
    const keys = this.hints.takeKeys();
    if (keys === undefined || this.requests.halt.signal.aborted || whole.done) return;
    if (this.partitions.count > 1 || !this.splittable) return;
    const most = Math.min(this.limits.concurrency, this.limits.maxPartitions);
    const hinted = hintedSplits(keys, this.requests.listPrefix, whole.reached, this.limits.pageSize, most);
    if (hinted === undefined) return;
    this.stats.hintedPartitions = this.partitions.split(whole, hinted.splits, hinted.share);
  }
}

/** Both results, once both have settled (so no request is left behind); the first failure otherwise. */
async function bothSettled<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [first, second] = await Promise.allSettled([a, b]);
  if (first.status === 'rejected') throw first.reason;
  if (second.status === 'rejected') throw second.reason;
  return [first.value, second.value];
}
