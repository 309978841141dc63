import {
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { bareEtag, remoteFile, type RemoteEntries, type RemoteFile } from '../model/entries.js';
import { tagged } from '../model/errors.js';
import { stripPrefix } from '../model/keys.js';
import { markArchived, type ListedFields } from './archived.js';
import { compareKeys, foldersToSplit, pickBoundaries, Slots } from './partitions.js';

export interface RemoteLocation {
  client: S3Client;
  bucket: string;
  prefix: string;
  /** How messages name the store: "AWS S3", or the endpoint's URL. */
  endpointName?: string;
}

/** The most partitions a listing is split into. */
export const MAX_PARTITIONS = 64;
/** The most LIST requests in flight at once. */
export const LIST_CONCURRENCY = 16;
/** The most delimiter LISTs a listing sends to find where to split. */
export const MAX_DISCOVERY_LISTS = 16;
/**
 * Full pages listed one after another before the listing looks for split
 * points. A site of up to 25,000 objects keeps the fewest LISTs (one per
 * 1,000 keys), which costs it a second or two on real S3; past that, the
 * partitions' extra LISTs buy minutes at a million objects.
 */
export const FLAT_PAGES = 25;

/**
 * What the run knows of the listing's size before the listing does, so a
 * large one splits at once instead of after FLAT_PAGES pages in a row.
 */
export interface ListHints {
  /** Objects the last push recorded under the prefix (the manifest's count). */
  size?: Promise<number | undefined>;
  /** Keys (relative to the prefix) the other side holds: the local tree. Split points come from them. */
  keys?: Promise<readonly string[] | undefined>;
}

/** S3's longest key: a longer split point would be a StartAfter no store holds. */
const MAX_KEY_BYTES = 1024;

/** Keys of a hint sampled to choose split points: enough for even partitions, cheap to sort. */
const HINT_SAMPLE = 4096;

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

export interface ListStats {
  /** LISTs that fetched keys (the flat listing's kind of request). */
  pageLists: number;
  /** Delimiter LISTs sent to find split points. */
  discoveryLists: number;
  /** Partitions the key space ended up split into (1: not split). */
  partitions: number;
  /** Partitions made from the hint's keys (0: it came too late, was too small, or there was none). */
  hintedPartitions: number;
  /** The store did not list in the order partitions rely on, so the listing started again flat. */
  fellBack: boolean;
  /** Entries the partitions took: the inventory's size, unless two partitions took the same key. */
  entries: number;
}

/** Stats of a listing that has sent nothing yet. */
export function newListStats(): ListStats {
  return { pageLists: 0, discoveryLists: 0, partitions: 0, hintedPartitions: 0, fellBack: false, entries: 0 };
}

/**
 * Lists every object under the prefix. One LIST request returns up to 1000
 * keys with their size and ETag, which is enough to decide most comparisons
 * without touching the objects themselves.
 *
 * The first page is a plain listing, as it always was: at most 1000 keys
 * under the prefix (most sites) take exactly that one LIST. Past it, pages of
 * one ListObjectsV2 chain come one round trip after another, so a large
 * bucket is split into partitions listed side by side; see PartitionedListing.
 */
export async function listRemote(
  location: RemoteLocation,
  isExcluded: (key: string) => boolean,
  stop?: AbortSignal,
  tuning: ListTuning = {},
  hints: ListHints = {},
): Promise<RemoteEntries> {
  return new PartitionedListing(location, isExcluded, stop, tuning).run(hints);
}

/**
 * One partition: the keys after `after` up to `upper` (inclusive; undefined
 * for the end of the listing), listed as one chain starting with
 * `StartAfter: after`. Partitions side by side cover the key space exactly:
 * each starts where the one before it ends.
 */
interface Partition {
  after: string;
  upper: string | undefined;
  /** The last key listed so far (`after` before any): the next page starts past it. */
  reached: string;
  /** Looks for split points in a row that found none (which of foldersToSplit to try next). */
  misses: number;
  /** A folder to look in for split points with the first page: the rest of one a delimiter page did not show. */
  continueIn?: string;
  /** Keys the hint expects in it; it looks for split points only once it has seen a page more. */
  expected?: number;
  /** Keys listed, excluded ones too. */
  seen: number;
  /** Its chain has ended. */
  done: boolean;
  entries: [string, RemoteFile][];
}

/** What delimiter LISTs found. */
interface Splits {
  /** Subfolders, candidate split points. */
  boundaries: string[];
  /** A folder whose delimiter page was truncated: it has more subfolders than were shown. */
  truncatedIn: string | undefined;
}

/** A page out of the order S3 lists keys in, once partitions rely on that order. */
class OutOfOrderError extends Error {}

/**
 * A listing split into partitions as it goes. It starts with one partition,
 * the whole prefix, listed flat. Once it has had FLAT_PAGES full pages, and
 * later whenever a partition's page comes back truncated with every key still
 * inside it, the partition is large: with its next page it sends a delimiter
 * LIST (`StartAfter` the last key it has) in a folder the rest of it lies in
 * (foldersToSplit: the first time both the prefix and the top folder it has
 * reached). The CommonPrefixes, subfolders still to come, are the split
 * points: the partition ends at the first, and a new partition starts at
 * each. A look that finds none tries the next folder next time.
 *
 * Split points only decide how the work is shared, not what is listed: a
 * partition keeps the keys up to its end and stops at the first page that
 * passes it. Keys come back in UTF-8 byte order (compareKeys); each page is
 * checked against it, and a store that lists in another order (or ignores
 * StartAfter) is listed again flat rather than trusted.
 *
 * Requests: every page but a partition's last holds 1000 of its keys, so
 * the pages number at most the flat listing's plus one per partition
 * (MAX_PARTITIONS), plus the delimiter LISTs (MAX_DISCOVERY_LISTS); at most
 * LIST_CONCURRENCY are in flight.
 */
class PartitionedListing {
  private readonly listPrefix: string;
  private readonly maxPartitions: number;
  private readonly concurrency: number;
  private readonly flatPages: number;
  private readonly slots: Slots;
  private readonly halt = new AbortController();
  private readonly partitions: Partition[] = [];
  private readonly chains: Promise<void>[] = [];
  private readonly stats: ListStats;
  private discoveriesLeft: number;
  private firstError: { error: unknown } | undefined;
  /** False once a page came back out of order before any split: the listing stays flat. */
  private splittable = true;
  /** The hint's size says the listing is large: split with the next page, not after FLAT_PAGES. */
  private large = false;
  /** The hint's keys, kept until the whole listing has had a full page. */
  private hintedKeys: readonly string[] | undefined;
  private readonly pageSize: number;

  constructor(
    private readonly location: RemoteLocation,
    private readonly isExcluded: (key: string) => boolean,
    private readonly stop: AbortSignal | undefined,
    private readonly tuning: ListTuning,
  ) {
    this.listPrefix = location.prefix === '' ? '' : `${location.prefix}/`;
    this.maxPartitions = tuning.maxPartitions ?? MAX_PARTITIONS;
    this.concurrency = tuning.concurrency ?? LIST_CONCURRENCY;
    this.flatPages = tuning.flatPages ?? FLAT_PAGES;
    this.slots = new Slots(this.concurrency);
    this.pageSize = tuning.pageSize ?? 1000;
    this.discoveriesLeft = tuning.maxDiscoveryLists ?? MAX_DISCOVERY_LISTS;
    this.stats = Object.assign(tuning.stats ?? newListStats(), newListStats());
  }

  async run(hints: ListHints): Promise<RemoteEntries> {
    const whole: Partition = { after: '', upper: undefined, reached: '', misses: 0, seen: 0, done: false, entries: [] };
    this.start(whole);
    const threshold = this.flatPages * this.pageSize;
    // A hint that fails or never comes only leaves the listing as it was.
    hints.size?.then(
      (size) => (this.large ||= size !== undefined && size >= threshold),
      () => undefined,
    );
    hints.keys?.then(
      (keys) => {
        if (keys === undefined || keys.length < threshold) return;
        // Only a listing with more than one page is split: an empty bucket (a first push) keeps its one LIST.
        this.hintedKeys = keys;
        if (whole.seen >= this.pageSize) this.splitByKeys(whole);
      },
      () => undefined,
    );
    // Partitions start while others run; wait until none is left running,
    // so nothing is still listing when the caller reports a failure.
    for (let settled = 0; settled < this.chains.length;) {
      const count = this.chains.length;
      await Promise.all(this.chains.slice(settled));
      settled = count;
    }
    this.stats.partitions = this.partitions.length;
    this.halt.abort(); // nothing more starts: a hint that comes now is too late
    if (this.firstError !== undefined) {
      if (!(this.firstError.error instanceof OutOfOrderError)) throw this.firstError.error;
      this.stats.fellBack = true;
      return this.listFlat();
    }
    const entries: RemoteEntries = new Map();
    for (const partition of this.partitions) {
      for (const [key, entry] of partition.entries) entries.set(key, entry);
      this.stats.entries += partition.entries.length;
    }
    return entries;
  }

  /** Starts listing a partition, placed at `index` among them (kept in key order). */
  private start(partition: Partition, index = this.partitions.length): void {
    this.partitions.splice(index, 0, partition);
    this.chains.push(
      this.list(partition).catch((error: unknown) => {
        this.firstError ??= { error };
        this.halt.abort();
      }),
    );
  }

  /** Lists one partition, page after page, splitting it when it turns out large. */
  private async list(partition: Partition): Promise<void> {
    try {
      await this.listPages(partition);
    } finally {
      partition.done = true;
    }
  }

  private async listPages(partition: Partition): Promise<void> {
    let continuationToken: string | undefined;
    let lookForSplits = partition.continueIn !== undefined && this.canSplit(partition);
    let fullPages = 0;
    for (let first = true; ; first = false) {
      const pageRequest = this.send('pageLists', {
        StartAfter: first && partition.after !== '' ? partition.after : undefined,
        ContinuationToken: continuationToken,
      });
      const splitRequest = lookForSplits ? this.findSplits(partition) : Promise.resolve(undefined);
      const [page, splits] = await bothSettled(pageRequest, splitRequest);
      const contents = page.Contents ?? [];

      if (!inOrderAfter(partition.reached, contents)) {
        // Partitions would miss or repeat keys; one flat chain only needs the tokens.
        if (this.partitions.length > 1) throw new OutOfOrderError();
        this.splittable = false;
      }
      if (splits !== undefined && this.splittable) this.split(partition, splits);

      for (const object of contents) {
        if (object.Key === undefined) continue;
        if (partition.upper !== undefined && compareKeys(object.Key, partition.upper) > 0) return;
        partition.reached = object.Key;
        partition.seen += 1;
        const key = stripPrefix(this.location.prefix, object.Key);
        if (key === undefined || this.isExcluded(key)) continue;
        partition.entries.push([key, listedEntry(object)]);
      }
      // Stopping early would make the rest of the bucket look absent, and a pull delete it locally.
      if (page.IsTruncated && !page.NextContinuationToken) {
        const { bucket, prefix } = this.location;
        throw new Error(`Listing s3://${bucket}/${prefix} came back truncated without a continuation token`);
      }
      if (!page.IsTruncated) return;
      continuationToken = page.NextContinuationToken;
      if (this.hintedKeys !== undefined && this.partitions.length === 1) this.splitByKeys(partition);
      // A full page inside the partition: it is large, so split it with the next
      // page (the whole listing only once it has had FLAT_PAGES of them, or
      // its hint says it is large; a partition made from the hint's keys
      // once it has more than the hint said).
      fullPages += 1;
      const large =
        partition.expected !== undefined
          ? partition.seen > partition.expected + this.pageSize
          : this.partitions.length > 1 || fullPages >= this.flatPages || this.large;
      lookForSplits = large && this.canSplit(partition);
    }
  }

  /**
   * Splits the whole listing, while it is still one chain, at keys of the
   * other side's tree: a sample of them, sorted, cut into LIST_CONCURRENCY
   * even runs. Unlike delimiter LISTs this costs no request, and it splits a
   * flat folder too. Each partition then expects its share of the keys, and
   * looks for split points of its own only past that (the store holds more).
   */
  private splitByKeys(whole: Partition): void {
    const keys = this.hintedKeys;
    this.hintedKeys = undefined;
    if (
      keys === undefined ||
      this.halt.signal.aborted ||
      whole.done ||
      this.partitions.length > 1 ||
      !this.splittable
    ) {
      return;
    }
    const step = Math.max(1, Math.floor(keys.length / HINT_SAMPLE));
    const sample: string[] = [];
    for (let i = 0; i < keys.length; i += step) {
      const key = `${this.listPrefix}${keys[i] as string}`;
      if (compareKeys(key, whole.reached) > 0 && Buffer.byteLength(key) <= MAX_KEY_BYTES) sample.push(key);
    }
    sample.sort(compareKeys);
    const ahead = Math.round((sample.length * keys.length) / Math.ceil(keys.length / step));
    const count = Math.min(this.concurrency, this.maxPartitions, Math.ceil(ahead / this.pageSize));
    if (count < 2) return;
    const boundaries = Array.from(
      { length: count - 1 },
      (_, i) => sample[Math.floor(((i + 1) * sample.length) / count)] as string,
    );
    const made = this.split(whole, { boundaries, truncatedIn: undefined }, Math.ceil(ahead / count));
    this.stats.hintedPartitions = made;
  }

  private canSplit(partition: Partition): boolean {
    return (
      this.splittable &&
      this.discoveriesLeft > 0 &&
      this.partitions.length < this.maxPartitions &&
      this.foldersToLookIn(partition).length > 0
    );
  }

  /**
   * Where to look for split points next: the folders the rest of the
   * partition lies in (foldersToSplit), one at a time, the next one after a
   * look that found none; both at once the first time, when the listing has
   * no partitions yet.
   */
  private foldersToLookIn(partition: Partition): string[] {
    if (partition.continueIn !== undefined) return [partition.continueIn];
    const folders = foldersToSplit(this.listPrefix, partition.reached, partition.upper);
    if (this.partitions.length === 1 && partition.misses === 0) return folders.slice(0, this.discoveriesLeft);
    return folders.slice(partition.misses, partition.misses + 1);
  }

  /** Delimiter LISTs, with `StartAfter` the last key listed: the subfolders still to come are the split points. */
  private async findSplits(partition: Partition): Promise<Splits> {
    const folders = this.foldersToLookIn(partition);
    partition.continueIn = undefined;
    this.discoveriesLeft -= folders.length;
    const pages = await Promise.all(
      folders.map((folder) =>
        this.send('discoveryLists', {
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
   * Ends the partition at the first split point past what it has listed, and
   * starts one at each split point. The page the partition has on the wire
   * starts past `reached`, so it only drops what the new partitions list.
   *
   * A split takes at most half the partitions still allowed, keeping the
   * rest for partitions that turn out large in their turn (the last one
   * holds whatever a truncated delimiter page did not show).
   */
  private split(partition: Partition, { boundaries: candidates, truncatedIn }: Splits, expected?: number): number {
    const room = Math.min(Math.ceil((this.maxPartitions - this.partitions.length) / 2), this.concurrency);
    const boundaries = pickBoundaries(candidates, partition.reached, partition.upper, room);
    if (boundaries.length === 0) {
      partition.misses += 1;
      return 0;
    }
    partition.misses = 0;
    if (expected !== undefined) partition.expected = partition.seen + expected;
    const created = boundaries.map((after, i): Partition => ({
      after,
      upper: boundaries[i + 1] ?? partition.upper,
      reached: after,
      misses: 0,
      seen: 0,
      done: false,
      ...(expected === undefined ? {} : { expected }),
      entries: [],
      // The last one holds the subfolders the truncated page did not show.
      ...(i === boundaries.length - 1 && truncatedIn !== undefined ? { continueIn: truncatedIn } : {}),
    }));
    partition.upper = boundaries[0];
    // In key order, so the inventory comes out in the order a flat listing gives.
    const at = this.partitions.indexOf(partition);
    created.forEach((next, i) => this.start(next, at + 1 + i));
    return created.length + 1;
  }

  private send(
    kind: 'pageLists' | 'discoveryLists',
    input: Partial<ListObjectsV2CommandInput>,
  ): Promise<ListObjectsV2CommandOutput> {
    const { client, bucket, prefix } = this.location;
    return this.slots.run(async () => {
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
            MaxKeys: this.tuning.pageSize,
            ...input,
          }),
        ),
      );
    });
  }

  /** One chain of pages, for a store whose order partitions cannot rely on. */
  private async listFlat(): Promise<RemoteEntries> {
    const entries: RemoteEntries = new Map();
    let continuationToken: string | undefined;
    do {
      this.stop?.throwIfAborted();
      const { client, bucket, prefix } = this.location;
      const page = await tagged('list', prefix, () =>
        client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: this.listPrefix === '' ? undefined : this.listPrefix,
            MaxKeys: this.tuning.pageSize,
            ContinuationToken: continuationToken,
          }),
        ),
      );
      this.stats.pageLists += 1;
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        const key = stripPrefix(prefix, object.Key);
        if (key === undefined || this.isExcluded(key)) continue;
        entries.set(key, listedEntry(object));
      }
      if (page.IsTruncated && !page.NextContinuationToken) {
        throw new Error(`Listing s3://${bucket}/${prefix} came back truncated without a continuation token`);
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
    this.stats.entries = entries.size;
    return entries;
  }
}

/** True when the keys rise strictly, all after `after`. */
function inOrderAfter(after: string, contents: readonly { Key?: string }[]): boolean {
  let previous = after;
  for (const { Key } of contents) {
    if (Key === undefined) continue;
    if (compareKeys(previous, Key) >= 0) return false;
    previous = Key;
  }
  return true;
}

/** Both results, once both have settled (so no request is left behind); the first failure otherwise. */
async function bothSettled<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [first, second] = await Promise.allSettled([a, b]);
  if (first.status === 'rejected') throw first.reason;
  if (second.status === 'rejected') throw second.reason;
  return [first.value, second.value];
}

/** What a listing tells of an object: enough to decide most comparisons without touching it. */
function listedEntry(object: ListedFields): RemoteFile {
  const entry = remoteFile(object.Size ?? 0, bareEtag(object.ETag), object.LastModified?.getTime());
  return object.StorageClass === undefined ? entry : markArchived(entry, object);
}
