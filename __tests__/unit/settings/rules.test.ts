// The exclude and cache-control rules of src/settings/rules.ts, on keys alone (headers rules: headers.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import picomatch from 'picomatch';
import { contentTypeFor } from '../../../src/settings/content-type.js';
import {
  excludeMatcher,
  headersMatcher,
  parseCacheControlRules,
  type CacheControlRule,
} from '../../../src/settings/rules.js';

/** The Cache-Control the cache-control shorthand alone gives each key. */
const cacheControlMatcher = (rules: CacheControlRule[]) => (key: string) =>
  headersMatcher([], rules, contentTypeFor)(key).CacheControl;

describe('excludeMatcher', () => {
  it('excludes .DS_Store and ._* at any depth by default, and nothing else', () => {
    const excluded = excludeMatcher([]);
    for (const key of ['.DS_Store', 'sub/.DS_Store', '._page.html', 'a/b/._x']) assert.equal(excluded(key), true, key);
    for (const key of ['index.html', 'a.log', 'DS_Store', 'a.DS_Store', '.ds_store', 'x._y']) {
      assert.equal(excluded(key), false, key);
    }
  });

  it('matches a pattern without a slash at any depth, and one with a slash from the root only', () => {
    const excluded = excludeMatcher(['*.log', 'assets/tmp']);
    for (const key of ['a.log', 'deep/x/a.log', 'assets/tmp']) assert.equal(excluded(key), true, key);
    for (const key of ['a.log.txt', 'x/assets/tmp', 'assets/tmpfile']) assert.equal(excluded(key), false, key);
  });

  it('excludes every key below an excluded folder, and not a look-alike sibling', () => {
    const excluded = excludeMatcher(['drafts', 'assets/tmp']);
    for (const key of ['drafts/a.html', 'x/drafts/b/c.html', 'assets/tmp/a.js', '._meta/y']) {
      assert.equal(excluded(key), true, key);
    }
    for (const key of ['draftsy/a.html', 'x/assets/tmp/a.js', 'assets/tmp.js']) assert.equal(excluded(key), false, key);
  });

  it('gives what the default globs give, at every folder level, for any key (property)', () => {
    const globs = picomatch(['**/.DS_Store', '**/._*'], { dot: true });
    const byGlobs = (key: string) => key.split('/').some((_, i, all) => globs(all.slice(0, i + 1).join('/')));
    const segment = fc.oneof(
      fc.constantFrom('.DS_Store', '._', '._x', 'a._b', 'x.DS_Store', '.DS_Store.bak', '', '.', 'page.html'),
      fc.string({ maxLength: 6 }),
    );
    const excluded = excludeMatcher([]);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        const key = segments.join('/');
        assert.equal(excluded(key), byGlobs(key), key);
      }),
    );
  });
});

describe('the cache-control shorthand', () => {
  const IMMUTABLE = 'public, max-age=31536000, immutable';
  const RULES = [
    { pattern: '**/*.html', value: 'no-cache' },
    { pattern: 'assets/**', value: IMMUTABLE },
  ];

  it('gives the value of the first matching rule, and undefined where none matches', () => {
    const rules = cacheControlMatcher(RULES);
    assert.equal(rules('assets/page.html'), 'no-cache');
    assert.equal(rules('assets/app.js'), IMMUTABLE);
    assert.equal(rules('docs/guide/page.html'), 'no-cache');
    assert.equal(rules('robots.txt'), undefined);
    assert.equal(cacheControlMatcher([])('index.html'), undefined);
  });

  it('first match wins: swapping the rules changes the overlap only', () => {
    const swapped = cacheControlMatcher([RULES[1], RULES[0]] as typeof RULES);
    assert.equal(swapped('assets/page.html'), IMMUTABLE);
    assert.equal(swapped('index.html'), 'no-cache');
    assert.equal(swapped('robots.txt'), undefined);
  });

  it('matches a pattern without a slash at any depth, dotfiles included', () => {
    const rules = cacheControlMatcher([{ pattern: '*.css', value: 'max-age=60' }]);
    assert.equal(rules('site.css'), 'max-age=60');
    assert.equal(rules('a/b/site.css'), 'max-age=60');
    assert.equal(rules('.hidden/x.css'), 'max-age=60');
    assert.equal(rules('site.css.map'), undefined);
  });
});

describe('parseCacheControlRules', () => {
  const fail = (message: string) => new Error(message);

  it('splits each line at its first colon and trims both sides', () => {
    assert.deepEqual(parseCacheControlRules(['**/*.html: no-cache', ' *.x :  a:b '], fail), [
      { pattern: '**/*.html', value: 'no-cache' },
      { pattern: '*.x', value: 'a:b' },
    ]);
    assert.deepEqual(parseCacheControlRules([], fail), []);
  });

  it('refuses a line without a glob or a value with the error fail() makes, quoting the line', () => {
    for (const line of ['no-cache', ': no-cache', '  : no-cache', '*.html:', '*.html:   ']) {
      assert.throws(
        () => parseCacheControlRules(['*.css: max-age=60', line], fail),
        {
          message: `Each cache-control line must be "glob: value", such as "**/*.html: no-cache"; got "${line}".`,
        },
        line,
      );
    }
  });
});
