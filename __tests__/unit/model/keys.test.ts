import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  isInside,
  keysForRedirectLocation,
  localPathForKey,
  normalisePrefix,
  redirectLocationForKey,
  stripPrefix,
  unsafeKeyReason,
} from '../../../src/model/keys.js';

describe('unsafeKeyReason', () => {
  const unsafe: [string, RegExp][] = [
    ['../escape.txt', /"\.\." path segment/],
    ['a/../../escape', /"\.\." path segment/],
    ['..', /"\.\." path segment/],
    ['prefix/..', /"\.\." path segment/],
    ['/../secret', /starts with "\/"/],
    ['data//../secret', /empty path segment/],
    ['/etc/x', /starts with "\/"/],
    ['C:/x', /drive letter/],
    ['\\\\srv\\share\\x', /backslash/],
    ['a\\..\\..\\x', /backslash/],
    ['a//b', /empty path segment/],
    ['./a', /"\." path segment/],
    ['a/./b', /"\." path segment/],
    ['dir/', /folder placeholder/],
    ['a\u0000b', /control character/],
    ['a\nb', /control character/],
    ['a\u007fb', /control character/],
    ['x'.repeat(1025), /longer than 1024 bytes/],
    ['d/' + 'é'.repeat(128), /segment is longer than 255 bytes/],
    ['', /empty/],
  ];
  for (const [key, reason] of unsafe) {
    it(`refuses ${JSON.stringify(key.slice(0, 40))}`, () => {
      assert.match(unsafeKeyReason(key, 'linux') ?? 'accepted', reason);
    });
  }

  const safe = ['index.html', 'a b/ü#?%+.html', 'abc', 'abc/x', '...', '.well-known/x', 'a..b', 'x'.repeat(255)];
  for (const key of safe) {
    it(`accepts ${JSON.stringify(key.slice(0, 40))}`, () => {
      assert.equal(unsafeKeyReason(key, 'linux'), undefined);
    });
  }

  it('refuses names Windows cannot hold, on Windows only', () => {
    assert.match(unsafeKeyReason('a/b:c', 'win32') ?? '', /Windows/);
    assert.equal(unsafeKeyReason('a/b:c', 'linux'), undefined);
  });
});

describe('localPathForKey', () => {
  it('joins inside the root', () => {
    assert.equal(localPathForKey('/root/dir', 'a/b.txt'), path.join('/root/dir', 'a', 'b.txt'));
  });
  it('throws rather than leave the root, even when called without the check', () => {
    assert.throws(() => localPathForKey('/root/dir', '../x'), /Refusing/);
    assert.throws(() => localPathForKey('/root/dir', '/etc/passwd'), /Refusing/);
  });
});

describe('isInside', () => {
  it('tells inside from outside, including look-alike siblings', () => {
    assert.equal(isInside('/a/b', '/a/b'), true);
    assert.equal(isInside('/a/b', '/a/b/c'), true);
    assert.equal(isInside('/a/b', '/a/bc'), false);
    assert.equal(isInside('/a/b', '/a'), false);
    assert.equal(isInside('/a/b', '/a/b/../c'), false);
  });
});

describe('redirect locations', () => {
  it('encodes each segment and round-trips awkward names', () => {
    for (const key of ['a.html', 'a b/ü#?%+.html', 'docs/100%.html', 'x/y/z']) {
      const location = redirectLocationForKey('', key);
      assert.match(location, /^\/[\x21-\x7e]*$/, 'ASCII only, no spaces');
      const target = keysForRedirectLocation('', location);
      assert.deepEqual(target.ok && target.candidates[0], key);
    }
    assert.equal(redirectLocationForKey('', 'a b/c#d.html'), '/a%20b/c%23d.html');
  });

  it('includes and strips the prefix', () => {
    assert.equal(redirectLocationForKey('site', 'a.html'), '/site/a.html');
    const target = keysForRedirectLocation('site', '/site/a.html');
    assert.deepEqual(target, { ok: true, candidates: ['a.html'] });
  });

  it('offers the raw reading for locations written by the original script', () => {
    assert.deepEqual(keysForRedirectLocation('', '/a%20b'), { ok: true, candidates: ['a b', 'a%20b'] });
    assert.deepEqual(keysForRedirectLocation('', '/100%.html'), { ok: true, candidates: ['100%.html'] });
  });

  const refused: [string, string, RegExp][] = [
    ['', 'http://example.com/', /full URL/],
    ['', 'https://example.com/x', /full URL/],
    ['', '//example.com/x', /full URL/],
    ['', '/../../etc/passwd', /does not name a file/],
    ['', '/', /does not name a file/],
    ['', 'relative.html', /not a path in the bucket/],
    ['site', '/other/a.html', /outside the prefix/],
    ['site', '/site2/a.html', /outside the prefix/],
  ];
  for (const [prefix, location, reason] of refused) {
    it(`refuses ${location} (prefix "${prefix}")`, () => {
      const target = keysForRedirectLocation(prefix, location);
      assert.equal(target.ok, false);
      assert.match(target.ok ? '' : target.reason, reason);
    });
  }
});

describe('prefixes', () => {
  it('never lets "site" match "site2/"', () => {
    assert.equal(stripPrefix('site', 'site2/a'), undefined);
    assert.equal(stripPrefix('site', 'site/a'), 'a');
    assert.equal(stripPrefix('', 'site/a'), 'site/a');
  });
  it('normalises slashes', () => {
    assert.equal(normalisePrefix('/site/'), 'site');
    assert.equal(normalisePrefix(''), '');
  });
});
