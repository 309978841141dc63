import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nameCollisionWarnings } from '../../../src/decide/collisions.js';
import {
  compareFiles,
  localFilesToDigest,
  undecidedKeysToInspect,
  zeroByteDestinationObjects,
  zeroByteSourceObjects,
  type SidesToCompare,
} from '../../../src/decide/compare.js';
import {
  EMPTY_MD5,
  type Entry,
  type LocalEntries,
  type LocalFile,
  type RemoteFile,
} from '../../../src/model/entries.js';
import { plan as planSides, type PlanRules } from '../../../src/decide/plan.js';

const MD5_A = '0cc175b9c0f1b6a831c399e269772661';
const MD5_B = '92eb5ffee6ae2fec3ad71c777531578f';
type Options = Omit<PlanRules<Entry, Entry>, 'sameFile'>;
const options: Options = { prefix: '', delete: true, force: false };
const inventory = <E extends Entry>(entries: Record<string, E>): Map<string, E> => new Map(Object.entries(entries));
const localFile = (md5: string, size = 1): LocalFile => ({ kind: 'file', size, md5 });
const listed = (etag: string, size = 1): RemoteFile => ({ kind: 'file', size, etag });

/** These fixtures tell the sides apart: a listed file has an ETag, or was inspected. */
const isListed = (entry: Entry) => 'etag' in entry || 'inspected' in entry;
const sameFile = (a: Entry, b: Entry) =>
  (isListed(a) ? compareFiles(b as LocalFile, a as RemoteFile) : compareFiles(a as LocalFile, b as RemoteFile)) ===
  'same';

/** The planner with the comparison a push or pull gives it, whichever side the source is. */
function plan(source: Map<string, Entry>, destination: Map<string, Entry>, rules: Options) {
  return planSides({ source, destination }, { ...rules, sameFile });
}

