import type { ListTuning, RemoteLocation } from '../bucket/list.js';
import type { RequestMeter, Safety } from '../decide/guards.js';
import type { Filters } from '../decide/inventory.js';
import { ACTION_FOLDER, type LeaseTerms } from '../deploys/lease.js';
import { GZIP_MAX_BYTES } from '../local/digest.js';
import type { Reporter } from '../model/reporter.js';

/** What every run is given besides its job: the request budget, how many requests at once, and the log. */
export interface RunContext {
  budget: RequestMeter;
  concurrency: number;
  reporter: Reporter;
}

/** The parts of a push or pull job that say which keys take part and how. */
export interface CopyJob {
  /** Absolute path of the local directory. */
  root: string;
  remote: RemoteLocation;
  isExcluded: (key: string) => boolean;
  /** Keys stored gzip-compressed (the `gzip` input). */
  gzip: (key: string) => boolean;
  /** The deploy manifest's key, relative to the prefix; undefined turns it off. */
  manifestKey: string | undefined;
  /** Copy every file whatever its md5; decide without the manifest. */
  force: boolean;
  /** Delete what the source does not have. */
  delete: boolean;
  safety: Safety;
  /** The deploy lease (lock: true); undefined takes none and waits for none. */
  lease?: LeaseTerms;
  /** Knobs for tests and measurements of the listing; a run uses the defaults. */
  listTuning?: ListTuning;
}

/**
 * The manifest and the action's folder (lease, deploy records) are not part of
 * the mirror: never listed, scanned, copied or deleted, whatever the inputs say.
 */
export function copyFilters(job: CopyJob): Filters {
  const { manifestKey, isExcluded, gzip } = job;
  return {
    isExcluded: (key) => key.startsWith(ACTION_FOLDER) || key === manifestKey || isExcluded(key),
    storesGzipped: (key, size) => size <= GZIP_MAX_BYTES && gzip(key),
  };
}

/** The manifest to read beside the listing: none under `force`, which decides without it. */
export function manifestToRead(job: CopyJob): string | undefined {
  return job.force ? undefined : job.manifestKey;
}
