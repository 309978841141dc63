import { Worker } from 'node:worker_threads';

/**
 * The thread's whole program, as source: it needs only Node's own modules,
 * so it runs the same from the bundle and from the tests. A file it cannot
 * read gets null, and the caller does that one again itself, so the error a
 * run reports is the caller's own.
 */
const SOURCE = `
const { parentPort } = require('node:worker_threads');
const { lstatSync, readFileSync } = require('node:fs');
const { createHash } = require('node:crypto');
const md5 = (path) => createHash('md5').update(readFileSync(path)).digest('hex');
const tried = (call) => {
  try {
    return call();
  } catch {
    return null;
  }
};
parentPort.on('message', ({ id, paths, md5UpTo }) => {
  const sizes = [];
  const md5s = [];
  for (const path of paths) {
    // Each path adds one answer to each list, whichever call fails.
    const size = tried(() => lstatSync(path).size);
    sizes.push(size);
    md5s.push(size !== null && size <= md5UpTo ? tried(() => md5(path)) : null);
  }
  parentPort.postMessage({ id, sizes, md5s });
});
`;

/** Fewer files than this are done on the run's own thread: starting one takes longer. */
export const THREAD_MIN_FILES = 1000;

/** Files per message: enough that messages cost nothing beside the file calls. */
export const THREAD_BATCH = 256;

/** What lstat gives as each file's size, and the md5 of each one asked for; null where that failed. */
export interface Sizes {
  sizes: (number | null)[];
  md5s: (string | null)[];
}

interface Answer extends Sizes {
  id: number;
}

interface Waiting {
  resolve: (answer: Sizes) => void;
  reject: (error: Error) => void;
}

/**
 * A second thread for the file calls a large tree needs one of per file:
 * the lstat that sizes it and the read that hashes it. Opening a file costs
 * far more than hashing it here, and on a runner's second core it leaves
 * the run's own thread the listing and the plan meanwhile.
 */
export class FileThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor() {
    // It holds one file at a time, outside its heap.
    this.worker = new Worker(SOURCE, {
      eval: true,
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 },
    });
    this.worker.on('message', ({ id, sizes, md5s }: Answer) => {
      this.waiting.get(id)?.resolve({ sizes, md5s });
      this.waiting.delete(id);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the file thread exited with code ${code}`)));
  }

  /**
   * The size of each of `paths` as lstat gives it, and the md5 of each one
   * of at most `md5UpTo` bytes (a file is read once, as it is sized).
   */
  sizes(paths: readonly string[], md5UpTo = -1): Promise<Sizes> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId;
    this.nextId += 1;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, paths, md5UpTo });
    });
  }

  async stop(): Promise<void> {
    this.fail(new Error('the file thread was stopped'));
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.waiting.values()) reject(this.failure);
    this.waiting.clear();
  }
}