describe('plan', () => {
  it('copies new and changed files, keeps equal ones, deletes extras', () => {
    const result = plan(
      inventory({ 'new.txt': localFile(MD5_A), 'same.txt': localFile(MD5_A), 'changed.txt': localFile(MD5_A) }),
      inventory({ 'same.txt': listed(MD5_A), 'changed.txt': listed(MD5_B), 'gone.txt': listed(MD5_B) }),
      options,
    );
    assert.deepEqual(
      result.copies.map((c) => [c.key, c.reason]),
      [
        ['changed.txt', 'md5 differs'],
        ['new.txt', 'new'],
      ],
    );
    assert.deepEqual(result.unchanged, ['same.txt']);
    assert.deepEqual(
      result.deletes.map((d) => d.key),
      ['gone.txt'],
    );
    assert.deepEqual(result.warnings, []);
  });

  it('deletes nothing when deletions are off', () => {
    const result = plan(inventory({}), inventory({ 'gone.txt': listed(MD5_B) }), {
      ...options,
      delete: false,
    });
    assert.deepEqual(result.deletes, []);
  });

  it('copies equal files too when forced', () => {
    const result = plan(inventory({ 'a.txt': localFile(MD5_A) }), inventory({ 'a.txt': listed(MD5_A) }), {
      ...options,
      force: true,
    });
    assert.deepEqual(
      result.copies.map((c) => c.reason),
      ['forced'],
    );
  });

  it('trusts the md5 metadata when the ETag is not an md5 (multipart, KMS)', () => {
    const remote: Entry = {
      kind: 'file',
      size: 1,
      etag: 'ffffffffffffffffffffffffffffffff-3',
      md5: MD5_A,
      inspected: true,
    };
    const result = plan(inventory({ 'big.bin': localFile(MD5_A) }), inventory({ 'big.bin': remote }), options);
    assert.deepEqual(result.unchanged, ['big.bin']);
  });

  it('writes redirects that are new or point elsewhere, and leaves equal ones', () => {
    const source = inventory({
      'a.html': localFile(MD5_A),
      'b.html': localFile(MD5_B),
      'new-link': { kind: 'redirect', location: '/a.html' },
      'same-link': { kind: 'redirect', location: '/a.html' },
      'moved-link': { kind: 'redirect', location: '/b.html' },
      'file-now-link': { kind: 'redirect', location: '/a.html' },
    });
    const destination = inventory({
      'a.html': listed(MD5_A),
      'b.html': listed(MD5_B),
      'same-link': { kind: 'redirect', location: '/a.html' },
      'moved-link': { kind: 'redirect', location: '/a.html' },
      'file-now-link': listed(MD5_A),
    });
    const result = plan(source, destination, options);
    assert.deepEqual(
      result.redirects.map((r) => [r.key, r.target, r.reason]),
      [
        ['file-now-link', 'a.html', 'replaces a file'],
        ['moved-link', 'b.html', 'target differs'],
        ['new-link', 'a.html', 'new'],
      ],
    );
    assert.deepEqual(result.unchanged.sort(), ['a.html', 'b.html', 'same-link']);
  });

  it('replaces a redirect with a file', () => {
    const result = plan(
      inventory({ 'x.html': localFile(MD5_A, 0) }),
      inventory({ 'x.html': { kind: 'redirect', location: '/y.html' } }),
      options,
    );
    assert.deepEqual(
      result.copies.map((c) => c.reason),
      ['replaces a redirect'],
    );
  });

  it('treats a seed-written raw location and an encoded one as the same target', () => {
    const source = inventory({ 'a b.html': localFile(MD5_A), link: { kind: 'redirect', location: '/a%20b.html' } });
    const destination = inventory({ 'a b.html': listed(MD5_A), link: { kind: 'redirect', location: '/a b.html' } });
    assert.deepEqual(plan(source, destination, options).redirects, []);
  });

  it('skips source entries it cannot copy, with a warning, and leaves the destination alone there', () => {
    const source = inventory({
      evil: { kind: 'opaque', reason: 'it points outside the directory' },
      url: { kind: 'redirect', location: 'https://example.com/' },
      up: { kind: 'redirect', location: '/../../etc/passwd' },
      self: { kind: 'redirect', location: '/self' },
      '../escape.txt': listed(MD5_A),
      'dir/': listed(MD5_B, 3),
    });
    const destination = inventory({ evil: listed(MD5_A), url: listed(MD5_B) });
    const result = plan(source, destination, options);
    assert.deepEqual(result.copies, []);
    assert.deepEqual(result.redirects, []);
    assert.deepEqual(result.deletes, [], 'keys skipped at the source are not deleted at the destination');
    const messages = Object.fromEntries(result.warnings.map((w) => [w.key, w.message]));
    assert.match(messages.evil ?? '', /outside the directory/);
    assert.match(messages.url ?? '', /full URL/);
    assert.match(messages.up ?? '', /does not name a file/);
    assert.match(messages.self ?? '', /points to itself/);
    assert.match(messages['../escape.txt'] ?? '', /unsafe key.*\.\./);
    assert.match(messages['dir/'] ?? '', /folder placeholder/);
  });

  it('leaves the keys below a skipped link to a folder alone instead of deleting them', () => {
    const source = inventory({ docs: { kind: 'opaque', reason: 'it points to a folder' }, a: listed(MD5_A) });
    const destination = inventory({ 'docs/a.html': listed(MD5_A), 'docs/b/c.html': listed(MD5_B), old: listed(MD5_B) });
    assert.deepEqual(
      plan(source, destination, options).deletes.map((d) => d.key),
      ['old'],
    );
  });

  it('leaves empty folder placeholders ("dir/", as the S3 console makes them) alone without a warning', () => {
    const result = plan(inventory({ 'dir/': listed(EMPTY_MD5, 0), 'dir/a': listed(MD5_A) }), inventory({}), options);
    assert.deepEqual(
      result.copies.map((c) => c.key),
      ['dir/a'],
    );
    assert.deepEqual(result.warnings, []);
  });

  it('a forced push rewrites redirects, saying so', () => {
    const source = inventory({ link: { kind: 'redirect', location: '/a' }, a: listed(MD5_A) });
    // Forced pushes do not HEAD zero-byte objects, so the redirect is listed as an empty file.
    const destination = inventory({ link: listed(EMPTY_MD5, 0), a: listed(MD5_A) });
    const result = plan(source, destination, { ...options, force: true });
    assert.deepEqual(
      result.redirects.map((r) => [r.key, r.reason]),
      [['link', 'forced']],
    );
    assert.deepEqual(
      result.copies.map((c) => [c.key, c.reason]),
      [['a', 'forced']],
    );
  });

  it('skips a file that other keys use as a folder ("abc" beside "abc/x")', () => {
    const result = plan(inventory({ abc: listed(MD5_A), 'abc/x': listed(MD5_B) }), inventory({}), options);
    assert.deepEqual(
      result.copies.map((c) => c.key),
      ['abc/x'],
    );
    assert.match(result.warnings[0]?.message ?? '', /folder/);
  });

  it('skips exactly the files some other key uses as a folder, at any depth (property)', () => {
    const segment = fc.constantFrom('a', 'b', 'ab');
    const key = fc.array(segment, { minLength: 1, maxLength: 4 }).map((segments) => segments.join('/'));
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 12 }), (keys) => {
        const source = inventory(Object.fromEntries(keys.map((k) => [k, listed(MD5_A)])));
        const shadowed = plan(source, inventory({}), options)
          .warnings.filter((w) => /use this name as a folder/.test(w.message))
          .map((w) => w.key);
        const expected = keys.filter((k) => keys.some((other) => other.startsWith(`${k}/`)));
        assert.deepEqual(shadowed.sort(), expected.sort());
      }),
    );
  });

  it('resolves redirects relative to the prefix and refuses ones outside it', () => {
    const source = inventory({
      'a.html': listed(MD5_A),
      inside: { kind: 'redirect', location: '/site/a.html' },
      outside: { kind: 'redirect', location: '/site2/a.html' },
    });
    const result = plan(source, inventory({}), { ...options, prefix: 'site' });
    assert.deepEqual(
      result.redirects.map((r) => [r.key, r.target]),
      [['inside', 'a.html']],
    );
    assert.deepEqual(
      result.warnings.map((w) => w.key),
      ['outside'],
    );
  });

  it('replaces an opaque destination entry (a foreign symlink) with the source file', () => {
    const result = plan(
      inventory({ 'a.txt': listed(MD5_A) }),
      inventory({ 'a.txt': { kind: 'opaque', reason: 'it is a broken symlink' } }),
      options,
    );
    assert.deepEqual(
      result.copies.map((c) => c.reason),
      ['replaces something else'],
    );
  });
});

