import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { RemoteLocation } from '../bucket/list.js';
import type { Inventories } from '../decide/inventory.js';
import { tagged } from '../model/errors.js';
import { s3Url, withPrefix } from '../model/keys.js';
import type { Warning } from '../model/plan.js';
import { forEachBounded } from '../model/pool.js';
import type { Reporter } from '../model/reporter.js';
import { plural } from '../model/words.js';

/** Keys named in the one warning; the summary lists them all. */
const KEYS_NAMED = 5;

/**
 * A pull step before deciding: archived objects that are not restored are
 * set aside, neither requested nor compared, and a local copy of one is kept
 * (its key leaves both sides, as an excluded key does). Where the listing did
 * not say whether one is restored, a HEAD of it does. One warning for all.
 */
export async function setAsideArchived(
  inventories: Inventories,
  remote: RemoteLocation,
  listingTellsRestore: boolean,
  run: { concurrency: number; reporter: Reporter },
): Promise<Warning[]> {
  const archived: { key: string; storageClass: string; restored: boolean | undefined }[] = [];
  for (const [key, entry] of inventories.remote) {
    if (entry.kind === 'file' && entry.archived !== undefined) archived.push({ key, ...entry.archived });
  }
  if (archived.length === 0) return [];
  const unknown = archived.filter((object) => object.restored === undefined && !listingTellsRestore);
  await forEachBounded(unknown, run.concurrency, async (object) => {
    const head = await tagged('inspect', object.key, () =>
      remote.client.send(new HeadObjectCommand({ Bucket: remote.bucket, Key: withPrefix(remote.prefix, object.key) })),
    );
    object.restored = /ongoing-request="false"/.test(head.Restore ?? '');
  });
  const skipped = archived.filter((object) => object.restored !== true);
  for (const { key } of skipped) {
    inventories.remote.delete(key);
    inventories.local.entries.delete(key);
  }
  return reportSkipped(
    skipped.map(({ key, storageClass }) => ({ key, reason: `stored in ${storageClass} and not restored` })),
    remote,
    run.reporter,
  );
}

/**
 * One warning for every archived object skipped (counted once each), naming
 * the first keys and the two ways out; a warning per key for the summary.
 */
export function reportSkipped(
  skipped: { key: string; reason: string }[],
  remote: RemoteLocation,
  reporter: Reporter,
): Warning[] {
  if (skipped.length === 0) return [];
  const named = skipped.slice(0, KEYS_NAMED).map(({ key }) => key);
  const more = skipped.length > KEYS_NAMED ? `, and ${skipped.length - KEYS_NAMED} more` : '';
  const first = skipped[0]?.key ?? '';
  reporter.warn(
    s3Url(remote.bucket, remote.prefix),
    `${plural(skipped.length, 'archived object')} skipped, not downloaded (${named.join(', ')}${more}): ` +
      `a GET cannot read them until they are restored, and a local copy is kept. Restore them first ` +
      `(aws s3api restore-object --bucket ${remote.bucket} --key ${withPrefix(remote.prefix, first)} ` +
      `--restore-request Days=1), or add them to exclude.`,
    skipped.length,
  );
  return skipped.map(({ key, reason }) => ({ key, message: `skipped: ${reason} (archived); the local copy is kept` }));
}
