// listRemote split into partitions listed side by side (src/bucket/list.ts,
// partitioned-listing.ts, partitions.ts): against an in-memory bucket that
// lists as S3 does (helpers/fake-bucket.ts), where pages can be made tiny, and
// once against s3rver with more than 1000 keys.
//
// FC_SEED and FC_NUM_RUNS override the seed and the number of cases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { OperationError } from '../../../src/model/errors.js';
import type { RemoteEntries } from '../../../src/model/entries.js';
import { stripPrefix } from '../../../src/model/keys.js';
import { compareKeys, foldersToSplit, pickBoundaries } from '../../../src/bucket/partitions.js';
import {
  FLAT_PAGES,
  LIST_CONCURRENCY,
  listRemote,
  MAX_PARTITIONS,
  newListStats,
  type ListHints,
  type ListTuning,
} from '../../../src/bucket/list.js';
import { FakeBucket, flatListing } from '../../helpers/fake-bucket.js';
import { useS3 } from '../../helpers/s3.js';
import { forEachBounded } from '../../../src/model/pool.js';
import { silentReporter } from '../../../src/model/reporter.js';
import { takeInventory } from '../../../src/decide/inventory.js';
import { SMALL_FILE } from '../../../src/local/digest.js';
import { tempDir } from '../../helpers/temp.js';
import { numberedFiles, writeTree } from '../../helpers/tree.js';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 300);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

const nothingExcluded = (): boolean => false;

/** What a flat listing of the bucket gives, as listRemote's inventory. */
async function expectedInventory(
  bucket: FakeBucket,
  prefix: string,
  isExcluded: (key: string) => boolean = nothingExcluded,
): Promise<[string, unknown][]> {
  const expected: [string, unknown][] = [];
  for (const object of await flatListing(bucket, prefix)) {
    const key = stripPrefix(prefix, object.key);
    if (key === undefined || isExcluded(key)) continue;
    expected.push([key, { kind: 'file', size: object.size, etag: object.etag }]);
  }
  return expected;
}

function inOrder(inventory: RemoteEntries): [string, unknown][] {
  return [...inventory];
}

async function list(bucket: FakeBucket, prefix: string, tuning: ListTuning = {}, stop?: AbortSignal) {
  const stats = newListStats();
  const inventory = await listRemote({ client: bucket.client, bucket: 'fake', prefix }, nothingExcluded, stop, {
    ...tuning,
    stats,
  });
  return { inventory, stats };
}

/** `count` keys spread over `folders` folders two levels deep, with files at the root and in each folder. */
function siteKeys(count: number, folders: number): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i += 1) {
    const n = String(i).padStart(5, '0');
    if (i % 10 === 0) keys.push(`r${n}.html`);
    else keys.push(`d${String(i % folders).padStart(2, '0')}/s${i % 7}/f${n}.txt`);
  }
  return keys;
}

// ---------------------------------------------------------------- the key order

