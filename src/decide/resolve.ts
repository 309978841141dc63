import { inspectRemote, inspectRewritten } from '../bucket/inspect.js';
import type { RemoteLocation } from '../bucket/list.js';
import { hashFiles } from '../local/hashing.js';
import { trustManifest } from '../manifest/trust.js';
import type { Reporter } from '../model/reporter.js';
import { plural, thousands } from '../model/words.js';
import { localFilesToDigest, originalsToDigest, undecidedKeysToInspect, type SidesToCompare } from './compare.js';
import type { RemoteEntries, StoresGzipped } from '../model/entries.js';
import type { Manifest } from '../manifest/format.js';
import type { Inventories } from './inventory.js';

export interface ResolveRules {
  force: boolean;
  storesGzipped: StoresGzipped;
  /** The objects a HEAD must look at before the comparison: which depends on the side the bucket is on (compare.ts). */
  objectsToInspect: (sides: SidesToCompare, force: boolean) => string[];
}

/**
 * Settles what the listing left open, so the plan can be pure: the md5 of
 * every local file the bucket has at the same size, and a HEAD of every
 * object only a HEAD can decide. Zero-byte objects are HEADed while files
 * are hashed; objects whose ETag proves nothing wait for the md5s.
 */
export async function resolve(
  { local, remote, hashing, manifest }: Inventories,
  bucket: { location: RemoteLocation; concurrency: number },
  rules: ResolveRules,
  reporter: Reporter,
): Promise<void> {
  const rewritten = manifest === undefined ? [] : trustFrom(manifest, remote, reporter);
  const inspect = (keys: string[]) => inspectRemote(bucket.location, remote, keys, bucket.concurrency);
  const sides: SidesToCompare = { local: local.entries, remote, storesGzipped: rules.storesGzipped };
  const notHashedEarly = hashing.narrowTo(localFilesToDigest(sides, rules.force));
  const rewrittenKeys = new Set(rewritten);
  const firstObjects = rules.objectsToInspect(sides, rules.force).filter((key) => !rewrittenKeys.has(key));
  await Promise.all([
    hashing.finished(),
    hashFiles(hashing.root, local.entries, notHashedEarly, rules.storesGzipped),
    inspect(firstObjects),
    inspectRewritten(bucket.location, remote, rewritten, bucket.concurrency),
  ]);
  await hashFiles(hashing.root, local.entries, originalsToDigest(sides), rules.storesGzipped);
  const undecided = undecidedKeysToInspect(sides, rules.force);
  await inspect(undecided);

  let hashed = 0;
  for (const entry of local.entries.values()) if (entry.kind === 'file' && entry.md5 !== undefined) hashed += 1;
  reporter.info(
    `hashed ${plural(hashed, 'local file')}, inspected ${plural(rewritten.length + firstObjects.length + undecided.length, 'object')}`,
  );
}

/** Trusts the manifest; returns the objects written since it, which a HEAD must look at instead. */
function trustFrom(manifest: Manifest, remote: RemoteEntries, reporter: Reporter): string[] {
  const { trusted, rewritten } = trustManifest(remote, manifest);
  // What it said is in the trusted entries now; a million records need not stay for the rest of the run.
  manifest.records.clear();
  reporter.info(
    `manifest: ${thousands(trusted)} of ${plural(remote.size, 'listed object')} known from it` +
      (rewritten.length > 0 ? `, ${plural(rewritten.length, 'object')} written since it` : ''),
  );
  return rewritten;
}
