import type { FolderTag } from './entries.js';
import { unsafeKeyReason } from './keys.js';

/*
 * How an object says which symlink to a folder it is one of: two metadata
 * fields, percent-encoded because metadata travels as ASCII HTTP headers.
 */

export const LINK_FOLDER_METADATA = 'link-folder';
export const LINK_TARGET_METADATA = 'link-target';

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
