import type { LocalEntries, LocalFile, StoresGzipped } from '../model/entries.js';
import { keysForRedirectLocation } from '../model/keys.js';

/**
 * For `links: copy`: each symlink stands in for a copy of the file it
 * finally reaches, which the push makes server-side from the target's key.
 * Its size and md5 are the target's; a link whose target is not a file here,
 * or that either key stores compressed, stays a redirect.
 */
export function linksAsCopies(entries: LocalEntries, prefix: string, storesGzipped: StoresGzipped): void {
  for (const [key, entry] of entries) {
    if (entry.kind !== 'redirect') continue;
    const read = keysForRedirectLocation(prefix, entry.location);
    const target = read.ok ? read.candidates.find((candidate) => entries.get(candidate)?.kind === 'file') : undefined;
    if (target === undefined) continue;
    const file = entries.get(target) as LocalFile;
    if (file.link !== undefined || storesGzipped(key, file.size) || storesGzipped(target, file.size)) continue;
    const link = entry.folder === undefined ? { target } : { target, folder: entry.folder };
    entries.set(key, { kind: 'file', size: file.size, md5: file.md5, link });
  }
}
