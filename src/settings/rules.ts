import picomatch from 'picomatch';

/** Always excluded, as in the original script: macOS Finder litter. */
export const DEFAULT_EXCLUDES = ['.DS_Store', '._*'];

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
    for (let slash = key.indexOf('/'); slash !== -1; slash = key.indexOf('/', slash + 1)) {
      if (matches(key.slice(0, slash))) return true;
    }
    return matches(key);
  };
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

/** The Cache-Control of the first rule whose glob matches the key. */
export function cacheControlMatcher(rules: CacheControlRule[]): (key: string) => string | undefined {
  const compiled = rules.map((rule) => ({ test: picomatch(anyDepth(rule.pattern), GLOB_OPTIONS), value: rule.value }));
  return (key) => compiled.find((rule) => rule.test(key))?.value;
}
