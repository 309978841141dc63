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
 * the first failure in any group stops all of them. Each group has
 * `concurrency` runners that take the next item when free, so memory does not
 * grow with the item count (docs/adr/0006-runner-pool-not-p-limit.md).
 */
export async function forEachBoundedGroups<T>(
  groups: readonly { items: readonly T[]; concurrency: number }[],
  work: (item: T) => Promise<void>,
): Promise<void> {
  for (const { concurrency } of groups) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a whole number of at least 1, not ${concurrency}`);
    }
  }
  let firstError: { error: unknown } | undefined;
  const runner = async (items: readonly T[], next: { index: number }): Promise<void> => {
    while (firstError === undefined && next.index < items.length) {
      const item = items[next.index] as T;
      next.index += 1;
      try {
        await work(item);
      } catch (error) {
        firstError ??= { error };
      }
    }
  };
  await Promise.all(
    groups.flatMap(({ items, concurrency }) => {
      const next = { index: 0 };
      return Array.from({ length: Math.min(concurrency, items.length) }, () => runner(items, next));
    }),
  );
  if (firstError !== undefined) throw firstError.error;
}

/**
 * Runs `work` on `first` and on every item it returns, and on theirs (the
 * folders of a tree), at most `concurrency` at a time. After a failure no
 * new item starts; it throws once those in flight have settled.
 */
export async function forEachBoundedTree<T>(
  first: T,
  concurrency: number,
  work: (item: T) => Promise<readonly T[]>,
): Promise<void> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number of at least 1, not ${concurrency}`);
  }
  const pending = [first];
  let running = 0;
  let failure: { error: unknown } | undefined;
  await new Promise<void>((resolve) => {
    const startMore = (): void => {
      while (failure === undefined && running < concurrency && pending.length > 0) {
        running += 1;
        const item = pending.pop() as T;
        // A work that throws at once fails like one that rejects.
        Promise.resolve()
          .then(() => work(item))
          .then(
            (found) => {
              for (const item of found) pending.push(item);
            },
            (error: unknown) => {
              failure ??= { error };
            },
          )
          .finally(() => {
            running -= 1;
            startMore();
            if (running === 0) resolve();
          });
      }
    };
    startMore();
  });
  if (failure !== undefined) throw failure.error;
}