describe('the order S3 lists keys in', () => {
  it('compares as UTF-8 bytes do, for any characters', () => {
    const tricky = fc.constantFrom(
      '',
      'a',
      '.',
      '-',
      '/',
      '~',
      ' ',
      '\u007f',
      '\u0080',
      'é',
      '\uE000',
      '\uFF61',
      '\uFFFD',
      '😀',
      '𝄞',
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.array(tricky, { maxLength: 5 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, text, (a, b) => {
        assert.equal(Math.sign(compareKeys(a, b)), Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
      }),
      { numRuns: 2000, seed: SEED },
    );
  });

  it('puts "😀" after "｡", where JavaScript puts it before', () => {
    assert.ok('😀' < '\uFF61');
    assert.equal(compareKeys('😀', '\uFF61'), 1);
  });

  it('picks split points strictly inside the partition, sorted, at most the room left', () => {
    assert.deepEqual(pickBoundaries(['c/', 'a/', 'b/', 'b/', 'e/'], 'a/x', 'e/', 10), ['b/', 'c/']);
    assert.deepEqual(pickBoundaries(['b/', 'c/', 'd/', 'e/'], 'a', undefined, 2), ['b/', 'd/']);
    assert.deepEqual(pickBoundaries(['b/'], 'a', undefined, 0), []);
  });

  it('looks for split points in the folders the rest of a partition lies in', () => {
    // The end of the listing: the prefix itself, and the top folder the partition is in.
    assert.deepEqual(foldersToSplit('site/', 'site/a/b/c.txt', undefined), ['site/a/', 'site/']);
    assert.deepEqual(foldersToSplit('site/', 'site/index.html', undefined), ['site/']);
    assert.deepEqual(foldersToSplit('', 'x.txt', undefined), ['']);
    // Up to a split point: the folder both are in, and the subfolder of it the partition is in.
    assert.deepEqual(foldersToSplit('site/', 'site/posts/p0105/x.html', 'site/posts/p0131/'), [
      'site/posts/p0105/',
      'site/posts/',
    ]);
    assert.deepEqual(foldersToSplit('site/', 'site/a/b/c.txt', 'site/b/'), ['site/a/', 'site/']);
    assert.deepEqual(foldersToSplit('', '/x/y', 'a/'), ['/', '']);
    assert.deepEqual(foldersToSplit('', 'a//b/c', 'a//c/'), ['a//b/', 'a//']);
    assert.deepEqual(foldersToSplit('', 'a/b', 'a/c/'), ['a/']);
  });
});

// ---------------------------------------------------------------- property

describe('a partitioned listing, over random buckets', () => {
  const CHARS = ['a', 'b', 'a.', 'a-', '.', '-', '0', '~', ' ', 'é', '\uE000', '\uFF61', '😀', '𝄞'];
  const segment = fc.array(fc.constantFrom(...CHARS), { minLength: 0, maxLength: 2 }).map((parts) => parts.join(''));
  // Empty segments give "a//b", "/a" and folder placeholders ("a/").
  const key = fc
    .tuple(
      fc.constantFrom('', 'site/', 'site/', 'site/', 'site-x/', 'site', 'sitea/', 'site/site/'),
      fc.array(segment, { minLength: 1, maxLength: 4 }),
    )
    .map(([start, segments]) => start + segments.join('/'))
    .filter((k) => k !== '');

  it('lists exactly what a flat listing lists, in the same order, within the request bounds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(key, { maxLength: 400, size: 'large' }),
        fc.constantFrom('', 'site'),
        fc.record({
          pageSize: fc.integer({ min: 1, max: 8 }),
          maxPartitions: fc.integer({ min: 1, max: 16 }),
          concurrency: fc.integer({ min: 1, max: 6 }),
          maxDiscoveryLists: fc.integer({ min: 0, max: 10 }),
          flatPages: fc.integer({ min: 1, max: 3 }),
        }),
        fc.integer({ min: 0, max: 2 ** 30 }),
        fc.boolean(),
        fc.record({
          kind: fc.constantFrom('none', 'keys', 'size'),
          // The local tree is not the bucket: some keys missing, some the bucket does not have.
          keep: fc.double({ min: 0, max: 1, noNaN: true }),
          extra: fc.uniqueArray(key, { maxLength: 60 }),
          turns: fc.integer({ min: 0, max: 30 }),
        }),
        async (keys, prefix, tuning, jitterSeed, excludeTildes, hint) => {
          const bucket = new FakeBucket(keys, { jitterSeed });
          const isExcluded = excludeTildes ? (k: string) => k.includes('~') : nothingExcluded;
          const expected = await expectedInventory(bucket, prefix, isExcluded);
          const under = (await flatListing(bucket, prefix)).length;
          bucket.requests.length = 0;

          const stats = newListStats();
          const hinted = [...keys.filter((_, i) => (i * 0.618) % 1 < hint.keep), ...hint.extra]
            .map((k) => stripPrefix(prefix, k))
            .filter((k): k is string => k !== undefined);
          const later = async <T>(value: T): Promise<T> => {
            for (let i = 0; i < hint.turns; i += 1) await new Promise((resolve) => setImmediate(resolve));
            return value;
          };
          const hints =
            hint.kind === 'keys' ? { keys: later(hinted) } : hint.kind === 'size' ? { size: later(hinted.length) } : {};
          const inventory = await listRemote(
            { client: bucket.client, bucket: 'fake', prefix },
            isExcluded,
            undefined,
            { ...tuning, stats },
            hints,
          );

          assert.deepEqual(inOrder(inventory), expected);
          assert.equal(stats.entries, expected.length, 'a key was listed twice');
          const counts = bucket.counts();
          assert.equal(counts.pages, stats.pageLists);
          assert.equal(counts.delimited, stats.discoveryLists);
          assert.equal(stats.fellBack, false);
          assert.ok(stats.partitions <= tuning.maxPartitions);
          assert.ok(stats.discoveryLists <= tuning.maxDiscoveryLists);
          assert.ok(bucket.maxInFlight <= tuning.concurrency, `${bucket.maxInFlight} in flight`);
          const flatPageCount = Math.max(1, Math.ceil(under / tuning.pageSize));
          assert.ok(
            stats.pageLists <= flatPageCount + stats.partitions,
            `${stats.pageLists} pages, flat ${flatPageCount}, ${stats.partitions} partitions`,
          );
          if (under <= tuning.pageSize) assert.equal(counts.total, 1);
          // Up to flatPages full pages, exactly the flat listing's LISTs, unless a hint says it is large.
          const hintSaysLarge = hint.kind !== 'none' && hinted.length >= tuning.pageSize * tuning.flatPages;
          if (under <= tuning.pageSize * tuning.flatPages && !hintSaysLarge) assert.equal(counts.total, flatPageCount);
          if (hint.kind !== 'keys') assert.equal(stats.hintedPartitions, 0);
        },
      ),
      { numRuns: NUM_RUNS, seed: SEED },
    );
  });
});

