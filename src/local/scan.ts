import { lstatSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { SMALL_FILE } from './digest.js';
import { FileThread, THREAD_BATCH, THREAD_MIN_FILES, type Sizes } from './file-thread.js';
import { localFile, type LocalEntries, type LocalEntry, type LocalFile } from '../model/entries.js';
import { forEachBoundedTree, Pool } from '../model/pool.js';
import { isInside, keyFromRelativePath, redirectLocationForKey, unsafeKeyReason } from '../model/keys.js';

export interface ScannedTree {
  entries: LocalEntries;
  /** Folders below the root, deepest first, for pruning after a pull. */
  folders: string[];
  /** The root with every symlink resolved; link targets are judged against it. */
  realRoot: string;
}

export interface LocalScanOptions {
  prefix: string;
  isExcluded: (key: string) => boolean;
  /**
   * Files to hash while scanning, before the listing says which md5s it
   * needs: a large tree's small ones are hashed as they are sized, with one
   * read on the file thread.
   */
  md5Wanted?: (key: string, size: number) => boolean;
}

/**
 * Walks the directory without following any symlink. Regular files become
 * file entries (md5 resolved later, only where needed); symlinks to files
 * inside the directory become redirects to the final target; every other link
 * is an opaque entry carrying the reason it cannot be copied.
 */
export async function scanLocal(root: string, options: LocalScanOptions): Promise<ScannedTree> {
  const realRoot = await realpath(root);
  const sizing = new Sizing(options.md5Wanted);
  let walked: { entries: LocalEntries; folders: string[] };
  try {
    walked = await walk(root, realRoot, options, sizing);
    await sizing.finished();
  } finally {
    await sizing.stop();
  }
  const { entries, folders } = walked;
  folders.sort((a, b) => b.split(path.sep).length - a.split(path.sep).length);
  return { entries, folders, realRoot };
}

async function walk(
  root: string,
  realRoot: string,
  options: LocalScanOptions,
  sizing: Sizing,
): Promise<{ entries: LocalEntries; folders: string[] }> {
  const entries: LocalEntries = new Map();
  const folders: string[] = [];
  // Joined by hand: a name from readdir holds no separator, and path.join
  // normalising each of 100,000 paths was a tenth of a large scan.
  const base = path.join(root, path.sep);
  const readFolder = async (relativeFolder: string): Promise<string[]> => {
    const subfolders: string[] = [];
    const dirents = await readdir(base + relativeFolder, { withFileTypes: true });
    for (const dirent of dirents) {
      const relative = relativeFolder === '' ? dirent.name : relativeFolder + path.sep + dirent.name;
      const key = keyFromRelativePath(relative);
      if (options.isExcluded(key)) continue;
      const absolute = base + relative;
      if (dirent.isDirectory()) {
        folders.push(relative);
        subfolders.push(relative);
        continue;
      }
      const unsafe = unsafeKeyReason(key);
      if (unsafe !== undefined) {
        entries.set(key, { kind: 'opaque', reason: `its name is not a safe key: ${unsafe}` });
      } else if (dirent.isFile()) {
        const entry = localFile();
        entries.set(key, entry);
        sizing.add(key, absolute, entry);
        // The walk outruns the thread: past a few batches it waits, or a
        // million paths (a flat folder's too) would queue up for it.
        if (sizing.full()) await sizing.room();
      } else if (dirent.isSymbolicLink()) {
        entries.set(key, await classifySymlink(absolute, realRoot, options.prefix));
      } else {
        entries.set(key, { kind: 'opaque', reason: 'it is not a regular file' });
      }
    }
    return subfolders;
  };
  await forEachBoundedTree('', READDIR_CONCURRENCY, readFolder);
  return { entries, folders };
}

/** Folders read at once: a readdir waits on the thread pool, and one folder at a time left a large scan waiting. */
const READDIR_CONCURRENCY = 8;

/** Batches with the file thread at once: enough to keep it busy through a long GC pause of the run's thread. */
const BATCHES_IN_FLIGHT = 16;

/**
 * Sizes the files the walk finds. The first THREAD_MIN_FILES are sized here
 * with a synchronous lstat: microseconds each, where an awaited one costs a
 * thread-pool round trip (10x slower). After that, batches go to a
 * FileThread while the walk goes on.
 */
class Sizing {
  private thread: FileThread | undefined;
  private batch: { key: string; path: string; entry: LocalFile }[] = [];
  private readonly sized: Promise<void>[] = [];
  private count = 0;
  /** The batches with the thread. */
  private readonly inFlight = new Pool(BATCHES_IN_FLIGHT);

  constructor(private readonly md5Wanted: LocalScanOptions['md5Wanted']) {}

  add(key: string, filePath: string, entry: LocalFile): void {
    this.count += 1;
    if (this.count <= THREAD_MIN_FILES) {
      entry.size = lstatSync(filePath).size;
      return;
    }
    this.batch.push({ key, path: filePath, entry });
    if (this.batch.length === THREAD_BATCH) this.send();
  }

  async finished(): Promise<void> {
    if (this.batch.length > 0) this.send();
    await Promise.all(this.sized);
  }

  async stop(): Promise<void> {
    await this.thread?.stop();
  }

  /** Whether BATCHES_IN_FLIGHT batches are with the thread. */
  full(): boolean {
    return this.inFlight.full;
  }

  /** Resolves once fewer than BATCHES_IN_FLIGHT batches are with the thread. */
  async room(): Promise<void> {
    await this.inFlight.room();
  }

  private send(): void {
    const batch = this.batch;
    this.batch = [];
    this.thread ??= new FileThread();
    const paths = batch.map((file) => file.path);
    const asked: Promise<Sizes> =
      this.md5Wanted === undefined
        ? this.thread.sizes(paths).then((sizes) => ({ sizes, md5s: [] }))
        : this.thread.sizesAndMd5s(paths, SMALL_FILE);
    const sized = asked
      .catch((): Sizes => ({ sizes: [], md5s: [] }))
      .then(({ sizes, md5s }) => {
        for (const [index, file] of batch.entries()) {
          // One the thread could not size is sized here, so its error is the one reported.
          const size = sizes[index];
          file.entry.size = typeof size === 'number' ? size : lstatSync(file.path).size;
          // Hashing does the rest later: a large file, or one stored in another form.
          const md5 = md5s[index];
          if (typeof md5 === 'string' && this.md5Wanted?.(file.key, file.entry.size)) file.entry.md5 = md5;
        }
      });
    // Sent at once, room or not: the walk waits for room after it.
    const settled = this.inFlight.track(sized);
    // Awaited by finished(); this only keeps a failure after a failed walk from going unhandled.
    settled.catch(() => undefined);
    this.sized.push(settled);
  }
}

async function classifySymlink(linkPath: string, realRoot: string, prefix: string): Promise<LocalEntry> {
  let target: string;
  try {
    target = await realpath(linkPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { kind: 'opaque', reason: 'it is a symlink loop' };
    if (code === 'ENOENT') return { kind: 'opaque', reason: 'it is a broken symlink' };
    return { kind: 'opaque', reason: `its target cannot be resolved (${code ?? String(error)})` };
  }
  if (target === realRoot) {
    return { kind: 'opaque', reason: 'it points to a folder (the directory itself)' };
  }
  if (!isInside(realRoot, target)) {
    return { kind: 'opaque', reason: `it points outside the directory (to ${target})` };
  }
  const targetStats = await stat(target);
  if (targetStats.isDirectory()) {
    return { kind: 'opaque', reason: 'it points to a folder, which S3 redirects cannot mirror' };
  }
  if (!targetStats.isFile()) {
    return { kind: 'opaque', reason: 'it points to something that is not a regular file' };
  }
  const targetKey = keyFromRelativePath(path.relative(realRoot, target));
  // The target is skipped too, so a redirect to it would lead nowhere.
  const unsafeTarget = unsafeKeyReason(targetKey);
  if (unsafeTarget !== undefined) {
    return { kind: 'opaque', reason: `its target's name is not a safe key: ${unsafeTarget}` };
  }
  return { kind: 'redirect', location: redirectLocationForKey(prefix, targetKey) };
}
