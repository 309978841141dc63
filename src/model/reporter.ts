/**
 * What the core needs from its host for logging. The action passes one
 * backed by @actions/core; tests pass a recorder. Keeping it an interface is
 * what lets the core run without @actions/core.
 */
export interface Reporter {
  info(message: string): void;
  debug(message: string): void;
  /**
   * An entry skipped or kept, said as soon as it is known, so a run that fails later still shows it.
   * `count`: the entries one line stands for (each counts in `warnings`).
   */
  warn(key: string, message: string, count?: number): void;
  group<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** After each transfer of a batch: a host that draws a progress bar listens here; the action does not. */
  progress?(progress: TransferProgress): void;
}

/** How far a batch of transfers has got: items (files, redirects) and the bytes of the files among them. */
export interface TransferProgress {
  name: string;
  done: number;
  total: number;
  bytesDone: number;
  bytesTotal: number;
}

export const silentReporter: Reporter = {
  info: () => undefined,
  debug: () => undefined,
  warn: () => undefined,
  group: (_name, work) => work(),
};

/**
 * Logs "name: done/total (percent)" each time another tenth of the work is
 * done, and only for batches big enough for that to help; tells
 * `reporter.progress` of every item. The returned tick takes the item's bytes.
 */
export function progressLogger(reporter: Reporter, name: string, total: number, bytesTotal = 0, threshold = 300) {
  let done = 0;
  let bytesDone = 0;
  let nextTenth = 1;
  return (bytes = 0): void => {
    done += 1;
    bytesDone += bytes;
    reporter.progress?.({ name, done, total, bytesDone, bytesTotal });
    if (total < threshold) return;
    while (done >= (total * nextTenth) / 10 && nextTenth <= 10) {
      reporter.info(`${name}: ${done}/${total} (${nextTenth * 10}%)`);
      nextTenth += 1;
    }
  };
}

/** The bytes of a batch of file copies, for its progress. */
export function bytesOf(copies: readonly { entry: { size: number } }[]): number {
  let bytes = 0;
  for (const copy of copies) bytes += copy.entry.size;
  return bytes;
}
