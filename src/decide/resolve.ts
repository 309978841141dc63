import { localFilesToDigest, undecidedKeysToInspect, zeroByteKeysToInspect, type StoresGzipped } from './compare.js';
import { hashFiles } from '../local/hashing.js';
import { trustManifest } from '../manifest/manifest.js';
import type { TakenInventory } from './inventory.js';
import type { Reporter } from '../model/reporter.js';
import { inspectRemote } from '../bucket/inspect.js';
import type { RemoteLocation } from '../bucket/list.js';
import { plural, thousands } from '../model/words.js';

export interface ResolveOptions {
  root: string;
  remote: RemoteLocation;
  concurrency: number;
  force: boolean;
  storesGzipped: StoresGzipped;
  reporter: Reporter;
}

/**
 * Settles what the listing left open, so the plan can be pure: the md5 of
 * every local file the bucket has at the same size, and a HEAD of every
 * object only a HEAD can decide. Zero-byte objects are HEADed while files
 * are hashed; objects whose ETag proves nothing wait for the md5s.
 */
export async function resolve({ sides, hashing, manifest }: TakenInventory, options: ResolveOptions): Promise<void> {
  const { root, remote, concurrency, force, reporter } = options;
  if (manifest !== undefined) {
    const trusted = trustManifest(sides.remote, manifest);
    // What it said is in the trusted entries now; a million records need not stay for the rest of the run.
    manifest.records.clear();
    reporter.info(`manifest: ${thousands(trusted)} of ${plural(sides.remote.size, 'listed object')} known from it`);
  }
  const inspect = (keys: string[]) => inspectRemote(remote, sides.remote, keys, concurrency);
  const compared = {
    local: sides.local.entries,
    remote: sides.remote,
    remoteIsSource: sides.remoteIsSource,
    storesGzipped: options.storesGzipped,
  };

  const notHashedEarly = hashing.narrowTo(localFilesToDigest(compared, force));
  const zeroBytes = zeroByteKeysToInspect(compared, force);
  await Promise.all([
    hashing.finished(),
    hashFiles(root, sides.local.entries, notHashedEarly, options.storesGzipped),
    inspect(zeroBytes),
  ]);
  const undecided = undecidedKeysToInspect(compared, force);
  await inspect(undecided);

  let hashed = 0;
  for (const entry of sides.local.entries.values()) if (entry.kind === 'file' && entry.md5 !== undefined) hashed += 1;
  reporter.info(
    `hashed ${plural(hashed, 'local file')}, inspected ${plural(zeroBytes.length + undecided.length, 'object')}`,
  );
}