// ---------------------------------------------------------------- examples

describe('a partitioned listing', () => {
  it('takes one LIST for at most 1000 keys', async () => {
    const bucket = new FakeBucket(siteKeys(1000, 8).map((k) => `site/${k}`));
    const { inventory, stats } = await list(bucket, 'site');
    assert.equal(inventory.size, 1000);
    assert.deepEqual(
      bucket.requests.map((r) => JSON.parse(JSON.stringify(r.input)) as unknown),
      [{ Bucket: 'fake', Prefix: 'site/' }],
    );
    assert.equal(stats.partitions, 1);
  });

  it('takes one LIST per 1000 keys, one after another, for at most FLAT_PAGES × 1000 keys', async () => {
    const bucket = new FakeBucket(siteKeys(FLAT_PAGES * 1000, 8).map((k) => `site/${k}`));
    const { inventory, stats } = await list(bucket, 'site');
    assert.equal(inventory.size, FLAT_PAGES * 1000);
    assert.deepEqual(bucket.counts(), { pages: FLAT_PAGES, delimited: 0, total: FLAT_PAGES });
    assert.ok(bucket.requests.every((r) => r.input.StartAfter === undefined));
    assert.equal(stats.partitions, 1);
  });

  it('takes one LIST for an empty prefix', async () => {
    const bucket = new FakeBucket(['other/a.txt']);
    const { inventory } = await list(bucket, 'site');
    assert.equal(inventory.size, 0);
    assert.equal(bucket.requests.length, 1);
  });

  it('splits a large listing by folder and keeps within the request bounds', async () => {
    const bucket = new FakeBucket(siteKeys(20_000, 24), { latencyMs: 1 });
    const expected = await expectedInventory(bucket, '');
    bucket.requests.length = 0;
    const { inventory, stats } = await list(bucket, '', { flatPages: 3 });
    assert.deepEqual(inOrder(inventory), expected);
    assert.equal(stats.entries, expected.length);
    assert.ok(stats.partitions > 16, `${stats.partitions} partitions`);
    assert.ok(stats.partitions <= MAX_PARTITIONS);
    assert.ok(stats.pageLists <= 20 + stats.partitions, `${stats.pageLists} pages`);
    assert.ok(stats.discoveryLists <= 16);
    assert.ok(bucket.maxInFlight <= LIST_CONCURRENCY);
    assert.ok(bucket.maxInFlight > 4, `${bucket.maxInFlight} in flight`);
  });

  it('splits one large folder by its subfolders', async () => {
    const keys = Array.from({ length: 6000 }, (_, i) => `assets/${String(i % 30).padStart(2, '0')}/${i}.png`);
    const bucket = new FakeBucket([...keys, 'index.html', 'zz.html']);
    const expected = await expectedInventory(bucket, '');
    bucket.requests.length = 0;
    const { inventory, stats } = await list(bucket, '', { flatPages: 1 });
    assert.deepEqual(inOrder(inventory), expected);
    assert.ok(stats.partitions > LIST_CONCURRENCY, `${stats.partitions} partitions`);
  });

  it('covers keys whose order is easy to get wrong, page by page', async () => {
    const keys = [
      'a',
      'a/',
      'a/b',
      'a.txt',
      'a-b',
      'a0',
      'a//x',
      '/root',
      'b',
      'é/x',
      'e/x',
      '\uFF61/z',
      '😀/y',
      '😀',
      '~',
    ];
    for (const prefix of ['', 'a']) {
      const bucket = new FakeBucket(keys.flatMap((k) => [k, `${k}/c`, `a/${k}`]));
      const expected = await expectedInventory(bucket, prefix);
      bucket.requests.length = 0;
      const { inventory, stats } = await list(bucket, prefix, { pageSize: 1, maxDiscoveryLists: 50, flatPages: 1 });
      assert.deepEqual(inOrder(inventory), expected);
      assert.equal(stats.entries, expected.length);
      assert.ok(stats.partitions > 3, `${stats.partitions} partitions under "${prefix}"`);
    }
  });

  it('lists flat with one partition', async () => {
    const bucket = new FakeBucket(siteKeys(3500, 5));
    const { stats } = await list(bucket, '', { maxPartitions: 1 });
    assert.deepEqual(bucket.counts(), { pages: 4, delimited: 0, total: 4 });
    assert.equal(stats.partitions, 1);
  });
});

