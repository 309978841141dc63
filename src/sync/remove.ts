import { applyPush, pushRequestEstimate } from './upload.js';
import { RefusedError } from '../model/errors.js';
import type { ForceCopyOptions, ForceCopyResult } from './force-copy.js';
import { assertCanAfford, refuseTooManyDeletes } from '../decide/guards.js';
import { emptyOutcome } from '../model/outcome.js';
import { plan as makePlan } from '../decide/plan.js';
import { listRemote } from '../bucket/list.js';
import { plural } from '../model/words.js';

export type RemoveOptions = Pick<
  ForceCopyOptions,
  'remote' | 'budget' | 'isExcluded' | 'maxDelete' | 'dryRun' | 'reporter' | 'concurrency'
>;

/**
 * Removes every object under the prefix, and nothing outside it: the clean-up
 * of a pull-request preview. The same phases as a push from an empty
 * directory (list, plan, guards, apply), with its own guard: a prefix that
 * is empty would name the whole bucket, so it is refused.
 */
export async function removePrefix(options: RemoveOptions): Promise<ForceCopyResult> {
  const { remote, reporter } = options;
  if (remote.prefix === '') {
    throw new RefusedError(
      `direction: remove deletes everything under the prefix, and the prefix is empty, which would be all of s3://${remote.bucket}. Nothing was changed. Set prefix to the preview's folder, such as pr-12.`,
    );
  }
  const listed = await reporter.group(`List s3://${remote.bucket}/${remote.prefix}/`, async () => {
    const entries = await listRemote(remote, options.isExcluded);
    reporter.info(`${plural(entries.size, 'object')} to remove`);
    return entries;
  });
  const plan = makePlan(new Map(), listed, { prefix: remote.prefix, delete: true, force: false });
  refuseTooManyDeletes(plan, { direction: 'push', maxDelete: options.maxDelete });
  const outcome = emptyOutcome();
  const result: ForceCopyResult = { direction: 'push', dryRun: options.dryRun, plan, outcome, warnings: plan.warnings };
  if (options.dryRun) return result;
  assertCanAfford(options.budget, pushRequestEstimate(plan));
  try {
    await applyPush(plan, outcome, {
      ...options,
      root: '',
      headersFor: () => ({ ContentType: '', Metadata: {} }),
      storesGzipped: () => false,
    });
  } catch (error) {
    result.failure = error;
  }
  return result;
}
