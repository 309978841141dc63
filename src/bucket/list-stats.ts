/** What a listing did: for tests and measurements. */
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
