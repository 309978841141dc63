import picomatch from 'picomatch';
import type { HeadersFor, ObjectHeaders } from '../model/headers.js';
import { someFolderOf } from '../model/keys.js';

/** Always excluded: macOS Finder litter, never part of a site. */
const DEFAULT_EXCLUDES = ['.DS_Store', '._*'];

export interface CacheControlRule {
  pattern: string;
  value: string;
}

const GLOB_OPTIONS = { dot: true } as const;

/** A pattern without a slash matches the name at any depth, as in .gitignore. */
function anyDepth(pattern: string): string {
  return pattern.includes('/') ? pattern : `**/${pattern}`;
}

/** A predicate for keys matching any of the exclude globs (plus the defaults). */
export function excludeMatcher(patterns: string[]): (key: string) => boolean {
  const matches = picomatch([...DEFAULT_EXCLUDES, ...patterns].map(anyDepth), GLOB_OPTIONS);
  // The local scan skips a matching folder whole, so keys below a matching
  // folder are excluded too, or the bucket side would delete or fetch them.
  return (key) => {
    // Neither default matches a name without these, so most keys of a large
    // tree skip the globs, which are slow next to a substring test.
    if (patterns.length === 0 && !key.includes('.DS_Store') && !key.includes('._')) return false;
    return someFolderOf(key, matches) || matches(key);
  };
}

/** A predicate for keys matching any of the globs (the `gzip` input), with no defaults. */
export function keyMatcher(patterns: string[]): (key: string) => boolean {
  if (patterns.length === 0) return () => false;
  return picomatch(patterns.map(anyDepth), GLOB_OPTIONS);
}

/** Parses "glob: value" lines. */
export function parseCacheControlRules(lines: string[], fail: (message: string) => Error): CacheControlRule[] {
  return lines.map((line) => {
    const colon = line.indexOf(':');
    const pattern = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (colon <= 0 || pattern === '' || value === '') {
      throw fail(`Each cache-control line must be "glob: value", such as "**/*.html: no-cache"; got "${line}".`);
    }
    return { pattern, value };
  });
}

/** One `glob: Header-Name: value` line of the headers input. */
export interface HeaderRule {
  pattern: string;
  /** The SDK's name (`CacheControl`), or `x-amz-meta-NAME` for metadata. */
  header: string;
  value: string;
}

/** The headers a rule may set, by their lower-case HTTP name. */
const SETTABLE_HEADERS: Record<string, keyof Omit<ObjectHeaders, 'Metadata'>> = {
  'cache-control': 'CacheControl',
  'content-type': 'ContentType',
  'content-disposition': 'ContentDisposition',
  'content-language': 'ContentLanguage',
  'content-encoding': 'ContentEncoding',
  expires: 'Expires',
};

/** Metadata the action writes itself, so no rule may set it. */
const RESERVED_METADATA = new Set(['md5']);

/** Parses "glob: Header-Name: value" lines; a header outside the supported set is refused. */
export function parseHeaderRules(lines: string[], fail: (message: string) => Error): HeaderRule[] {
  return lines.map((line) => {
    const match = /^([^:]+):\s*([A-Za-z0-9-]+)\s*:\s*(.+)$/.exec(line);
    const pattern = match?.[1]?.trim() ?? '';
    const name = (match?.[2] ?? '').toLowerCase();
    const value = match?.[3]?.trim() ?? '';
    if (match === null || pattern === '' || value === '') {
      throw fail(
        `Each headers line must be "glob: Header-Name: value", such as "**/*.json: Content-Type: application/json"; got "${line}".`,
      );
    }
    if (name.startsWith('x-amz-meta-')) {
      const key = name.slice('x-amz-meta-'.length);
      if (key === '' || RESERVED_METADATA.has(key)) {
        throw fail(`The headers line "${line}" sets ${name}, which the action writes itself.`);
      }
      return { pattern, header: name, value };
    }
    const header = SETTABLE_HEADERS[name];
    if (header === undefined) {
      throw fail(
        `The headers line "${line}" sets ${match[2]}, which is not one the action can set: use Cache-Control, Content-Type, Content-Disposition, Content-Language, Content-Encoding, Expires or x-amz-meta-*.`,
      );
    }
    if (header === 'Expires' && Number.isNaN(Date.parse(value))) {
      throw fail(`The headers line "${line}" needs an HTTP date for Expires, such as "Wed, 21 Oct 2026 07:28:00 GMT".`);
    }
    return { pattern, header, value };
  });
}

/**
 * The headers for each key: for each header, the first rule whose glob
 * matches; the `headers` rules first, then the `cache-control` shorthand;
 * Content-Type from the name when no rule gives one.
 */
export function headersMatcher(
  headerRules: HeaderRule[],
  cacheControlRules: CacheControlRule[],
  contentType: (key: string) => string,
): HeadersFor {
  const rules = [
    ...headerRules,
    ...cacheControlRules.map((rule) => ({ pattern: rule.pattern, header: 'CacheControl', value: rule.value })),
  ].map((rule) => ({ ...rule, test: picomatch(anyDepth(rule.pattern), GLOB_OPTIONS) }));
  return (key) => {
    const headers: ObjectHeaders = { ContentType: '', Metadata: {} };
    const set = new Set<string>();
    for (const rule of rules) {
      if (set.has(rule.header) || !rule.test(key)) continue;
      set.add(rule.header);
      if (rule.header.startsWith('x-amz-meta-')) headers.Metadata[rule.header.slice('x-amz-meta-'.length)] = rule.value;
      else if (rule.header === 'Expires') headers.Expires = new Date(rule.value);
      else (headers as unknown as Record<string, string>)[rule.header] = rule.value;
    }
    if (!set.has('ContentType')) headers.ContentType = contentType(key);
    return headers;
  };
}
