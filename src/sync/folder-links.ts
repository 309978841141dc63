import { rmdir, symlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { FolderLink } from '../local/folder-links.js';
import { ensureRealFolder, isRealFolderChain, lstatOrUndefined, moveIntoPlace, tempPathBeside } from '../local/fs.js';
import type { TempFiles } from '../local/temp-files.js';
import { tagged } from '../model/errors.js';
import { localPathForKey } from '../model/keys.js';
import type { Outcome } from '../model/outcome.js';
import type { PullPlan, RedirectCopy } from '../model/plan.js';
import type { Reporter } from '../model/reporter.js';

/** What making the symlinks to folders needs of the pull. */
export interface FolderLinking {
  root: string;
  delete: boolean;
  /** Local folders, deepest first. */
  folders: string[];
  /** The directory's symlinks to folders, as the scan found them. */
  folderLinks: FolderLink[];
  tempFiles: TempFiles;
  reporter: Reporter;
}

/** The redirects that are one symlink to a folder each, by that symlink's key. */
export function folderLinkGroups(redirects: readonly RedirectCopy[]): Map<string, RedirectCopy[]> {
  const groups = new Map<string, RedirectCopy[]>();
  for (const redirect of redirects) {
    if (redirect.folder === undefined) continue;
    const group = groups.get(redirect.folder.link) ?? [];
    group.push(redirect);
    groups.set(redirect.folder.link, group);
  }
  return groups;
}

/**
 * The last step of a pull: each symlink to a folder the bucket holds whole
 * becomes one relative symlink (in place of a folder of links a run before made).
 */
export async function makeFolderLinks(plan: PullPlan, outcome: Outcome, context: FolderLinking): Promise<void> {
  const groups = folderLinkGroups(plan.redirects);
  for (const [link, redirects] of groups) {
    const target = (redirects[0] as RedirectCopy).folder?.target as string;
    await tagged('link', link, () => makeFolderLink(link, target, redirects, context));
    context.reporter.debug(`linked ${link} -> ${target} (${redirects.length} redirects)`);
    outcome.redirected.push(...redirects);
  }
}

/**
 * The local symlinks to folders a pull removes: the plan neither writes at
 * their names nor keeps anything below, nor skips their names (what is at a
 * skipped name is left alone).
 */
export function goneFolderLinks(plan: PullPlan, context: FolderLinking): string[] {
  if (!context.delete) return [];
  const kept = [...plan.unchanged, ...plan.copies.map((copy) => copy.key), ...plan.redirects.map((r) => r.key)];
  const skipped = new Set(plan.warnings.map((warning) => warning.key));
  return context.folderLinks
    .map((link) => link.key)
    .filter((key) => !skipped.has(key) && !kept.some((other) => other === key || other.startsWith(`${key}/`)));
}

/** Unlinks them, never following them; what was below them counts as deleted. */
export async function unlinkFolderLinks(gone: string[], plan: PullPlan, outcome: Outcome, root: string): Promise<void> {
  for (const key of gone) {
    const linkPath = localPathForKey(root, key);
    if (!isRealFolderChain(root, path.dirname(linkPath)) || !lstatOrUndefined(linkPath)?.isSymbolicLink()) continue;
    await tagged('delete', key, () => unlink(linkPath));
    outcome.deleted.push(...plan.deletes.filter((removal) => removal.key.startsWith(`${key}/`)));
  }
}

async function makeFolderLink(
  link: string,
  target: string,
  redirects: RedirectCopy[],
  context: FolderLinking,
): Promise<void> {
  const { root } = context;
  const linkPath = localPathForKey(root, link);
  await ensureRealFolder(root, path.dirname(linkPath), { mayRemoveFiles: context.delete });
  if (lstatOrUndefined(linkPath)?.isDirectory()) await emptyFolderOfLinks(link, redirects, context);
  const temp = tempPathBeside(linkPath);
  context.tempFiles.add(temp);
  try {
    await symlink(path.relative(path.dirname(linkPath), localPathForKey(root, target)), temp);
    if (!moveIntoPlace(temp, linkPath)) {
      throw new Error(
        `${linkPath} is a folder locally that still holds files this run keeps (excluded or skipped names), so the bucket's symlink to ${target} was not made there`,
      );
    }
  } finally {
    context.tempFiles.release(temp);
    if (lstatOrUndefined(temp) !== undefined) await unlink(temp);
  }
}

/** A folder standing where the symlink goes loses what the symlink replaces, then its emptied folders. */
async function emptyFolderOfLinks(link: string, redirects: RedirectCopy[], context: FolderLinking): Promise<void> {
  const { root } = context;
  for (const { key } of redirects) {
    const entryPath = localPathForKey(root, key);
    if (!isRealFolderChain(root, path.dirname(entryPath))) continue;
    const stats = lstatOrUndefined(entryPath);
    if (stats !== undefined && !stats.isDirectory()) await unlink(entryPath);
  }
  const below = link.split('/').join(path.sep);
  for (const folder of [...context.folders.filter((f) => f.startsWith(below + path.sep)), below]) {
    try {
      await rmdir(path.join(root, folder));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'ENOENT' && code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
    }
  }
}
