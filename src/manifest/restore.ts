import type { RemoteLocation } from '../bucket/list.js';
import type { ObjectVersion } from '../bucket/versions.js';
import { errorMessage, rootCause } from '../model/errors.js';
import type { StorageSettings } from '../model/headers.js';
import type { Outcome } from '../model/outcome.js';
import type { Reporter } from '../model/reporter.js';
import { keyHash, type Manifest, type ManifestRecord } from './format.js';
import { readManifest, writeManifest } from './store.js';

export interface RestoredManifest {
  remote: RemoteLocation;
  manifestKey: string;
  storage: StorageSettings;
  /** The VersionId of the manifest the restored deploy wrote; undefined when it wrote none. */
  deployManifest: string | undefined;
}

/**
 * After a rollback, the manifest describes the restored deploy: the
 * records of that deploy's own manifest (md5, redirect target, headers) for
 * the versions it left, with the ETag each copy got. What the rollback did
 * not get to, or has no record for, is left out: the next run HEADs it.
 * Returns the version written, for the rollback's own deploy record.
 */
export async function recordRestoredManifest(
  where: RestoredManifest,
  target: ReadonlyMap<string, ObjectVersion>,
  unchanged: readonly string[],
  outcome: Outcome,
  reporter: Reporter,
): Promise<string | undefined> {
  try {
    const read =
      where.deployManifest === undefined
        ? undefined
        : await readManifest(where.remote, where.manifestKey, where.deployManifest);
    const manifest = manifestAfterRollback(where.remote.prefix, target, new Set(unchanged), read?.manifest, outcome);
    return await writeManifest(where.remote, where.manifestKey, manifest, where.storage);
  } catch (error) {
    const warning = {
      key: where.manifestKey,
      message: `Could not write the deploy manifest (${errorMessage(rootCause(error))}); the next run HEADs what it would have known from it.`,
    };
    reporter.warn(warning.key, warning.message);
    outcome.warnings.push(warning);
    return undefined;
  }
}

function manifestAfterRollback(
  prefix: string,
  target: ReadonlyMap<string, ObjectVersion>,
  unchanged: ReadonlySet<string>,
  deployManifest: Manifest | undefined,
  outcome: Outcome,
): Manifest {
  const records = new Map<string, ManifestRecord>();
  for (const [key, version] of target) {
    const hash = keyHash(key);
    const kept = deployManifest?.records.get(hash);
    // The deploy's record describes this very version only if it has its size and ETag.
    const base = kept?.etag === version.etag && kept.size === version.size ? kept : undefined;
    const written = outcome.written.get(key);
    if (written !== undefined) {
      // A copy has a LastModified of its own: the deploy's is left out.
      const described: ManifestRecord = { ...(base ?? { size: written.size, etag: written.etag }) };
      delete described.modified;
      const location = written.location === undefined ? {} : { location: written.location };
      records.set(hash, { ...described, size: written.size, etag: written.etag, ...location });
    } else if (base !== undefined && unchanged.has(key)) {
      records.set(hash, base);
    }
  }
  return { prefix, records };
}
