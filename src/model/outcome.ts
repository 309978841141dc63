import type { FolderTag, LinkCopy } from './entries.js';
import type { FileCopy, HeaderUpdate, RedirectCopy, Removal, Warning } from './plan.js';

/**
 * What an apply did, the same shape for push and pull. A run that fails
 * part-way still returns the work it finished, so the report can say what
 * already changed.
 *
 * One name per idea: a "copy" is a file sent from the source to the
 * destination (uploaded on push, downloaded on pull); a "redirect" is a link
 * in either form (a redirect object in the bucket, a symlink on disk).
 */
export interface Outcome {
  copied: FileCopy[];
  redirected: RedirectCopy[];
  /** Objects whose headers were replaced in place (push), content untouched. */
  updated: HeaderUpdate[];
  deleted: Removal[];
  /** Bytes of the files copied. */
  bytes: number;
  warnings: Warning[];
  /** What a push wrote, by key, as S3 answered: what the manifest records. */
  written: Map<string, WrittenObject>;
}

export interface WrittenObject {
  size: number;
  etag: string;
  md5?: string;
  location?: string;
  encoding?: string;
  folder?: FolderTag;
  /** The symlink a copy stands for. */
  link?: LinkCopy;
  /** The VersionId S3 gave the write, on a versioned bucket: what a deploy record keeps for a rollback. */
  version?: string;
}

export function emptyOutcome(): Outcome {
  return { copied: [], redirected: [], updated: [], deleted: [], bytes: 0, warnings: [], written: new Map() };
}

/** How many changes the apply made: copies, redirects, header updates and deletions. */
export function changedCount(outcome: Pick<Outcome, 'copied' | 'redirected' | 'updated' | 'deleted'>): number {
  return outcome.copied.length + outcome.redirected.length + outcome.updated.length + outcome.deleted.length;
}

/** The version a write made, where the bucket is versioned ("null" is the id of a write while it was not). */
export function versionOf(response: { VersionId?: string }): { version?: string } {
  const id = response.VersionId;
  return id === undefined || id === '' || id === 'null' ? {} : { version: id };
}
