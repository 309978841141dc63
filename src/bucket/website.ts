/**
 * Whether the bucket hosts a website, asked once (GetBucketWebsite) by a push
 * that writes redirect objects: S3 serves their redirect only from the
 * website endpoint of a bucket with hosting on. The answer is never a
 * failure; a store that does not know the call says nothing.
 */
import {
  GetBucketWebsiteCommand,
  type GetBucketWebsiteCommandInput,
  type GetBucketWebsiteCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { DeserializeMiddleware } from '@smithy/types';

export type WebsiteHosting =
  /** `region`: where the bucket answered from, for its website endpoint's address. */
  | { state: 'on'; region: string }
  | { state: 'off' }
  | { state: 'denied' }
  /** The store does not implement the call. */
  | { state: 'unsupported' }
  /** Anything else (a 500 after the retries, the request-limit): not known. */
  | { state: 'unknown'; reason: string };

const UNSUPPORTED = new Set(['NotImplemented', 'XNotImplemented', 'MethodNotAllowed', 'NotSupported', 'Unsupported']);

/** Where the answer carries the bucket's region, read from S3's header. */
const BUCKET_REGION = Symbol('bucketRegion');

interface ErrorLike {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** The bucket's website hosting, in one request (the SDK's retries aside). */
export async function readWebsiteHosting(client: S3Client, bucket: string, region: string): Promise<WebsiteHosting> {
  const command = new GetBucketWebsiteCommand({ Bucket: bucket });
  command.middlewareStack.add(keepBucketRegion, { step: 'deserialize', priority: 'high', name: 'keepBucketRegion' });
  try {
    const output: GetBucketWebsiteCommandOutput & { [BUCKET_REGION]?: string } = await client.send(command);
    // A store that ignores `?website` answers a listing, which has neither of these.
    if (output.IndexDocument === undefined && output.RedirectAllRequestsTo === undefined) {
      return { state: 'unsupported' };
    }
    return { state: 'on', region: output[BUCKET_REGION] ?? region };
  } catch (error) {
    return hostingFromError(error);
  }
}

/**
 * S3 names the bucket's region in an x-amz-bucket-region header; the SDK
 * follows a bucket in another region than `region` but keeps no trace of it,
 * and the website endpoint's address needs it. Stateless: with the client's
 * middleware cache, the first command's stack serves every later one.
 */
const keepBucketRegion: DeserializeMiddleware<GetBucketWebsiteCommandInput, GetBucketWebsiteCommandOutput> =
  (next) => async (args) => {
    const result = await next(args);
    const region = (result.response as { headers?: Record<string, string> }).headers?.['x-amz-bucket-region'];
    if (region !== undefined && region !== '' && result.output) {
      Object.assign(result.output, { [BUCKET_REGION]: region });
    }
    return result;
  };

function hostingFromError(error: unknown): WebsiteHosting {
  const { name = 'Error', message = String(error), $metadata } = (error ?? {}) as ErrorLike;
  const status = $metadata?.httpStatusCode;
  if (name === 'NoSuchWebsiteConfiguration') return { state: 'off' };
  if (name === 'AccessDenied' || status === 403) return { state: 'denied' };
  if (UNSUPPORTED.has(name) || status === 501 || status === 405) return { state: 'unsupported' };
  return { state: 'unknown', reason: `${name}: ${message}` };
}

/**
 * Regions whose website endpoint is spelled `s3-website-REGION`; every other
 * region, and every newer one, uses `s3-website.REGION`
 * (https://docs.aws.amazon.com/general/latest/gr/s3.html#s3_website_region_endpoints).
 */
const DASHED_REGIONS = new Set([
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'eu-west-1',
  'sa-east-1',
  'us-gov-west-1',
]);

/** The address the bucket's website endpoint serves `prefix` at: http only, as S3 serves it. */
export function websiteEndpointAddress(bucket: string, region: string, prefix: string): string {
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  const host = `${bucket}.s3-website${DASHED_REGIONS.has(region) ? '-' : '.'}${region}.${domain}`;
  const path = prefix === '' ? '/' : `/${prefix.split('/').map(encodeURIComponent).join('/')}/`;
  return `http://${host}${path}`;
}

/** The command that turns hosting on, as the warning gives it. */
export function enableHostingCommand(bucket: string, indexDocument: string): string {
  return `aws s3 website s3://${bucket}/ --index-document ${indexDocument}`;
}
