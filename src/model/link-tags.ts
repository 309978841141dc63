import type { FolderTag, LinkCopy } from './entries.js';
import { unsafeKeyReason } from './keys.js';

/*
 * How an object says which symlink to a folder it is one of: two metadata
 * fields, percent-encoded because metadata travels as ASCII HTTP headers.
 */

/** How a push stores a symlink (the `links` input): a website redirect object, or a copy of its target. */
export type LinkMode = 'redirect' | 'copy';

export const LINK_FOLDER_METADATA = 'link-folder';
export const LINK_TARGET_METADATA = 'link-target';
export const LINK_FILE_METADATA = 'link-file';

/** The metadata of a copy standing for a symlink: the file it reaches, and the folder link it is one of. */
export function linkCopyMetadata(link: LinkCopy): Record<string, string> {
  const file = { [LINK_FILE_METADATA]: encoded(link.target) };
  return link.folder === undefined ? file : { ...file, ...folderTagMetadata(link.folder) };
}

/** The symlink an object's metadata says it is a copy for, if any. */
export function linkCopyOfMetadata(metadata: Record<string, string> | undefined): LinkCopy | undefined {
  const target = decoded(metadata?.[LINK_FILE_METADATA]);
  if (target === undefined) return undefined;
  const folder = folderTagOfMetadata(metadata);
  return folder === undefined ? { target } : { target, folder };
}

export function sameLinkCopy(a: LinkCopy | undefined, b: LinkCopy | undefined): boolean {
  return a?.target === b?.target && sameFolderTag(a?.folder, b?.folder);
}

export function folderTagMetadata(tag: FolderTag): Record<string, string> {
  return {
    [LINK_FOLDER_METADATA]: encodeURIComponent(tag.link),
    [LINK_TARGET_METADATA]: encodeURIComponent(tag.target),
  };
}

/** The tag an object's metadata carries, or undefined when it has none or names an unsafe key. */
export function folderTagOfMetadata(metadata: Record<string, string> | undefined): FolderTag | undefined {
  const link = decoded(metadata?.[LINK_FOLDER_METADATA]);
  const target = decoded(metadata?.[LINK_TARGET_METADATA]);
  if (link === undefined || target === undefined) return undefined;
  return { link, target };
}

/** Each segment percent-encoded, the slashes kept, so a key stays readable in the console. */
function encoded(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

function decoded(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const key = decodeURIComponent(value);
    return unsafeKeyReason(key) === undefined ? key : undefined;
  } catch {
    return undefined;
  }
}

export function sameFolderTag(a: FolderTag | undefined, b: FolderTag | undefined): boolean {
  return a?.link === b?.link && a?.target === b?.target;
}
