import type { Warning } from './plan.js';

/**
 * Keys that differ only by letter case or Unicode normalisation are distinct
 * in S3 and on Linux, but one file on macOS and Windows: a pull there would
 * keep only one of them. Warn, naming both.
 */
export function nameCollisionWarnings(keys: string[]): Warning[] {
  const seen = new Map<string, string>();
  const warnings: Warning[] = [];
  for (const key of [...keys].sort()) {
    const folded = key.normalize('NFC').toLowerCase();
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