describe('compareFiles', () => {
  it('decides from the listing when it can', () => {
    assert.equal(compareFiles(localFile(MD5_A), listed(MD5_A)), 'same');
    assert.equal(compareFiles(localFile(MD5_A, 1), listed(MD5_A, 2)), 'different');
    assert.equal(compareFiles(localFile(MD5_A), listed(MD5_B)), 'unknown');
    assert.equal(compareFiles(localFile(MD5_A), { ...listed(MD5_B), inspected: true }), 'different');
  });
  it('matches a multipart ETag against the one predicted locally', () => {
    const local: LocalFile = { kind: 'file', size: 9, md5: MD5_A, multipartEtag: `${MD5_B}-2` };
    assert.equal(compareFiles(local, listed(`${MD5_B}-2`, 9)), 'same');
    assert.equal(compareFiles(local, listed(`${MD5_A}-2`, 9)), 'unknown');
  });
});

describe('chains of redirects in the source', () => {
  const source = inventory({
    'page.html': listed(MD5_A),
    'hop.html': { kind: 'redirect', location: '/page.html' },
    'start.html': { kind: 'redirect', location: '/hop.html' },
    'loop-a': { kind: 'redirect', location: '/loop-b' },
    'loop-b': { kind: 'redirect', location: '/loop-a' },
    'lost-a': { kind: 'redirect', location: '/lost-b' },
    'lost-b': { kind: 'redirect', location: '/nowhere' },
  });

  it('links to the first hop, and counts a local link that reaches the same file as unchanged', () => {
    const fresh = plan(source, inventory({}), options);
    assert.deepEqual(
      fresh.redirects.map((r) => [r.key, r.target]),
      [
        ['hop.html', 'page.html'],
        ['start.html', 'hop.html'],
      ],
    );
    // The scan records a local link by the file it finally reaches.
    const local = inventory({
      'page.html': localFile(MD5_A),
      'hop.html': { kind: 'redirect', location: '/page.html' },
      'start.html': { kind: 'redirect', location: '/page.html' },
    });
    const again = plan(source, local, options);
    assert.deepEqual(again.redirects, []);
    assert.deepEqual(again.unchanged.sort(), ['hop.html', 'page.html', 'start.html']);
  });

  it('skips a chain through a name the plan skips, such as one also used as a folder', () => {
    const result = plan(
      inventory({
        'a.html': { kind: 'redirect', location: '/b' },
        b: { kind: 'redirect', location: '/c.html' },
        'b/x.html': listed(MD5_A),
        'c.html': listed(MD5_A),
      }),
      inventory({}),
      options,
    );
    const messages = Object.fromEntries(result.warnings.map((w) => [w.key, w.message]));
    assert.match(messages['a.html'] ?? '', /^Skipped redirect: its target b is skipped/);
    assert.deepEqual(
      result.redirects.map((r) => r.key),
      [],
    );
  });

  it('on push, a bucket redirect to the same first hop is unchanged, even where the chain goes on', () => {
    // The local "link" was recorded as "/a%20b"; "a b" is excluded, so the
    // raw key "a%20b" (itself a link, to z) is the one found.
    const local = inventory({
      link: { kind: 'redirect', location: '/a%20b' },
      'a%20b': { kind: 'redirect', location: '/z' },
      z: localFile(MD5_A),
    });
    const bucket = inventory({
      link: { kind: 'redirect', location: '/a%20b' },
      'a%20b': { kind: 'redirect', location: '/z' },
      z: listed(MD5_A),
    });
    const result = plan(local, bucket, options);
    assert.deepEqual(result.redirects, []);
  });

  it('skips a chain that loops or ends at nothing, with a warning, and deletes nothing at its keys', () => {
    const result = plan(source, inventory({ 'loop-a': localFile(MD5_B), 'lost-a': localFile(MD5_B) }), options);
    const messages = Object.fromEntries(result.warnings.map((w) => [w.key, w.message]));
    assert.match(messages['loop-a'] ?? '', /leads through loop-b into a loop of redirects/);
    assert.match(messages['loop-b'] ?? '', /leads through loop-a into a loop of redirects/);
    assert.match(messages['lost-a'] ?? '', /leads through lost-b to nowhere, which is not in the source/);
    assert.match(messages['lost-b'] ?? '', /its target nowhere is not in the source/);
    assert.deepEqual(result.deletes, []);
  });
});

