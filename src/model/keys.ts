import path from 'node:path';

/**
 * Path and key safety. Every place that turns a key into a local path, or a
 * local path into a key or a redirect location, goes through this module, so
 * the rules live in one spot.
 */

const MAX_SEGMENT_BYTES = 255;
export const MAX_KEY_BYTES = 1024;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const DRIVE_LETTER = /^[A-Za-z]:$/;
// Characters Windows refuses in file names; a pull on a Windows runner would
// fail half-way, so such keys are refused up front on that platform.
const WINDOWS_RESERVED = /[<>:"|?*]/;

/**
 * Why a key (relative to the prefix) cannot be mirrored as a local path, or
 * undefined when it can.
 */
export function unsafeKeyReason(key: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (key === '') return 'the key is empty';
  if (key.endsWith('/')) return 'it is a folder placeholder';
  if (key.startsWith('/')) return 'it starts with "/"';
  if (key.includes('\\')) return 'it contains a backslash';
  if (CONTROL_CHARACTERS.test(key)) return 'it contains a control character';
  // UTF-8 takes at most 3 bytes per UTF-16 unit: a short key needs no byte count.
  const short = key.length * 3 <= MAX_SEGMENT_BYTES;
  if (!short && Buffer.byteLength(key) > MAX_KEY_BYTES) return `it is longer than ${MAX_KEY_BYTES} bytes`;
  const segments = key.split('/');
  for (const segment of segments) {
    if (segment === '') return 'it has an empty path segment ("//")';
    if (segment === '.' || segment === '..') return `it has a "${segment}" path segment`;
    if (!short && Buffer.byteLength(segment) > MAX_SEGMENT_BYTES)
      return `a path segment is longer than ${MAX_SEGMENT_BYTES} bytes`;
    if (platform === 'win32' && WINDOWS_RESERVED.test(segment))
      return 'it contains a character Windows does not allow in file names';
  }
  if (DRIVE_LETTER.test(segments[0] ?? '')) return 'it starts with a drive letter';
  return undefined;
}

/** The key for a path relative to the directory, whatever the OS separator. */
export function keyFromRelativePath(relativePath: string): string {
  return path.sep === '/' ? relativePath : relativePath.split(path.sep).join('/');
}

/**
 * The local path for a key. Callers have already skipped unsafe keys; this
 * checks again because it is the last line of defence before the disk.
 */
export function localPathForKey(root: string, key: string): string {
  const unsafe = unsafeKeyReason(key);
  const resolved = path.resolve(root, ...key.split('/'));
  if (unsafe !== undefined || !isInside(root, resolved) || resolved === path.resolve(root)) {
    throw new Error(`Refusing to touch ${JSON.stringify(key)} under ${root}: ${unsafe ?? 'it is outside'}`);
  }
  return resolved;
}

/** True when candidate is root or lies below it. Both must be absolute. */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..' + path.sep) && relative !== '..' && !path.isAbsolute(relative));
}

/** Joins the bucket prefix and a key relative to it. */
export function withPrefix(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}/${key}`;
}

/**
 * The WebsiteRedirectLocation for a redirect to `targetKey` (relative to the
 * prefix). Each segment is percent-encoded: the location is sent as an HTTP
 * header (ASCII only) and served as a Location URL, where " ", "#", "?" and
 * "%" would otherwise change its meaning.
 */
export function redirectLocationForKey(prefix: string, targetKey: string): string {
  return '/' + withPrefix(prefix, targetKey).split('/').map(encodeURIComponent).join('/');
}

export type RedirectTarget = { ok: true; candidates: string[] } | { ok: false; reason: string };

/**
 * The keys (relative to the prefix) that a redirect location may point to,
 * most likely first. Locations written by this action are percent-encoded;
 * those written by the original Python script are raw. Both are accepted and
 * the planner picks the one that exists in the bucket.
 */
export function keysForRedirectLocation(prefix: string, location: string): RedirectTarget {
  if (/^[a-z][a-z0-9+.-]*:/i.test(location) || location.startsWith('//')) {
    return { ok: false, reason: `it points to a full URL (${location})` };
  }
  if (!location.startsWith('/')) {
    return { ok: false, reason: `its location "${location}" is not a path in the bucket` };
  }
  const raw = location.slice(1);
  const candidates: string[] = [];
  try {
    candidates.push(decodeURIComponent(raw));
  } catch {
    // Not valid percent-encoding: only the raw reading remains.
  }
  if (!candidates.includes(raw)) candidates.push(raw);

  const scoped: string[] = [];
  for (const candidate of candidates) {
    const relative = stripPrefix(prefix, candidate);
    if (relative === undefined) continue;
    if (unsafeKeyReason(relative) === undefined) scoped.push(relative);
  }
  if (scoped.length === 0) {
    const outside = candidates.every((c) => stripPrefix(prefix, c) === undefined);
    return {
      ok: false,
      reason: outside
        ? `its location "${location}" is outside the prefix "${prefix}"`
        : `its location "${location}" does not name a file inside the directory`,
    };
  }
  return { ok: true, candidates: scoped };
}

/** The key relative to the prefix, or undefined when it is not under it. */
export function stripPrefix(prefix: string, key: string): string | undefined {
  if (prefix === '') return key;
  return key.startsWith(prefix + '/') ? key.slice(prefix.length + 1) : undefined;
}

/** Normalises the `prefix` input: no leading or trailing slashes. */
export function normalisePrefix(prefix: string): string {
  return prefix.replace(/^\/+|\/+$/g, '');
}

/** How messages name a place in a bucket: `s3://bucket/prefix`, or with a key below the prefix. */
export function s3Url(bucket: string, prefix: string, key?: string): string {
  return `s3://${bucket}/${key === undefined ? prefix : withPrefix(prefix, key)}`;
}

/** Whether the key is a web page (`.html` or `.htm`): deployed after its assets, linked to where a browser shows it. */
export function isPage(key: string): boolean {
  return /\.html?$/i.test(key);
}

/** Whether `test` holds for a folder the key lies in ("a", then "a/b" for "a/b/c"), top folder first. */
export function someFolderOf(key: string, test: (folder: string) => boolean): boolean {
  for (let slash = key.indexOf('/'); slash !== -1; slash = key.indexOf('/', slash + 1)) {
    if (test(key.slice(0, slash))) return true;
  }
  return false;
}

/** someFolderOf from the deepest folder up: a walk that stops at a folder seen before skips those above it. */
export function someFolderOfUpwards(key: string, test: (folder: string) => boolean): boolean {
  for (let slash = key.lastIndexOf('/'); slash !== -1; slash = key.lastIndexOf('/', slash - 1)) {
    if (test(key.slice(0, slash))) return true;
  }
  return false;
}
