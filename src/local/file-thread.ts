import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileAnswer, FileRequest } from './file-worker.js';

/** Fewer files than this are done on the run's own thread: starting one takes longer. */
export const THREAD_MIN_FILES = 1000;

/** Files per message: enough that messages cost nothing beside the file calls. */
export const THREAD_BATCH = 256;

/** What lstat gives as each file's size, and the md5 of each one asked for; null where that failed. */
export interface Sizes {
  sizes: (number | null)[];
  md5s: (string | null)[];
}

/**
 * The thread's program, file-worker, beside this module and with its
 * extension: src/local/file-worker.ts under tsx; in the bundle, where this
 * module is in a chunk at the top of dist/, dist/file-worker.js, which the
 * bundle script builds from it with ncc as an entry of its own. The name is
 * built, not a literal: ncc would copy a literal `new URL('./file-worker.ts',
 * import.meta.url)` into dist/ as a raw .ts asset.
 */
const PROGRAM = new URL(`./file-worker${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url);

interface Waiting {
  resolve: (answer: FileAnswer) => void;
  reject: (error: Error) => void;
}

/**
 * A second thread for the file calls a large tree needs one of per file:
 * the lstat that sizes it and the read that hashes it. Opening a file costs
 * far more than hashing it here, and on a runner's second core it leaves
 * the run's own thread the listing and the plan meanwhile.
 *
 * Its program is file-worker.ts (PROGRAM). A file it cannot size or read gets
 * null, and the caller does that one again itself, so the error a run
 * reports is the caller's own.
 */
export class FileThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor() {
    // It holds one file at a time, outside its heap.
    this.worker = new Worker(PROGRAM, {
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 },
    });
    this.worker.on('message', (answer: FileAnswer) => {
      this.waiting.get(answer.id)?.resolve(answer);
      this.waiting.delete(answer.id);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the file thread exited with code ${code}`)));
  }

  /** The size of each of `paths` as lstat gives it. */
  async sizes(paths: readonly string[]): Promise<(number | null)[]> {
    return (await this.ask({ paths })).sizes;
  }

  /**
   * The size of each of `paths` as lstat gives it, and the md5 of each one of
   * at most `maxBytes` (read once, right after it is sized; null for larger ones).
   */
  async sizesAndMd5s(paths: readonly string[], maxBytes: number): Promise<Sizes> {
    const { sizes, md5s } = await this.ask({ paths, md5MaxBytes: maxBytes });
    return { sizes, md5s: md5s ?? [] };
  }

  async stop(): Promise<void> {
    this.fail(new Error('the file thread was stopped'));
    await this.worker.terminate();
  }

  private ask(request: Omit<FileRequest, 'id'>): Promise<FileAnswer> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId;
    this.nextId += 1;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...request } satisfies FileRequest);
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.waiting.values()) reject(this.failure);
    this.waiting.clear();
  }
}
