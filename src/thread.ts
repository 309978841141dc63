import { parentPort, Worker } from 'node:worker_threads';

/**
 * The young generation the action's thread gets: Node 20's default. Newer
 * Nodes size it from the machine's memory, which costs memory and gains no
 * speed; an action cannot pass V8 flags, but a parent sets a worker's limits
 * (docs/adr/0001-worker-thread-bounded-young-generation.md).
 */
const YOUNG_GENERATION_MB = 48;

/** The signals a cancelled job gets, and the exit code each ends the run with. */
const STOP_SIGNALS = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const;

interface StopRequest {
  stop: number;
}

/**
 * Runs `entry` (this bundle) in a worker thread with a bounded young
 * generation, and ends the process with the worker's exit code. A worker
 * receives no signals, so they are passed on to it as messages.
 */
export function runInWorker(entry: URL): Promise<void> {
  const worker = new Worker(entry, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  for (const [signal, exitCode] of STOP_SIGNALS) {
    process.once(signal, () => worker.postMessage({ stop: exitCode } satisfies StopRequest));
  }
  return new Promise((resolve) => {
    // An error the action did not catch: the worker exits with 1 right after.
    worker.once('error', (error) => {
      console.error(error);
      process.stdout.write(`::error::${escapeCommand(String(error))}\n`);
    });
    worker.once('exit', (exitCode) => {
      process.exitCode = exitCode;
      resolve();
    });
  });
}

/**
 * Calls `stop` with the exit code for a cancelled job, on a signal in the main
 * thread or on the host's message in a worker. `stop` must end the thread.
 */
export function onStopRequest(stop: (exitCode: number) => void): void {
  if (parentPort === null) {
    for (const [signal, exitCode] of STOP_SIGNALS) process.once(signal, () => stop(exitCode));
    return;
  }
  parentPort.on('message', (message: Partial<StopRequest> | undefined) => {
    if (typeof message?.stop === 'number') stop(message.stop);
  });
  // Listening must not keep the worker alive once the run is over.
  parentPort.unref();
}

/** A workflow command's message on one line, as the runner reads it. */
function escapeCommand(message: string): string {
  return message.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}
