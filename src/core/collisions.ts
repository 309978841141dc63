import type { Warning } from './plan.js';

/** ASCII without capitals: what most keys are, and what folds to itself. */
// eslint-disable-next-line no-control-regex
const ASCII_LOWER = /^[\x00-\x40\x5b-\x7f]*$/;

/**
 * Keys that differ only by letter case or Unicode normalisation are distinct
 * in S3 and on Linux, but one file on macOS and Windows: a pull there would
 * keep only one of them. Warn, naming both.
 */
export function nameCollisionWarnings(keys: readonly string[]): Warning[] {
  const seen = new Map<string, string>();
  const warnings: Warning[] = [];
  // Sorting keys already in order (the plan's) takes one pass.
  for (const key of [...keys].sort()) {
    const folded = ASCII_LOWER.test(key) ? key : key.normalize('NFC').toLowerCase();
    const first = seen.get(folded);
    if (first === undefined) {
      seen.set(folded, key);
    } else {
      warnings.push({
        key,
        message: `Same name as ${JSON.stringify(first)} on case-insensitive or normalising file systems (macOS, Windows)`,
      });
    }
  }
  return warnings;
}
