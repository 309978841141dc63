import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { StoresGzipped } from './compare.js';
import type { Direction } from '../model/direction.js';
import { SMALL_FILE } from '../local/digest.js';
import { EarlyHashing } from '../local/hashing.js';
import { RefusedError } from '../model/errors.js';
import type { Inventory } from '../model/entries.js';
import { scanLocal, type LocalInventory } from '../local/scan.js';
import type { Reporter } from '../model/reporter.js';
import { readManifest, type Manifest } from '../manifest/manifest.js';
import { listRemote, type ListHints, type ListTuning, type RemoteLocation } from '../bucket/list.js';
import { plural } from '../model/words.js';

export interface InventoryOptions {
  direction: Direction;
  root: string;
  remote: RemoteLocation;
  isExcluded: (key: string) => boolean;
  reporter: Reporter;
  storesGzipped: StoresGzipped;
  /** The manifest to read beside the listing; undefined for none. */
  manifestKey: string | undefined;
  /** Requests sent so far, for the log. */
  requestsSent: () => number;
  /** Knobs for tests and measurements of the listing; a run uses the defaults. */
  listTuning?: ListTuning;
}

/** Both sides as listed and scanned, named once for the phases after. */
export interface Sides {
  local: LocalInventory;
  remote: Inventory;
  source: Inventory;
  destination: Inventory;
  remoteIsSource: boolean;
}

export interface TakenInventory {
  sides: Sides;
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
export async function takeInventory(options: InventoryOptions): Promise<TakenInventory> {
  const { direction, root, remote, reporter } = options;
  const push = direction === 'push';

  // A pull into a missing directory plans against an empty one; the folder
  // is made only when the plan is applied, so a refused run leaves nothing.
  const rootStats = await stat(root).catch(() => undefined);
  checkRoot(root, rootStats, push);

  // Its one GET goes out with the first LIST.
  const manifestRead = options.manifestKey === undefined ? undefined : readManifest(remote, options.manifestKey);
  const stopListing = new AbortController();
  // The local tree, once scanned, tells a large listing where to split (remote-list.ts).
  let scannedKeys: (keys: readonly string[] | undefined) => void = () => undefined;
  const hints: ListHints = {
    size: manifestRead?.then((read) => read.manifest?.records.size),
    keys: new Promise((resolve) => (scannedKeys = resolve)),
  };
  const listing = listRemote(remote, options.isExcluded, stopListing.signal, options.listTuning, hints);
  listing.catch(() => undefined); // awaited below; this only keeps a failure meanwhile from going unhandled

  const local = await reporter
    .group('Scan the local directory', async () => {
      const scanned: LocalInventory =
        rootStats === undefined
          ? { entries: new Map(), folders: [], realRoot: root }
          : await scanLocal(root, {
              prefix: remote.prefix,
              isExcluded: options.isExcluded,
              // Small files are hashed early either way (below); a compressed one's md5 is of another form.
              md5Wanted: (key, size) => !options.storesGzipped(key, size),
            });
      reporter.info(`${plural(scanned.entries.size, 'local entry', 'local entries')} in ${root}`);
      return scanned;
    })
    .catch((error: unknown) => {
      scannedKeys(undefined);
      stopListing.abort();
      throw error;
    });
  // Only keys S3 could hold: an unsafe local name (opaque) would make a StartAfter a store may refuse.
  const hintKeys: string[] = [];
  for (const [key, entry] of local.entries) if (entry.kind !== 'opaque') hintKeys.push(key);
  scannedKeys(hintKeys);

  // Every file the scan left unhashed on push (a no-op push needs nearly all md5s), small ones on pull.
  const candidates: string[] = [];
  for (const [key, entry] of local.entries) {
    if (entry.kind === 'file' && entry.md5 === undefined && (push || entry.size <= SMALL_FILE)) candidates.push(key);
  }
  const hashing = new EarlyHashing(root, local.entries, candidates, options.storesGzipped);

  const listed = await reporter.group(`List s3://${remote.bucket}/${remote.prefix}`, async () => {
    const entries = await listing;
    reporter.info(`${plural(entries.size, 'object')}, ${plural(options.requestsSent(), 'request')} so far`);
    return entries;
  });

  const read = await manifestRead;
  if (read !== undefined && read.manifest === undefined)
    reporter.info(`${read.note}: every object is judged from the listing and HEADs`);

  const sides: Sides = push
    ? { local, remote: listed, source: local.entries, destination: listed, remoteIsSource: false }
    : { local, remote: listed, source: listed, destination: local.entries, remoteIsSource: true };
  return { sides, hashing, manifest: read?.manifest };
}

function checkRoot(root: string, stats: Stats | undefined, push: boolean): void {
  if (stats === undefined) {
    if (push) throw new RefusedError(`The directory ${root} does not exist, so there is nothing to push.`);
    return;
  }
  if (!stats.isDirectory()) throw new RefusedError(`The directory input ${root} is not a folder.`);
}
