import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { forEachBounded, forEachBoundedGroups, forEachBoundedTree, Pool } from '../../../src/model/pool.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('forEachBounded', () => {
  it('runs every item once, in order of start, never more than the limit at a time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(3), { maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        async (delays, limit) => {
          const started: number[] = [];
          let running = 0;
          let peak = 0;
          await forEachBounded(
            delays.map((delay, index) => ({ delay, index })),
            limit,
            async ({ delay, index }) => {
              started.push(index);
              running += 1;
              peak = Math.max(peak, running);
              for (let i = 0; i < delay; i += 1) await tick();
              running -= 1;
            },
          );
          assert.deepEqual(started, [...delays.keys()]);
          assert.ok(peak <= limit, `${peak} at once with a limit of ${limit}`);
        },
      ),
    );
  });

  it('starts nothing after a failure, waits for what is in flight, then throws the first error', async () => {
    const started: number[] = [];
    const settled: number[] = [];
    const failure = forEachBounded([0, 1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      started.push(item);
      await tick();
      if (item === 1) throw new Error('item 1 failed');
      if (item === 2) throw new Error('item 2 failed too');
      await tick();
      settled.push(item);
    });
    await assert.rejects(failure, /item 1 failed/);
    assert.deepEqual(started, [0, 1, 2]);
    assert.deepEqual(settled, [0]);
  });

  it('refuses a limit that would run nothing', async () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(
        forEachBounded([1, 2], limit, async () => undefined),
        RangeError,
      );
    }
  });
});

describe('forEachBoundedGroups', () => {
  it('gives each group its own limit, and a failure in one stops the other', async () => {
    const running = { small: 0, large: 0 };
    const peak = { small: 0, large: 0 };
    const items = (group: 'small' | 'large', count: number) =>
      Array.from({ length: count }, (_, index) => ({ group, index }));
    await forEachBoundedGroups(
      [
        { items: items('large', 6), concurrency: 2 },
        { items: items('small', 20), concurrency: 5 },
      ],
      async ({ group }) => {
        running[group] += 1;
        peak[group] = Math.max(peak[group], running[group]);
        await tick();
        running[group] -= 1;
      },
    );
    // Both limits are reached, and neither is passed.
    assert.deepEqual(peak, { small: 5, large: 2 });

    const done: string[] = [];
    await assert.rejects(
      forEachBoundedGroups(
        [
          { items: ['boom'], concurrency: 1 },
          { items: ['a', 'b', 'c', 'd'], concurrency: 1 },
        ],
        async (item) => {
          if (item === 'boom') throw new Error('boom');
          await tick();
          done.push(item);
        },
      ),
      /boom/,
    );
    assert.deepEqual(done, ['a']);
  });
});

describe('forEachBoundedTree', () => {
  /** A random tree as parent indexes: node i > 0 hangs under parents[i - 1] < i. */
  const trees = fc.array(fc.nat(), { maxLength: 60 }).map((picks) => picks.map((pick, i) => pick % (i + 1)));

  it('visits every node of a tree once, never more than the limit at a time, and uses the limit', async () => {
    await fc.assert(
      fc.asyncProperty(trees, fc.integer({ min: 1, max: 8 }), async (parents, limit) => {
        const children = (node: number) => parents.flatMap((parent, i) => (parent === node ? [i + 1] : []));
        const visited: number[] = [];
        let running = 0;
        let peak = 0;
        await forEachBoundedTree(0, limit, async (node) => {
          running += 1;
          peak = Math.max(peak, running);
          visited.push(node);
          await tick();
          running -= 1;
          return children(node);
        });
        assert.deepEqual(
          [...visited].sort((a, b) => a - b),
          Array.from({ length: parents.length + 1 }, (_, i) => i),
        );
        assert.ok(peak <= limit);
        // A root with enough children keeps `limit` busy at once.
        if (children(0).length >= limit) assert.equal(peak, limit);
      }),
    );
  });

  it('starts nothing after a failure, waits for what is in flight, then throws it', async () => {
    const settled: string[] = [];
    await assert.rejects(
      forEachBoundedTree('root', 2, async (node) => {
        if (node === 'root') return ['a', 'b', 'c', 'd'];
        await tick();
        if (node === 'd') throw new Error('unreadable d');
        await tick();
        settled.push(node);
        return [`${node}/child`];
      }),
      /unreadable d/,
    );
    assert.deepEqual(settled, ['c'], 'c was in flight beside d; nothing started after');
  });

  it('refuses a limit that would run nothing, and fails on a work that throws at once', async () => {
    await assert.rejects(
      forEachBoundedTree('root', 0, async () => []),
      RangeError,
    );
    await assert.rejects(
      forEachBoundedTree('root', 2, (node) => {
        if (node === 'a') throw new Error('thrown at once');
        return Promise.resolve(node === 'root' ? ['a', 'b'] : []);
      }),
      /thrown at once/,
    );
  });
});

describe('Pool', () => {
  it('runs tasks in the order asked, never more than the limit, each settling as it does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ delay: fc.nat(3), fails: fc.boolean() }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        async (tasks, limit) => {
          const pool = new Pool(limit);
          const started: number[] = [];
          let running = 0;
          let peak = 0;
          const results = await Promise.allSettled(
            tasks.map(({ delay, fails }, index) =>
              pool.run(async () => {
                started.push(index);
                running += 1;
                peak = Math.max(peak, running);
                for (let i = 0; i < delay; i += 1) await tick();
                running -= 1;
                if (fails) throw new Error(`task ${index}`);
                return index;
              }),
            ),
          );
          // A failure frees its slot for the next task; it stops nothing.
          assert.deepEqual(started, [...tasks.keys()]);
          assert.ok(peak <= limit, `${peak} at once with a limit of ${limit}`);
          results.forEach((result, index) =>
            assert.deepEqual(
              result,
              tasks[index]?.fails
                ? { status: 'rejected', reason: new Error(`task ${index}`) }
                : { status: 'fulfilled', value: index },
            ),
          );
        },
      ),
    );
  });

  it('starts a task within the call when a slot is free, and rejects one that throws at once', async () => {
    const pool = new Pool(1);
    let started = false;
    const first = pool.run(async () => {
      started = true;
      await tick();
    });
    assert.equal(started, true);
    await assert.rejects(
      pool.run(() => {
        throw new Error('thrown at once');
      }),
      /thrown at once/,
    );
    await first;
  });

  it('lets a producer that starts its own tasks wait while the limit of them are in flight', async () => {
    const pool = new Pool(2);
    const finish: (() => void)[] = [];
    const task = () => pool.track(new Promise<void>((resolve) => finish.push(resolve)));
    const tracked = [task(), task(), task()];
    assert.equal(pool.full, true);
    let roomFor = 0;
    const producers = [pool.room(), pool.room()].map((waiting) => waiting.then(() => (roomFor += 1)));
    await tick();
    assert.equal(roomFor, 0, 'three in flight with a limit of two');
    finish.shift()?.();
    await tick();
    assert.equal(roomFor, 0, 'two still in flight');
    finish.shift()?.();
    await Promise.all(producers);
    assert.equal(roomFor, 2, 'every waiting producer looks again');
    finish.shift()?.();
    await Promise.all(tracked);
    assert.equal(pool.full, false);
  });

  it('names the limit it refuses', () => {
    assert.throws(() => new Pool(0, 'the LIST concurrency'), {
      name: 'RangeError',
      message: 'the LIST concurrency must be a whole number of at least 1, not 0',
    });
    assert.throws(() => new Pool(2.5), { message: 'concurrency must be a whole number of at least 1, not 2.5' });
  });
});