describe('what to hash and what to HEAD', () => {
  const local = inventory({
    'same.txt': localFile(MD5_A),
    'differs.txt': localFile(MD5_A),
    'resized.txt': localFile(MD5_A, 5),
    'empty.txt': localFile(EMPTY_MD5, 0),
    'link.html': { kind: 'redirect', location: '/same.txt' },
    'big.bin': { kind: 'file', size: 9, md5: MD5_A, multipartEtag: `${MD5_B}-2` },
    'big-changed.bin': { kind: 'file', size: 9, md5: MD5_A, multipartEtag: `${MD5_A}-2` },
    'only-local.txt': localFile(MD5_A),
  });
  const remote = inventory({
    'same.txt': listed(MD5_A),
    'differs.txt': listed(MD5_B),
    'resized.txt': listed(MD5_A, 1),
    'empty.txt': listed(EMPTY_MD5, 0),
    'link.html': listed(EMPTY_MD5, 0),
    'big.bin': listed(`${MD5_B}-2`, 9),
    'big-changed.bin': listed(`${MD5_B}-2`, 9),
    'only-remote-empty': listed(EMPTY_MD5, 0),
    'only-remote.txt': listed(MD5_B),
  });

  const sides: SidesToCompare = { local, remote, storesGzipped: () => false };
  const push = sides;
  const pull = sides;
  const inspected = (zeroBytes: string[], force: boolean) =>
    [...zeroBytes, ...undecidedKeysToInspect(sides, force)].sort();

  it('on push HEADs only zero-byte objects and unproven same-size files', () => {
    assert.deepEqual(zeroByteDestinationObjects(push, false).sort(), ['empty.txt', 'link.html']);
    assert.deepEqual(undecidedKeysToInspect(push, false).sort(), ['big-changed.bin', 'differs.txt']);
  });
  it('on a forced push HEADs nothing', () => {
    assert.deepEqual(inspected(zeroByteDestinationObjects(push, true), true), []);
  });
  it('on pull also HEADs zero-byte objects the directory lacks', () => {
    assert.deepEqual(zeroByteSourceObjects(pull.remote).sort(), ['empty.txt', 'link.html', 'only-remote-empty']);
    assert.deepEqual(inspected(zeroByteSourceObjects(pull.remote), false), [
      'big-changed.bin',
      'differs.txt',
      'empty.txt',
      'link.html',
      'only-remote-empty',
    ]);
  });
  it('hashes only the files the other side has at the same size, none hashed already, and none when forced', () => {
    const unhashed: LocalEntries = new Map(
      [...local].map(([key, entry]) => [key, entry.kind === 'file' ? { ...entry, md5: undefined } : entry]),
    );
    assert.deepEqual(localFilesToDigest(push, false), [], 'every md5 is known');
    assert.deepEqual(localFilesToDigest({ ...push, local: unhashed }, true), []);
    assert.deepEqual(localFilesToDigest({ ...push, local: unhashed }, false).sort(), [
      'big-changed.bin',
      'big.bin',
      'differs.txt',
      'empty.txt',
      'same.txt',
    ]);
  });
});

