// Hostile input on push: links that loop, dangle, leave the directory or
// point to folders are skipped with a warning naming the path and the reason;
// nothing is uploaded for them and nothing is followed. Awkward names
// round-trip exactly; names that would collide on macOS or Windows upload as
// distinct keys, with a warning.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { SyncResult } from '../../src/sync/result.js';
import { copy, getText, headObject, listKeys, putObject, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { diskState, hashTree } from '../helpers/fs-state.js';
import { writeTree, type TreeSpec } from '../helpers/tree.js';
import { md5 } from '../helpers/md5.js';

const s3 = useS3();

/** The warnings as key → message, in key order. */
function warningsByKey(result: SyncResult): Record<string, string> {
  return Object.fromEntries(
    [...result.warnings].sort((a, b) => (a.key < b.key ? -1 : 1)).map((warning) => [warning.key, warning.message]),
  );
}

function assertWarnings(result: SyncResult, expected: Record<string, RegExp>): void {
  const actual = warningsByKey(result);
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), JSON.stringify(actual));
  for (const [key, reason] of Object.entries(expected)) assert.match(actual[key] ?? '', reason, key);
}

/**
 * base/a/src is pushed; base/etc/passwd and base/outside/… are outside it.
 * Returns the hash of everything in base, to show the push read-only.
 */
async function pushTree(spec: TreeSpec) {
  const base = await tempDir('hostile-push');
  const root = path.join(base, 'a', 'src');
  await writeTree(base, {
    'etc/passwd': 'root:x:0:0:secret from outside',
    'outside/one.txt': 'outside one',
    'outside/deep/two.txt': 'outside two',
  });
  await writeTree(root, { 'index.html': '<h1>home</h1>', ...spec });
  const before = await hashTree(base);
  const bucket = await s3.bucket();
  const run = await copy(s3, 'push', root, bucket);
  assert.equal(await hashTree(base), before, 'a push changes nothing locally');
  return { base, root, bucket, run, keys: await listKeys(s3.client, bucket) };
}

describe('links on push that cannot be mirrored', () => {
  it('skips a link to the directory itself (self -> .) and does not walk into it', async () => {
    const { run, keys } = await pushTree({ self: { link: '.' }, 'sub/up': { link: '..' } });
    assertWarnings(run.result, {
      self: /^Skipped: it leads back into itself \(it points to the directory itself\)$/,
      'sub/up': /^Skipped: it leads back into itself \(it points to the directory itself\)$/,
    });
    assert.deepEqual(keys, ['index.html']);
    assert.equal(run.requests.PUT, 1);
  });

  it('skips both links of a loop (x -> y -> x)', async () => {
    const { run, keys } = await pushTree({ x: { link: 'y' }, y: { link: 'x' } });
    assertWarnings(run.result, { x: /^Skipped: it is a symlink loop$/, y: /^Skipped: it is a symlink loop$/ });
    assert.deepEqual(keys, ['index.html']);
  });

  it('skips dangling links', async () => {
    const { run, keys } = await pushTree({
      'dangling.html': { link: 'missing.html' },
      'deep/dangling.html': { link: '../nowhere/missing.html' },
    });
    assertWarnings(run.result, {
      'dangling.html': /^Skipped: it is a broken symlink$/,
      'deep/dangling.html': /^Skipped: it is a broken symlink$/,
    });
    assert.deepEqual(keys, ['index.html']);
  });

  it('skips a link to ../../etc/passwd (a file outside) and uploads nothing of it', async () => {
    const { base, run, keys, bucket } = await pushTree({ passwd: { link: '../../etc/passwd' } });
    assertWarnings(run.result, {
      passwd: new RegExp(`^Skipped: it points outside the directory \\(to ${path.join(base, 'etc', 'passwd')}\\)$`),
    });
    assert.deepEqual(keys, ['index.html']);
    assert.equal(await getText(s3.client, bucket, 'index.html'), '<h1>home</h1>');
  });

  it('skips a link to /etc/passwd', async () => {
    const { run, keys } = await pushTree({ 'etc-passwd': { link: '/etc/passwd' } });
    assertWarnings(run.result, { 'etc-passwd': /^Skipped: it points outside the directory \(to \/etc\/passwd\)$/ });
    assert.deepEqual(keys, ['index.html']);
  });

  it('pushes links to folders inside as redirects, skips one outside, and never uploads the files within them', async () => {
    const { base, run, keys } = await pushTree({
      'docs/a.html': 'a',
      'docs/deeper/b.html': 'b',
      'docs-link': { link: 'docs' },
      'nested/docs-link': { link: '../docs/deeper' },
      'outside-link': { link: '../../outside' },
    });
    assertWarnings(run.result, {
      'outside-link': new RegExp(`^Skipped: it points outside the directory \\(to ${path.join(base, 'outside')}\\)$`),
    });
    // Inside, the linked folders' files appear under the links' names as redirects only.
    assert.deepEqual(keys, [
      'docs-link/a.html',
      'docs-link/deeper/b.html',
      'docs/a.html',
      'docs/deeper/b.html',
      'index.html',
      'nested/docs-link/b.html',
    ]);
    assert.equal(run.result.outcome.redirected.length, 3);
    assert.deepEqual(run.result.outcome.copied.map((c) => c.key).sort(), [
      'docs/a.html',
      'docs/deeper/b.html',
      'index.html',
    ]);
  });

  it('leaves the bucket alone at a skipped link, and uploads nothing there', async () => {
    const base = await tempDir('hostile-push');
    const root = path.join(base, 'src');
    await writeTree(root, { 'index.html': 'home', self: { link: '.' }, loop: { link: 'loop' } });
    const bucket = await s3.bucket();
    await putObject(s3.client, bucket, 'self', 'what the bucket had');
    const run = await copy(s3, 'push', root, bucket);
    assert.deepEqual(Object.keys(warningsByKey(run.result)), ['loop', 'self']);
    assert.deepEqual(await listKeys(s3.client, bucket), ['index.html', 'self']);
    assert.equal(await getText(s3.client, bucket, 'self'), 'what the bucket had');
    assert.equal(run.result.outcome.deleted.length, 0);
  });
});

