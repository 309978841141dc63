import type { S3Client } from '@aws-sdk/client-s3';
import type { BuildMiddleware, MetadataBearer } from '@smithy/types';
import type { RemoteFile } from '../model/entries.js';

/** Storage classes whose objects a GET cannot read until they are restored. */
const ARCHIVE_CLASSES = new Map([
  ['GLACIER', 'GLACIER'],
  ['DEEP_ARCHIVE', 'DEEP_ARCHIVE'],
]);

/** What a listing says of an object, as the lean reader and the SDK's both give it. */
export interface ListedFields {
  Size?: number;
  ETag?: string;
  LastModified?: Date;
  StorageClass?: string;
  RestoreStatus?: { IsRestoreInProgress?: boolean };
}

/**
 * Marks an entry listed in an archive class, with whether it is restored
 * where the listing says (RestoreStatus comes only for objects restored or
 * being restored). Rare, so the field is added after the entry is built.
 */
export function markArchived(entry: RemoteFile, object: ListedFields): RemoteFile {
  // A constant string, not the page's: a slice would keep the page alive.
  const storageClass = ARCHIVE_CLASSES.get(object.StorageClass ?? '');
  if (storageClass === undefined) return entry;
  const status = object.RestoreStatus;
  entry.archived = { storageClass, restored: status === undefined ? undefined : status.IsRestoreInProgress === false };
  return entry;
}

/**
 * Asks each ListObjectsV2 for RestoreStatus (x-amz-optional-object-attributes),
 * so a pull tells restored archived objects without a HEAD. A store that
 * rejects the header is asked once more without it, and never again.
 */
export function askRestoreStatusInListings(client: S3Client): void {
  let rejected = false;
  const middleware: BuildMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    if (rejected || context.commandName !== 'ListObjectsV2Command') return next(args);
    const request = args.request as { headers?: Record<string, string> };
    if (!request.headers) return next(args);
    request.headers['x-amz-optional-object-attributes'] = 'RestoreStatus';
    try {
      return await next(args);
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status !== 400 && status !== 501) throw error;
      rejected = true;
      delete request.headers['x-amz-optional-object-attributes'];
      return next(args);
    }
  };
  client.middlewareStack.add(middleware, { step: 'build', name: 'askRestoreStatusInListings' });
}
