/**
 * Before anything changes, reads each distribution's config once and finds
 * the origin that serves the bucket. A distribution that cannot be read, or
 * serves no origin for this bucket, refuses the run: found only after the
 * deploy, it could no longer be undone, and invalidating another site's
 * distribution evicts its cache on this account's bill.
 *
 * The invalidation after the sync maps keys through what this read, so each
 * distribution costs one GetDistributionConfig and one CreateInvalidation.
 */
import {
  GetDistributionConfigCommand,
  type CloudFrontClient,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { RefusedError, RequestLimitError } from '../model/errors.js';
import { originEndpoint, originPathFor, type BucketOrigin, type OriginEndpoint } from './origin.js';
import { isAccessDenied, realSleep, withRetries, type ErrorLike } from './retry.js';

/** A distribution checked to serve the bucket, and how. */
export interface ServedDistribution extends BucketOrigin {
  distributionId: string;
  /** Whether the origin is the bucket's website endpoint or its REST endpoint. */
  endpoint: OriginEndpoint;
}

/** Origins named in a refusal; a distribution may have dozens. */
const ORIGINS_NAMED = 3;

/**
 * Each distribution's origin for `bucket` (on AWS, or on `endpoint`), in
 * the order given, repeats dropped. Throws a RefusedError naming the first
 * distribution that cannot be read or does not serve the bucket.
 */
export async function readServedDistributions(
  client: CloudFrontClient,
  distributionIds: string[],
  bucket: string,
  endpoint: string | undefined,
  sleep: (ms: number) => Promise<void> = realSleep,
): Promise<ServedDistribution[]> {
  const served: ServedDistribution[] = [];
  for (const distributionId of new Set(distributionIds)) {
    const config = await readConfig(client, distributionId, sleep);
    const origin = originPathFor(config, bucket, endpoint);
    if (origin === undefined) throw new RefusedError(notServing(config, distributionId, bucket));
    served.push({ distributionId, ...origin, endpoint: originEndpoint(config, origin.originId) });
  }
  return served;
}

async function readConfig(
  client: CloudFrontClient,
  distributionId: string,
  sleep: (ms: number) => Promise<void>,
): Promise<DistributionConfig> {
  let config: DistributionConfig | undefined;
  try {
    const output = await withRetries(sleep, () =>
      client.send(new GetDistributionConfigCommand({ Id: distributionId })),
    );
    config = output.DistributionConfig;
  } catch (error) {
    if (error instanceof RequestLimitError) throw error;
    throw new RefusedError(unreadable(error, distributionId));
  }
  if (config === undefined) {
    throw new RefusedError(`CloudFront sent no config for distribution ${distributionId}; nothing was changed.`);
  }
  return config;
}

function unreadable(error: unknown, distributionId: string): string {
  const { name = 'Error', message = String(error) } = (error ?? {}) as ErrorLike;
  if (name === 'NoSuchDistribution') {
    return (
      `CloudFront distribution ${distributionId} does not exist, or not in the account of these credentials: ` +
      'check cloudfront-distribution-id; nothing was changed.'
    );
  }
  if (isAccessDenied(error)) {
    return (
      `CloudFront denied cloudfront:GetDistributionConfig on distribution ${distributionId} (${message}): allow it on ` +
      `arn:aws:cloudfront::ACCOUNT_ID:distribution/${distributionId} for the credentials this job uses, so the run ` +
      'can check that the distribution serves this bucket; nothing was changed.'
    );
  }
  return (
    `Could not read the config of CloudFront distribution ${distributionId} (${name}: ${message}), so the run ` +
    'cannot check that it serves this bucket; nothing was changed.'
  );
}

function notServing(config: DistributionConfig, distributionId: string, bucket: string): string {
  const origins = (config.Origins?.Items ?? []).map((origin) => `${origin.DomainName ?? ''}${origin.OriginPath ?? ''}`);
  const more = origins.length > ORIGINS_NAMED ? ` and ${origins.length - ORIGINS_NAMED} more` : '';
  const named = origins.length === 0 ? 'no origin' : `${origins.slice(0, ORIGINS_NAMED).join(', ')}${more}`;
  return (
    `CloudFront distribution ${distributionId} serves ${named}, not bucket ${bucket}, and invalidating it would ` +
    "evict another site's cache: check cloudfront-distribution-id; nothing was changed."
  );
}
