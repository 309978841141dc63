import { isFolderPlaceholder, type Entry, type FolderTag } from '../model/entries.js';
import { keysForRedirectLocation, redirectLocationForKey } from '../model/keys.js';
import type { Warning } from '../model/plan.js';

/**
 * The symlinks to folders whose tagged redirects a source (a bucket, which
 * other tools may change) no longer holds exactly: one redirect under the
 * link for each object under its target, leading where that object leads,
 * and nothing else. Their redirects are then copied one symlink each, with a
 * warning. Pure.
 */
export function untrustedFolderLinks(
  source: ReadonlyMap<string, Entry>,
  prefix: string,
): { untrusted: Set<string>; warnings: Warning[] } {
  const groups = new Map<string, { targets: Set<string>; keys: string[] }>();
  for (const [key, entry] of source) {
    const tag = entry.kind === 'redirect' ? entry.folder : undefined;
    if (tag === undefined) continue;
    const group = groups.get(tag.link) ?? { targets: new Set(), keys: [] };
    group.targets.add(tag.target);
    group.keys.push(key);
    groups.set(tag.link, group);
  }
  const untrusted = new Set<string>();
  const warnings: Warning[] = [];
  for (const [link, { targets, keys }] of groups) {
    const target = targets.size === 1 ? ([...targets][0] as string) : undefined;
    const problem =
      target === undefined
        ? 'its objects name different target folders'
        : mismatch(source, prefix, { link, target }, keys.length);
    if (problem === undefined) continue;
    untrusted.add(link);
    warnings.push({
      key: `${link}/`,
      message: `The objects under it are not exactly the redirects of a symlink to ${target ?? 'a folder'} (${problem}), so each becomes a symlink of its own`,
    });
  }
  return { untrusted, warnings };
}

/** Why the source's objects under the link are not its target's redirects, or undefined when they are. */
function mismatch(
  source: ReadonlyMap<string, Entry>,
  prefix: string,
  tag: FolderTag,
  tagged: number,
): string | undefined {
  const { link, target } = tag;
  if (link.startsWith(`${target}/`) || target.startsWith(`${link}/`)) return 'it would lead back into itself';
  let matched = 0;
  for (const [key, entry] of source) {
    if (!key.startsWith(`${target}/`) || isFolderPlaceholder(key, entry)) continue;
    const standIn = `${link}${key.slice(target.length)}`;
    const found = source.get(standIn);
    if (found?.kind !== 'redirect' || found.folder?.link !== link) return `${standIn} is missing or changed`;
    if (!leadsTo(prefix, found.location, key, entry)) return `${standIn} leads elsewhere`;
    matched += 1;
  }
  let under = 0;
  for (const [key, entry] of source) if (key.startsWith(`${link}/`) && !isFolderPlaceholder(key, entry)) under += 1;
  if (tagged !== matched || under !== matched) return 'it holds objects its target lacks';
  return undefined;
}

/** Whether a location leads to the key, or where the key's own redirect leads. */
function leadsTo(prefix: string, location: string, key: string, entry: Entry): boolean {
  if (entry.kind === 'redirect') return location === entry.location;
  if (location === redirectLocationForKey(prefix, key)) return true;
  const read = keysForRedirectLocation(prefix, location);
  return read.ok && read.candidates.includes(key);
}
