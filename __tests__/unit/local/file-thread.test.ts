import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { localFilesToDigest } from '../../../src/decide/compare.js';
import { EarlyHashing, hashFiles } from '../../../src/local/hashing.js';
import { FileThread, THREAD_MIN_FILES } from '../../../src/local/file-thread.js';
import { scanLocal } from '../../../src/local/scan.js';
import type { LocalEntries, LocalFile, RemoteEntries } from '../../../src/model/entries.js';
import { tempDir } from '../../helpers/temp.js';

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');
const noGzip = () => false;

/** `count` small files under a temporary root, one large one, and their entries. */
async function tree(count: number) {
  const root = await tempDir();
  const entries: LocalEntries = new Map();
  const contents = new Map<string, string | Buffer>();
  await mkdir(path.join(root, 'd'));
  for (let i = 0; i < count; i += 1) {
    const key = `d/f-${i}.txt`;
    contents.set(key, `file ${i}\n`);
  }
  contents.set('large.bin', Buffer.alloc(1024 * 1024 + 1, 7));
  for (const [key, data] of contents) {
    await writeFile(path.join(root, key), data);
    entries.set(key, { kind: 'file', size: Buffer.byteLength(data), md5: undefined });
  }
  return { root, entries, contents, keys: [...contents.keys()] };
}

function assertHashed(entries: LocalEntries, contents: Map<string, string | Buffer>): void {
  for (const [key, data] of contents) assert.equal((entries.get(key) as LocalFile).md5, md5(data), key);
}

