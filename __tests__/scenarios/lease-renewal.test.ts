// A held lease against moto: renewed If-Match its own ETag, and never deleted
// once it is another run's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { takeLease } from '../../src/deploys/hold.js';
import { LEASE_KEY, LeaseStore, RELEASED_SIZE, type LeaseBody, type ListedLease } from '../../src/deploys/lease.js';
import { silentReporter, type Reporter } from '../../src/model/reporter.js';
import { motoAvailability } from '../../support/moto.js';
import { useMotoS3 } from '../helpers/moto-s3.js';
import { getText, headObject, listKeys, putObject } from '../helpers/s3.js';

const key = `site/${LEASE_KEY}`;

describe('a held lease', motoAvailability(), () => {
  const store = useMotoS3();
  const terms = { holder: 'octo/site@abc', waitSeconds: 0, leaseSeconds: 1.5 };

  it('is renewed before it expires, for as long as the run lasts, then released', async () => {
    const bucket = await store.bucket();
    const leases = new LeaseStore({ client: store.client, bucket, prefix: 'site' });
    const { lease } = await takeLease(leases, terms, silentReporter, undefined);
    assert.ok(lease);
    const first = JSON.parse(await getText(store.client, bucket, key)) as LeaseBody;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const later = JSON.parse(await getText(store.client, bucket, key)) as LeaseBody;
    assert.ok(Date.parse(later.expires) > Date.now(), 'still live past its first expiry');
    assert.ok(Date.parse(later.expires) > Date.parse(first.expires));
    // A second run cannot take a renewed lease.
    await assert.rejects(
      takeLease(leases, { ...terms, holder: 'other' }, silentReporter, { etag: undefined, size: undefined }),
      /held by octo\/site@abc/,
    );
    await lease.release();
    assert.deepEqual(await listKeys(store.client, bucket), [key]);
    const released = JSON.parse(await getText(store.client, bucket, key)) as LeaseBody;
    assert.equal(released.holder, 'released');
    assert.ok(Date.parse(released.expires) <= Date.now(), 'a released lease is not live');
  });

  it('a run whose listing came before another run’s whole deploy is told to plan again', async () => {
    const bucket = await store.bucket();
    const leases = new LeaseStore({ client: store.client, bucket, prefix: 'site' });
    const listedNow = async (): Promise<ListedLease> => {
      const head = await headObject(store.client, bucket, key);
      return { etag: head.ETag, size: head.ContentLength };
    };
    // B lists an empty prefix; A takes the lease, deploys and releases it; then B takes it.
    const a = await takeLease(leases, { ...terms, holder: 'a' }, silentReporter, undefined);
    await a.lease!.release();
    const b = await takeLease(leases, { ...terms, holder: 'b' }, silentReporter, undefined);
    assert.equal(b.waited, true, 'B plans again');
    await b.lease!.release();
    // B lists A's released lease; A deploys again; B's If-Match fails.
    const seenByB = await listedNow();
    assert.equal(seenByB.size, RELEASED_SIZE);
    const again = await takeLease(leases, { ...terms, holder: 'a' }, silentReporter, await listedNow());
    assert.equal(again.waited, false, 'A listed the lease as it was');
    await again.lease!.release();
    const late = await takeLease(leases, { ...terms, holder: 'b' }, silentReporter, seenByB);
    assert.equal(late.waited, true, 'B plans again');
    await late.lease!.release();
  });

  it('is left alone on release once another run has taken it over', async () => {
    const bucket = await store.bucket();
    const leases = new LeaseStore({ client: store.client, bucket, prefix: 'site' });
    const warned: string[] = [];
    const reporter: Reporter = { ...silentReporter, warn: (_key, message) => warned.push(message) };
    const { lease } = await takeLease(leases, { ...terms, leaseSeconds: 60 }, reporter, undefined);
    const theirs = JSON.stringify({ holder: 'other', expires: new Date(Date.now() + 60_000).toISOString() });
    await putObject(store.client, bucket, key, theirs);
    await lease!.release();
    assert.equal(await getText(store.client, bucket, key), theirs);
    assert.match(warned.join('\n'), /no longer this run’s/);
  });
});
