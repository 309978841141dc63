import { listRemote, type KeyFilter, type ListHints, type ListTuning, type RemoteLocation } from '../bucket/list.js';
import { EarlyHashing } from '../local/hashing.js';
import { scanLocal, type ScannedTree } from '../local/scan.js';
import type { Manifest } from '../manifest/format.js';
import { readManifest, type ManifestRead } from '../manifest/store.js';
import type { RemoteEntries, StoresGzipped } from '../model/entries.js';
import { s3Url } from '../model/keys.js';
import type { Reporter } from '../model/reporter.js';
import { plural } from '../model/words.js';

/** The local side as the pipeline found it before the scan. */
export interface Directory {
  root: string;
  /** A pull into a missing directory plans against an empty one. */
  exists: boolean;
  /** Files up to this size are hashed while the listing is on the wire, whether the plan needs them or not. */
  hashEarlyUpTo: number;
}

/** The bucket side: where to list, and the manifest to read beside the listing (none under `force`). */
export interface BucketSide {
  remote: RemoteLocation;
  manifestKey: string | undefined;
  /** Knobs for tests and measurements of the listing; a run uses the defaults. */
  listTuning?: ListTuning;
}

/** What both sides skip, and what the bucket stores compressed. */
export interface Filters {
  isExcluded: KeyFilter;
  storesGzipped: StoresGzipped;
}

export interface Inventories {
  local: ScannedTree;
  remote: RemoteEntries;
  /** Hashing that began while the listing was on the wire. */
  hashing: EarlyHashing;
  /** What the last push recorded, if there is a manifest to trust. */
  manifest: Manifest | undefined;
}

/**
 * Lists the bucket and scans the directory at once: the first LIST page is
 * on the wire while the directory is walked, and local files are hashed
 * while the rest of the listing arrives.
 */
export async function takeInventory(
  directory: Directory,
  bucket: BucketSide,
  filters: Filters,
  reporter: Reporter,
  requestsSent: () => number,
): Promise<Inventories> {
  const { remote } = bucket;
  // Its one GET goes out with the first LIST.
  const manifestRead = bucket.manifestKey === undefined ? undefined : readManifest(remote, bucket.manifestKey);
  const listing = startListing(bucket, filters, manifestRead);
  const local = await reporter
    .group('Scan the local directory', () => scanDirectory(directory, remote.prefix, filters, reporter))
    .catch((error: unknown) => {
      listing.stop();
      throw error;
    });
  listing.giveKeys(local);
  const hashing = hashEarly(directory, local, filters.storesGzipped);
  const listed = await reporter.group(`List ${s3Url(remote.bucket, remote.prefix)}`, async () => {
    const entries = await listing.entries;
    reporter.info(`${plural(entries.size, 'object')}, ${plural(requestsSent(), 'request')} so far`);
    return entries;
  });
  const read = await manifestRead;
  if (read !== undefined && read.manifest === undefined)
    reporter.info(`${read.note}: every object is judged from the listing and HEADs`);
  return { local, remote: listed, hashing, manifest: read?.manifest };
}

interface Listing {
  entries: Promise<RemoteEntries>;
  /** The scanned tree tells a large listing where to split (bucket/list.ts). */
  giveKeys: (local: ScannedTree) => void;
  stop: () => void;
}

function startListing(bucket: BucketSide, filters: Filters, manifestRead: Promise<ManifestRead> | undefined): Listing {
  const stopListing = new AbortController();
  let scannedKeys: (keys: readonly string[] | undefined) => void = () => undefined;
  const hints: ListHints = {
    size: manifestRead?.then((read) => read.manifest?.records.size),
    keys: new Promise((resolve) => (scannedKeys = resolve)),
  };
  const entries = listRemote(bucket.remote, filters.isExcluded, stopListing.signal, bucket.listTuning, hints);
  entries.catch(() => undefined); // awaited later; this only keeps a failure meanwhile from going unhandled
  return {
    entries,
    giveKeys: (local) => {
      // Only keys S3 could hold: an unsafe local name (opaque) would make a StartAfter a store may refuse.
      const keys: string[] = [];
      for (const [key, entry] of local.entries) if (entry.kind !== 'opaque') keys.push(key);
      scannedKeys(keys);
    },
    stop: () => {
      scannedKeys(undefined);
      stopListing.abort();
    },
  };
}

async function scanDirectory(
  directory: Directory,
  prefix: string,
  filters: Filters,
  reporter: Reporter,
): Promise<ScannedTree> {
  const { root } = directory;
  const scanned: ScannedTree = directory.exists
    ? await scanLocal(root, {
        prefix,
        isExcluded: filters.isExcluded,
        // Small files are hashed early either way (hashEarly); a compressed one's md5 is of another form.
        md5Wanted: (key, size) => !filters.storesGzipped(key, size),
      })
    : { entries: new Map(), folders: [], realRoot: root, folderLinks: [] };
  reporter.info(`${plural(scanned.entries.size, 'local entry', 'local entries')} in ${root}`);
  return scanned;
}

/** Hashes, while the listing arrives, every file the scan left unhashed up to the directory's limit. */
function hashEarly(directory: Directory, local: ScannedTree, storesGzipped: StoresGzipped): EarlyHashing {
  const candidates: string[] = [];
  for (const [key, entry] of local.entries) {
    if (entry.kind === 'file' && entry.md5 === undefined && entry.size <= directory.hashEarlyUpTo) candidates.push(key);
  }
  return new EarlyHashing(directory.root, local.entries, candidates, storesGzipped);
}
