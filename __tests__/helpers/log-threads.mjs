// Preloaded into the bundled action with NODE_OPTIONS=--import=<this file>
// (action.test.ts), in every thread of the process, main and workers. Each
// appends `started <its entry file>` to $THREAD_LOG, and a worker
// `answered <its entry file>` once it first posts a message to its parent,
// so a test sees which programs a run started and which of them worked. It is
// JavaScript: the bundle runs without tsx.
import { appendFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

const log = process.env.THREAD_LOG;
const entry = process.argv[1];
if (log) {
  appendFileSync(log, `started ${entry}\n`);
  if (parentPort) {
    const post = parentPort.postMessage.bind(parentPort);
    let answered = false;
    parentPort.postMessage = (...args) => {
      if (!answered) appendFileSync(log, `answered ${entry}\n`);
      answered = true;
      return post(...args);
    };
  }
}
