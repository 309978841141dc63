import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Every entry under root, dotfiles included, without following links:
 * relative path ("/"-separated, folders with a trailing "/") → what it is:
 * `md5 <hex>` for a file, `link -> <target>` for a symlink, `folder`. A
 * missing root is {}. Two states are equal exactly when the trees are
 * identical.
 *
 * With `identity`, each entry also carries its identity on disk (inode, and
 * mtime for files and links), so two states are equal only when nothing under
 * root was written, renamed, created or removed in between.
 */
export async function diskState(root: string, { identity = false } = {}): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  async function walk(relative: string): Promise<void> {
    for (const name of (await readdir(path.join(root, relative))).sort()) {
      const child = relative === '' ? name : `${relative}/${name}`;
      const absolute = path.join(root, child);
      const stats = await lstat(absolute);
      const suffix = identity ? ` (ino ${stats.ino}${stats.isDirectory() ? '' : ` mtime ${stats.mtimeMs}`})` : '';
      if (stats.isSymbolicLink()) state[child] = `link -> ${await readlink(absolute)}${suffix}`;
      else if (stats.isDirectory()) {
        state[`${child}/`] = `folder${suffix}`;
        await walk(child);
      } else {
        const md5 = createHash('md5')
          .update(await readFile(absolute))
          .digest('hex');
        state[child] = `md5 ${md5}${suffix}`;
      }
    }
  }
  if ((await lstat(root).catch(() => undefined)) !== undefined) await walk('');
  return state;
}

/** Every path under root, dotfiles included, folders with a trailing "/", sorted. */
export async function allPaths(root: string): Promise<string[]> {
  return Object.keys(await diskState(root)).sort();
}

/**
 * One sha256 for everything under dir (its diskState), leaving out the given
 * paths relative to dir (and all below them). Equal hashes mean nothing was
 * added, removed or changed there.
 */
export async function hashTree(dir: string, ignore: string[] = []): Promise<string> {
  const ignored = (relative: string) =>
    ignore.some((skip) => relative === skip || relative === `${skip}/` || relative.startsWith(`${skip}/`));
  const entries = Object.entries(await diskState(dir))
    .filter(([relative]) => !ignored(relative))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}
