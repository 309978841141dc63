/**
 * The pieces of a parallel listing that need no S3: the order S3 lists keys
 * in, the choice of split points, and the partitions themselves.
 */
import type { RemoteFile, RemoteEntries } from '../model/entries.js';

/**
 * Compares keys as S3 lists them: by their UTF-8 bytes, which is the order of
 * their code points. JavaScript's `<` compares UTF-16 code units instead, and
 * the two disagree when a character above U+FFFF (a surrogate pair, 0xD800 to
 * 0xDFFF) meets one from U+E000 to U+FFFF: "😀" comes after "｡" in S3 but
 * before it in JavaScript. S3 keys are valid UTF-8, so there are no lone surrogates.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    // A surrogate starts a code point above every one a single unit holds.
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** True when the keys rise strictly, all after `after`. */
export function inOrderAfter(after: string, contents: readonly { Key?: string }[]): boolean {
  let previous = after;
  for (const { Key } of contents) {
    if (Key === undefined) continue;
    if (compareKeys(previous, Key) >= 0) return false;
    previous = Key;
  }
  return true;
}

/**
 * The split points for a partition that has listed up to `reached` and ends
 * at `upper` (inclusive; undefined for the end of the listing): those strictly
 * between them, sorted and without repeats, at most `room` of them, spread
 * evenly over the candidates when there are more.
 */
export function pickBoundaries(
  candidates: readonly string[],
  reached: string,
  upper: string | undefined,
  room: number,
): string[] {
  const inside = [...new Set(candidates)]
    .filter((b) => compareKeys(b, reached) > 0 && (upper === undefined || compareKeys(b, upper) < 0))
    .sort(compareKeys);
  if (room <= 0) return [];
  if (inside.length <= room) return inside;
  return Array.from({ length: room }, (_, i) => inside[Math.floor((i * inside.length) / room)] as string);
}

/**
 * The folders to look in for split points in a partition that has listed up
 * to `reached` and ends at `upper` (undefined: the end of the listing under
 * `listPrefix`, "" or "prefix/"), most promising first. Every key still to
 * come shares the folder common to both, so that folder's subfolders after
 * `reached` split the rest of it. When `reached` lies deeper, the subfolder of
 * the common folder that holds `reached` comes first: a partition that starts
 * at a folder and ends at the next is all in that folder, and the rest of a
 * listing often lies mostly in one large folder (assets/).
 */
export function foldersToSplit(listPrefix: string, reached: string, upper: string | undefined): string[] {
  let common = listPrefix;
  if (upper !== undefined) {
    let same = 0;
    while (same < reached.length && same < upper.length && reached[same] === upper[same]) same += 1;
    const slash = same === 0 ? -1 : reached.lastIndexOf('/', same - 1);
    if (slash + 1 > listPrefix.length) common = reached.slice(0, slash + 1);
  }
  const slash = reached.indexOf('/', common.length);
  return slash === -1 || !reached.startsWith(common) ? [common] : [reached.slice(0, slash + 1), common];
}

/**
 * One partition: the keys after `after` up to `upper` (inclusive; undefined
 * for the end of the listing), listed as one chain starting with
 * `StartAfter: after`. Partitions side by side cover the key space exactly:
 * each starts where the one before it ends.
 */
export interface Partition {
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

/** Where to split a partition, and what a truncated delimiter page left unshown. */
export interface Splits {
  /** Candidate split points: subfolders, or keys of the hint. */
  boundaries: string[];
  /** A folder whose delimiter page was truncated: it has more subfolders than were shown. */
  truncatedIn: string | undefined;
}

/**
 * The partitions of one listing, in key order, so the inventory comes out in
 * the order a flat listing gives. `start` lists each one as it is made.
 */
export class Partitions {
  private readonly all: Partition[] = [];

  constructor(
    private readonly maxPartitions: number,
    /** The most partitions one split makes: more could not be listed at once. */
    private readonly maxPerSplit: number,
    private readonly start: (partition: Partition) => void,
  ) {}

  get count(): number {
    return this.all.length;
  }

  /** Starts the first partition: the whole listing. */
  begin(): Partition {
    const whole: Partition = { after: '', upper: undefined, reached: '', misses: 0, seen: 0, done: false, entries: [] };
    this.add(whole, 0);
    return whole;
  }

  /**
   * Ends the partition at the first split point past what it has listed, and
   * starts one at each split point; returns how many partitions it became (0:
   * it was not split). The page the partition has on the wire starts past
   * `reached`, so it only drops what the new partitions list. `expected`, for
   * split points from the hint, is the keys each new partition should hold.
   *
   * A split takes at most half the partitions still allowed, keeping the
   * rest for partitions that turn out large in their turn (the last one
   * holds whatever a truncated delimiter page did not show).
   */
  split(partition: Partition, { boundaries: candidates, truncatedIn }: Splits, expected?: number): number {
    const room = Math.min(Math.ceil((this.maxPartitions - this.all.length) / 2), this.maxPerSplit);
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
      ...(i === boundaries.length - 1 && truncatedIn !== undefined ? { continueIn: truncatedIn } : {}),
    }));
    partition.upper = boundaries[0];
    const at = this.all.indexOf(partition);
    created.forEach((next, i) => this.add(next, at + 1 + i));
    return created.length + 1;
  }

  /** The entries of every partition, in key order, and how many there were (a key two partitions took counts twice). */
  inventory(): { entries: RemoteEntries; taken: number } {
    const entries: RemoteEntries = new Map();
    let taken = 0;
    for (const partition of this.all) {
      for (const [key, entry] of partition.entries) entries.set(key, entry);
      taken += partition.entries.length;
    }
    return { entries, taken };
  }

  private add(partition: Partition, index: number): void {
    this.all.splice(index, 0, partition);
    this.start(partition);
  }
}
