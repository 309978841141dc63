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
}

export const silentReporter: Reporter = {
  info: () => undefined,
  debug: () => undefined,
  warn: () => undefined,
  group: (_name, work) => work(),
};

/**
 * Logs "name: done/total (percent)" each time another tenth of the work is
 * done, and only for batches big enough for that to help.
 */
export function progressLogger(reporter: Reporter, name: string, total: number, threshold = 300) {
  let done = 0;
  let nextTenth = 1;
  return (): void => {
    done += 1;
    if (total < threshold) return;
    while (done >= (total * nextTenth) / 10 && nextTenth <= 10) {
      reporter.info(`${name}: ${done}/${total} (${nextTenth * 10}%)`);
      nextTenth += 1;
    }
  };
}
