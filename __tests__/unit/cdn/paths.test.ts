/**
 * From keys to CloudFront invalidation paths, and collapsing them into
 * wildcards within a limit. Pure functions: examples plus properties.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { collapsePaths, covers, wildcardWholeFolders, WILDCARD_LIMIT } from '../../../src/cdn/collapse.js';
import { encodeInvalidationPath, mapThroughOriginPath, urlPathsForKey } from '../../../src/cdn/paths.js';

describe('urlPathsForKey', () => {
  it('gives an index document its folder with and without the slash', () => {
    assert.deepEqual(urlPathsForKey('docs/guide/index.html', 'index.html'), [
      '/docs/guide/index.html',
      '/docs/guide/',
      '/docs/guide',
    ]);
  });

  it('gives the root index document / and nothing without a slash', () => {
    assert.deepEqual(urlPathsForKey('index.html', 'index.html'), ['/index.html', '/']);
  });

  it('gives any other object only its own path', () => {
    assert.deepEqual(urlPathsForKey('docs/app.js', 'index.html'), ['/docs/app.js']);
    // Only a whole name counts as the index document.
    assert.deepEqual(urlPathsForKey('docs/myindex.html', 'index.html'), ['/docs/myindex.html']);
    assert.deepEqual(urlPathsForKey('docs/index.html', ''), ['/docs/index.html']);
  });

  it('honours another index document name', () => {
    assert.deepEqual(urlPathsForKey('a/default.htm', 'default.htm'), ['/a/default.htm', '/a/', '/a']);
  });

  it('encodes the folder forms too', () => {
    assert.deepEqual(urlPathsForKey('é t/index.html', 'index.html'), [
      '/%C3%A9%20t/index.html',
      '/%C3%A9%20t/',
      '/%C3%A9%20t',
    ]);
  });
});

describe('encodeInvalidationPath', () => {
  it('keeps / and the characters CloudFront wants as they are', () => {
    const kept = "/AZaz09-._!$&'()+,;=:@/";
    assert.equal(encodeInvalidationPath(kept), kept);
  });

  it('encodes what RFC 1738 calls unsafe, and what would change the meaning', () => {
    assert.equal(encodeInvalidationPath('a b'), 'a%20b');
    assert.equal(encodeInvalidationPath('a#b?c%d'), 'a%23b%3Fc%25d');
    // A literal star would be a wildcard (and is refused anywhere but at the end).
    assert.equal(encodeInvalidationPath('a*b*'), 'a%2Ab%2A');
    // CloudFront refuses a raw tilde (webpack's `runtime~main.js`).
    assert.equal(encodeInvalidationPath('runtime~main.js'), 'runtime%7Emain.js');
    assert.equal(encodeInvalidationPath('<>"{}|\\^[]`'), '%3C%3E%22%7B%7D%7C%5C%5E%5B%5D%60');
    assert.equal(encodeInvalidationPath('a\tb\u007f'), 'a%09b%7F');
  });

  it('encodes non-ASCII as UTF-8 bytes, astral characters included', () => {
    assert.equal(encodeInvalidationPath('café/😀'), 'caf%C3%A9/%F0%9F%98%80');
  });

  it('is decodable back to the key, and only ever holds safe characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (key) => {
        const encoded = encodeInvalidationPath(key);
        assert.equal(decodeURIComponent(encoded), key);
        assert.match(encoded, /^[A-Za-z0-9\-._/!$&'()+,;=:@%]*$/);
        assert.ok(!encoded.includes('*'));
      }),
    );
  });
});

describe('mapThroughOriginPath', () => {
  it('strips the origin path from the prefixed key', () => {
    assert.equal(mapThroughOriginPath('index.html', 'live', '/live'), 'index.html');
    assert.equal(mapThroughOriginPath('docs/a.html', 'live', '/live'), 'docs/a.html');
    assert.equal(mapThroughOriginPath('v2/a.html', 'site', '/site/v2'), 'a.html');
    assert.equal(mapThroughOriginPath('a.html', 'site/v2', '/site'), 'v2/a.html');
  });

  it('keeps the whole prefixed key without an origin path', () => {
    assert.equal(mapThroughOriginPath('a.html', 'live', ''), 'live/a.html');
    assert.equal(mapThroughOriginPath('a.html', '', ''), 'a.html');
    assert.equal(mapThroughOriginPath('a.html', '', '/'), 'a.html');
  });

  it('tolerates slashes around the prefix and origin path', () => {
    assert.equal(mapThroughOriginPath('a.html', '/live/', '/live/'), 'a.html');
  });

  it('returns undefined for an object the distribution never serves', () => {
    assert.equal(mapThroughOriginPath('a.html', 'staging', '/live'), undefined);
    // A name that merely starts like the origin path is not under it.
    assert.equal(mapThroughOriginPath('a.html', 'lively', '/live'), undefined);
    assert.equal(mapThroughOriginPath('a.html', '', '/live'), undefined);
    assert.equal(mapThroughOriginPath('live', '', '/live'), undefined);
  });

  it('maps every key under the origin path back to itself', () => {
    const segment = fc.stringMatching(/^[a-z0-9]{1,5}$/);
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 3 }), fc.array(segment, { minLength: 1, maxLength: 3 }), (o, rest) => {
        const originPath = o.length === 0 ? '' : `/${o.join('/')}`;
        const key = rest.join('/');
        const prefix = o.join('/');
        assert.equal(mapThroughOriginPath(key, prefix, originPath), key);
      }),
    );
  });
});

describe('collapsePaths', () => {
  it('returns short lists deduplicated and sorted, unchanged otherwise', () => {
    assert.deepEqual(collapsePaths(['/b', '/a', '/b'], 2), ['/a', '/b']);
  });

  it('collapses the folder that saves the most first', () => {
    const blog = ['/blog/a.html', '/blog/b.html', '/blog/c.html'];
    const docs = ['/docs/a.html', '/docs/b.html'];
    // 6 paths, limit 4: /blog/* saves 2 (6 → 4) and is enough on its own.
    assert.deepEqual(collapsePaths([...blog, ...docs, '/index.html'], 4), [
      '/blog/*',
      '/docs/a.html',
      '/docs/b.html',
      '/index.html',
    ]);
    // Limit 3: no folder alone is enough; /blog/* saves most, then /docs/*.
    assert.deepEqual(collapsePaths([...blog, ...docs, '/index.html'], 3), ['/blog/*', '/docs/*', '/index.html']);
  });

  it('prefers the deepest folder that is enough', () => {
    const paths = ['/a/x/1', '/a/x/2', '/a/y/1', '/a/y/2', '/b'];
    // One too many: /a/x/* (depth 2) beats /a/* and /*.
    assert.deepEqual(collapsePaths(paths, 4), ['/a/x/*', '/a/y/1', '/a/y/2', '/b']);
  });

  it('climbs folders as needed, /* at worst', () => {
    const paths = ['/a/x/1', '/a/x/2', '/a/y/1', '/a/y/2', '/b'];
    assert.deepEqual(collapsePaths(paths, 2), ['/a/*', '/b']);
    assert.deepEqual(collapsePaths(paths, 1), ['/*']);
    assert.deepEqual(collapsePaths(['/a', '/b'], 1), ['/*']);
  });

  it('covers a folder without its slash with folder* when collapsing it', () => {
    const guide = ['/docs/guide/index.html', '/docs/guide/', '/docs/guide', '/docs/guide/a.png'];
    assert.deepEqual(collapsePaths([...guide, '/index.html', '/'], 3), ['/', '/docs/guide*', '/index.html']);
  });

  it('/docs/* covers /docs/guide and /docs/guide/', () => {
    const paths = ['/docs/guide/', '/docs/guide', '/docs/other/', '/docs/other', '/x'];
    const out = collapsePaths(paths, 2);
    assert.deepEqual(out, ['/docs/*', '/x']);
  });

  it('never leaves more wildcards than CloudFront allows in progress', () => {
    const paths = Array.from({ length: 40 }, (_, i) => [`/f${i}/a`, `/f${i}/b`]).flat();
    // 80 paths into 60: 20 folder wildcards would fit the count, not the quota.
    const out = collapsePaths(paths, 60);
    assert.ok(out.filter((p) => p.endsWith('*')).length <= WILDCARD_LIMIT, out.join(' '));
    assert.ok(out.length <= 60);
    for (const path of paths)
      assert.ok(
        out.some((o) => covers(o, path)),
        path,
      );
    assert.deepEqual(collapsePaths(paths, 60, 1), ['/*']);
  });

  it('refuses a limit below 1 and paths without a leading slash', () => {
    assert.throws(() => collapsePaths(['/a'], 0), RangeError);
    assert.throws(() => collapsePaths(['a', '/b'], 1), RangeError);
  });

  it('keeps a large site fast', () => {
    const paths = Array.from({ length: 5_000 }, (_, i) =>
      urlPathsForKey(`s${i % 7}/p${i % 613}/d${i}/index.html`, 'index.html'),
    ).flat();
    const started = Date.now();
    const out = collapsePaths(paths, 30);
    assert.ok(out.length <= 30);
    assert.ok(Date.now() - started < 5_000, `${Date.now() - started} ms`);
  });

  const segment = fc.constantFrom('a', 'b', 'c', 'docs', 'guide', 'x%20y', 'index.html');
  const urlPath = fc
    .tuple(fc.array(segment, { minLength: 0, maxLength: 4 }), fc.constantFrom('', '/'))
    .map(([segments, slash]) => (segments.length === 0 ? '/' : `/${segments.join('/')}${slash}`));
  const fromKeys = fc
    .array(fc.array(segment, { minLength: 1, maxLength: 4 }), { maxLength: 40 })
    .map((keys) => keys.flatMap((key) => urlPathsForKey(key.join('/'), 'index.html')));
  const inputs = fc.oneof(fc.array(urlPath, { maxLength: 60 }), fromKeys);

  it('covers every input, within the limits, never growing the list', () => {
    fc.assert(
      fc.property(inputs, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 20 }), (paths, max, wild) => {
        const out = collapsePaths(paths, max, wild);
        for (const path of paths)
          assert.ok(
            out.some((o) => covers(o, path)),
            `${path} not covered by ${out.join(' ')}`,
          );
        assert.ok(out.length <= max, `${out.length} > ${max}`);
        assert.ok(out.length <= paths.length || paths.length === 0);
        assert.ok(out.filter((o) => o.endsWith('*')).length <= wild);
        assert.deepEqual(out, [...new Set(out)].sort());
        // CloudFront's wildcard is only valid at the end.
        for (const o of out) assert.ok(!o.slice(0, -1).includes('*'), o);
      }),
      { numRuns: 500 },
    );
  });

  it('changes nothing when the list already fits', () => {
    fc.assert(
      fc.property(inputs, (paths) => {
        const unique = [...new Set(paths)].sort();
        assert.deepEqual(collapsePaths(paths, Math.max(1, unique.length)), unique);
      }),
    );
  });
});

describe('wildcardWholeFolders', () => {
  it('makes a full rebuild one wildcard, and a rewritten section one wildcard of its own', () => {
    const universe = ['/', '/index.html', '/blog/a.html', '/blog/b.html', '/docs/x.html'];
    assert.deepEqual(wildcardWholeFolders(universe, universe, '/'), ['/*']);
    assert.deepEqual(wildcardWholeFolders(['/blog/a.html', '/blog/b.html', '/index.html'], universe, '/'), [
      '/blog/*',
      '/index.html',
    ]);
    assert.deepEqual(wildcardWholeFolders(['/blog/a.html'], universe, '/'), ['/blog/a.html']);
  });

  it('never climbs above the folder the prefix is served at', () => {
    const universe = ['/live/a.html', '/live/b.html'];
    assert.deepEqual(wildcardWholeFolders(universe, universe, '/live/'), ['/live/*']);
  });

  it('covers every changed path and, the universe being whole, invalidates nothing that did not change', () => {
    const segment = fc.constantFrom('a', 'b', 'c', 'index.html', 'x.css');
    const pathArb = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`);
    fc.assert(
      fc.property(
        fc.uniqueArray(pathArb, { minLength: 1, maxLength: 30 }),
        fc.array(fc.boolean(), { maxLength: 30 }),
        (universe, picks) => {
          const changed = universe.filter((_, i) => picks[i] ?? false);
          const sent = wildcardWholeFolders(changed, universe, '/');
          for (const path of changed)
            assert.ok(
              sent.some((out) => covers(out, path)),
              `${path} covered by ${sent.join(' ')}`,
            );
          for (const path of universe.filter((p) => !changed.includes(p))) {
            assert.ok(!sent.some((out) => covers(out, path)), `${path} unchanged but covered by ${sent.join(' ')}`);
          }
          assert.ok(sent.length <= Math.max(changed.length, 0));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('a retargeted symlink to a folder', () => {
  it('is invalidated as one wildcard for its folder (and its index document bare path)', () => {
    const below = ['index.html', ...Array.from({ length: 120 }, (_, i) => `guide/page-${i}.html`)];
    const changedKeys = below.map((key) => `latest/${key}`);
    const allKeys = [...changedKeys, ...below.map((key) => `2.1/${key}`), ...below.map((key) => `2.2/${key}`)];
    const changed = changedKeys.flatMap((key) => urlPathsForKey(key, 'index.html'));
    const universe = allKeys.flatMap((key) => urlPathsForKey(key, 'index.html'));
    assert.deepEqual(collapsePaths(wildcardWholeFolders(changed, universe, '/'), 30), ['/latest', '/latest/*']);
  });
});
