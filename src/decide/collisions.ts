import type { Warning } from '../model/plan.js';

/** ASCII without capitals: what most keys are, and what folds to itself. */
// eslint-disable-next-line no-control-regex
const ASCII_LOWER = /^[\x00-\x40\x5b-\x7f]*$/;

/**
 * Keys that differ only by letter case or Unicode normalisation are distinct
 * in S3 and on Linux, but one file on macOS and Windows: a pull there would
 * keep only one of them. Warn, naming both.
 */
export function nameCollisionWarnings(keys: readonly string[]): Warning[] {
  // An ASCII key without capitals folds to itself, so it can only share a
  // name with a key that does not: only the names those fold to are looked at.
  const foldedNames = new Set<string>();
  for (const key of keys) if (!ASCII_LOWER.test(key)) foldedNames.add(fold(key));
  if (foldedNames.size === 0) return [];
  const seen = new Map<string, string>();
  const warnings: Warning[] = [];
  // Sorting keys already in order (the plan's) takes one pass.
  for (const key of [...keys].sort()) {
    const folded = ASCII_LOWER.test(key) ? key : fold(key);
    if (!foldedNames.has(folded)) continue;
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

function fold(key: string): string {
  return key.normalize('NFC').toLowerCase();
}
