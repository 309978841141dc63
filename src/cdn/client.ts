import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * Attempts per command, the SDK's own retries included (it retries throttling
 * and transient errors itself). invalidateCdn retries a few more times on top
 * for TooManyInvalidationsInProgress and throttling, so this stays small.
 */
export const CLOUDFRONT_MAX_ATTEMPTS = 3;

interface CloudFrontClientOptions {
  /**
   * CloudFront is global: in the aws partition every region resolves to
   * cloudfront.amazonaws.com signed for us-east-1. Passing the run's region is
   * still useful: a cn-* region selects the China endpoint.
   */
  region?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/**
 * The CloudFront client for a run. There is no endpoint option: the SDK reads
 * the standard `AWS_ENDPOINT_URL_CLOUDFRONT` (or `AWS_ENDPOINT_URL`) variable
 * and the shared config's `endpoint_url` itself, and honours
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`. Timeouts as for S3: the SDK would
 * otherwise wait forever on a stalled connection.
 */
export function createCloudFrontClient(options: CloudFrontClientOptions = {}): CloudFrontClient {
  return new CloudFrontClient({
    region: options.region || 'us-east-1',
    credentials: options.credentials,
    maxAttempts: CLOUDFRONT_MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: 10_000, socketTimeout: 60_000 },
  });
}
