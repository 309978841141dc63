import type { ObjectVersion, VersionHistory } from '../bucket/versions.js';
import type { RemoteLocation } from '../bucket/list.js';
import { keyHash } from '../manifest/format.js';
import { RefusedError } from '../model/errors.js';
import { s3Url } from '../model/keys.js';
import { plural } from '../model/words.js';
import type { DeployRecord, RecordedObject } from './record.js';

/**
 * The deploy a rollback restores: the one named, or by default the one
 * before the latest, so that a rollback of a rollback returns. An id the
 * listing does not show (unknown, or trimmed past keep-deploys) is refused.
 */
export function chooseDeploy(requested: string | undefined, listed: Iterable<string>, remote: RemoteLocation): string {
  const ids = [...listed].sort();
  const where = s3Url(remote.bucket, remote.prefix);
  const restorable =
    ids.length === 0
      ? 'there is none on record'
      : `the deploys it can restore are ${ids.length > 1 ? `${ids.slice(0, -1).join(', ')} and ` : ''}${ids.at(-1)}`;
  if (requested !== undefined) {
    if (ids.includes(requested)) return requested;
    throw new RefusedError(
      `Deploy ${requested} is not on record under ${where} (unknown, or trimmed past keep-deploys), so nothing was changed: ${restorable}.`,
    );
  }
  const previous = ids.at(-2);
  if (previous !== undefined) return previous;
  throw new RefusedError(
    `There is no deploy before the latest to roll back to under ${where}, so nothing was changed: ${restorable}.`,
  );
}

/**
 * Each key the deploy left under the prefix, with the version it held then:
 * by VersionId where the record has one, else the newest version with the
 * recorded ETag and LastModified. A version that is gone refuses the run.
 */
export function restoreTarget(
  id: string,
  record: DeployRecord,
  history: VersionHistory,
  isExcluded: (key: string) => boolean,
): Map<string, ObjectVersion> {
  const target = new Map<string, ObjectVersion>();
  const found = new Set<string>();
  const gone: string[] = [];
  for (const [key, versions] of history.versions) {
    const hash = keyHash(key);
    const wanted = record.objects[hash];
    if (wanted === undefined) continue;
    found.add(hash);
    if (isExcluded(key)) continue;
    const version = versionFor(wanted, versions);
    if (version === undefined) gone.push(key);
    else target.set(key, version);
  }
  const unlisted = Object.keys(record.objects).filter((hash) => !found.has(hash)).length;
  if (gone.length + unlisted > 0) throw versionsGone(id, gone, unlisted);
  return target;
}

function versionFor(wanted: RecordedObject, versions: ObjectVersion[]): ObjectVersion | undefined {
  if (wanted.version !== undefined) return versions.find((version) => version.id === wanted.version);
  // Newest first: among equal ETags of one second (same bytes), the latest write.
  return versions.find(
    (version) =>
      version.etag === wanted.etag && (wanted.modified === undefined || version.modified === wanted.modified),
  );
}

function versionsGone(id: string, keys: string[], unlisted: number): RefusedError {
  const named = keys.slice(0, 3).join(', ');
  const count = keys.length + unlisted;
  return new RefusedError(
    `Deploy ${id} cannot be restored exactly, so nothing was changed: ${plural(count, 'object')} of it no longer ` +
      `${count === 1 ? 'has' : 'have'} the version it recorded${named ? ` (${named}${count > 3 ? ', …' : ''})` : ''}; ` +
      'a lifecycle rule may have expired them, or they were written before versioning was enabled.',
  );
}
