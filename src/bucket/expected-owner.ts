import type { S3Client } from '@aws-sdk/client-s3';
import type { BuildMiddleware, MetadataBearer } from '@smithy/types';

/**
 * Every S3 request of the run names the account that must own the bucket,
 * so a bucket name taken over by another account is refused by S3 itself
 * (403) instead of being written to or read from. One middleware covers
 * every command, the lean LIST reader and multipart uploads alike; a copy
 * names it for its source too.
 */
export function sendExpectedBucketOwner(client: S3Client, accountId: string): void {
  const middleware: BuildMiddleware<object, MetadataBearer> = (next) => async (args) => {
    const request = args.request as { headers?: Record<string, string> };
    if (request.headers) {
      request.headers['x-amz-expected-bucket-owner'] = accountId;
      if (request.headers['x-amz-copy-source'] !== undefined) {
        request.headers['x-amz-source-expected-bucket-owner'] = accountId;
      }
    }
    return next(args);
  };
  // Build step: before signing, so the headers are signed with the rest.
  client.middlewareStack.add(middleware, { step: 'build', name: 'sendExpectedBucketOwner' });
}
