import { DeleteObjectsCommand } from '@aws-sdk/client-s3';
import type { RemoteLocation } from '../bucket/list.js';
import { OperationError, tagged } from '../model/errors.js';
import { stripPrefix, withPrefix } from '../model/keys.js';
import type { Outcome } from '../model/outcome.js';
import type { Removal } from '../model/plan.js';
import type { Reporter } from '../model/reporter.js';
import { plural } from '../model/words.js';

/** Keys in one DeleteObjects: S3's most. */
const DELETE_BATCH = 1000;

/** The DeleteObjects requests that delete this many keys. */
export function deleteRequests(keys: number): number {
  return Math.ceil(keys / DELETE_BATCH);
}

/** Deletes the keys in batches, recording each deleted key in `outcome`. */
export async function deleteObjects(
  deletes: readonly Removal[],
  outcome: Outcome,
  context: { remote: RemoteLocation; reporter: Reporter },
): Promise<void> {
  if (deletes.length === 0) return;
  await context.reporter.group(`Delete ${plural(deletes.length, 'object')}`, async () => {
    // One batch at a time: each already carries 1000 keys, and S3 throttles
    // writes per prefix (s3rver even fails concurrent batches in one folder).
    for (let i = 0; i < deletes.length; i += DELETE_BATCH) {
      await deleteBatch(deletes.slice(i, i + DELETE_BATCH), outcome, context);
    }
  });
}

/**
 * One DeleteObjects. S3 answers 200 even when it refuses some keys, listing
 * them as errors: the others are gone, and are recorded as deleted.
 */
async function deleteBatch(batch: Removal[], outcome: Outcome, { remote }: { remote: RemoteLocation }): Promise<void> {
  const first = batch[0] as Removal;
  const response = await tagged('delete', first.key, () =>
    remote.client.send(
      new DeleteObjectsCommand({
        Bucket: remote.bucket,
        Delete: { Quiet: true, Objects: batch.map((removal) => ({ Key: withPrefix(remote.prefix, removal.key) })) },
      }),
    ),
  );
  const errors = response.Errors ?? [];
  const refused = new Set(errors.map((error) => error.Key));
  outcome.deleted.push(...batch.filter((removal) => !refused.has(withPrefix(remote.prefix, removal.key))));
  if (errors.length === 0) return;
  const named = errors
    .slice(0, 10)
    .map((error) => `${error.Key ?? '?'} (${error.Code ?? 'error'}: ${error.Message ?? ''})`)
    .join(', ');
  const more = errors.length > 10 ? ` and ${errors.length - 10} more` : '';
  const refusal = Object.assign(
    new Error(`S3 refused to delete ${errors.length} of ${plural(batch.length, 'object')}: ${named}${more}`),
    { name: errors[0]?.Code ?? 'DeleteRefused' },
  );
  const key = errors[0]?.Key ?? withPrefix(remote.prefix, first.key);
  throw new OperationError('delete', stripPrefix(remote.prefix, key) ?? key, refusal);
}
