/**
 * What each side holds at a key. The directory and the bucket know different
 * things, so each has its own types; the plan compares a source with a
 * destination of either kind. Keys are relative to the bucket prefix and use
 * "/" separators.
 *
 * Each file type has one constructor that builds every field in one literal:
 * a field added later would cost each of a million entries a property array.
 */

/** A regular file in the directory. */
export interface LocalFile {
  kind: 'file';
  size: number;
  /** Lower-case hex md5 of the content, once hashed. */
  md5: string | undefined;
  /** The ETag S3 would give this file if the action uploaded it in parts. */
  multipartEtag?: string;
  /** What the bucket holds for this file when it is stored compressed (the `gzip` input). */
  stored?: StoredForm;
  /** A symlink pushed as a copy of its target (`links: copy`). */
  link?: LinkCopy;
}

/** A symlink stored as a copy of the file it reaches: object metadata `link-file` (and the folder tag). */
export interface LinkCopy {
  /** The key of the file it reaches. */
  target: string;
  /** The symlink to a folder it is one of. */
  folder?: FolderTag;
}

/** A file as the bucket holds it when it is stored in another form than its bytes on disk. */
export interface StoredForm {
  size: number;
  /** md5 of the stored bytes: the ETag of a single-part upload. */
  md5: string;
  encoding: 'gzip';
}

/** A symlink to a file inside the directory: a redirect to the file it finally reaches. */
export interface LocalLink {
  kind: 'redirect';
  location: string;
  /** Set on each redirect a symlink to a folder stands for (local/folder-links.ts). */
  folder?: FolderTag;
}

/**
 * Names the symlink to a folder that a redirect is one of, so a pull can
 * make the one symlink again: stored as object metadata (model/link-tags.ts).
 * Keys relative to the prefix.
 */
export interface FolderTag {
  /** The symlink's key: `latest`. */
  link: string;
  /** The key of the folder it points to: `2.1`. */
  target: string;
}

/**
 * Something in the directory that cannot be copied: a symlink that leaves
 * the directory, a broken link, a link loop, a link to a folder, an unsafe
 * name. As a source it is reported and left alone; as a destination it is
 * replaced or deleted like anything else, without ever being followed.
 */
export interface OpaqueEntry {
  kind: 'opaque';
  reason: string;
}

export type LocalEntry = LocalFile | LocalLink | OpaqueEntry;

/** An object in the bucket with a body (or one not yet known to be a redirect). */
export interface RemoteFile {
  kind: 'file';
  size: number;
  /**
   * The listed ETag without quotes. For single-part uploads without KMS it is
   * the md5; for multipart uploads it is "<hex>-<parts>".
   */
  etag?: string;
  /** The listed LastModified, in ms; any write of the object changes it. */
  modified?: number;
  /** The content md5, from the `md5` metadata or the manifest. */
  md5?: string;
  /** Set once a HEAD (or the manifest) has said what the listing cannot, so nothing asks twice. */
  inspected?: boolean;
  /** The object's Content-Encoding, once inspected. */
  encoding?: string;
  /** The fingerprint of the headers the last run wrote, from the manifest. */
  headers?: string;
  /** Set only on objects listed in an archive storage class (src/bucket/archived.ts). */
  archived?: Archived;
  /** The symlink it is a copy for, once inspected (or from the manifest). */
  link?: LinkCopy;
  /** The VersionId, set only where a versions listing gave it (a rollback, which compares by it). */
  version?: string;
}

/** An object in GLACIER or DEEP_ARCHIVE: a GET fails until it is restored. */
export interface Archived {
  storageClass: string;
  /** Whether a restored copy can be read now; undefined when the listing did not say. */
  restored: boolean | undefined;
}

/** An empty object with a WebsiteRedirectLocation. */
export interface RemoteRedirect {
  kind: 'redirect';
  /** The raw WebsiteRedirectLocation. */
  location: string;
  /** The listed ETag, which the manifest records. */
  etag?: string;
  /** The fingerprint of the headers the last run wrote, from the manifest. */
  headers?: string;
  /** The listed LastModified, in ms. */
  modified?: number;
  /** The symlink to a folder it stands for, from its metadata or the manifest. */
  folder?: FolderTag;
}

export type RemoteEntry = RemoteFile | RemoteRedirect;

export type LocalEntries = Map<string, LocalEntry>;
export type RemoteEntries = Map<string, RemoteEntry>;

/** An entry of either side. */
export type Entry = LocalEntry | RemoteEntry;

/** A file of either side. */
export type FileOf<E extends Entry> = Extract<E, { kind: 'file' }>;

/** Whether the bucket holds a file of this key and size gzip-compressed (the `gzip` input). */
export type StoresGzipped = (key: string, size: number) => boolean;

export const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

/** A file the scan found; its size and md5 are filled in as they are learnt. */
export function localFile(): LocalFile {
  return { kind: 'file', size: 0, md5: undefined };
}

/**
 * An object as the listing shows it, or, once `inspected` (by a HEAD or the
 * manifest), with the md5 that told, if any.
 */
export function remoteFile(
  size: number,
  etag: string | undefined,
  modified: number | undefined,
  inspected?: { md5: string | undefined },
): RemoteFile {
  if (inspected === undefined) {
    return modified === undefined ? { kind: 'file', size, etag } : { kind: 'file', size, etag, modified };
  }
  const { md5 } = inspected;
  if (md5 === undefined) {
    return modified === undefined
      ? { kind: 'file', size, etag, inspected: true }
      : { kind: 'file', size, etag, modified, inspected: true };
  }
  return modified === undefined
    ? { kind: 'file', size, etag, md5, inspected: true }
    : { kind: 'file', size, etag, modified, md5, inspected: true };
}

/** An empty "folder/" object, what the S3 console's "Create folder" makes: nothing to mirror. */
export function isFolderPlaceholder(key: string, entry: Entry): boolean {
  return key.endsWith('/') && entry.kind === 'file' && entry.size === 0;
}

export function isMultipartEtag(etag: string | undefined): boolean {
  return etag !== undefined && /-\d+$/.test(etag);
}

export function isPlainMd5(value: string | undefined): value is string {
  return value !== undefined && /^[0-9a-f]{32}$/.test(value);
}

/** An ETag as S3 sends it (`"abc"`), as listings, comparisons and the manifest keep it. */
export function bareEtag(etag: string | undefined): string | undefined {
  return etag?.replace(/"/g, '').toLowerCase();
}