describe('a listing the local tree or the manifest hints at', () => {
  const flatFolder = (count: number): string[] =>
    Array.from({ length: count }, (_, i) => `all/page-${String(i).padStart(6, '0')}.html`);

  async function hintedList(bucket: FakeBucket, hints: ListHints) {
    const stats = newListStats();
    const inventory = await listRemote(
      { client: bucket.client, bucket: 'fake', prefix: '' },
      nothingExcluded,
      undefined,
      { stats },
      hints,
    );
    return { inventory, stats };
  }

  it('splits one flat folder of 30,000 keys by the local keys at once, with no delimiter LIST', async () => {
    const keys = flatFolder(30_000);
    const bucket = new FakeBucket(keys, { latencyMs: 1 });
    const { inventory, stats } = await hintedList(bucket, { keys: Promise.resolve(keys) });
    assert.deepEqual([...inventory.keys()], keys);
    assert.equal(stats.hintedPartitions, 16);
    assert.equal(stats.partitions, 16);
    assert.deepEqual(bucket.counts(), { pages: stats.pageLists, delimited: 0, total: stats.pageLists });
    // 30 pages flat; each partition's last page is cut short: at most one LIST more per partition.
    assert.ok(stats.pageLists <= 30 + 16, `${stats.pageLists} LISTs`);
    assert.equal(bucket.maxInFlight, 16);
  });

  it('sends one LIST to an empty bucket, however large the local tree (a first push)', async () => {
    const bucket = new FakeBucket([], { latencyMs: 1 });
    const { inventory, stats } = await hintedList(bucket, { keys: Promise.resolve(flatFolder(30_000)) });
    assert.equal(inventory.size, 0);
    assert.deepEqual(bucket.counts(), { pages: 1, delimited: 0, total: 1 });
    assert.equal(stats.hintedPartitions, 0);
  });

  it('ignores a local tree of fewer than FLAT_PAGES × 1000 keys: a small site keeps its fewest LISTs', async () => {
    const keys = flatFolder(24_000);
    const bucket = new FakeBucket(keys);
    const { stats } = await hintedList(bucket, { keys: Promise.resolve(keys) });
    assert.equal(stats.hintedPartitions, 0);
    assert.deepEqual(bucket.counts(), { pages: 24, delimited: 0, total: 24 });
  });

  it('splits further where the bucket holds more than the local tree: old previews, say', async () => {
    const local = flatFolder(30_000);
    const previews = Array.from({ length: 20_000 }, (_, i) => `pr-${i % 40}/page-${String(i).padStart(6, '0')}.html`);
    const bucket = new FakeBucket([...local, ...previews]);
    const { inventory, stats } = await hintedList(bucket, { keys: Promise.resolve(local) });
    assert.equal(inventory.size, 50_000);
    assert.deepEqual([...inventory.keys()], bucket.allKeys());
    assert.equal(stats.hintedPartitions, 16);
    // The last partition, which holds every preview, found their folders and split.
    assert.ok(stats.discoveryLists > 0 && stats.partitions > 16, `${stats.partitions} partitions`);
    assert.ok(stats.pageLists <= 50 + stats.partitions, `${stats.pageLists} LISTs`);
  });

  it('looks for split points with the second page when the manifest counts more than FLAT_PAGES × 1000', async () => {
    const bucket = new FakeBucket(siteKeys(30_000, 40));
    const { inventory, stats } = await hintedList(bucket, { size: Promise.resolve(30_000) });
    assert.equal(inventory.size, 30_000);
    // The first page alone, then the second with the delimiter LISTs beside it.
    assert.equal(bucket.requests[0]?.input.Delimiter, undefined);
    assert.ok(
      bucket.requests.slice(1, 4).some((r) => r.input.Delimiter === '/'),
      'no delimiter LIST among the first requests',
    );
    assert.ok(stats.partitions > 1);
    assert.ok(stats.pageLists <= 30 + stats.partitions);
  });

  it('takes its split points from the scanned directory on push and on pull', async () => {
    const root = await tempDir('hint');
    const spec = numberedFiles(300, 'flat');
    await writeTree(root, spec);
    for (const direction of ['push', 'pull'] as const) {
      // Slow enough that the scan ends before the listing would look for split points itself.
      const bucket = new FakeBucket(Object.keys(spec), { latencyMs: 20 });
      const stats = newListStats();
      const inventories = await takeInventory(
        { root, exists: true, hashEarlyUpTo: direction === 'push' ? Infinity : SMALL_FILE },
        {
          remote: { client: bucket.client, bucket: 'fake', prefix: '' },
          manifestKey: undefined,
          // 300 keys in pages of 10: large, as 100,000 are with S3's pages.
          listTuning: { pageSize: 10, flatPages: 5, concurrency: 4, stats },
        },
        { isExcluded: nothingExcluded, storesGzipped: () => false },
        silentReporter,
        () => 0,
      );
      await inventories.hashing.finished();
      assert.deepEqual([...inventories.remote.keys()].sort(), Object.keys(spec).sort(), direction);
      assert.equal(stats.hintedPartitions, 4, direction);
      assert.equal(stats.discoveryLists, 0, direction);
      assert.ok(stats.pageLists <= 30 + 4, `${direction}: ${stats.pageLists} LISTs`);
    }
  });

  it('lists flat when a hint fails or says nothing', async () => {
    const keys = flatFolder(3_000);
    const bucket = new FakeBucket(keys);
    const { inventory, stats } = await hintedList(bucket, {
      keys: Promise.reject(new Error('scan failed')),
      size: Promise.resolve(undefined),
    });
    assert.equal(inventory.size, 3_000);
    assert.deepEqual(bucket.counts(), { pages: 3, delimited: 0, total: 3 });
    assert.equal(stats.partitions, 1);
  });
});

