import pLimit from 'p-limit';

/**
 * Runs work over items with at most `concurrency` at a time. After the first
 * failure no new item starts, and it waits for those in flight to settle
 * before throwing, so nothing is still writing when the caller reports.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  await forEachBoundedGroups([{ items, concurrency }], work);
}

/**
 * forEachBounded over several groups at once, each with a limit of its own;
 * the first failure in any group stops all of them.
 */
export async function forEachBoundedGroups<T>(
  groups: readonly { items: readonly T[]; concurrency: number }[],
  work: (item: T) => Promise<void>,
): Promise<void> {
  let firstError: { error: unknown } | undefined;
  await Promise.all(
    groups.flatMap(({ items, concurrency }) => {
      const limit = pLimit(concurrency);
      return items.map((item) =>
        limit(async () => {
          if (firstError !== undefined) return;
          try {
            await work(item);
          } catch (error) {
            firstError ??= { error };
          }
        }),
      );
    }),
  );
  if (firstError !== undefined) throw firstError.error;
}

/**
 * Largest first: a big transfer started last runs on alone after the small
 * ones are done (on push it also holds back the next wave), while started
 * first it overlaps them.
 */
export function largestFirst<T extends { entry: { size: number } }>(copies: readonly T[]): T[] {
  return [...copies].sort((a, b) => b.entry.size - a.entry.size);
}
