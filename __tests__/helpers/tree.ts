import { mkdir, symlink, writeFile } from 'node:fs/promises';
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
