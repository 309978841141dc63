import { lstatSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { smallFileMd5 } from './digest.js';

/**
 * The file thread's program (file-thread.ts starts it). It answers each batch
 * of paths with their lstat sizes and, when asked, the md5s of those of at
 * most `md5MaxBytes`. A file it cannot size or read gets null, and the caller
 * does that one again itself, so the error a run reports is the caller's own.
 */

/** A batch of paths to size; with `md5MaxBytes`, to hash those of at most that many bytes too. */
export interface FileRequest {
  id: number;
  paths: readonly string[];
  md5MaxBytes?: number;
}

/** One answer per path in each list, in the request's order; `md5s` only when they were asked for. */
export interface FileAnswer {
  id: number;
  sizes: (number | null)[];
  md5s?: (string | null)[];
}

function tried<T>(call: () => T): T | null {
  try {
    return call();
  } catch {
    return null;
  }
}

function answer({ id, paths, md5MaxBytes }: FileRequest): FileAnswer {
  const sizes: (number | null)[] = [];
  if (md5MaxBytes === undefined) {
    for (const path of paths) sizes.push(tried(() => lstatSync(path).size));
    return { id, sizes };
  }
  const md5s: (string | null)[] = [];
  for (const path of paths) {
    // Each path adds one answer to each list, whichever call fails; a file
    // is read right after it is sized.
    const size = tried(() => lstatSync(path).size);
    sizes.push(size);
    md5s.push(size !== null && size <= md5MaxBytes ? tried(() => smallFileMd5(path)) : null);
  }
  return { id, sizes, md5s };
}

const port = parentPort;
if (port === null) throw new Error('file-worker.ts is the file thread’s program; FileThread starts it');
port.on('message', (request: FileRequest) => port.postMessage(answer(request)));
