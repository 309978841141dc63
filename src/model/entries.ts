/**
 * One shape for both sides of a copy, so a single planner serves push and
 * pull. Keys are relative to the bucket prefix and use "/" separators.
 */

export interface FileEntry {
  kind: 'file';
  size: number;
  /** Lower-case hex md5 of the content, once known. */
  md5?: string;
  /**
   * Remote only: the listed ETag without quotes. For single-part uploads
   * without KMS it is the md5; for multipart uploads it is "<hex>-<parts>".
   */
  etag?: string;
  /** Local only: the ETag S3 would give this file if the action uploaded it in parts. */
  multipartEtag?: string;
  /** Remote only: set once a HEAD has been made, so nothing asks twice. */
  inspected?: boolean;
  /** Remote, once inspected: the object's Content-Encoding. */
  encoding?: string;
  /** Local only: what the bucket holds for this file when it is stored compressed (the `gzip` input). */
  stored?: StoredForm;
  /** Remote only: the fingerprint of the headers the last run wrote, from the manifest. */
  headers?: string;
  /** Remote only: the listed LastModified, in ms; any write of the object changes it. */
  modified?: number;
}

/** A file as the bucket holds it when it is stored in another form than its bytes on disk. */
export interface StoredForm {
  size: number;
  /** md5 of the stored bytes: the ETag of a single-part upload. */
  md5: string;
  encoding: 'gzip';
}

export interface RedirectEntry {
  kind: 'redirect';
  /** Remote: the raw WebsiteRedirectLocation. Local: the location of the file the link finally reaches. */
  location: string;
  /** Remote only: the object's listed ETag, which the manifest records. */
  etag?: string;
  /** Remote only: the fingerprint of the headers the last run wrote, from the manifest. */
  headers?: string;
  /** Remote only: the listed LastModified, in ms. */
  modified?: number;
}

/**
 * Something present on a side that cannot be copied: a symlink that leaves
 * the directory, a broken link, a link loop, a link to a folder. As a source
 * it is reported and left alone; as a destination it is replaced or deleted
 * like anything else, without ever being followed.
 */
export interface OpaqueEntry {
  kind: 'opaque';
  reason: string;
}

export type Entry = FileEntry | RedirectEntry | OpaqueEntry;

export type Inventory = Map<string, Entry>;

export const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

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
