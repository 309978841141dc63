// Preloaded after tsx by scripts/test.mjs (`--import tsx --import <this>`), in
// every thread: a worker thread the source starts (the file thread, started
// from src/local/file-worker.ts) must run TypeScript as the tests' own thread
// does. A worker inherits both flags, but tsx registers its hooks in one only
// on Node 22.22.3, 24.11.1 and later; on Node 20 the worker's .ts entry fails
// with ERR_UNKNOWN_FILE_EXTENSION (privatenumber/tsx#354). There, this file
// registers them itself. It is JavaScript: it runs before they are.
import { isMainThread } from 'node:worker_threads';

/** Whether tsx's hooks already run in this thread: they resolve a .js specifier to its .ts source. */
const tsxActive = () => import.meta.resolve('../src/index.js').endsWith('.ts');

if (!isMainThread && !tsxActive()) {
  const { register } = await import('tsx/esm/api');
  register();
}
