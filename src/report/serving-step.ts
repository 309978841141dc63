import type { S3Client } from '@aws-sdk/client-s3';
import { readWebsiteHosting, websiteEndpointAddress } from '../bucket/website.js';
import type { ServedDistribution } from '../cdn/preflight.js';
import { s3Url } from '../model/keys.js';
import type { Reporter } from '../model/reporter.js';
import type { Settings } from '../settings/inputs.js';
import type { SyncResult } from '../sync/result.js';
import { servingVerdict } from './serving.js';
import type { Warnings } from './warnings.js';

/**
 * After a push: will its redirects be served, and its SSE-KMS objects? One
 * GetBucketWebsite when it writes redirects, none otherwise (a no-op spends
 * nothing). The website endpoint's address for the summary, when hosting is
 * on, site-url is not set and the bucket is on AWS.
 */
export async function checkRedirectsServed(
  settings: Settings,
  result: SyncResult,
  distributions: ServedDistribution[],
  { client, reporter, warnings }: { client: S3Client; reporter: Reporter; warnings: Warnings },
): Promise<string | undefined> {
  // A failed push has its failure to report; whether its redirects are served can wait for the re-run.
  if (settings.direction !== 'push' || result.failure !== undefined) return undefined;
  const { bucket, prefix, region, indexDocument } = settings;
  const redirects = result.plan.redirects.length;
  const hosting = redirects === 0 ? undefined : await readWebsiteHosting(client, bucket, region);
  const sse = settings.storage.ServerSideEncryption;
  const verdict = servingVerdict({ bucket, redirects, hosting, distributions, sse, indexDocument });
  for (const note of verdict.notes) reporter.info(note);
  for (const warning of verdict.warnings) warnings.warn(warning, 's3-force-copy: redirects');
  if (hosting?.state !== 'on' || settings.siteUrl !== undefined || settings.endpoint !== undefined) return undefined;
  const address = websiteEndpointAddress(bucket, hosting.region, prefix);
  reporter.info(`The website endpoint serves ${s3Url(bucket, prefix)} at ${address}`);
  return address;
}
