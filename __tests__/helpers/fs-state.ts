import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Every entry under root, dotfiles included, without following links:
 * relative path ("/"-separated, folders with a trailing "/") → what it is and
 * its identity on disk (inode and mtime). Two states are equal only when
 * nothing under root was written, renamed, created or removed in between.
 */
export async function diskState(root: string): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  async function walk(relative: string): Promise<void> {
    for (const name of (await readdir(path.join(root, relative))).sort()) {
      const child = relative === '' ? name : `${relative}/${name}`;
      const absolute = path.join(root, child);
      const stats = await lstat(absolute);
      const identity = `ino ${stats.ino} mtime ${stats.mtimeMs}`;
      if (stats.isSymbolicLink()) state[child] = `link -> ${await readlink(absolute)} (${identity})`;
      else if (stats.isDirectory()) {
        state[`${child}/`] = `folder (ino ${stats.ino})`;
        await walk(child);
      } else {
        const md5 = createHash('md5')
          .update(await readFile(absolute))
          .digest('hex');
        state[child] = `file md5 ${md5} (${identity})`;
      }
    }
  }
  await walk('');
  return state;
}

/** Every path under root, dotfiles included, folders with a trailing "/", sorted. */
export async function allPaths(root: string): Promise<string[]> {
  return Object.keys(await diskState(root)).sort();
}
