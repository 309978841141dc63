import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, readdir, readlink, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PART_SIZE } from '../../src/local/digest.js';
import { describeFailure } from '../../src/report/failure.js';
import { copy, headObject, listKeys, putObject, testSettings, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { diskState } from '../helpers/fs-state.js';
import { numberedFiles, writeTree, type TreeSpec } from '../helpers/tree.js';
import { md5 } from '../helpers/md5.js';

const s3 = useS3(['web-site']);
const big = Buffer.alloc(PART_SIZE + 1024, 'x');

const SITE: TreeSpec = {
  'index.html': '<h1>home</h1>',
  'about/index.html': '<h1>about</h1>',
  'assets/site.css': 'body { color: red }',
  'assets/app.js': 'console.log(1)',
  'assets/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  'docs/deep/nested/page.html': 'deep',
  'ünïcödé/naïve file.txt': 'unicode and spaces',
  'odd names/a#b?c%d+e.html': 'awkward',
  'empty.txt': '',
  'big.bin': big,
  'latest.html': { link: 'docs/deep/nested/page.html' },
  'about/home.html': { link: '../index.html' },
  'chain.html': { link: 'latest.html' },
  'odd names/link to odd.html': { link: 'a#b?c%d+e.html' },
};

describe('push then pull', () => {
  it('round-trips a tree exactly, symlinks included, and re-runs change nothing', async () => {
    const base = await tempDir();
    const source = path.join(base, 'source');
    const mirror = path.join(base, 'mirror');
    await writeTree(source, SITE);
    const bucket = await s3.bucket();

    const pushed = await copy(s3, 'push', source, bucket);
    assert.equal(pushed.result.outcome.copied.length, 10);
    assert.equal(pushed.result.outcome.redirected.length, 4);
    assert.deepEqual(pushed.result.warnings, []);

    const pulled = await copy(s3, 'pull', mirror, bucket);
    assert.equal(pulled.result.outcome.copied.length, 10);
    assert.equal(pulled.result.outcome.redirected.length, 4);
    const mirrored = await diskState(mirror);
    // Links come back relative to their own folder, pointing at the final target.
    assert.equal(mirrored['chain.html'], 'link -> docs/deep/nested/page.html');
    assert.equal(mirrored['about/home.html'], 'link -> ../index.html');
    const expected = await diskState(source);
    expected['chain.html'] = mirrored['chain.html'];
    assert.deepEqual(mirrored, expected);

    const pushAgain = await copy(s3, 'push', source, bucket);
    assert.equal(pushAgain.requests.PUT + pushAgain.requests.POST + pushAgain.requests.DELETE, 0);
    assert.equal(pushAgain.requests.GET, 0);
    // One LIST, and one HEAD for each zero-byte object (1 empty file, 4 redirects).
    assert.deepEqual([pushAgain.requests.LIST, pushAgain.requests.HEAD], [1, 5]);
    assert.equal(pushAgain.result.plan.unchanged.length, 14);

    const pullAgain = await copy(s3, 'pull', mirror, bucket);
    assert.equal(pullAgain.requests.GET + pullAgain.requests.PUT + pullAgain.requests.DELETE, 0);
    assert.deepEqual([pullAgain.requests.LIST, pullAgain.requests.HEAD], [1, 5]);
    assert.deepEqual(await diskState(mirror), mirrored);
  });

  it('stores the md5 in metadata, a Content-Type on a multipart upload too, and encoded redirect locations', async () => {
    const source = await tempDir();
    await writeTree(source, SITE);
    const bucket = await s3.bucket();
    await copy(s3, 'push', source, bucket);

    // The Content-Type of each kind of file is checked in cache-control.test.ts (single PUTs) and content-type.test.ts.
    assert.equal((await headObject(s3.client, bucket, 'big.bin')).ContentType, 'application/octet-stream');
    assert.equal((await headObject(s3.client, bucket, 'index.html')).Metadata?.md5, md5('<h1>home</h1>'));
    assert.equal((await headObject(s3.client, bucket, 'big.bin')).Metadata?.md5, md5(big));
    const redirect = await headObject(s3.client, bucket, 'odd names/link to odd.html');
    assert.equal(redirect.WebsiteRedirectLocation, '/odd%20names/a%23b%3Fc%25d%2Be.html');
    assert.equal(redirect.ContentLength, 0);
  });

  it('serves a pushed symlink as a 301 on the website endpoint', async () => {
    const source = await tempDir();
    await writeTree(source, SITE);
    await copy(s3, 'push', source, 'web-site');
    const redirect = await s3.server.websiteGet('web-site', '/about/home.html');
    assert.equal(redirect.status, 301);
    assert.equal(redirect.location, '/index.html');
    const awkward = await s3.server.websiteGet('web-site', '/odd%20names/link%20to%20odd.html');
    assert.equal(awkward.status, 301);
    const target = await s3.server.websiteGet('web-site', awkward.location ?? '');
    assert.deepEqual([target.status, target.body], [200, 'awkward']);
  });
});

describe('mirroring deletes', () => {
  it('push deletes objects the directory lacks, in DeleteObjects batches', async () => {
    const source = await tempDir();
    await writeTree(source, { 'keep.txt': 'keep' });
    const bucket = await s3.bucket();
    // Flat keys: s3rver deletes a batch's keys concurrently and fails when two
    // of them race to remove the folder they emptied.
    for (let i = 0; i < 1005; i += 1) await putObject(s3.client, bucket, `old-${i}.txt`, `${i}`);
    const run = await copy(s3, 'push', source, bucket);
    assert.equal(run.result.outcome.deleted.length, 1005);
    assert.equal(run.requests.POST, 2, 'two DeleteObjects batches for 1005 keys');
    assert.deepEqual(await listKeys(s3.client, bucket), ['keep.txt']);
  });

  it('pull deletes local files the bucket lacks and prunes emptied folders', async () => {
    const base = await tempDir();
    const source = path.join(base, 'source');
    const mirror = path.join(base, 'mirror');
    await writeTree(source, { 'a.txt': 'a' });
    await writeTree(mirror, { 'a.txt': 'a', 'stale/deeper/x.txt': 'x', 'stale.txt': 'y' });
    const bucket = await s3.bucket();
    await copy(s3, 'push', source, bucket);
    const run = await copy(s3, 'pull', mirror, bucket);
    assert.equal(run.result.outcome.deleted.length, 2);
    assert.deepEqual(await readdir(mirror), ['a.txt']);
  });
});

describe('file descriptors', () => {
  /** Files this process holds open below `folder`, as Linux lists them in /proc. */
  async function openBelow(folder: string): Promise<string[]> {
    const real = await realpath(folder);
    const targets = await Promise.all(
      (await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
    );
    return targets.filter((target) => target.startsWith(real + path.sep));
  }

  // One descriptor left open per file failed a 20,000-file push with EMFILE.
  it('push and pull leave no file open', { skip: !existsSync('/proc/self/fd') && 'needs /proc' }, async () => {
    const source = await tempDir();
    await writeTree(source, numberedFiles(200));
    const bucket = await s3.bucket();
    await copy(s3, 'push', source, bucket);
    assert.deepEqual(await openBelow(source), []);
    const mirror = await tempDir();
    await copy(s3, 'pull', mirror, bucket);
    assert.deepEqual(await diskState(mirror), await diskState(source));
    assert.deepEqual(await openBelow(mirror), []);
  });
});

describe('failures', () => {
  it('runs no delete when an upload fails, and fails the run', async () => {
    const source = await tempDir();
    await writeTree(source, { 'a.css': 'a', 'b.html': 'b' });
    const bucket = await s3.bucket();
    await putObject(s3.client, bucket, 'extra.txt', 'x');
    await assert.rejects(
      copy(s3, 'push', source, bucket, {
        configureClient: (client) =>
          client.middlewareStack.add(
            (next, context) => async (args) => {
              const input = args.input as { Key?: string };
              if (context.commandName === 'PutObjectCommand' && input.Key === 'b.html')
                throw new Error('injected PUT failure');
              return next(args);
            },
            { step: 'initialize' },
          ),
      }),
      /injected PUT failure/,
    );
    assert.deepEqual(await listKeys(s3.client, bucket), ['a.css', 'extra.txt']);
  });

  it('keeps the old file and fails when a download does not match its md5 metadata', async () => {
    const mirror = await tempDir();
    await writeFile(path.join(mirror, 'a.txt'), 'old');
    const bucket = await s3.bucket();
    await putObject(s3.client, bucket, 'a.txt', 'new content', { md5: md5('something else') });
    await assert.rejects(copy(s3, 'pull', mirror, bucket), /has md5 .* but its metadata says/);
    assert.equal(await readFile(path.join(mirror, 'a.txt'), 'utf8'), 'old');
    assert.deepEqual(await readdir(mirror), ['a.txt'], 'no temporary file is left');
  });

  it('refuses a push from a missing directory, naming it', async () => {
    const base = await tempDir();
    const bucket = await s3.bucket();
    await putObject(s3.client, bucket, 'a.txt', 'a');
    const missing = path.join(base, 'missing');
    await assert.rejects(
      copy(s3, 'push', missing, bucket),
      (error: Error) =>
        error.message.includes(missing) && /does not exist, so there is nothing to push/.test(error.message),
    );
    assert.deepEqual(await listKeys(s3.client, bucket), ['a.txt']);
  });

  it('reports a missing bucket as NoSuchBucket, which the action says in one sentence naming it', async () => {
    const source = await tempDir();
    await writeTree(source, { 'a.txt': 'a' });
    const failure = await copy(s3, 'push', source, 'no-such-bucket').then(
      () => assert.fail('the push should fail'),
      (error: Error) => error,
    );
    assert.equal(failure.name, 'NoSuchBucket');
    const settings = testSettings(s3.server.endpoint, { bucket: 'no-such-bucket' });
    assert.match(
      describeFailure(failure, { settings, requestsSucceeded: 0 }),
      /^The bucket s3:\/\/no-such-bucket\/ does not exist/,
    );
  });
});

describe('pull safety', () => {
  it('replaces a local symlink with the file and leaves what it pointed to untouched', async () => {
    const base = await tempDir();
    const mirror = path.join(base, 'mirror');
    await writeTree(base, { 'victim.txt': 'precious' });
    await writeTree(mirror, { 'a.txt': { link: '../victim.txt' } });
    const bucket = await s3.bucket();
    await putObject(s3.client, bucket, 'a.txt', 'from bucket');
    await copy(s3, 'pull', mirror, bucket);
    assert.equal(await readFile(path.join(base, 'victim.txt'), 'utf8'), 'precious');
    const mirrored = await diskState(mirror);
    assert.deepEqual(mirrored, { 'a.txt': `md5 ${md5('from bucket')}` });
  });

  it('unlinks a local symlink the bucket lacks without following it', async () => {
    const base = await tempDir();
    const mirror = path.join(base, 'mirror');
    await writeTree(base, { 'outside/keep.txt': 'keep' });
    await writeTree(mirror, {
      'a.txt': 'a',
      'link-to-folder': { link: '../outside' },
      'link-to-file': { link: '../outside/keep.txt' },
    });
    const bucket = await s3.bucket();
    await putObject(s3.client, bucket, 'a.txt', 'a');
    await copy(s3, 'pull', mirror, bucket);
    assert.deepEqual(await readdir(mirror), ['a.txt']);
    assert.equal(await readFile(path.join(base, 'outside/keep.txt'), 'utf8'), 'keep');
  });

  it('makes relative symlinks for redirects and skips unsafe ones with warnings', async () => {
    const mirror = await tempDir();
    const bucket = await s3.bucket();
    await putObject(s3.client, bucket, 'docs/a.html', 'a');
    await putObject(s3.client, bucket, 'docs/link.html', '', { redirect: '/docs/a.html' });
    await putObject(s3.client, bucket, 'url.html', '', { redirect: 'https://example.com/' });
    await putObject(s3.client, bucket, 'up.html', '', { redirect: '/../../etc/passwd' });
    const run = await copy(s3, 'pull', mirror, bucket);
    assert.equal(await readlink(path.join(mirror, 'docs/link.html')), 'a.html');
    assert.deepEqual(run.result.warnings.map((w) => w.key).sort(), ['up.html', 'url.html']);
    assert.deepEqual(await readdir(mirror), ['docs']);
  });
});
