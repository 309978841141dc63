import type { FolderTag, LocalEntries, LocalEntry } from '../model/entries.js';
import { redirectLocationForKey, someFolderOf, unsafeKeyReason } from '../model/keys.js';

/** A symlink to a folder inside the directory, as the walk found it. */
export interface FoundFolderLink {
  key: string;
  /** The key of the folder it finally reaches. */
  target: string;
}

/** A symlink to a folder as the scan stood it in: how many redirects it became. */
export interface FolderLink extends FoundFolderLink {
  redirects: number;
}

/**
 * Stands each symlink to a folder in for a redirect per file below its
 * target, recursively: a key under the link redirects to the file the
 * target's entry at that place finally reaches (links inside are flattened,
 * as file links are). A link that leads back to itself, through its own
 * target or through other folder links, is a loop and skipped; so is one
 * whose target is excluded. Returns the links expanded.
 */
export function expandFolderLinks(
  entries: LocalEntries,
  found: FoundFolderLink[],
  excluded: string[],
  rules: { prefix: string; isExcluded: (key: string) => boolean },
): FolderLink[] {
  if (found.length === 0) return [];
  const inside = new Map(found.map((link) => [link.key, found.filter((o) => o.key.startsWith(`${link.target}/`))]));
  const looping = new Set(found.filter((link) => leadsBackTo(link, inside)).map((link) => link.key));
  for (const link of found) {
    if (looping.has(link.key)) {
      entries.set(link.key, { kind: 'opaque', reason: `it leads back into itself (through ${link.target})` });
    }
  }
  const done = new Set<string>();
  const expanded: FolderLink[] = [];
  const expand = (link: FoundFolderLink): void => {
    if (done.has(link.key) || looping.has(link.key)) return;
    done.add(link.key);
    // A link inside the target is expanded first, so its redirects are copied with the rest.
    for (const inner of inside.get(link.key) ?? []) expand(inner);
    const skipped = excludedTargetReason(link.target, excluded);
    if (skipped !== undefined) entries.set(link.key, { kind: 'opaque', reason: skipped });
    else expanded.push({ ...link, redirects: standIn(entries, link, excluded, rules) });
  };
  for (const link of found) expand(link);
  return expanded;
}

/** Whether the link is reached again through the folder links inside its target, and theirs. */
function leadsBackTo(link: FoundFolderLink, inside: Map<string, FoundFolderLink[]>): boolean {
  const seen = new Set<string>();
  const next = [...(inside.get(link.key) ?? [])];
  for (let current = next.pop(); current !== undefined; current = next.pop()) {
    if (current.key === link.key) return true;
    if (seen.has(current.key)) continue;
    seen.add(current.key);
    next.push(...(inside.get(current.key) ?? []));
  }
  return false;
}

function excludedTargetReason(target: string, excluded: string[]): string | undefined {
  const names = new Set(excluded);
  const hidden = names.has(target) || someFolderOf(target, (folder) => names.has(folder));
  return hidden ? `its target folder ${target} is excluded` : undefined;
}

/** Sets the link's redirects; returns how many. */
function standIn(
  entries: LocalEntries,
  link: FoundFolderLink,
  excluded: string[],
  rules: { prefix: string; isExcluded: (key: string) => boolean },
): number {
  const below = `${link.target}/`;
  const tag: FolderTag = { link: link.key, target: link.target };
  const stands: [string, LocalEntry][] = [];
  for (const [key, entry] of entries) {
    if (!key.startsWith(below)) continue;
    const location = entry.kind === 'file' ? redirectLocationForKey(rules.prefix, key) : undefined;
    if (location !== undefined) stands.push([key, { kind: 'redirect', location, folder: tag }]);
    else if (entry.kind === 'redirect') stands.push([key, { kind: 'redirect', location: entry.location, folder: tag }]);
    else stands.push([key, entry]);
  }
  for (const key of excluded) {
    if (key.startsWith(below)) stands.push([key, { kind: 'opaque', reason: `its target ${key} is excluded` }]);
  }
  let redirects = 0;
  for (const [targetKey, entry] of stands) {
    const key = link.key + targetKey.slice(link.target.length);
    if (rules.isExcluded(key)) continue;
    const unsafe = unsafeKeyReason(key);
    entries.set(
      key,
      unsafe === undefined ? entry : { kind: 'opaque', reason: `its name is not a safe key: ${unsafe}` },
    );
    if (unsafe === undefined && entry.kind === 'redirect') redirects += 1;
  }
  return redirects;
}
