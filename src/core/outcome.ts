import type { FileCopy, RedirectCopy, Removal, Warning } from './plan.js';

/**
 * What an apply did, the same shape for push and pull. A run that fails
 * part-way still returns the work it finished, so the report can say what
 * already changed.
 *
 * One name per idea: a "copy" is a file sent from the source to the
 * destination (uploaded on push, downloaded on pull); a "redirect" is a link
 * in either form (a redirect object in the bucket, a symlink on disk).
 */
export interface Outcome {
  copied: FileCopy[];
  redirected: RedirectCopy[];
  deleted: Removal[];
  /** Bytes of the files copied. */
  bytes: number;
  warnings: Warning[];
}

export function emptyOutcome(): Outcome {
  return { copied: [], redirected: [], deleted: [], bytes: 0, warnings: [] };
}
