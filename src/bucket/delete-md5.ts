import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import type { BuildMiddleware, MetadataBearer } from '@smithy/types';

/**
 * DeleteObjects must carry an integrity header. Since v3.729 the SDK sends a
 * CRC32 even when checksums are "when required", but many S3-compatible
 * stores (older MinIO, Ceph, s3proxy and others) accept only Content-MD5 and
 * answer "Missing required header for this request: Content-MD5". This puts
 * the MD5 back for that one operation, as AWS's own MD5_FALLBACK note does.
 */
export function sendContentMd5OnDeleteObjects(client: S3Client): void {
  const middleware: BuildMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    const request = args.request as { headers?: Record<string, string>; body?: unknown };
    if (context.commandName === 'DeleteObjectsCommand' && request.headers && typeof request.body === 'string') {
      for (const header of Object.keys(request.headers)) {
        const lower = header.toLowerCase();
        if (lower.startsWith('x-amz-checksum-') || lower.startsWith('x-amz-sdk-checksum-')) {
          delete request.headers[header];
        }
      }
      request.headers['content-md5'] = createHash('md5').update(request.body).digest('base64');
    }
    return next(args);
  };
  // Low priority in the build step: after the SDK's own checksum middleware, before signing.
  client.middlewareStack.add(middleware, { step: 'build', priority: 'low', name: 'sendContentMd5OnDeleteObjects' });
}
