import { isMainThread } from 'node:worker_threads';
import { runInWorker } from './thread.js';

// The action runs in a worker whose young generation is bounded (thread.ts);
// the main thread loads only this file, main.js is a chunk of its own.
if (isMainThread) {
  await runInWorker(new URL(import.meta.url));
} else {
  const { run } = await import('./main.js');
  await run();
}
