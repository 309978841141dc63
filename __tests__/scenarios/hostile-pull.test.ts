import { TEMP_MARKER } from '../../src/local/fs.js';
import { sdkStreamMixin } from '@smithy/core/serde';
// Hostile input on pull: keys, redirects and a local folder that try to make
// the run write, link or delete outside the pull directory. Every case must
// either be skipped with a warning naming the key and the reason, or fail the
// run with a clear message; and in every case nothing beside the directory
// changes. That is checked by hashing a sentinel tree next to it (and the spots
// where escapes would land) before and after each run.
import assert from 'node:assert/strict';
import { lstat, mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type ListObjectsV2CommandInput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { SyncResult } from '../../src/sync/result.js';
import { TEST_CREDENTIALS } from '../../support/s3-server.js';
import { copy, putObject, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { diskState, hashTree } from '../helpers/fs-state.js';
import { writeTree } from '../helpers/tree.js';
import { runJobOrThrow } from '../helpers/jobs.js';
import { md5 } from '../helpers/md5.js';

const s3 = useS3();
const OK = { 'ok.txt': `md5 ${md5('ok')}` };

/** Where a key that escapes the way a naive path join would take it might land outside base. */
const ABSOLUTE_LANDING_SPOTS = ['/etc/x', '/secret', '/escape', '/escape.txt', '/x'];

interface Fence {
  base: string;
  /** The pull directory: base/mid/out. */
  out: string;
  /** Asserts nothing changed outside base/mid/out since the fence was built. */
  assertUntouched: () => Promise<void>;
}

/**
 * base/
 *   sentinel/…           files and a link that must never change
 *   elsewhere/…          what planted links point to
 *   mid/escape.txt       exists: where "../escape.txt" would land
 *   mid/out/             the pull directory
 * "a/../../escape", "/../secret" and ".." would land at mid/escape,
 * mid/secret and mid: all inside the hashed part of base.
 */
async function fence(): Promise<Fence> {
  const base = await tempDir('hostile-pull');
  const out = path.join(base, 'mid', 'out');
  await writeTree(base, {
    'sentinel/a.txt': 'sentinel a',
    'sentinel/nested/b.txt': 'sentinel b',
    'sentinel/link.txt': { link: 'a.txt' },
    'elsewhere/f': 'outside f',
    'elsewhere/extra.txt': 'outside extra',
    'elsewhere/q/inner.txt': 'outside q/inner',
    'mid/escape.txt': 'sentinel where ../escape.txt would land',
  });
  await mkdir(path.join(base, 'elsewhere', 'q', 'deeper'));
  await mkdir(out, { recursive: true });
  const before = await hashTree(base, ['mid/out']);
  const absoluteBefore = await Promise.all(ABSOLUTE_LANDING_SPOTS.map(describeSpot));
  return {
    base,
    out,
    assertUntouched: async () => {
      const after = await hashTree(base, ['mid/out']);
      if (after !== before) {
        assert.fail(`Something outside the pull directory changed:\n${JSON.stringify(await diskState(base), null, 1)}`);
      }
      assert.deepEqual(await Promise.all(ABSOLUTE_LANDING_SPOTS.map(describeSpot)), absoluteBefore);
    },
  };
}

async function describeSpot(spot: string): Promise<string> {
  const stats = await lstat(spot).catch(() => undefined);
  if (stats === undefined) return `${spot}: absent`;
  return `${spot}: ${stats.isFile() ? md5(await readFile(spot)) : 'present'} ${stats.mtimeMs}`;
}

function warningsFor(result: SyncResult, key: string): string[] {
  return result.warnings.filter((warning) => warning.key === key).map((warning) => warning.message);
}

/** Exactly one warning, for this key, and it gives this reason. */
function assertOnlyWarning(result: SyncResult, key: string, reason: RegExp): void {
  assert.deepEqual(
    result.warnings.map((warning) => warning.key),
    [key],
    `one warning, naming ${JSON.stringify(key)}: ${JSON.stringify(result.warnings)}`,
  );
  assert.match(warningsFor(result, key)[0] ?? '', reason);
}

async function absent(target: string): Promise<boolean> {
  return (await lstat(target).catch(() => undefined)) === undefined;
}

// ---------------------------------------------------------------------------
// A mocked bucket, for keys s3rver cannot hold. s3rver stores each object as a
// file at path.join(bucketFolder, ...key.split('/')): a ".." segment stores it
// outside the bucket folder (where no listing finds it; deeper ones leave
// s3rver's own folder), a "." segment is collapsed ("./a" lists as "a", "a/./b" as
// "a/b"), a leading "/" or a "//" fails the PUT, a segment past ~240 bytes
// crashes the server (ENAMETOOLONG), NUL fails the PUT (no file name holds
// it) and "\r" lists back as "\n" (XML normalises line ends). Real S3 stores
// and lists all of these as given, so the listing is fed to the real core
// through an SDK mock of ListObjectsV2, HeadObject and GetObject.
// ---------------------------------------------------------------------------

interface MockObject {
  body: string;
  redirect?: string;
  md5?: string;
}

interface MockRun {
  result: SyncResult;
  /** Keys fetched with GetObject, with the prefix. */
  gets: string[];
}

async function pullFromMock(
  root: string,
  objects: Record<string, MockObject>,
  options: { prefix?: string; delete?: boolean } = {},
): Promise<MockRun> {
  const bucketObjects = new Map(Object.entries(objects));
  const client = new S3Client({ region: 'us-east-1', credentials: TEST_CREDENTIALS });
  const mock = mockClient(client);
  const find = (key: string | undefined) => {
    const object = key === undefined ? undefined : bucketObjects.get(key);
    if (object === undefined) throw Object.assign(new Error(`NoSuchKey ${key}`), { name: 'NoSuchKey' });
    return object;
  };
  const describeObject = (object: MockObject) => ({
    ContentLength: Buffer.byteLength(object.body),
    ETag: JSON.stringify(md5(object.body)),
    WebsiteRedirectLocation: object.redirect,
    Metadata: object.md5 === undefined ? {} : { md5: object.md5 },
  });
  mock.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => ({
    Contents: [...bucketObjects]
      .filter(([key]) => input.Prefix === undefined || key.startsWith(input.Prefix))
      .map(([Key, object]) => ({ Key, Size: Buffer.byteLength(object.body), ETag: JSON.stringify(md5(object.body)) })),
    IsTruncated: false,
  }));
  mock.on(HeadObjectCommand).callsFake((input: { Key?: string }) => describeObject(find(input.Key)));
  mock.on(GetObjectCommand).callsFake((input: { Key?: string }) => {
    const object = find(input.Key);
    return { ...describeObject(object), Body: sdkStreamMixin(Readable.from([Buffer.from(object.body)])) };
  });
  try {
    const result = await runJobOrThrow({
      direction: 'pull',
      root,
      remote: { client, bucket: 'mocked', prefix: options.prefix ?? '' },
      delete: options.delete ?? true,
    });
    const gets = mock.commandCalls(GetObjectCommand).map((call) => call.args[0].input.Key ?? '');
    return { result, gets: gets.sort() };
  } finally {
    mock.restore();
    client.destroy();
  }
}

describe('hostile keys on pull, through a mocked listing (s3rver cannot store them)', () => {
  const cases: [string, RegExp][] = [
    ['../escape.txt', /"\.\." path segment/],
    ['a/../../escape', /"\.\." path segment/],
    ['..', /"\.\." path segment/],
    ['prefix/..', /"\.\." path segment/],
    ['/../secret', /starts with "\/"/],
    ['data//../secret', /empty path segment/],
    ['/etc/x', /starts with "\/"/],
    ['./a', /"\." path segment/],
    ['a/./b', /"\." path segment/],
    ['long/' + 'x'.repeat(256), /a path segment is longer than 255 bytes/],
    ['long/' + 'é'.repeat(128), /a path segment is longer than 255 bytes/],
    ['nul\u0000x', /control character/],
    ['cr\rx', /control character/],
  ];
  for (const [key, reason] of cases) {
    it(`skips ${JSON.stringify(key.slice(0, 24))} with a warning naming it, and fetches nothing for it`, async () => {
      const { out, assertUntouched } = await fence();
      const run = await pullFromMock(out, { [key]: { body: `hostile ${key}` }, 'ok.txt': { body: 'ok' } });
      await assertUntouched();
      assertOnlyWarning(run.result, key, new RegExp(`^Skipped unsafe key: .*${reason.source}`));
      assert.deepEqual(run.gets, ['ok.txt'], 'the hostile object is never downloaded');
      assert.equal(run.result.outcome.copied.length, 1);
      assert.deepEqual(await diskState(out), OK);
    });
  }

  it('skips "prefix/.." under the prefix "prefix" (the key relative to the prefix is "..")', async () => {
    const { out, assertUntouched } = await fence();
    const run = await pullFromMock(
      out,
      { 'prefix/..': { body: 'hostile' }, 'prefix/ok.txt': { body: 'ok' }, 'other.txt': { body: 'not ours' } },
      { prefix: 'prefix' },
    );
    assertOnlyWarning(run.result, '..', /^Skipped unsafe key: it has a "\.\." path segment/);
    assert.deepEqual(run.gets, ['prefix/ok.txt']);
    assert.deepEqual(await diskState(out), OK);
    await assertUntouched();
  });

  it('skips "a//b" beside "a/b" and downloads only "a/b", with its own content', async () => {
    const { out, assertUntouched } = await fence();
    const run = await pullFromMock(out, { 'a//b': { body: 'double slash' }, 'a/b': { body: 'single slash' } });
    assertOnlyWarning(run.result, 'a//b', /^Skipped unsafe key: it has an empty path segment/);
    assert.deepEqual(run.gets, ['a/b']);
    assert.deepEqual(await diskState(out), { 'a/': 'folder', 'a/b': `md5 ${md5('single slash')}` });
    await assertUntouched();
  });

  it('accepts a path component of exactly 255 bytes (the limit) and downloads it', async () => {
    const { out, assertUntouched } = await fence();
    const key = 'long/' + 'y'.repeat(255);
    const run = await pullFromMock(out, { [key]: { body: 'at the limit' } });
    assert.deepEqual(run.result.warnings, []);
    assert.equal(await readFile(path.join(out, ...key.split('/')), 'utf8'), 'at the limit');
    await assertUntouched();
  });
});

// ---------------------------------------------------------------------------
// Keys s3rver stores and lists faithfully: the real server.
// ---------------------------------------------------------------------------

async function bucketWith(objects: Record<string, string | { body: string; redirect: string }>): Promise<string> {
  const bucket = await s3.bucket();
  for (const [key, object] of Object.entries(objects)) {
    if (typeof object === 'string') await putObject(s3.client, bucket, key, object);
    else await putObject(s3.client, bucket, key, object.body, { redirect: object.redirect });
  }
  return bucket;
}

describe('hostile keys on pull, against s3rver', () => {
  /** A key of exactly `bytes` bytes made of segments of at most 200 bytes, which s3rver can store. */
  const keyOfBytes = (last: string, bytes: number) => {
    const key = ['k', 'a', 'b', 'c', 'd'].map((c, i) => (i === 0 ? c : c.repeat(200))).join('/');
    const result = `${key}/${last.repeat(bytes - key.length - 1)}`;
    assert.equal(Buffer.byteLength(result), bytes);
    return result;
  };
  const cases: [string, string, RegExp][] = [
    ['a drive letter', 'C:/x', /it starts with a drive letter/],
    ['a UNC path', '\\\\srv\\share\\x', /it contains a backslash/],
    ['backslash dot-dots', 'a\\..\\..\\x', /it contains a backslash/],
    ['a folder placeholder with content', 'dir/', /it is a folder placeholder/],
    ['a \\u0001 control character', 'ctl\u0001x', /it contains a control character/],
    ['a newline', 'ctl\nx', /it contains a control character/],
    ['a tab', 'ctl\tx', /it contains a control character/],
    ['a DEL character', 'ctl\u007fx', /it contains a control character/],
    ['a key of 1,025 bytes', keyOfBytes('f', 1025), /it is longer than 1024 bytes/],
  ];
  for (const [name, key, reason] of cases) {
    it(`skips ${name} with a warning naming the key`, async () => {
      const { out, assertUntouched } = await fence();
      const body = `hostile ${name}`;
      const bucket = await bucketWith({ [key]: body, 'ok.txt': 'ok' });
      const { result, requests } = await copy(s3, 'pull', out, bucket);
      await assertUntouched();
      assertOnlyWarning(result, key, new RegExp(`^Skipped unsafe key: ${reason.source}`));
      assert.equal(requests.GET, 1, 'only ok.txt is downloaded');
      assert.deepEqual(await diskState(out), OK);
    });
  }

  it('leaves an empty folder placeholder ("dir/", as the S3 console makes) alone, quietly and without a HEAD', async () => {
    const { out, assertUntouched } = await fence();
    const bucket = await bucketWith({ 'dir/': '', 'ok.txt': 'ok' });
    const { result, requests } = await copy(s3, 'pull', out, bucket);
    await assertUntouched();
    assert.deepEqual(result.warnings, []);
    assert.deepEqual([requests.HEAD, requests.GET], [0, 1]);
    assert.deepEqual(await diskState(out), OK);
  });

  it('accepts a key of exactly 1,024 bytes (the S3 maximum) and downloads it', async () => {
    const { out, assertUntouched } = await fence();
    const key = keyOfBytes('e', 1024);
    const bucket = await bucketWith({ [key]: 'longest key' });
    const { result } = await copy(s3, 'pull', out, bucket);
    assert.deepEqual(result.warnings, []);
    assert.equal(await readFile(path.join(out, ...key.split('/')), 'utf8'), 'longest key');
    await assertUntouched();
  });

  it('skips "abc" beside "abc/x" (a file and a folder cannot share a name) and downloads "abc/x"', async () => {
    const { out, assertUntouched } = await fence();
    const bucket = await bucketWith({ abc: 'file abc', 'abc/x': 'file abc/x' });
    const { result } = await copy(s3, 'pull', out, bucket);
    assertOnlyWarning(result, 'abc', /^Skipped: other keys use this name as a folder/);
    assert.deepEqual(await diskState(out), { 'abc/': 'folder', 'abc/x': `md5 ${md5('file abc/x')}` });
    await assertUntouched();
  });
});

describe('hostile redirects on pull', () => {
  const cases: [string, string, RegExp][] = [
    ['/../../etc/passwd', '', /^Skipped redirect: its location "\/\.\.\/\.\.\/etc\/passwd" does not name a file/],
    ['/', '', /^Skipped redirect: its location "\/" does not name a file inside the directory/],
    ['http://example.com/', '', /^Skipped redirect: it points to a full URL \(http:\/\/example\.com\/\)/],
    ['/other/a.html', 'site', /^Skipped redirect: its location "\/other\/a\.html" is outside the prefix "site"/],
  ];
  for (const [location, prefix, reason] of cases) {
    const where = prefix === '' ? '' : ` (prefix "${prefix}")`;
    it(`skips a redirect to ${location}${where} with a warning and makes no link`, async () => {
      const { out, assertUntouched } = await fence();
      const at = (key: string) => (prefix === '' ? key : `${prefix}/${key}`);
      const bucket = await bucketWith({
        [at('a.html')]: 'a',
        [at('r.html')]: { body: '', redirect: location },
        'other/a.html': 'outside the prefix',
      });
      const { result } = await copy(s3, 'pull', out, bucket, { prefix });
      await assertUntouched();
      assertOnlyWarning(result, 'r.html', reason);
      assert.ok(await absent(path.join(out, 'r.html')), 'no link is made');
      const expected: Record<string, string> = { 'a.html': `md5 ${md5('a')}` };
      if (prefix === '')
        Object.assign(expected, { 'other/': 'folder', 'other/a.html': `md5 ${md5('outside the prefix')}` });
      assert.deepEqual(await diskState(out), expected);
    });
  }

  it('downloads a redirect object with a non-empty body as a file, with a warning naming it', async () => {
    const { out, assertUntouched } = await fence();
    const bucket = await bucketWith({ 'a.html': 'a', 'r.html': { body: 'a body', redirect: '/a.html' } });
    const { result } = await copy(s3, 'pull', out, bucket);
    assertOnlyWarning(result, 'r.html', /^Downloaded as a file: the object redirects to \/a\.html but has a body/);
    assert.deepEqual(await diskState(out), { 'a.html': `md5 ${md5('a')}`, 'r.html': `md5 ${md5('a body')}` });
    await assertUntouched();
  });

  it('reads percent-encoded dots literally, so "/%2e%2e/%2e%2e/escape.txt" names no key and is skipped', async () => {
    const { out, assertUntouched } = await fence();
    const bucket = await bucketWith({ 'a.html': 'a', 'r.html': { body: '', redirect: '/%2e%2e/%2e%2e/escape.txt' } });
    const { result } = await copy(s3, 'pull', out, bucket);
    assertOnlyWarning(
      result,
      'r.html',
      /^Skipped redirect: its target %2e%2e\/%2e%2e\/escape\.txt is not in the source/,
    );
    assert.ok(await absent(path.join(out, 'r.html')));
    await assertUntouched();
  });
});

describe('the local folder on pull', () => {
  for (const deletes of [true, false]) {
    const mode = deletes ? 'deletes on' : 'deletes off';

    it(`replaces a symlink planted as a parent folder (out/sub -> a folder outside) instead of writing through it (${mode})`, async () => {
      const { base, out, assertUntouched } = await fence();
      await symlink(path.join(base, 'elsewhere'), path.join(out, 'sub'));
      const bucket = await bucketWith({ 'sub/f': 'from the bucket' });
      const { result } = await copy(s3, 'pull', out, bucket, { delete: deletes });
      assert.deepEqual(result.warnings, []);
      assert.ok((await lstat(path.join(out, 'sub'))).isDirectory(), 'sub is now a real folder');
      assert.deepEqual(await diskState(out), { 'sub/': 'folder', 'sub/f': `md5 ${md5('from the bucket')}` });
      await assertUntouched();
    });

    it(`replaces a symlink at a file's destination, never writing to its target (${mode})`, async () => {
      const { base, out, assertUntouched } = await fence();
      await symlink(path.join(base, 'sentinel', 'a.txt'), path.join(out, 'a.txt'));
      const bucket = await bucketWith({ 'a.txt': 'from the bucket' });
      await copy(s3, 'pull', out, bucket, { delete: deletes });
      assert.deepEqual(await diskState(out), { 'a.txt': `md5 ${md5('from the bucket')}` });
      await assertUntouched();
    });
  }

  it('replaces a local folder where the bucket has a file, without following links inside it (deletes on)', async () => {
    const { base, out, assertUntouched } = await fence();
    await writeTree(out, {
      'thing/inner.txt': 'local inner',
      'thing/deeper/more.txt': 'local more',
      'thing/escape': { link: path.join(base, 'elsewhere') },
    });
    const bucket = await bucketWith({ thing: 'now a file' });
    const { result } = await copy(s3, 'pull', out, bucket);
    assert.deepEqual(result.warnings, []);
    // The folder's contents go in the delete phase (and are counted), not mid-download.
    assert.equal(result.outcome.deleted.length, 3);
    assert.deepEqual(await diskState(out), { thing: `md5 ${md5('now a file')}` });
    await assertUntouched();
  });

  it('keeps a local folder holding excluded files where the bucket has a file, and fails naming it', async () => {
    const { out, assertUntouched } = await fence();
    await writeTree(out, { 'thing/inner.txt': 'local inner', 'thing/.DS_Store': 'finder', 'ok.txt': 'ok' });
    const bucket = await bucketWith({ thing: 'now a file', 'ok.txt': 'ok' });
    await assert.rejects(
      copy(s3, 'pull', out, bucket),
      /thing is a folder locally that still holds files this run keeps \(.*such as thing\/\.DS_Store\), so the bucket's thing was not written there and nothing was deleted/,
    );
    const after = await diskState(out);
    assert.equal(after['thing/inner.txt'], `md5 ${md5('local inner')}`, 'nothing was deleted');
    assert.equal(after['thing/.DS_Store'], `md5 ${md5('finder')}`, 'the excluded file is kept');
    assert.deepEqual(
      Object.keys(after).filter((name) => name.includes(TEMP_MARKER)),
      [],
      'no temporary file is left behind',
    );
    await assertUntouched();
  });

  it('makes a planted parent link a real folder once, however many downloads go through it', async () => {
    const { base, out, assertUntouched } = await fence();
    await symlink(path.join(base, 'elsewhere'), path.join(out, 'sub'));
    const files = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`sub/f${i}`, `file ${i}`]));
    const bucket = await bucketWith(files);
    const { result } = await copy(s3, 'pull', out, bucket, { concurrency: 12 });
    assert.equal(result.outcome.copied.length, 12);
    assert.ok((await lstat(path.join(out, 'sub'))).isDirectory());
    await assertUntouched();
  });

  it('fails with a clear message, keeping the folder, where the bucket has a file but deletes are off', async () => {
    const { out, assertUntouched } = await fence();
    await writeTree(out, { 'thing/inner.txt': 'local inner' });
    const bucket = await bucketWith({ thing: 'now a file' });
    await assert.rejects(
      copy(s3, 'pull', out, bucket, { delete: false }),
      /thing is a folder locally; it is kept because deletions are off/,
    );
    assert.deepEqual(await diskState(out), { 'thing/': 'folder', 'thing/inner.txt': `md5 ${md5('local inner')}` });
    await assertUntouched();
  });

  it('replaces a local file where the bucket has a folder (deletes on)', async () => {
    const { out, assertUntouched } = await fence();
    await writeTree(out, { thing: 'local file' });
    const bucket = await bucketWith({ 'thing/inner.txt': 'bucket inner' });
    const { result } = await copy(s3, 'pull', out, bucket);
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(await diskState(out), { 'thing/': 'folder', 'thing/inner.txt': `md5 ${md5('bucket inner')}` });
    await assertUntouched();
  });

  it('keeps a local file where the bucket has a folder and fails, naming it (deletes off)', async () => {
    const { out, assertUntouched } = await fence();
    await writeTree(out, { thing: 'local file' });
    const bucket = await bucketWith({ 'thing/inner.txt': 'bucket inner' });
    await assert.rejects(
      copy(s3, 'pull', out, bucket, { delete: false }),
      /thing is a file locally where the bucket needs a folder; it is kept because deletions are off/,
    );
    assert.deepEqual(await diskState(out), { thing: `md5 ${md5('local file')}` });
    await assertUntouched();
  });

  it('deletes a symlinked folder the bucket lacks by removing the link, never the files it points to', async () => {
    const { base, out, assertUntouched } = await fence();
    await writeTree(out, { 'ok.txt': 'ok', linked: { link: path.join(base, 'elsewhere') } });
    const bucket = await bucketWith({ 'ok.txt': 'ok' });
    const { result } = await copy(s3, 'pull', out, bucket);
    assert.equal(result.outcome.deleted.length, 1);
    assert.deepEqual(await diskState(out), OK);
    await assertUntouched();
  });

  it('replaces a symlinked folder holding an extra file with a real folder, leaving the target alone', async () => {
    const { base, out, assertUntouched } = await fence();
    // elsewhere/ holds f and extra.txt; the bucket has only linked/f.
    await symlink(path.join(base, 'elsewhere'), path.join(out, 'linked'));
    const bucket = await bucketWith({ 'linked/f': 'bucket f' });
    await copy(s3, 'pull', out, bucket);
    assert.deepEqual(await diskState(out), { 'linked/': 'folder', 'linked/f': `md5 ${md5('bucket f')}` });
    await assertUntouched();
  });

  // A redirect turns a local folder into a link. The local files that were in
  // that folder are deleted after the links are made: they must not be
  // looked up through the new link, which leads somewhere else.
  it('never deletes or prunes through a link the run made where a folder was', async () => {
    const { base, out, assertUntouched } = await fence();
    await writeTree(out, {
      'thing/inner.txt': 'local inner, already removed with its folder',
      zp: { link: path.join(base, 'elsewhere') },
    });
    await mkdir(path.join(out, 'thing', 'deeper'));
    const bucket = await bucketWith({ thing: { body: '', redirect: '/zp/q' }, 'zp/q': 'q from the bucket' });
    const { result } = await copy(s3, 'pull', out, bucket);
    assert.deepEqual(result.warnings, []);
    assert.equal(await readlink(path.join(out, 'thing')), 'zp/q');
    assert.deepEqual(await diskState(out), {
      thing: 'link -> zp/q',
      'zp/': 'folder',
      'zp/q': `md5 ${md5('q from the bucket')}`,
    });
    await assertUntouched();
  });

  it('skips a redirect whose target is not in the bucket instead of making a dangling link', async () => {
    const { out, assertUntouched } = await fence();
    const bucket = await bucketWith({ 'a.html': 'a', 'r.html': { body: '', redirect: '/gone.html' } });
    const { result } = await copy(s3, 'pull', out, bucket);
    assertOnlyWarning(result, 'r.html', /^Skipped redirect: its target gone\.html is not in the source/);
    assert.ok(await absent(path.join(out, 'r.html')));
    await assertUntouched();
  });
});

describe('fence self-check', () => {
  it('notices a change beside the pull directory', async () => {
    const { base, assertUntouched } = await fence();
    await writeFile(path.join(base, 'mid', 'escape'), 'escaped');
    await assert.rejects(assertUntouched(), /outside the pull directory changed/);
  });
});