describe('a partitioned listing that cannot go on', () => {
  it('asks for no further page once the run has stopped it', async () => {
    const stop = new AbortController();
    let sentBeforeAbort = 0;
    const bucket = new FakeBucket(siteKeys(30_000, 20), {
      latencyMs: 1,
      tamper: (output, _input, index) => {
        if (index === 6) {
          stop.abort();
          sentBeforeAbort = bucket.requests.length;
        }
        return output;
      },
    });
    await assert.rejects(list(bucket, '', {}, stop.signal), { name: 'AbortError' });
    assert.ok(sentBeforeAbort > 6);
    assert.equal(bucket.requests.length, sentBeforeAbort);
    assert.equal(bucket.busy, 0);
  });

  it('fails, tagged with the prefix, when one partition fails, and waits for the others', async () => {
    const bucket = new FakeBucket(
      siteKeys(30_000, 20).map((k) => `site/${k}`),
      {
        latencyMs: 1,
        tamper: (output, input) => {
          if (input.StartAfter?.startsWith('site/d05/')) throw new Error('SlowDown');
          return output;
        },
      },
    );
    const failure = await list(bucket, 'site', { flatPages: 3 }).then(
      () => assert.fail('the listing succeeded'),
      (error: unknown) => error,
    );
    assert.ok(failure instanceof OperationError);
    assert.equal(failure.operation, 'list');
    assert.equal(failure.key, 'site');
    assert.equal(failure.message, 'SlowDown');
    assert.equal(bucket.busy, 0);
    const sent = bucket.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(bucket.requests.length, sent);
  });

  it('fails rather than stop early when a partition comes back truncated without a token', async () => {
    const bucket = new FakeBucket(
      siteKeys(30_000, 10).map((k) => `site/${k}`),
      {
        tamper: (output, input) => {
          if (input.StartAfter !== undefined && input.Delimiter === undefined && output.IsTruncated) {
            return { ...output, NextContinuationToken: undefined };
          }
          return output;
        },
      },
    );
    await assert.rejects(
      list(bucket, 'site'),
      /^Error: Listing s3:\/\/fake\/site came back truncated without a continuation token$/,
    );
  });
});

