/**
 * Public URLs of the objects a run wrote, for links in a pull request
 * comment. `siteUrl` is where the run's prefix is served (for a preview,
 * `https://previews.example.com/pr-7`); keys are relative to the prefix, so
 * the prefix is never added here.
 */

/**
 * The URL at which `key` is served under `siteUrl`. An index document links
 * to its folder (`docs/index.html` → `…/docs/`, `index.html` → `…/`); every
 * other key links to itself. Each path segment is percent-encoded, `(`, `)`,
 * `'`, `!` and `*` included, so the URL is safe as a Markdown link target.
 */
export function pageUrl(siteUrl: string, key: string, indexDocument = 'index.html'): string {
  const base = siteUrl.replace(/\/+$/, '');
  const segments = key.split('/');
  if (indexDocument !== '' && segments[segments.length - 1] === indexDocument) segments[segments.length - 1] = '';
  return `${base}/${segments.map(encodeSegment).join('/')}`;
}

/**
 * encodeURIComponent, plus the characters it leaves alone that RFC 3986
 * reserves. A lone surrogate (which encodeURIComponent throws on) becomes
 * U+FFFD.
 */
export function encodeSegment(segment: string): string {
  return encodeURIComponent(segment.replace(LONE_SURROGATE, '\uFFFD')).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
