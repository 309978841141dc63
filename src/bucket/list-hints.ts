import { MAX_KEY_BYTES } from '../model/keys.js';
import { compareKeys, type Splits } from './partitions.js';

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

/** Keys of a hint sampled to choose split points: enough for even partitions, cheap to sort. */
const HINT_SAMPLE = 4096;

/**
 * What the hints have told a listing so far. Only a hint of at least
 * `threshold` objects counts: a smaller listing keeps the fewest LISTs. A hint
 * that fails or never comes only leaves the listing as it was.
 */
export class HintsHeard {
  /** The hint's size says the listing is large: split with the next page, not after FLAT_PAGES. */
  large = false;
  private keys: readonly string[] | undefined;

  constructor(private readonly threshold: number) {}

  /** Takes the hints as they come; `onKeys` is told when the keys do. */
  listen(hints: ListHints, onKeys: () => void): void {
    const threshold = this.threshold;
    hints.size?.then(
      (size) => (this.large ||= size !== undefined && size >= threshold),
      () => undefined,
    );
    hints.keys?.then(
      (keys) => {
        if (keys === undefined || keys.length < threshold) return;
        this.keys = keys;
        onKeys();
      },
      () => undefined,
    );
  }

  /** Whether keys came that nobody has taken yet. */
  get hasKeys(): boolean {
    return this.keys !== undefined;
  }

  /** The hint's keys, once. */
  takeKeys(): readonly string[] | undefined {
    const keys = this.keys;
    this.keys = undefined;
    return keys;
  }
}

/**
 * Split points for the rest of a listing that has listed up to `reached`, at
 * keys of the other side's tree (`keys`, relative to the prefix): a sample of
 * them, sorted, cut into at most `most` even runs of at least a page each.
 * Unlike delimiter LISTs this costs no request, and it splits a flat folder
 * too. `share` is the keys each new partition should hold; undefined when the
 * rest is not worth two partitions.
 */
export function hintedSplits(
  keys: readonly string[],
  listPrefix: string,
  reached: string,
  pageSize: number,
  most: number,
): { splits: Splits; share: number } | undefined {
  const step = Math.max(1, Math.floor(keys.length / HINT_SAMPLE));
  const sample: string[] = [];
  for (let i = 0; i < keys.length; i += step) {
    const key = `${listPrefix}${keys[i] as string}`;
    // A longer key would be a StartAfter no store holds.
    if (compareKeys(key, reached) > 0 && Buffer.byteLength(key) <= MAX_KEY_BYTES) sample.push(key);
  }
  sample.sort(compareKeys);
  const ahead = Math.round((sample.length * keys.length) / Math.ceil(keys.length / step));
  const count = Math.min(most, Math.ceil(ahead / pageSize));
  if (count < 2) return undefined;
  const boundaries = Array.from(
    { length: count - 1 },
    (_, i) => sample[Math.floor(((i + 1) * sample.length) / count)] as string,
  );
  return { splits: { boundaries, truncatedIn: undefined }, share: Math.ceil(ahead / count) };
}