describe('a store that does not list as S3 does', () => {
  it('is listed again flat when it ignores StartAfter', async () => {
    const bucket = new FakeBucket(siteKeys(5000, 10), { ignoreStartAfter: true });
    const expected = await expectedInventory(bucket, '');
    const { inventory, stats } = await list(bucket, '', { flatPages: 3 });
    assert.deepEqual(inOrder(inventory), expected);
    assert.equal(stats.fellBack, true);
  });

  it('stays flat when its first page is out of UTF-8 order', async () => {
    // JavaScript's order puts "😀" before "｡" and "\uFFFF"; S3's after them.
    const keys = ['😀/a', '\uFF61/b', ...Array.from({ length: 30 }, (_, i) => `\uFFFF/${i}`)];
    const bucket = new FakeBucket(keys, { utf16Order: true });
    const expected = await expectedInventory(bucket, '');
    bucket.requests.length = 0;
    const { inventory, stats } = await list(bucket, '', { pageSize: 4, flatPages: 1 });
    assert.deepEqual(inOrder(inventory), expected);
    assert.equal(stats.partitions, 1);
    assert.equal(bucket.counts().delimited, 0);
  });

  it('is listed again flat when a partition sees keys out of UTF-8 order', async () => {
    const keys = [...Array.from({ length: 30 }, (_, i) => `a/${i}`), 'b/😀', 'b/\uFF61', 'c/1', 'c/2'];
    const bucket = new FakeBucket(keys, { utf16Order: true });
    const expected = await expectedInventory(bucket, '');
    const { inventory, stats } = await list(bucket, '', { pageSize: 4, flatPages: 1 });
    assert.deepEqual(inOrder(inventory), expected);
    assert.equal(stats.fellBack, true);
  });
});

// ---------------------------------------------------------------- s3rver

describe('a partitioned listing against s3rver', () => {
  const s3 = useS3();

  /** Counts LIST requests, and those with a delimiter, sent through the client. */
  function countLists(client: S3Client): { pages: number; delimited: number } {
    const counts = { pages: 0, delimited: 0 };
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ListObjectsV2Command') {
          const input = args.input as { Delimiter?: string };
          if (input.Delimiter === undefined) counts.pages += 1;
          else counts.delimited += 1;
        }
        return next(args);
      },
      { step: 'initialize', name: 'countLists' },
    );
    return counts;
  }

  it('lists 2,500 keys across folders and the root as a flat listing does, within the LIST bounds', async () => {
    const bucket = await s3.bucket();
    // Names that s3rver, which lists folder by folder on disk, lists in S3's order.
    const keys = siteKeys(2500, 12).map((k) => `site/${k}`);
    await forEachBounded(keys, 16, async (key) => {
      await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    });
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'sites.txt', Body: 'outside' }));

    const counts = countLists(s3.client);
    const flatStats = newListStats();
    const location = { client: s3.client, bucket, prefix: 'site' };
    const flat = await listRemote(location, nothingExcluded, undefined, { maxPartitions: 1, stats: flatStats });
    assert.deepEqual({ ...counts }, { pages: 3, delimited: 0 });
    assert.equal(flat.size, 2500);
    assert.deepEqual([...flat.keys()], keys.map((k) => k.slice('site/'.length)).sort(compareKeys));

    // The defaults take as many LISTs: 2,500 keys are not worth splitting.
    const unsplit = await listRemote(location, nothingExcluded);
    assert.deepEqual(inOrder(unsplit), inOrder(flat));
    assert.deepEqual({ ...counts }, { pages: 6, delimited: 0 });

    // Split from the first page on.
    counts.pages = 0;
    const stats = newListStats();
    const partitioned = await listRemote(location, nothingExcluded, undefined, { stats, flatPages: 1 });
    assert.deepEqual(inOrder(partitioned), inOrder(flat));
    assert.equal(stats.fellBack, false);
    assert.equal(stats.entries, 2500);
    assert.ok(stats.partitions > 1, `${stats.partitions} partitions`);
    assert.equal(counts.pages, stats.pageLists);
    assert.equal(counts.delimited, stats.discoveryLists);
    assert.ok(counts.pages <= 3 + stats.partitions, `${counts.pages} pages for ${stats.partitions} partitions`);
    assert.ok(counts.delimited <= 16);
  });
});