describe('awkward names on push', () => {
  it('round-trips spaces, %, +, #, ? and non-ASCII names exactly (push then pull)', async () => {
    const base = await tempDir('hostile-push');
    const source = path.join(base, 'source');
    const mirror = path.join(base, 'mirror');
    const files: TreeSpec = {
      'with space.txt': 'space',
      ' leading and trailing .txt': 'edges',
      '100%.html': 'percent',
      'a%20b.txt': 'a literal %20',
      'a b.txt': 'a real space',
      'plus+sign.txt': 'plus',
      'hash#tag.txt': 'hash',
      'question?.txt': 'question',
      'mix %2B+ #?&=;.txt': 'everything',
      'ünïcödé/naïve.txt': 'latin',
      '日本語/ファイル.txt': 'japanese',
      'emoji 🎉.txt': 'emoji',
    };
    const links: TreeSpec = {
      'link to a%20b.txt': { link: 'a%20b.txt' },
      'link to a b.txt': { link: 'a b.txt' },
      'link to hash#tag?.txt': { link: 'hash#tag.txt' },
      'ünïcödé/link to 日本語.txt': { link: '../日本語/ファイル.txt' },
    };
    await writeTree(source, { ...files, ...links });

    const bucket = await s3.bucket();
    const pushed = await copy(s3, 'push', source, bucket);
    assert.deepEqual(pushed.result.warnings, []);
    assert.deepEqual(await listKeys(s3.client, bucket), Object.keys({ ...files, ...links }).sort());
    assert.equal(
      (await headObject(s3.client, bucket, 'link to a%20b.txt')).WebsiteRedirectLocation,
      '/a%2520b.txt',
      'a literal "%" is encoded, so the location cannot be misread',
    );

    const pulled = await copy(s3, 'pull', mirror, bucket);
    assert.deepEqual(pulled.result.warnings, []);
    assert.deepEqual(await diskState(mirror), await diskState(source));
    assert.equal(await readFile(path.join(mirror, 'link to a b.txt'), 'utf8'), 'a real space');
    assert.equal(await readFile(path.join(mirror, 'link to a%20b.txt'), 'utf8'), 'a literal %20');
  });

  it('uploads NFC and NFD forms of one name as distinct keys, with a warning naming both', async () => {
    const nfc = 'caf\u00e9.txt';
    const nfd = 'cafe\u0301.txt';
    assert.equal(nfc.normalize('NFC'), nfd.normalize('NFC'));
    const base = await tempDir('hostile-push');
    const source = path.join(base, 'source');
    const mirror = path.join(base, 'mirror');
    await writeTree(source, { [nfc]: 'composed', [nfd]: 'decomposed' });
    const bucket = await s3.bucket();
    const pushed = await copy(s3, 'push', source, bucket);
    // Sorted, the NFD form comes first, so the warning is on the NFC one.
    assertWarnings(pushed.result, {
      [nfc]: new RegExp(`^Same name as ${JSON.stringify(nfd)} on case-insensitive or normalising file systems`),
    });
    assert.deepEqual(await listKeys(s3.client, bucket), [nfd, nfc]);
    assert.equal(await getText(s3.client, bucket, nfc), 'composed');
    assert.equal(await getText(s3.client, bucket, nfd), 'decomposed');
    await copy(s3, 'pull', mirror, bucket);
    assert.deepEqual(await diskState(mirror), await diskState(source));
  });

  it('warns about files (and folders) whose names differ only by case, and uploads each', async () => {
    const source = await tempDir('hostile-push');
    await writeTree(source, {
      'README.md': 'upper',
      'Readme.md': 'title',
      'readme.md': 'lower',
      'Docs/a.txt': 'Docs',
      'docs/a.txt': 'docs',
    });
    const bucket = await s3.bucket();
    const run = await copy(s3, 'push', source, bucket);
    assertWarnings(run.result, {
      'Readme.md': /^Same name as "README\.md" on case-insensitive or normalising file systems \(macOS, Windows\)$/,
      'readme.md': /^Same name as "README\.md" on case-insensitive/,
      'docs/a.txt': /^Same name as "Docs\/a\.txt" on case-insensitive/,
    });
    assert.deepEqual(await listKeys(s3.client, bucket), [
      'Docs/a.txt',
      'README.md',
      'Readme.md',
      'docs/a.txt',
      'readme.md',
    ]);
    assert.equal((await headObject(s3.client, bucket, 'readme.md')).Metadata?.md5, md5('lower'));
  });
});
