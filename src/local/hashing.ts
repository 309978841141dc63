import { setImmediate as nextTurn } from 'node:timers/promises';
import { digestFile, digestGzipped } from './digest.js';
import type { LocalEntries, LocalFile, StoresGzipped } from '../model/entries.js';
import { localPathForKey } from '../model/keys.js';
import { forEachBounded } from '../model/pool.js';

/** Large files are hashed from streams that wait on the disk, so several run at once (small ones are read synchronously). */
const DIGEST_CONCURRENCY = 16;

/**
 * Hashes local files while the listing is still on the wire. It starts on
 * every candidate; once the listing is in, `narrowTo` drops the files whose
 * md5 the comparison turned out not to need, so they are never read.
 */
export class EarlyHashing {
  private wanted: Set<string> | undefined;
  private readonly candidates: Set<string>;
  private readonly running: Promise<void>;

  constructor(
    readonly root: string,
    entries: LocalEntries,
    candidates: string[],
    storesGzipped: StoresGzipped,
  ) {
    this.candidates = new Set(candidates);
    this.running = hashFiles(root, entries, candidates, storesGzipped, (key) => this.wanted?.has(key) ?? true);
    // Awaited by finished(); this only keeps a failure meanwhile from going unhandled.
    this.running.catch(() => undefined);
  }

  /** Hash only `wanted` from now on; returns the wanted keys this hashing does not cover. */
  narrowTo(wanted: Iterable<string>): string[] {
    this.wanted = new Set(wanted);
    return [...this.wanted].filter((key) => !this.candidates.has(key));
  }

  finished(): Promise<void> {
    return this.running;
  }
}

/**
 * Hashes `keys` into their entries: the md5, and what the bucket would hold
 * (the multipart ETag of a file that uploads in parts, or the size and md5
 * of its compressed form). A large tree's small files are hashed as the
 * scan sizes them (scan.ts); these are the rest.
 */
export async function hashFiles(
  root: string,
  entries: LocalEntries,
  keys: string[],
  storesGzipped: StoresGzipped,
  stillWanted: (key: string) => boolean = () => true,
): Promise<void> {
  await forEachBounded(keys, DIGEST_CONCURRENCY, async (key) => {
    // Small files hash synchronously. A turn of the event loop between them
    // lets each listing page through as it arrives, so the next LIST is not
    // held up until every file is hashed.
    await nextTurn();
    if (!stillWanted(key)) return;
    const entry = entries.get(key) as LocalFile;
    const filePath = localPathForKey(root, key);
    if (storesGzipped(key, entry.size)) {
      const digest = digestGzipped(filePath);
      entry.md5 = digest.md5;
      entry.stored = digest.stored;
      return;
    }
    const digest = await digestFile(filePath, entry.size);
    entry.md5 = digest.md5;
    if (digest.multipartEtag !== undefined) entry.multipartEtag = digest.multipartEtag;
  });
}
