import type { Reporter } from '../model/reporter.js';
import type { LeaseStore } from './lease.js';
import { isLive, mayBeLive, pollDelay, refuseHeldLease, releasedLease, sleep, waitingLogger } from './lease.js';
import type { LeaseBody, LeaseTerms, ListedLease } from './lease.js';

/** Leases this process holds, released on SIGINT/SIGTERM too (main.ts). */
const held = new Set<HeldLease>();

/** Lease PUTs sent but not yet answered: a stop waits for them, or a lease just taken would stay behind. */
const taking = new Set<Promise<unknown>>();

/** Releases every lease this process still holds, or is taking; never throws. */
export async function releaseHeldLeases(): Promise<void> {
  await Promise.allSettled([...taking]);
  // Past every microtask: the taker has made its answer a HeldLease by then.
  await new Promise((resolve) => setImmediate(resolve));
  await Promise.all([...held].map((lease) => lease.release().catch(() => undefined)));
}

/** The outcome of taking the lease: held, or a store that ignores conditional writes (the run goes on unlocked). */
export interface Taken {
  lease: HeldLease | undefined;
  /** Another run held it, or took and released it, since the listing: what was planned may be stale. */
  waited: boolean;
}

/**
 * Takes the lease with a conditional write, waiting up to `waitSeconds` for
 * a live one; an expired one is overwritten If-Match its ETag, so only one
 * waiter wins. Refuses, having changed nothing, when the wait runs out.
 */
export async function takeLease(
  store: LeaseStore,
  terms: LeaseTerms,
  reporter: Reporter,
  listed: ListedLease | undefined,
): Promise<Taken> {
  const deadline = Date.now() + terms.waitSeconds * 1000;
  const sayWaiting = waitingLogger(store, terms.waitSeconds, reporter);
  let waited = false;
  let probed = false;
  let seen = await firstLook(store, listed);
  for (;;) {
    const live = seen !== undefined && isLive(seen.lease);
    if (!live || !probed) {
      const putting = store.put(leaseBody(terms), seen && !live ? { ifMatch: seen.etag } : 'create');
      taking.add(putting);
      const answer = await putting.finally(() => taking.delete(putting));
      if (answer === 'unsupported' || (typeof answer === 'object' && live)) {
        // A store that wrote over a live lease (or refused the header) cannot lock: one warning, and on.
        reporter.warn(
          store.key,
          `${store.remote.endpointName ?? 'This store'} ignores conditional writes (If-None-Match), so the deploy lease cannot keep two runs apart; this run goes on unlocked. Set lock: false to skip the attempt.`,
        );
        if (typeof answer === 'object') await store.remove(answer.etag).catch(() => undefined);
        return { lease: undefined, waited };
      }
      if (typeof answer === 'object') return { lease: new HeldLease(store, terms, answer.etag, reporter), waited };
      // The key changed since it was looked at: another run holds it, or deployed and released it.
      waited = true;
      probed = live;
      seen = await store.read();
      continue;
    }
    if (Date.now() >= deadline) throw refuseHeldLease(store, seen!.lease, terms.waitSeconds);
    sayWaiting(seen!.lease);
    waited = true;
    await sleep(pollDelay(seen!.lease, deadline));
    seen = await store.read();
  }
}

/**
 * The lease as the listing left it: none, a released one (its ETag is enough,
 * no GET), or one that may be live, read.
 */
async function firstLook(store: LeaseStore, listed: ListedLease | undefined) {
  if (listed === undefined) return undefined;
  if (mayBeLive(listed) || listed.etag === undefined) return store.read();
  return { lease: releasedLease(0), etag: listed.etag };
}

/** Waits, taking nothing, until no live lease is on the prefix; true when it had to wait. */
export async function waitForNoLease(store: LeaseStore, waitSeconds: number, reporter: Reporter): Promise<boolean> {
  const deadline = Date.now() + waitSeconds * 1000;
  const sayWaiting = waitingLogger(store, waitSeconds, reporter);
  let waited = false;
  for (let seen = await store.read(); seen !== undefined && isLive(seen.lease); seen = await store.read()) {
    if (Date.now() >= deadline) throw refuseHeldLease(store, seen.lease, waitSeconds);
    sayWaiting(seen.lease);
    waited = true;
    await sleep(pollDelay(seen.lease, deadline));
  }
  return waited;
}

function leaseBody(terms: LeaseTerms): LeaseBody {
  const now = Date.now();
  return {
    holder: terms.holder,
    expires: new Date(now + terms.leaseSeconds * 1000).toISOString(),
    taken: new Date(now).toISOString(),
  };
}

/** A lease this run holds: renewed If-Match its own ETag until released. */
export class HeldLease {
  private chain: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private released = false;

  constructor(
    private readonly store: LeaseStore,
    private readonly terms: LeaseTerms,
    private etag: string,
    private readonly reporter: Reporter,
  ) {
    held.add(this);
    // Renewed at a third of its life, so one late renewal still leaves it live.
    this.timer = setInterval(() => void this.renew(), (terms.leaseSeconds * 1000) / 3);
    this.timer.unref();
  }

  renew(): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (this.released) return;
      const answer = await this.store.put(leaseBody(this.terms), { ifMatch: this.etag }).catch(() => 'failed' as const);
      if (typeof answer === 'object') this.etag = answer.etag;
      else this.reporter.warn(this.store.key, 'The deploy lease could not be renewed; another run may take it over.');
    });
    return this.chain;
  }

  /** Deletes the lease If-Match its ETag: one that is no longer this run's stays. */
  release(): Promise<void> {
    clearInterval(this.timer);
    held.delete(this);
    this.chain = this.chain.then(async () => {
      if (this.released) return;
      this.released = true;
      const removed = await this.store.release(this.etag);
      if (!removed) this.reporter.warn(this.store.key, 'The deploy lease was no longer this run’s; it was left alone.');
    });
    return this.chain;
  }
}

/**
 * Ends the process on SIGINT/SIGTERM, releasing held leases first, or they
 * would block the next run until they expire; a hung release waits 5 s at most.
 */
export function exitReleasingLeases(exitCode: number): void {
  const exit = () => process.exit(exitCode);
  setTimeout(exit, 5_000).unref();
  void releaseHeldLeases().finally(exit);
}
