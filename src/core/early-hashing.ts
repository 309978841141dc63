import { setImmediate as nextTurn } from 'node:timers/promises';
import type { StoresGzipped } from './compare.js';
import { digestFile, digestGzipped, SMALL_FILE } from './digest.js';
import { FileThread, THREAD_BATCH, THREAD_MIN_FILES } from './file-thread.js';
import type { FileEntry, Inventory } from './inventory.js';
import { localPathForKey } from './keys.js';
import { forEachBounded } from './parallel.js';

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

  constructor(root: string, entries: Inventory, candidates: string[], storesGzipped: StoresGzipped) {
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
 * of its compressed form). Many small files are read on a FileThread; the rest
 * are hashed here, at the same time.
 */
export async function hashFiles(
  root: string,
  entries: Inventory,
  keys: string[],
  storesGzipped: StoresGzipped,
  stillWanted: (key: string) => boolean = () => true,
): Promise<void> {
  const small: string[] = [];
  const others: string[] = [];
  for (const key of keys) {
    const { size } = entries.get(key) as FileEntry;
    (size <= SMALL_FILE && !storesGzipped(key, size) ? small : others).push(key);
  }
  if (small.length < THREAD_MIN_FILES) {
    await hashHere(root, entries, keys, storesGzipped, stillWanted);
    return;
  }
  // After a failure on either side the other starts nothing new, and both
  // settle before it is thrown, so nothing writes to an entry after that.
  let failed = false;
  const going = (key: string) => !failed && stillWanted(key);
  const thread = new FileThread();
  const sides = [
    hashInThread(thread, root, entries, small, going),
    hashHere(root, entries, others, storesGzipped, going),
  ];
  for (const side of sides) side.catch(() => (failed = true));
  const settled = await Promise.allSettled(sides);
  await thread.stop();
  for (const side of settled) if (side.status === 'rejected') throw side.reason;
}

async function hashInThread(
  thread: FileThread,
  root: string,
  entries: Inventory,
  keys: string[],
  stillWanted: (key: string) => boolean,
): Promise<void> {
  const batches: string[][] = [];
  for (let at = 0; at < keys.length; at += THREAD_BATCH) batches.push(keys.slice(at, at + THREAD_BATCH));
  // Two at a time keep the thread busy.
  await forEachBounded(batches, 2, async (batch) => {
    const wanted = batch.filter(stillWanted);
    if (wanted.length === 0) return;
    // A thread that failed leaves its files to be hashed here.
    const md5s = await thread.md5s(wanted.map((key) => localPathForKey(root, key))).catch(() => []);
    for (const [index, key] of wanted.entries()) {
      const md5 = md5s[index];
      const entry = entries.get(key) as FileEntry;
      // One the thread could not read is read here, so its error is the one reported.
      entry.md5 = typeof md5 === 'string' ? md5 : (await digestFile(localPathForKey(root, key), entry.size)).md5;
    }
  });
}

async function hashHere(
  root: string,
  entries: Inventory,
  keys: string[],
  storesGzipped: StoresGzipped,
  stillWanted: (key: string) => boolean,
): Promise<void> {
  await forEachBounded(keys, DIGEST_CONCURRENCY, async (key) => {
    // Small files hash synchronously. A turn of the event loop between them
    // lets each listing page through as it arrives, so the next LIST is not
    // held up until every file is hashed.
    await nextTurn();
    if (!stillWanted(key)) return;
    const entry = entries.get(key) as FileEntry;
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
