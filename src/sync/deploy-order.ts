import type { FileCopy } from '../model/plan.js';
import { isPage } from '../model/keys.js';

/*
 * The order a push applies its plan in, so a visitor never gets a broken
 * page: assets, then HTML pages (which refer to assets), then redirects, and
 * the deletes only after every write has succeeded.
 */

/** Assets first, HTML pages second. */
export function deployWaves<T extends FileCopy>(copies: readonly T[]): [T[], T[]] {
  return [copies.filter((copy) => !isPage(copy.key)), copies.filter((copy) => isPage(copy.key))];
}

/** The copies in the order a push sends them, and the report lists them in. */
export function deployOrder<T extends FileCopy>(copies: readonly T[]): T[] {
  return deployWaves(copies).flat();
}

/**
 * Largest first: a big transfer started last runs on alone after the small
 * ones are done (on push it also holds back the next wave), while started
 * first it overlaps them.
 */
export function largestFirst<T extends { entry: { size: number } }>(copies: readonly T[]): T[] {
  return [...copies].sort((a, b) => b.entry.size - a.entry.size);
}
