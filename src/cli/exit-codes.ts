import type { RunEnd } from '../run-settings.js';

/**
 * The command line's exit codes (README, "Command line"). 130 and 143, for
 * SIGINT and SIGTERM, come from thread.ts's stop signals.
 */
export const EXIT = {
  done: 0,
  /** Failed part-way: the message says what the destination now holds. */
  failed: 1,
  /** Refused before any change: bad flags, a guard, the budget, an error before the apply. */
  refused: 2,
} as const;

export function exitCodeFor(end: Pick<RunEnd, 'ending'>): number {
  return EXIT[end.ending];
}
