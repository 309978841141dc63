import { lstatSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Entry, Inventory } from './inventory.js';
import { isInside, keyFromRelativePath, redirectLocationForKey, unsafeKeyReason } from './keys.js';

export interface LocalInventory {
  entries: Inventory;
  /** Folders below the root, deepest first, for pruning after a pull. */
  folders: string[];
  /** The root with every symlink resolved; link targets are judged against it. */
  realRoot: string;
}

export interface LocalScanOptions {
  prefix: string;
  isExcluded: (key: string) => boolean;
}

/**
 * Walks the directory without following any symlink. Regular files become
 * file entries (md5 resolved later, only where needed); symlinks to files
 * inside the directory become redirects to the final target; every other link
 * is an opaque entry carrying the reason it cannot be copied.
 */
export async function scanLocal(root: string, options: LocalScanOptions): Promise<LocalInventory> {
  const realRoot = await realpath(root);
  const entries: Inventory = new Map();
  const folders: string[] = [];
  const pending: string[] = [''];

  while (pending.length > 0) {
    const relativeFolder = pending.pop() as string;
    const dirents = await readdir(path.join(root, relativeFolder), { withFileTypes: true });
    for (const dirent of dirents) {
      const relative = path.join(relativeFolder, dirent.name);
      const key = keyFromRelativePath(relative);
      if (options.isExcluded(key)) continue;
      const absolute = path.join(root, relative);
      if (dirent.isDirectory()) {
        folders.push(relative);
        pending.push(relative);
        continue;
      }
      const unsafe = unsafeKeyReason(key);
      if (unsafe !== undefined) {
        entries.set(key, { kind: 'opaque', reason: `its name is not a safe key: ${unsafe}` });
      } else if (dirent.isFile()) {
        // Synchronous on purpose: a cached lstat takes microseconds, while an
        // awaited one per file costs a thread-pool round trip (10x slower here).
        // md5 is there from the start, for the hashing to fill in: a field
        // added later costs every entry a property array (BENCHMARKS.md, Memory).
        entries.set(key, { kind: 'file', size: lstatSync(absolute).size, md5: undefined });
      } else if (dirent.isSymbolicLink()) {
        entries.set(key, await classifySymlink(absolute, realRoot, options.prefix));
      } else {
        entries.set(key, { kind: 'opaque', reason: 'it is not a regular file' });
      }
    }
  }
  folders.sort((a, b) => b.split(path.sep).length - a.split(path.sep).length);
  return { entries, folders, realRoot };
}

async function classifySymlink(linkPath: string, realRoot: string, prefix: string): Promise<Entry> {
  let target: string;
  try {
    target = await realpath(linkPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { kind: 'opaque', reason: 'it is a symlink loop' };
    if (code === 'ENOENT') return { kind: 'opaque', reason: 'it is a broken symlink' };
    return { kind: 'opaque', reason: `its target cannot be resolved (${code ?? String(error)})` };
  }
  if (target === realRoot) {
    return { kind: 'opaque', reason: 'it points to a folder (the directory itself)' };
  }
  if (!isInside(realRoot, target)) {
    return { kind: 'opaque', reason: `it points outside the directory (to ${target})` };
  }
  const targetStats = await stat(target);
  if (targetStats.isDirectory()) {
    return { kind: 'opaque', reason: 'it points to a folder, which S3 redirects cannot mirror' };
  }
  if (!targetStats.isFile()) {
    return { kind: 'opaque', reason: 'it points to something that is not a regular file' };
  }
  const targetKey = keyFromRelativePath(path.relative(realRoot, target));
  // The target is skipped too, so a redirect to it would lead nowhere.
  const unsafeTarget = unsafeKeyReason(targetKey);
  if (unsafeTarget !== undefined) {
    return { kind: 'opaque', reason: `its target's name is not a safe key: ${unsafeTarget}` };
  }
  return { kind: 'redirect', location: redirectLocationForKey(prefix, targetKey) };
}
