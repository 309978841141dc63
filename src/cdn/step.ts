import * as core from '@actions/core';
import type { SyncResult } from '../sync/result.js';
import { changesOf } from '../report/outputs.js';
import type { Warnings } from '../report/warnings.js';
import { plural } from '../model/words.js';
import type { RequestBudget } from '../bucket/budget.js';
import type { Settings } from '../settings/inputs.js';
import { createCloudFrontClient } from './client.js';
import { DEFAULT_WAIT_TIMEOUT_MS, invalidateCdn, type InvalidateResult } from './invalidate.js';
import { readServedDistributions, type ServedDistribution } from './preflight.js';

/**
 * Before the sync (a dry run too): reads each distribution and refuses the
 * run, with a RefusedError, unless every one serves the bucket. [] when there
 * is nothing to invalidate afterwards.
 */
export async function checkDistributions(settings: Settings, budget: RequestBudget): Promise<ServedDistribution[]> {
  if (settings.cloudfrontDistributionIds.length === 0) return [];
  if (settings.direction === 'pull') {
    core.info('cloudfront-distribution-id is for a push or a remove; a pull changes nothing a CDN serves.');
    return [];
  }
  return core.group('Check CloudFront', async () => {
    const client = createCloudFrontClient({ region: settings.region, credentials: settings.credentials });
    budget.attachTo(client, 'CloudFront');
    try {
      const ids = settings.cloudfrontDistributionIds;
      const served = await readServedDistributions(client, ids, settings.bucket, settings.endpoint);
      for (const { distributionId, originId, originPath } of served) {
        const under = originPath === '' ? '' : ` under origin path ${originPath}`;
        core.info(`${distributionId}: origin ${originId} serves bucket ${settings.bucket}${under}`);
      }
      return served;
    } finally {
      client.destroy();
    }
  });
}

/**
 * After a push, CloudFront forgets exactly what the run changed: the keys it
 * uploaded, redirected or deleted, done work only, so a push that failed
 * half-way still invalidates what it did change (or it would stay stale:
 * the next run sees those keys as unchanged). A dry run sends nothing and
 * reports the paths it would send.
 */
export async function invalidateChanges(
  settings: Settings,
  distributions: ServedDistribution[],
  result: SyncResult,
  budget: RequestBudget,
  warnings: Warnings,
): Promise<InvalidateResult | undefined> {
  if (distributions.length === 0) return undefined;
  return core.group('Invalidate CloudFront', async () => {
    const client = createCloudFrontClient({ region: settings.region, credentials: settings.credentials });
    budget.attachTo(client, 'CloudFront');
    try {
      const invalidation = await invalidateCdn({
        client,
        distributions,
        prefix: settings.prefix,
        keys: changesOf(result).map((change) => change.key),
        // Only when the run saw every object under the prefix: an excluded or kept one would be invalidated too.
        ...(settings.exclude.length === 0 && settings.delete ? { allKeys: knownKeys(result) } : {}),
        indexDocument: settings.indexDocument,
        maxPaths: settings.cloudfrontMaxPaths,
        wait: settings.cloudfrontWait,
        waitTimeoutMs: DEFAULT_WAIT_TIMEOUT_MS,
        dryRun: result.dryRun,
      });
      for (const distribution of invalidation.distributions) {
        const id = distribution.invalidationId ? ` ${distribution.invalidationId}` : '';
        core.info(
          `${distribution.distributionId}: ${distribution.status}${id}, ${plural(distribution.paths.length, 'path')} (${distribution.billablePaths} billable)`,
        );
      }
      for (const warning of invalidation.warnings) warnings.warn(warning, 's3-force-copy: CloudFront');
      return invalidation;
    } finally {
      client.destroy();
    }
  });
}

/** Every key the run knows under the prefix: what the source has (planned or unchanged) and what it deleted. */
function knownKeys(result: SyncResult): string[] {
  const { plan } = result;
  return [
    ...plan.unchanged,
    ...plan.copies.map((copy) => copy.key),
    ...plan.redirects.map((redirect) => redirect.key),
    ...plan.updates.map((update) => update.key),
    ...plan.deletes.map((removal) => removal.key),
    ...plan.warnings.map((warning) => warning.key),
  ];
}
