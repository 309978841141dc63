import { GetBucketVersioningCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { bareEtag } from '../model/entries.js';
import { RefusedError, tagged } from '../model/errors.js';
import { s3Url, stripPrefix } from '../model/keys.js';
import type { Reporter } from '../model/reporter.js';
import { plural, thousands } from '../model/words.js';
import type { RemoteLocation } from './list-requests.js';

/** One version of one key, as ListObjectVersions gives it. */
export interface ObjectVersion {
  id: string;
  etag: string;
  size: number;
  /** LastModified in ms. */
  modified: number | undefined;
}

/** Every version under the prefix, by key relative to it. */
export interface VersionHistory {
  /** Each key's versions, newest first, delete markers left out. */
  versions: Map<string, ObjectVersion[]>;
  /** The object each key holds now: its newest version, unless that is a delete marker. */
  current: Map<string, ObjectVersion>;
}

/**
 * A rollback copies earlier versions, which only a versioned bucket keeps:
 * without versioning it refuses before any change.
 */
export async function requireVersioning(remote: RemoteLocation): Promise<void> {
  const answer = await tagged('list', '', () =>
    remote.client.send(new GetBucketVersioningCommand({ Bucket: remote.bucket })),
  );
  if (answer.Status === 'Enabled') return;
  const state = answer.Status === 'Suspended' ? 'suspended' : 'not enabled';
  throw new RefusedError(
    `A rollback needs versioning on ${s3Url(remote.bucket, '')}, and it is ${state}, so nothing was changed: enable it ` +
      `(aws s3api put-bucket-versioning --bucket ${remote.bucket} --versioning-configuration Status=Enabled, or ` +
      'Properties → Bucket Versioning in the S3 console); only deploys made after that can be restored.',
  );
}

/** ListObjectVersions under the prefix, a page of 1,000 versions at a time. */
export async function listVersions(remote: RemoteLocation, reporter: Reporter): Promise<VersionHistory> {
  return reporter.group(`List the versions under ${s3Url(remote.bucket, remote.prefix)}`, async () => {
    const history: VersionHistory = { versions: new Map(), current: new Map() };
    const page = { KeyMarker: undefined as string | undefined, VersionIdMarker: undefined as string | undefined };
    let count = 0;
    for (;;) {
      const answer = await tagged('list', '', () =>
        remote.client.send(
          new ListObjectVersionsCommand({
            Bucket: remote.bucket,
            Prefix: remote.prefix === '' ? undefined : `${remote.prefix}/`,
            ...page,
          }),
        ),
      );
      for (const listed of answer.Versions ?? []) count += addVersion(history, remote.prefix, listed) ? 1 : 0;
      if (!answer.IsTruncated) break;
      page.KeyMarker = answer.NextKeyMarker;
      page.VersionIdMarker = answer.NextVersionIdMarker;
    }
    reporter.info(`${thousands(count)} versions of ${plural(history.versions.size, 'key')}`);
    return history;
  });
}

interface ListedVersion {
  Key?: string;
  VersionId?: string;
  ETag?: string;
  Size?: number;
  LastModified?: Date;
  IsLatest?: boolean;
}

/** Versions come newest first for each key; a key's current object is its version marked IsLatest. */
function addVersion(history: VersionHistory, prefix: string, listed: ListedVersion): boolean {
  const key = listed.Key === undefined ? undefined : stripPrefix(prefix, listed.Key);
  if (key === undefined || listed.VersionId === undefined) return false;
  const version: ObjectVersion = {
    id: listed.VersionId,
    etag: bareEtag(listed.ETag) ?? '',
    size: listed.Size ?? 0,
    modified: listed.LastModified?.getTime(),
  };
  const versions = history.versions.get(key);
  if (versions === undefined) history.versions.set(key, [version]);
  else versions.push(version);
  if (listed.IsLatest) history.current.set(key, version);
  return true;
}
