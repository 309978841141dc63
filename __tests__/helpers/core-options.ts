import { RefusedError, rootCause } from '../../src/model/errors.js';
import { forceCopy, type ForceCopyOptions, type ForceCopyResult } from '../../src/sync/force-copy.js';
import { silentReporter } from '../../src/model/reporter.js';
import { TempFiles } from '../../src/local/temp-files.js';
import { contentTypeFor } from '../../src/settings/content-type.js';
import { excludeMatcher, headersMatcher } from '../../src/settings/rules.js';
import { RequestBudget } from '../../src/bucket/budget.js';

/** The one place tests get the core's defaults; each test overrides only what it is about. */
export function coreOptions(
  overrides: Partial<ForceCopyOptions> & Pick<ForceCopyOptions, 'direction' | 'root' | 'remote'>,
): ForceCopyOptions {
  return {
    budget: new RequestBudget(1_000_000),
    concurrency: 8,
    isExcluded: excludeMatcher([]),
    headersFor: headersMatcher([], [], contentTypeFor),
    gzip: () => false,
    // Off unless a test is about it, so request counts stay those of the listing and the plan.
    manifestKey: undefined,
    force: false,
    delete: true,
    maxDelete: undefined,
    allowEmpty: false,
    dryRun: false,
    tempFiles: new TempFiles(),
    reporter: silentReporter,
    ...overrides,
  };
}

/**
 * forceCopy, with a failure thrown as it happened: the cause itself, not its
 * operation tag, carrying the partial result as `result`. Most tests ask
 * "did it fail, and how"; those about the tag or the partial result call
 * forceCopy itself.
 */
export async function forceCopyOrThrow(options: ForceCopyOptions): Promise<ForceCopyResult> {
  let result: ForceCopyResult;
  try {
    result = await forceCopy(options);
  } catch (error) {
    throw rootCause(error);
  }
  if (result.failure !== undefined) throw Object.assign(rootCause(result.failure) as Error, { result });
  return result;
}

/** For assert.rejects: a RefusedError whose message matches the pattern. */
export const refusal = (pattern: RegExp) => (error: unknown) =>
  error instanceof RefusedError && pattern.test(error.message);