describe('sizing and hashing on a second thread', () => {
  it('starts no thread for a few files', async (t) => {
    const { root, entries: expected } = await tree(20);
    const sized = t.mock.method(FileThread.prototype, 'sizes');
    const hashed = t.mock.method(FileThread.prototype, 'sizesAndMd5s');
    const { entries } = await scanLocal(root, { prefix: '', isExcluded: () => false, md5Wanted: () => true });
    for (const [key, entry] of expected) assert.equal((entries.get(key) as LocalFile).size, (entry as LocalFile).size);
    assert.equal(sized.mock.callCount() + hashed.mock.callCount(), 0);
  });

  it("reports a file gone before it was hashed with the run's own error", async () => {
    const { root, keys } = await tree(THREAD_MIN_FILES + 300);
    const { entries } = await scanLocal(root, { prefix: '', isExcluded: () => false, md5Wanted: () => true });
    const unhashed = keys.filter((key) => (entries.get(key) as LocalFile).md5 === undefined);
    await rm(path.join(root, ...(unhashed.find((key) => key.startsWith('d/')) as string).split('/')));
    await assert.rejects(hashFiles(root, entries, unhashed, noGzip), { code: 'ENOENT' });
  });

  it('answers each path in its place when a file can be sized but not read', async () => {
    const root = await tempDir();
    await writeFile(path.join(root, 'a'), 'a');
    await mkdir(path.join(root, 'folder'));
    await writeFile(path.join(root, 'c'), 'ccc');
    const thread = new FileThread();
    try {
      const paths = ['a', 'folder', 'missing', 'c'].map((name) => path.join(root, name));
      const sizes = [1, lstatSync(path.join(root, 'folder')).size, null, 3];
      assert.deepEqual(await thread.sizesAndMd5s(paths, 1024 * 1024), {
        sizes,
        md5s: [md5('a'), null, null, md5('ccc')],
      });
      assert.deepEqual(await thread.sizes(paths), sizes);
    } finally {
      await thread.stop();
    }
  });

  it('answers null for an unreadable file and ends when stopped', async () => {
    const root = await tempDir();
    await writeFile(path.join(root, 'a'), 'abc');
    const thread = new FileThread();
    assert.deepEqual(await thread.sizesAndMd5s([path.join(root, 'a'), path.join(root, 'missing')], 1024), {
      sizes: [3, null],
      md5s: [md5('abc'), null],
    });
    await thread.stop();
    await assert.rejects(thread.sizes([path.join(root, 'a')]), /stopped/);
    await assert.rejects(thread.sizesAndMd5s([path.join(root, 'a')], 1024), /stopped/);
  });

  it('hashes only the files of at most maxBytes', async () => {
    const root = await tempDir();
    await writeFile(path.join(root, 'small'), 'ab');
    await writeFile(path.join(root, 'edge'), 'abc');
    await writeFile(path.join(root, 'large'), 'abcd');
    const thread = new FileThread();
    try {
      const paths = ['small', 'edge', 'large'].map((name) => path.join(root, name));
      assert.deepEqual(await thread.sizesAndMd5s(paths, 3), { sizes: [2, 3, 4], md5s: [md5('ab'), md5('abc'), null] });
    } finally {
      await thread.stop();
    }
  });

  it('sizes the files of a large tree on the thread, past the first ones', async (t) => {
    const { root, contents } = await tree(THREAD_MIN_FILES + 300);
    const asked = t.mock.method(FileThread.prototype, 'sizes');
    const hashed = t.mock.method(FileThread.prototype, 'sizesAndMd5s');
    const { entries } = await scanLocal(root, { prefix: '', isExcluded: () => false });
    for (const [key, data] of contents)
      assert.equal((entries.get(key) as LocalFile).size, Buffer.byteLength(data), key);
    const sent = asked.mock.calls.flatMap((call) => call.arguments[0]);
    assert.equal(sent.length, contents.size - THREAD_MIN_FILES);
    // No md5 is wanted, so none is asked for.
    assert.equal(hashed.mock.callCount(), 0);
  });

  it('sizes here what a failed thread could not', async (t) => {
    const { root, contents } = await tree(THREAD_MIN_FILES + 300);
    t.mock.method(FileThread.prototype, 'sizes', () => Promise.reject(new Error('thread gone')));
    const { entries } = await scanLocal(root, { prefix: '', isExcluded: () => false });
    for (const [key, data] of contents)
      assert.equal((entries.get(key) as LocalFile).size, Buffer.byteLength(data), key);
  });

  it('sizes here, and leaves to hash, what a failed thread could not size and hash', async (t) => {
    const { root, contents } = await tree(THREAD_MIN_FILES + 300);
    t.mock.method(FileThread.prototype, 'sizesAndMd5s', () => Promise.reject(new Error('thread gone')));
    const { entries } = await scanLocal(root, { prefix: '', isExcluded: () => false, md5Wanted: () => true });
    for (const [key, data] of contents) {
      const entry = entries.get(key) as LocalFile;
      assert.equal(entry.size, Buffer.byteLength(data), key);
      assert.equal(entry.md5, undefined, key);
    }
  });

  it('hashes small files as it sizes them, and leaves none of those to hash again', async () => {
    const { root, contents } = await tree(THREAD_MIN_FILES + 300);
    const { entries } = await scanLocal(root, { prefix: '', isExcluded: () => false, md5Wanted: () => true });
    const hashed = [...contents.keys()].filter((key) => (entries.get(key) as LocalFile).md5 !== undefined);
    // The first THREAD_MIN_FILES are sized here (the large file at the root among them).
    assert.equal(hashed.length, contents.size - THREAD_MIN_FILES);
    for (const key of hashed) assert.equal((entries.get(key) as LocalFile).md5, md5(contents.get(key)!), key);
    // The bucket has every file at its size: the plan needs every md5, and only the unhashed are left to hash.
    const remote: RemoteEntries = new Map(
      [...entries].map(([key, entry]) => [key, { kind: 'file', size: (entry as LocalFile).size, md5: 'listed' }]),
    );
    const sides = { local: entries, remote, storesGzipped: noGzip };
    const unhashed = [...contents.keys()].filter((key) => !hashed.includes(key));
    assert.deepEqual(localFilesToDigest(sides, false).sort(), unhashed.sort());
    const hashing = new EarlyHashing(root, entries, unhashed, noGzip);
    assert.deepEqual(hashing.narrowTo(localFilesToDigest(sides, false)), []);
    await hashing.finished();
    assertHashed(entries, contents);
  });

  it('scans a tree of many small folders to the end while the thread keeps up', { timeout: 30_000 }, async () => {
    // Many folders of a few files each: the walk waits for the thread's batches
    // from several folders at once, and each must be woken again.
    const root = await tempDir();
    const contents = new Map<string, string>();
    for (let folder = 0; folder < 200; folder += 1) {
      await mkdir(path.join(root, `f${folder}`));
      for (let file = 0; file < 15; file += 1) {
        const key = `f${folder}/p${file}.html`;
        contents.set(key, key);
        await writeFile(path.join(root, key), key);
      }
    }
    const { entries } = await scanLocal(root, { prefix: '', isExcluded: () => false, md5Wanted: () => true });
    assert.equal(entries.size, contents.size);
    for (const [key, data] of contents) assert.equal((entries.get(key) as LocalFile).size, data.length, key);
  });

  it('has at most 16 batches with the thread at once, in one large folder too', async (t) => {
    const root = await tempDir();
    for (let file = 0; file < THREAD_MIN_FILES + 32 * 256; file += 1) await writeFile(path.join(root, `p${file}`), 'x');
    // Called below with the thread it was asked on.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const sizesAndMd5s = FileThread.prototype.sizesAndMd5s;
    let inFlight = 0;
    let most = 0;
    t.mock.method(
      FileThread.prototype,
      'sizesAndMd5s',
      async function (this: FileThread, ...args: Parameters<typeof sizesAndMd5s>) {
        inFlight += 1;
        most = Math.max(most, inFlight);
        try {
          return await sizesAndMd5s.apply(this, args);
        } finally {
          inFlight -= 1;
        }
      },
    );
    const { entries } = await scanLocal(root, { prefix: '', isExcluded: () => false, md5Wanted: () => true });
    assert.equal(entries.size, THREAD_MIN_FILES + 32 * 256);
    assert.ok(most <= 16 && most > 1, `${most} batches at once`);
  });
});
