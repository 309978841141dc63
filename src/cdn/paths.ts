/**
 * From object keys to the viewer paths CloudFront caches them under. Pure.
 *
 * Encoding follows CloudFront's rule for invalidation paths: URL-encode
 * non-ASCII characters and the characters RFC 1738 calls unsafe, and nothing
 * else, or the path no longer matches what viewers requested. On top of that,
 * characters that would change the path's meaning are encoded too: `?` (would
 * start a query string), `*` (a wildcard) and `%` (would start an escape).
 */

// Kept as they are: RFC 3986 unreserved characters except `~` (which RFC
// 1738 calls unsafe and CloudFront rejects unencoded), the path separator,
// and the sub-delimiters and `:` `@` that neither RFC asks to encode.
const KEPT = /[A-Za-z0-9\-._/!$&'()+,;=:@]/;

/** Percent-encodes a key (or key path) for an invalidation path; `/` stays. */
export function encodeInvalidationPath(path: string): string {
  let out = '';
  for (const char of path) {
    if (KEPT.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The viewer paths that may hold a cached copy of an object, for a key
 * relative to what the distribution serves (`docs/guide/index.html`): the
 * object itself and, for an index document, its folder with and without the
 * trailing slash. The root index gives `/index.html` and `/`.
 */
export function urlPathsForKey(prefixedKey: string, indexDocument: string): string[] {
  const key = prefixedKey.replace(/^\/+/, '');
  const paths = [`/${encodeInvalidationPath(key)}`];
  if (indexDocument === '') return paths;
  if (key === indexDocument) {
    paths.push('/');
  } else if (key.endsWith(`/${indexDocument}`)) {
    const folder = encodeInvalidationPath(key.slice(0, -indexDocument.length));
    paths.push(`/${folder}`, `/${folder.slice(0, -1)}`);
  }
  return paths;
}

/**
 * The key relative to what the distribution serves, for a key relative to the
 * run's prefix: CloudFront asks the origin for ORIGIN_PATH + viewer path, so
 * the object `prefix/key` is seen at `prefix/key` less the origin path.
 * Undefined when the object is outside the origin path: that distribution
 * never serves it.
 */
export function mapThroughOriginPath(key: string, prefix: string, originPath: string): string | undefined {
  const trimmedPrefix = prefix.replace(/^\/+|\/+$/g, '');
  const objectKey = trimmedPrefix === '' ? key : `${trimmedPrefix}/${key}`;
  const base = originPath.replace(/^\/+|\/+$/g, '');
  if (base === '') return objectKey;
  if (!objectKey.startsWith(`${base}/`)) return undefined;
  const viewerKey = objectKey.slice(base.length + 1);
  return viewerKey === '' ? undefined : viewerKey;
}
