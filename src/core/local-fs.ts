import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';

/** Marks temporary files so that an interrupted run's leftovers are recognisable. */
export const TEMP_MARKER = '.s3fc-tmp-';

export function tempPathBeside(finalPath: string): string {
  return path.join(path.dirname(finalPath), `${TEMP_MARKER}${randomBytes(6).toString('hex')}`);
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
  const relative = path.relative(root, folder);
  if (relative === '') return;
  let current = root;
  for (const segment of relative.split(path.sep)) {
    current = path.join(current, segment);
    if (verified?.has(current)) continue;
    const stats = await lstatOrUndefined(current);
    if (stats?.isDirectory()) {
      verified?.add(current);
      continue;
    }
    if (stats !== undefined && !stats.isSymbolicLink() && !mayRemoveFiles) {
      throw new Error(
        `${current} is a file locally where the bucket needs a folder; it is kept because deletions are off`,
      );
    }
    if (stats !== undefined) await unlink(current);
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
export async function isRealFolderChain(root: string, folder: string): Promise<boolean> {
  const relative = path.relative(root, folder);
  if (relative === '') return true;
  let current = root;
  for (const segment of relative.split(path.sep)) {
    current = path.join(current, segment);
    if (!(await lstatOrUndefined(current))?.isDirectory()) return false;
  }
  return true;
}

/**
 * Moves a finished temporary file or link into place. rename() replaces a
 * file or a symlink itself, never what a link points to. A folder standing
 * in the way is removed only when the caller allows deletions.
 */
export async function moveIntoPlace(temp: string, finalPath: string, mayRemoveFolder: boolean): Promise<void> {
  const stats = await lstatOrUndefined(finalPath);
  if (stats?.isDirectory()) {
    if (!mayRemoveFolder) {
      throw new Error(`${finalPath} is a folder locally; it is kept because deletions are off`);
    }
    await rm(finalPath, { recursive: true, force: true });
  }
  await rename(temp, finalPath);
}

export async function lstatOrUndefined(target: string) {
  try {
    return await lstat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function removeQuietly(target: string): Promise<void> {
  await rm(target, { force: true });
}
