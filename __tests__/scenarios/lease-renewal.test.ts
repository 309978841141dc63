// A held lease against moto: renewed If-Match its own ETag, and never deleted
// once it is another run's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { takeLease } from '../../src/deploys/hold.js';
import { LEASE_KEY, LeaseStore, type LeaseBody } from '../../src/deploys/lease.js';
import { silentReporter, type Reporter } from '../../src/model/reporter.js';
import { motoAvailability } from '../../support/moto.js';
import { useMotoS3 } from '../helpers/moto-s3.js';
import { getText, listKeys, putObject } from '../helpers/s3.js';

const key = `site/${LEASE_KEY}`;

describe('a held lease', motoAvailability(), () => {
  const store = useMotoS3();
  const terms = { holder: 'octo/site@abc', waitSeconds: 0, leaseSeconds: 1.5 };

  it('is renewed before it expires, for as long as the run lasts, then released', async () => {
    const bucket = await store.bucket();
    const leases = new LeaseStore({ client: store.client, bucket, prefix: 'site' });
    const { lease } = await takeLease(leases, terms, silentReporter, false);
    assert.ok(lease);
    const first = JSON.parse(await getText(store.client, bucket, key)) as LeaseBody;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const later = JSON.parse(await getText(store.client, bucket, key)) as LeaseBody;
    assert.ok(Date.parse(later.expires) > Date.now(), 'still live past its first expiry');
    assert.ok(Date.parse(later.expires) > Date.parse(first.expires));
    // A second run cannot take a renewed lease.
    await assert.rejects(
      takeLease(leases, { ...terms, holder: 'other' }, silentReporter, true),
      /held by octo\/site@abc/,
    );
    await lease.release();
    assert.deepEqual(await listKeys(store.client, bucket), []);
  });

  it('is left alone on release once another run has taken it over', async () => {
    const bucket = await store.bucket();
    const leases = new LeaseStore({ client: store.client, bucket, prefix: 'site' });
    const warned: string[] = [];
    const reporter: Reporter = { ...silentReporter, warn: (_key, message) => warned.push(message) };
    const { lease } = await takeLease(leases, { ...terms, leaseSeconds: 60 }, reporter, false);
    const theirs = JSON.stringify({ holder: 'other', expires: new Date(Date.now() + 60_000).toISOString() });
    await putObject(store.client, bucket, key, theirs);
    await lease!.release();
    assert.equal(await getText(store.client, bucket, key), theirs);
    assert.match(warned.join('\n'), /no longer this run’s/);
  });
});
