/**
 * The one bounded pool: at most `limit` tasks at a time, the rest waiting
 * their turn in the order they asked. Every bounded concurrency in the action
 * goes through it: a task run when a slot is free (run), tasks a producer
 * starts itself and waits on (track, room), and items of a list or a tree
 * (forEachBounded, forEachBoundedGroups, forEachBoundedTree).
 */
export class Pool {
  private running = 0;
  /** Turns waiting for a slot, first come first served: each wakes its caller, taking the slot or not. */
  private readonly waiting: (() => void)[] = [];

  /** `what` names the limit in the RangeError for one that is not a whole number of at least 1. */
  constructor(
    private readonly limit: number,
    what = 'concurrency',
  ) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`${what} must be a whole number of at least 1, not ${limit}`);
    }
  }

  /** Whether every slot is taken. */
  get full(): boolean {
    return this.running >= this.limit;
  }

  /**
   * Runs `task` as soon as a slot is free (at once, within this call, when
   * one is) and settles as it does. A task that throws at once rejects.
   */
  async run<T>(task: () => Promise<T>): Promise<T> {
    const turn = this.take();
    if (turn !== undefined) await turn;
    try {
      return await task();
    } finally {
      this.giveBack();
    }
  }

  /**
   * Counts a task its producer has already started, free slot or not, until
   * it settles; the producer waits with room() before it starts more.
   */
  track<T>(started: Promise<T>): Promise<T> {
    this.running += 1;
    return started.finally(() => this.giveBack());
  }

  /** Resolves once a slot is free, without taking it: for a producer that starts its tasks itself. */
  async room(): Promise<void> {
    // Woken without the slot, so every waiting producer looks again; one
    // woken before this one may have filled it meanwhile.
    while (this.full) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Takes a slot: at once when one is free (undefined), else once one is given back to this turn. */
  private take(): Promise<void> | undefined {
    if (!this.full) {
      this.running += 1;
      return undefined;
    }
    return new Promise<void>((resolve) =>
      this.waiting.push(() => {
        this.running += 1;
        resolve();
      }),
    );
  }

  private giveBack(): void {
    this.running -= 1;
    while (!this.full && this.waiting.length > 0) (this.waiting.shift() as () => void)();
  }
}

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
 * forEachBounded over several groups at once, each with a pool of its own;
 * the first failure in any group stops all of them.
 */
export async function forEachBoundedGroups<T>(
  groups: readonly { items: readonly T[]; concurrency: number }[],
  work: (item: T) => Promise<void>,
): Promise<void> {
  // Every limit is checked before any item starts.
  const pools = groups.map(({ concurrency }) => new Pool(concurrency));
  const failure = new FirstFailure();
  await Promise.all(groups.map(({ items }, i) => drain(pools[i] as Pool, items.values(), work, failure)));
  failure.throwIfAny();
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
  const pool = new Pool(concurrency);
  const pending = [first];
  const next = (): IteratorResult<T, undefined> =>
    pending.length > 0 ? { done: false, value: pending.pop() as T } : { done: true, value: undefined };
  const failure = new FirstFailure();
  const visit = (item: T): Promise<void> =>
    work(item).then((found) => {
      for (const child of found) pending.push(child);
    });
  await drain(pool, { next }, visit, failure);
  failure.throwIfAny();
}

/**
 * Starts work on the items `source` gives while the pool has a free slot, and
 * asks it again whenever one settles (a tree's work gives it more), so only
 * items in flight exist as promises and memory does not grow with the item
 * count (docs/adr/0006-runner-pool-not-p-limit.md). Resolves once the source
 * gives none and none is in flight; after `failure` has one, none starts.
 */
function drain<T>(
  pool: Pool,
  source: { next(): IteratorResult<T, unknown> },
  work: (item: T) => Promise<void>,
  failure: FirstFailure,
): Promise<void> {
  // A work that throws at once fails like one that rejects, and at once: nothing starts after it.
  const attempt = (item: T): Promise<void> => {
    try {
      return work(item);
    } catch (error) {
      failure.record(error);
      throw error;
    }
  };
  return new Promise<void>((resolve) => {
    let inFlight = 0;
    const settled = (): void => {
      inFlight -= 1;
      startMore();
      if (inFlight === 0) resolve();
    };
    const startMore = (): void => {
      while (!failure.happened && !pool.full) {
        const item = source.next();
        if (item.done === true) break;
        inFlight += 1;
        // Recorded a turn before `settled`, so an item that ends as this fails starts nothing.
        void pool
          .run(() => attempt(item.value))
          .catch(failure.record)
          .then(settled);
      }
    };
    startMore();
    if (inFlight === 0) resolve();
  });
}

/** The first error among work that shares it. */
class FirstFailure {
  private first: { error: unknown } | undefined;

  get happened(): boolean {
    return this.first !== undefined;
  }

  readonly record = (error: unknown): void => {
    this.first ??= { error };
  };

  throwIfAny(): void {
    if (this.first !== undefined) throw this.first.error;
  }
}