describe('nameCollisionWarnings', () => {
  it('warns about names equal under case folding or Unicode normalisation', () => {
    const nfc = 'caf\u00e9.html';
    const nfd = 'cafe\u0301.html';
    const warnings = nameCollisionWarnings(['README.md', 'readme.md', nfc, nfd, 'other']);
    assert.equal(warnings.length, 2);
    assert.ok(warnings.every((w) => /case-insensitive/.test(w.message)));
  });

  it('folds every key as NFC and lower case, however it is written (property)', () => {
    const fold = (key: string) => key.normalize('NFC').toLowerCase();
    const letters = fc.constantFrom('a', 'A', 'z', 'Z', '@', '[', '`', '{', 'é', 'e\u0301', 'É', 'ß', '/', '.');
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.array(letters, { minLength: 1, maxLength: 4 }).map((cs) => cs.join(''))),
        (keys) => {
          const expected = new Set<string>();
          const seen = new Set<string>();
          for (const key of [...keys].sort()) {
            if (seen.has(fold(key))) expected.add(key);
            seen.add(fold(key));
          }
          assert.deepEqual(new Set(nameCollisionWarnings(keys).map((w) => w.key)), expected);
        },
      ),
    );
  });
});

describe('header changes from the manifest', () => {
  const fingerprint = () => 'now';
  const withHeaders = (entry: RemoteFile, headers: string): RemoteFile => ({ ...entry, headers });

  it('updates in place an unchanged object whose recorded headers differ, and leaves the others alone', () => {
    const local = inventory({ 'a.html': localFile(MD5_A), 'b.html': localFile(MD5_A), 'c.html': localFile(MD5_A) });
    const remote = inventory({
      'a.html': withHeaders({ ...listed(MD5_A), inspected: true, md5: MD5_A }, 'then'),
      'b.html': withHeaders({ ...listed(MD5_A), inspected: true, md5: MD5_A }, 'now'),
      // No fingerprint recorded (no manifest, or a key it does not know): nothing to compare.
      'c.html': listed(MD5_A),
    });
    const result = plan(local, remote, { ...options, headersFingerprint: fingerprint });
    assert.deepEqual(
      result.updates.map((u) => [u.key, u.reason]),
      [['a.html', 'headers changed']],
    );
    assert.deepEqual(result.unchanged, ['b.html', 'c.html']);
    assert.deepEqual(plan(local, remote, options).updates, [], 'no fingerprint function: no update');
  });

  it('uploads again an object too large for one CopyObject, saying why', () => {
    const huge = 6 * 1024 ** 3;
    const local = inventory({ 'big.bin': { kind: 'file', size: huge, md5: MD5_A } });
    const remote = inventory({
      'big.bin': withHeaders({ kind: 'file', size: huge, etag: MD5_A, md5: MD5_A, inspected: true }, 'then'),
    });
    const result = plan(local, remote, { ...options, headersFingerprint: fingerprint });
    assert.deepEqual(result.updates, []);
    assert.deepEqual(
      result.copies.map((c) => [c.key, c.reason]),
      [['big.bin', 'headers changed (too large to copy in place)']],
    );
  });
});
