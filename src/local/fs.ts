import { randomBytes } from 'node:crypto';
import { lstatSync, renameSync, type Stats } from 'node:fs';
import { lstat, mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';

/** Marks temporary files so that an interrupted run's leftovers are recognisable. */
export const TEMP_MARKER = '.s3fc-tmp-';

/** Random per process, so a leftover of an interrupted run never collides; counted within it. */
const RUN_ID = randomBytes(6).toString('hex');
let tempCount = 0;

export function tempPathBeside(finalPath: string): string {
  tempCount += 1;
  return path.join(path.dirname(finalPath), `${TEMP_MARKER}${RUN_ID}-${tempCount}`);
}

export interface FolderOptions {
  /** Folders already made real during this run; a download never turns one back into a link. */
  verified?: Set<string>;
  /** May a regular file standing where a folder must be be removed (the `delete` input)? */
  mayRemoveFiles?: boolean;
}

/**
 * Makes every folder from root down to `folder` a real folder. A symlink
 * standing where a folder must be is unlinked (never followed), so nothing is
 * ever written through a link planted in the tree; a regular file in the way
 * is removed only when deletions are allowed.
 */
export async function ensureRealFolder(root: string, folder: string, options: FolderOptions = {}): Promise<void> {
  const { verified, mayRemoveFiles = true } = options;
  if (verified?.has(folder)) return;
  for (const current of foldersDown(root, folder)) {
    if (verified?.has(current)) continue;
    const stats = lstatOrUndefined(current);
    if (stats?.isDirectory()) {
      verified?.add(current);
      continue;
    }
    if (stats !== undefined && !stats.isSymbolicLink() && !mayRemoveFiles) {
      throw new Error(
        `${current} is a file locally where the bucket needs a folder; it is kept because deletions are off`,
      );
    }
    if (stats !== undefined) {
      try {
        await unlink(current);
      } catch (error) {
        // Another download under the same folder got there first (ENOENT),
        // or has already made the real folder (EISDIR on Linux, EPERM on macOS).
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'EISDIR' && code !== 'EPERM') throw error;
      }
    }
    try {
      await mkdir(current);
    } catch (error) {
      // Another download created it in the meantime.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!(await lstat(current)).isDirectory()) throw error;
    }
    verified?.add(current);
  }
}

/**
 * True when every folder from root down to `folder` (included) is a real
 * folder. A file or a link standing where one of them was is not followed.
 */
export function isRealFolderChain(root: string, folder: string): boolean {
  for (const current of foldersDown(root, folder)) {
    if (!lstatOrUndefined(current)?.isDirectory()) return false;
  }
  return true;
}

/** The paths from just below root down to `folder` (included): "a", "a/b", "a/b/c". */
function* foldersDown(root: string, folder: string): Generator<string> {
  const relative = path.relative(root, folder);
  if (relative === '') return;
  let current = root;
  for (const segment of relative.split(path.sep)) {
    current = path.join(current, segment);
    yield current;
  }
}

/**
 * Moves a finished temporary file or link into place, unless a folder stands
 * there: rename() replaces a file or a symlink itself (never what a link
 * points to), but a folder holds files whose fate is the delete phase's, so
 * the caller gets `false` and tries again once the deletes are done.
 */
export function moveIntoPlace(temp: string, finalPath: string): boolean {
  if (lstatOrUndefined(finalPath)?.isDirectory()) return false;
  // Synchronous like the small-file writes: a rename takes microseconds, the
  // promise version a thread-pool round trip per downloaded file.
  renameSync(temp, finalPath);
  return true;
}

/**
 * Synchronous on purpose: an lstat takes microseconds, while the promise
 * version costs a thread-pool round trip and, for a missing path, an Error
 * with a stack trace (docs/adr/0005-synchronous-small-file-io.md).
 */
export function lstatOrUndefined(target: string): Stats | undefined {
  return lstatSync(target, { throwIfNoEntry: false });
}

/** Removes a temporary file or link (never a folder) if it is still there. */
export async function removeQuietly(target: string): Promise<void> {
  try {
    await unlink(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
