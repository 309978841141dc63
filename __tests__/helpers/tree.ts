import { createHash } from 'node:crypto';
import { lstat, mkdir, readFile, readdir, readlink, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A description of a tree: file contents, or { link: target } for symlinks. */
export type TreeSpec = Record<string, string | Buffer | { link: string }>;

/** `count` small files, `<folder>/<i>.txt` holding "file <i>". */
export function numberedFiles(count: number, folder = 'f'): TreeSpec {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${folder}/${i}.txt`, `file ${i}`]));
}

export async function writeTree(root: string, spec: TreeSpec): Promise<void> {
  for (const [relative, content] of Object.entries(spec)) {
    const target = path.join(root, ...relative.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    if (typeof content === 'object' && !Buffer.isBuffer(content)) await symlink(content.link, target);
    else await writeFile(target, content);
  }
}

/**
 * Everything under root without following links: file md5s, link texts and
 * folders. Two snapshots are equal exactly when the trees are identical.
 */
export async function snapshot(root: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  async function walk(relative: string): Promise<void> {
    for (const dirent of await readdir(path.join(root, relative), { withFileTypes: true })) {
      const child = relative === '' ? dirent.name : `${relative}/${dirent.name}`;
      const absolute = path.join(root, child);
      if (dirent.isSymbolicLink()) result[child] = `link -> ${await readlink(absolute)}`;
      else if (dirent.isDirectory()) {
        result[child + '/'] = 'folder';
        await walk(child);
      } else {
        result[child] = `md5 ${createHash('md5')
          .update(await readFile(absolute))
          .digest('hex')}`;
      }
    }
  }
  if ((await lstat(root).catch(() => undefined)) !== undefined) await walk('');
  return result;
}

/**
 * One sha256 for everything under dir, links not followed (see snapshot),
 * leaving out the given paths relative to dir (and all below them). Equal
 * hashes mean nothing was added, removed or changed there.
 */
export async function hashTree(dir: string, ignore: string[] = []): Promise<string> {
  const ignored = (relative: string) =>
    ignore.some((skip) => relative === skip || relative === `${skip}/` || relative.startsWith(`${skip}/`));
  const entries = Object.entries(await snapshot(dir))
    .filter(([relative]) => !ignored(relative))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}
