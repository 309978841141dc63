import type { LinkCopy, LocalEntries, LocalEntry, RemoteEntries, RemoteEntry } from '../model/entries.js';
import type { Outcome } from '../model/outcome.js';
import type { RemoteLocation } from '../bucket/list.js';
import { errorMessage, rootCause } from '../model/errors.js';
import type { Plan } from '../model/plan.js';
import type { StorageSettings } from '../model/headers.js';
import type { Reporter } from '../model/reporter.js';
import { changedCount } from '../model/outcome.js';
import { keyHash, type Manifest, type ManifestRecord } from './format.js';
import { writeManifest } from './store.js';

/**
 * After a push that changed anything (or was forced), the manifest records
 * what the bucket now holds, also when the push failed part-way. It only
 * saves requests: a write that fails is a warning, and the next run is
 * correct without it. Returns the version written, on a versioned bucket.
 */
export async function recordManifest(
  where: { remote: RemoteLocation; manifestKey: string; force: boolean; storage: StorageSettings },
  plan: Plan,
  found: { remote: RemoteEntries; local: LocalEntries; manifestCurrent: boolean },
  outcome: Outcome,
  log: { fingerprint: (key: string, encoding?: string) => string; reporter: Reporter },
): Promise<string | undefined> {
  // A no-op writes nothing, unless there was no manifest to read or objects were written since it:
  // the next run then has one that needs no HEAD.
  if (changedCount(outcome) === 0 && !where.force && found.manifestCurrent) return undefined;
  const manifest = manifestAfterPush(where.remote.prefix, plan, found.remote, found.local, outcome, (key) =>
    log.fingerprint(key, outcome.written.get(key)?.encoding),
  );
  try {
    return await writeManifest(where.remote, where.manifestKey, manifest, where.storage);
  } catch (error) {
    const warning = {
      key: where.manifestKey,
      message: `Could not write the deploy manifest (${errorMessage(rootCause(error))}); the next run HEADs what it would have known from it.`,
    };
    log.reporter.warn(warning.key, warning.message);
    outcome.warnings.push(warning);
    return undefined;
  }
}

/**
 * What the bucket holds under the prefix after a push, finished or not: the
 * listed objects it did not delete, as they were listed, and what it wrote,
 * with the ETags S3 returned for them. `fingerprint` gives the headers of a
 * key written now. Nothing the push did not do is recorded: a copy or
 * update it did not get to keeps the object's old record.
 */
function manifestAfterPush(
  prefix: string,
  plan: Plan,
  remote: RemoteEntries,
  source: LocalEntries,
  outcome: Outcome,
  fingerprint: (key: string) => string,
): Manifest {
  const records = new Map<string, ManifestRecord>();
  const deleted = new Set(outcome.deleted.map((removal) => removal.key));
  // Their listed object is not the local file (yet): its md5 is not the object's.
  const toCopy = new Set(plan.copies.map((copy) => copy.key));
  for (const [key, entry] of remote) {
    if (deleted.has(key)) continue;
    const record = recordOf(entry, toCopy.has(key) ? undefined : source.get(key));
    if (record !== undefined) records.set(keyHash(key), record);
  }
  for (const [key, written] of outcome.written) {
    const record: ManifestRecord = { size: written.size, etag: written.etag, headers: fingerprint(key) };
    if (written.md5 !== undefined) record.md5 = written.md5;
    if (written.location !== undefined) record.location = written.location;
    if (written.encoding !== undefined) record.encoding = written.encoding;
    if (written.folder !== undefined) record.folder = written.folder;
    if (written.link !== undefined) linkInto(record, written.link);
    records.set(keyHash(key), record);
  }
  return { prefix, records };
}

/** A listed object as the manifest keeps it; its md5 from the HEAD, or the local file an unchanged one equals. */
function recordOf(entry: RemoteEntry, local: LocalEntry | undefined): ManifestRecord | undefined {
  if (entry.kind === 'redirect') {
    if (entry.etag === undefined) return undefined;
    return {
      size: 0,
      etag: entry.etag,
      location: entry.location,
      ...(entry.headers === undefined ? {} : { headers: entry.headers }),
      ...(entry.modified === undefined ? {} : { modified: entry.modified }),
      ...(entry.folder === undefined ? {} : { folder: entry.folder }),
    };
  }
  if (entry.etag === undefined) return undefined;
  const record: ManifestRecord = { size: entry.size, etag: entry.etag };
  const md5 = entry.md5 ?? (local?.kind === 'file' ? local.md5 : undefined);
  if (md5 !== undefined) record.md5 = md5;
  if (entry.encoding !== undefined) record.encoding = entry.encoding;
  if (entry.headers !== undefined) record.headers = entry.headers;
  if (entry.modified !== undefined) record.modified = entry.modified;
  if (entry.link !== undefined) linkInto(record, entry.link);
  return record;
}

function linkInto(record: ManifestRecord, link: LinkCopy): void {
  record.linkFile = link.target;
  if (link.folder !== undefined) record.folder = link.folder;
}
