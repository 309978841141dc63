import type { LinkCopy, LocalEntries, LocalEntry, RemoteEntries, RemoteEntry } from '../model/entries.js';
import type { Outcome } from '../model/outcome.js';
import type { RemoteLocation } from '../bucket/list.js';
import { errorMessage, rootCause } from '../model/errors.js';
import type { Plan } from '../model/plan.js';
import type { Reporter } from '../model/reporter.js';
import { changedCount } from '../model/outcome.js';
import { keyHash, type Manifest, type ManifestRecord } from './format.js';
import { writeManifest } from './store.js';

/**
 * After a push that changed anything (or was forced), the manifest records
 * what the bucket now holds. It only saves requests: a write that fails is a
 * warning, and the next run is correct without it.
 */
export async function recordManifest(
  where: { remote: RemoteLocation; manifestKey: string; force: boolean },
  plan: Plan,
  found: { remote: RemoteEntries; local: LocalEntries; hadManifest: boolean },
  outcome: Outcome,
  log: { fingerprint: (key: string, encoding?: string) => string; reporter: Reporter },
): Promise<void> {
  // A no-op writes nothing, unless there was no manifest to read: the next run then has one.
  if (changedCount(outcome) === 0 && !where.force && found.hadManifest) return;
  const manifest = manifestAfterPush(where.remote.prefix, plan, found.remote, found.local, outcome, (key) =>
    log.fingerprint(key, outcome.written.get(key)?.encoding),
  );
  try {
    await writeManifest(where.remote, where.manifestKey, manifest);
  } catch (error) {
    const warning = {
      key: where.manifestKey,
      message: `Could not write the deploy manifest (${errorMessage(rootCause(error))}); the next run HEADs what it would have known from it.`,
    };
    log.reporter.warn(warning.key, warning.message);
    outcome.warnings.push(warning);
  }
}

/**
 * What the bucket holds under the prefix after a push that succeeded: the
 * listed objects it left alone, and what it wrote, with the ETags S3
 * returned for them. `fingerprint` gives the headers of a key written now.
 */
export function manifestAfterPush(
  prefix: string,
  plan: Plan,
  remote: RemoteEntries,
  source: LocalEntries,
  outcome: Outcome,
  fingerprint: (key: string) => string,
): Manifest {
  const records = new Map<string, ManifestRecord>();
  const deleted = new Set(plan.deletes.map((removal) => removal.key));
  for (const [key, entry] of remote) {
    if (deleted.has(key)) continue;
    const record = recordOf(entry, source.get(key));
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
