/**
 * The core against a flaky S3: s3rver behind support/s3-proxy.ts, which
 * injects throttling, server errors, connection resets and stalls, and logs
 * every request it receives. The run's client is the action's own
 * (createS3Client: several attempts per request), so what is retried here is
 * what the action retries.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { PART_SIZE } from '../../src/local/digest.js';
import { TEMP_MARKER } from '../../src/local/fs.js';
import { silentReporter } from '../../src/model/reporter.js';
import {
  startS3Proxy,
  type Fault,
  type FaultRequest,
  type ProxiedRequest,
  type S3Proxy,
} from '../../support/s3-proxy.js';
import { allPaths, diskState } from '../helpers/fs-state.js';
import {
  actionClient,
  copy,
  headObject,
  listKeys,
  putObject,
  useS3,
  type CopyOverrides,
  type CopyRun,
} from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree, type TreeSpec } from '../helpers/tree.js';
import { md5 } from '../helpers/md5.js';

const s3 = useS3();
let proxy: S3Proxy;
let fault: ((request: FaultRequest) => Fault) | undefined;

// Started by the first test rather than in a root before(): root hooks do not
// wait for each other, and this one needs useS3's server.
beforeEach(async () => {
  proxy ??= await startS3Proxy({ upstream: s3.server.endpoint, fault: (request) => fault?.(request) });
  fault = undefined;
  proxy.reset();
});
after(() => proxy?.stop());

const INTERNAL: Fault = { status: 500, code: 'InternalError' };
const SLOW_DOWN: Fault = { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' };

const SITE: TreeSpec = {
  'index.html': '<h1>home</h1>',
  'assets/a.css': 'a { color: red }',
  'assets/b.css': 'b { color: blue }',
  'assets/app.js': 'console.log(1)',
  'docs/page.html': '<p>page</p>',
  'empty.txt': '',
  'latest.html': { link: 'docs/page.html' },
};
const SITE_KEYS = Object.keys(SITE);
const SITE_FILES = 6;
const SITE_LINKS = 1;

type Rule = { match: (request: ProxiedRequest) => boolean; fault: Fault; times: number };

/** Each rule injects its fault into the first `times` requests it matches (Infinity: all of them). */
function faults(...rules: Rule[]): (request: FaultRequest) => Fault {
  const seen = rules.map(() => 0);
  return (request) => {
    for (const [i, rule] of rules.entries()) {
      if (!rule.match(request)) continue;
      seen[i] = (seen[i] ?? 0) + 1;
      if ((seen[i] ?? 0) <= rule.times) return rule.fault;
    }
    return undefined;
  };
}

const isObject = (bucket: string, key: string, method: string) => (request: ProxiedRequest) =>
  request.method === method && request.key === `/${bucket}/${key}`;
const isList = (request: ProxiedRequest) => request.kind === 'LIST';

/** A run through the proxy with the action's retrying client. */
function viaProxy(direction: 'push' | 'pull', root: string, bucket: string, overrides: CopyOverrides = {}) {
  return copy(s3, direction, root, bucket, { endpoint: proxy.endpoint, createClient: actionClient, ...overrides });
}

/** The budget's counts, which must equal what the proxy received. */
function budgetCounts(requests: CopyRun['requests']) {
  assert.equal(requests.OTHER, 0);
  const { LIST, HEAD, GET, PUT, POST, DELETE, total } = requests;
  return { LIST, HEAD, GET, PUT, POST, DELETE, total };
}

function mutations(direction: 'push' | 'pull') {
  const kinds = direction === 'push' ? ['PUT', 'POST', 'DELETE'] : ['GET', 'PUT', 'POST', 'DELETE'];
  return proxy.log().filter((request) => kinds.includes(request.kind));
}

/** DeleteObjects batches and object DELETEs; aborting a multipart upload (DELETE ?uploadId) is not one. */
function deletions() {
  return proxy
    .log()
    .filter(
      (request) =>
        (request.kind === 'POST' && /(^|&)delete(=|&|$)/.test(request.query)) ||
        (request.kind === 'DELETE' && !request.query.includes('uploadId')),
    );
}

/** The bucket holds exactly the directory: same keys, and a pull of it gives the same tree. */
async function assertBucketMirrors(bucket: string, source: string, keys: string[]): Promise<void> {
  assert.deepEqual(await listKeys(s3.client, bucket), [...keys].sort());
  const check = await tempDir('mirror-check');
  await copy(s3, 'pull', check, bucket);
  assert.deepEqual(await diskState(check), await diskState(source));
}

/** A push or pull without faults after the state converged: nothing is written or fetched. */
async function assertQuietRerun(direction: 'push' | 'pull', root: string, bucket: string): Promise<void> {
  proxy.reset();
  fault = undefined;
  const before = await diskState(root, { identity: true });
  const run = await viaProxy(direction, root, bucket);
  assert.deepEqual(mutations(direction), [], `a third ${direction} sends no mutating request`);
  assert.deepEqual(
    [run.result.outcome.copied.length, run.result.outcome.redirected.length, run.result.outcome.deleted.length],
    [0, 0, 0],
  );
  assert.deepEqual(await diskState(root, { identity: true }), before, 'nothing in the directory was touched');
  assert.deepEqual(budgetCounts(run.requests), proxy.counts());
}

function noTempFiles(paths: string[]): void {
  assert.deepEqual(
    paths.filter((p) => p.includes(TEMP_MARKER)),
    [],
    'no temporary download is left behind',
  );
}

describe('transient errors are retried', () => {
  it('push converges through throttling, 500s and resets, and the budget counts every attempt', async () => {
    const source = await tempDir();
    await writeTree(source, SITE);
    const bucket = await s3.bucket();
    await putObject(s3.client, bucket, 'old-1.txt', 'old');
    await putObject(s3.client, bucket, 'old-2.txt', 'old');

    fault = faults(
      { match: isList, fault: INTERNAL, times: 1 },
      { match: isObject(bucket, 'assets/b.css', 'PUT'), fault: SLOW_DOWN, times: 2 },
      { match: isObject(bucket, 'latest.html', 'PUT'), fault: 'reset', times: 1 },
      { match: (r) => r.kind === 'POST', fault: INTERNAL, times: 1 },
    );
    const run = await viaProxy('push', source, bucket);

    assert.deepEqual(
      [run.result.outcome.copied.length, run.result.outcome.redirected.length, run.result.outcome.deleted.length],
      [SITE_FILES, SITE_LINKS, 2],
    );
    const counts = proxy.counts();
    assert.deepEqual(budgetCounts(run.requests), counts, 'the budget saw exactly what reached the server');
    assert.equal(counts.LIST, 2, 'the failed LIST was retried');
    assert.equal(counts.PUT, SITE_FILES + SITE_LINKS + 3, 'two throttled PUTs and one reset PUT were retried');
    assert.equal(counts.POST, 2, 'the failed DeleteObjects was retried');
    assert.equal(proxy.log().filter(isObject(bucket, 'assets/b.css', 'PUT')).length, 3);

    await assertBucketMirrors(bucket, source, SITE_KEYS);
    assert.equal((await headObject(s3.client, bucket, 'assets/b.css')).Metadata?.md5, md5('b { color: blue }'));
    await assertQuietRerun('push', source, bucket);
  });

  it('pull converges through throttling and 500s on LIST, HEAD and GET', async () => {
    const base = await tempDir();
    const source = path.join(base, 'source');
    const mirror = path.join(base, 'mirror');
    await writeTree(source, SITE);
    await writeTree(mirror, { 'stale.txt': 'stale', 'assets/a.css': 'old a' });
    const bucket = await s3.bucket();
    await copy(s3, 'push', source, bucket);

    fault = faults(
      { match: isList, fault: SLOW_DOWN, times: 1 },
      { match: isObject(bucket, 'latest.html', 'HEAD'), fault: INTERNAL, times: 1 },
      { match: isObject(bucket, 'docs/page.html', 'GET'), fault: INTERNAL, times: 1 },
      { match: isObject(bucket, 'assets/a.css', 'GET'), fault: SLOW_DOWN, times: 2 },
    );
    const run = await viaProxy('pull', mirror, bucket);

    assert.deepEqual(
      [run.result.outcome.copied.length, run.result.outcome.redirected.length, run.result.outcome.deleted.length],
      [SITE_FILES, SITE_LINKS, 1],
    );
    const counts = proxy.counts();
    assert.deepEqual(budgetCounts(run.requests), counts);
    assert.equal(counts.LIST, 2);
    // One HEAD per zero-byte object (empty.txt, latest.html), plus the retry, and one of assets/a.css:
    // its size differs from the local file's, which it might be stored compressed.
    assert.equal(counts.HEAD, 4);
    assert.equal(counts.GET, SITE_FILES + 3);
    assert.deepEqual(await diskState(mirror), await diskState(source));
    noTempFiles(await allPaths(mirror));
    await assertQuietRerun('pull', mirror, bucket);
  });

  it('a multipart upload survives a throttled CreateMultipartUpload and a failed part', async () => {
    const source = await tempDir();
    const big = randomBytes(PART_SIZE + 64 * 1024);
    await writeTree(source, { 'big.bin': big, 'small.txt': 'small' });
    const bucket = await s3.bucket();

    fault = faults(
      { match: (r) => r.method === 'POST' && /(^|&)uploads(=|&|$)/.test(r.query), fault: SLOW_DOWN, times: 1 },
      { match: (r) => r.method === 'PUT' && /(^|&)partNumber=2(&|$)/.test(r.query), fault: INTERNAL, times: 1 },
    );
    const run = await viaProxy('push', source, bucket);

    assert.equal(run.result.outcome.copied.length, 2);
    const counts = proxy.counts();
    assert.deepEqual(budgetCounts(run.requests), counts);
    // small.txt, two parts and a retried part; create (twice) and complete.
    assert.deepEqual([counts.PUT, counts.POST], [4, 3]);
    await assertBucketMirrors(bucket, source, ['big.bin', 'small.txt']);
    assert.equal((await headObject(s3.client, bucket, 'big.bin')).Metadata?.md5, md5(big));
    await assertQuietRerun('push', source, bucket);
  });
});

describe('failures stop the run before any delete', () => {
  it('a PUT that keeps failing fails the push, sends no delete, and a clean re-run converges', async () => {
    const source = await tempDir();
    await writeTree(source, SITE);
    const bucket = await s3.bucket();
    await putObject(s3.client, bucket, 'old-1.txt', 'old');
    await putObject(s3.client, bucket, 'docs/old.html', 'old');

    fault = faults({ match: isObject(bucket, 'assets/b.css', 'PUT'), fault: INTERNAL, times: Infinity });
    const error = await viaProxy('push', source, bucket).then(
      () => assert.fail('the push should fail'),
      (thrown: Error & { requests?: number }) => thrown,
    );
    assert.equal(error.name, 'InternalError');

    const log = proxy.log();
    assert.ok(log.filter(isObject(bucket, 'assets/b.css', 'PUT')).length > 1, 'the PUT was retried');
    assert.equal(error.requests, proxy.counts().total, 'the budget counted every attempt');
    assert.deepEqual(deletions(), [], 'no DeleteObjects or DELETE was sent');
    assert.deepEqual(
      log.filter((r) => r.kind === 'PUT' && /\.html$/.test(r.key)),
      [],
      'no page or redirect is written once an asset failed',
    );
    const keys = await listKeys(s3.client, bucket);
    assert.ok(keys.includes('old-1.txt') && keys.includes('docs/old.html'), 'extraneous objects are still there');
    assert.ok(!keys.includes('assets/b.css'));

    proxy.reset();
    fault = undefined;
    const second = await viaProxy('push', source, bucket);
    assert.equal(second.result.outcome.deleted.length, 2);
    await assertBucketMirrors(bucket, source, SITE_KEYS);
    await assertQuietRerun('push', source, bucket);
  });

  it('a multipart part that keeps failing aborts the upload, sends no delete, and a clean re-run converges', async () => {
    const source = await tempDir();
    const big = randomBytes(PART_SIZE + 1024);
    await writeTree(source, { 'big.bin': big, 'a.txt': 'a' });
    const bucket = await s3.bucket();
    await putObject(s3.client, bucket, 'extra.txt', 'extra');
    await putObject(s3.client, bucket, 'big.bin', 'an older, smaller big.bin');

    fault = faults({
      match: (r) => r.method === 'PUT' && /(^|&)partNumber=1(&|$)/.test(r.query),
      fault: INTERNAL,
      times: Infinity,
    });
    // s3rver refuses AbortMultipartUpload (MethodNotAllowed): the run still
    // fails with the part's own error, and the leftover upload is named.
    const warnings: string[] = [];
    await assert.rejects(
      viaProxy('push', source, bucket, {
        reporter: { ...silentReporter, warn: (key, m) => warnings.push(`${key}: ${m}`) },
      }),
      (error: Error) => {
        assert.equal(error.name, 'InternalError', String(error));
        return true;
      },
    );
    assert.equal(warnings.length, 1, warnings.join('\n'));
    const named =
      /^big\.bin: Could not abort its unfinished multipart upload \(.+\): .* upload (\S+) on s3:\/\/(\S+)\/big\.bin /.exec(
        warnings[0] ?? '',
      );
    const abort = proxy.log().find((r) => r.kind === 'DELETE' && r.query.includes('uploadId'));
    assert.deepEqual(
      [named?.[1], named?.[2]],
      [new URLSearchParams(abort?.query).get('uploadId'), bucket],
      'the warning names the upload the abort was for',
    );
    const partAttempts = proxy.log().filter((r) => r.method === 'PUT' && /(^|&)partNumber=1(&|$)/.test(r.query));
    assert.ok(partAttempts.length > 1, 'the part was retried');

    assert.deepEqual(deletions(), [], 'no DeleteObjects or DELETE of an object was sent');
    assert.ok(
      proxy.log().some((r) => r.kind === 'DELETE' && r.query.includes('uploadId')),
      'the unfinished multipart upload was aborted',
    );
    assert.deepEqual(await listKeys(s3.client, bucket), ['a.txt', 'big.bin', 'extra.txt']);
    assert.equal((await headObject(s3.client, bucket, 'big.bin')).ContentLength, 25, 'the old object is intact');

    proxy.reset();
    fault = undefined;
    await viaProxy('push', source, bucket);
    await assertBucketMirrors(bucket, source, ['a.txt', 'big.bin']);
    await assertQuietRerun('push', source, bucket);
  });
  it('a large PUT refused before its body is read (an expired session) fails the push with that error, unretried', async () => {
    const source = await tempDir();
    // Over the SDK's 2 MiB threshold for `Expect: 100-continue`, which the
    // action turns off: the body is on its way when the refusal comes, and
    // the client must still read the refusal. (Under 8 MiB: one PUT, no parts.)
    await writeTree(source, { 'big.bin': randomBytes(3 * 1024 * 1024), 'a.txt': 'a' });
    const bucket = await s3.bucket();
    await putObject(s3.client, bucket, 'extra.txt', 'extra');

    fault = faults({
      match: isObject(bucket, 'big.bin', 'PUT'),
      fault: { status: 400, code: 'ExpiredToken', message: 'The provided token has expired.', beforeBody: true },
      times: Infinity,
    });
    await assert.rejects(viaProxy('push', source, bucket), (error: Error) => {
      assert.equal(error.name, 'ExpiredToken', String(error));
      return true;
    });
    const puts = proxy.log().filter(isObject(bucket, 'big.bin', 'PUT'));
    assert.deepEqual(
      puts.map((r) => r.expectsContinue),
      [false],
      'one PUT, not retried, and its body not held back for a 100 Continue',
    );
    assert.deepEqual(deletions(), [], 'no DeleteObjects or DELETE of an object was sent');
    const keys = await listKeys(s3.client, bucket);
    assert.ok(keys.includes('extra.txt') && !keys.includes('big.bin'), keys.join(', '));
  });
});

describe('interrupted downloads', () => {
  it('a connection reset mid-body leaves the old file intact, no temporary file, and no delete', async () => {
    const base = await tempDir();
    const source = path.join(base, 'source');
    const mirror = path.join(base, 'mirror');
    const big = randomBytes(2 * 1024 * 1024);
    await writeTree(source, { 'big.bin': big, 'a.txt': 'a', 'docs/b.txt': 'b' });
    await writeTree(mirror, { 'big.bin': 'old big.bin', 'stale.txt': 'stale', '.hidden': 'dotfile' });
    const bucket = await s3.bucket();
    await copy(s3, 'push', source, bucket);

    fault = faults({ match: isObject(bucket, 'big.bin', 'GET'), fault: 'reset', times: Infinity });
    await assert.rejects(viaProxy('pull', mirror, bucket));

    assert.ok(proxy.log().some(isObject(bucket, 'big.bin', 'GET')), 'the download was attempted');
    const paths = await allPaths(mirror);
    noTempFiles(paths);
    const allowed = new Set(['big.bin', 'stale.txt', '.hidden', 'a.txt', 'docs/', 'docs/b.txt']);
    assert.deepEqual(
      paths.filter((p) => !allowed.has(p)),
      [],
      'nothing but the mirrored files is in the directory',
    );
    assert.equal(await readFile(path.join(mirror, 'big.bin'), 'utf8'), 'old big.bin');
    assert.ok(paths.includes('stale.txt') && paths.includes('.hidden'), 'no local delete after a failed download');

    proxy.reset();
    fault = undefined;
    const second = await viaProxy('pull', mirror, bucket);
    assert.equal(second.result.outcome.deleted.length, 2);
    assert.deepEqual(await diskState(mirror), await diskState(source));
    noTempFiles(await allPaths(mirror));
    await assertQuietRerun('pull', mirror, bucket);
  });

  it('a reset mid-body of an object without md5 metadata leaves nothing of it behind', async () => {
    const base = await tempDir();
    const mirror = path.join(base, 'mirror');
    const huge = randomBytes(12 * 1024 * 1024);
    const bucket = await s3.bucket();
    // Written by another tool: no md5 metadata, so only the transfer itself can detect the cut.
    await putObject(s3.client, bucket, 'data/huge.bin', huge);
    await putObject(s3.client, bucket, 'data/small.txt', 'small');
    await writeTree(mirror, { 'data/old.txt': 'old' });

    fault = faults({ match: isObject(bucket, 'data/huge.bin', 'GET'), fault: 'reset', times: 1 });
    await assert.rejects(viaProxy('pull', mirror, bucket));
    const paths = await allPaths(mirror);
    noTempFiles(paths);
    assert.ok(!paths.includes('data/huge.bin'), 'no partial file at the destination');
    assert.ok(paths.includes('data/old.txt'), 'no local delete after a failed download');

    proxy.reset();
    const second = await viaProxy('pull', mirror, bucket);
    assert.deepEqual(
      [second.result.outcome.copied.length, second.result.outcome.deleted.length],
      [paths.includes('data/small.txt') ? 1 : 2, 1],
    );
    assert.deepEqual(await diskState(mirror), {
      'data/': 'folder',
      'data/huge.bin': `md5 ${md5(huge)}`,
      'data/small.txt': `md5 ${md5('small')}`,
    });
    noTempFiles(await allPaths(mirror));
    await assertQuietRerun('pull', mirror, bucket);
  });
});

describe('stalls', () => {
  // The action's idle timeout is 60 s: a short stall is waited for, neither an error nor retried.
  it('a stalled LIST, PUT and GET are waited out without retries, and the runs converge', async () => {
    const base = await tempDir();
    const source = path.join(base, 'source');
    const mirror = path.join(base, 'mirror');
    await writeTree(source, { 'a.txt': 'a', 'b.txt': 'b' });
    const bucket = await s3.bucket();

    fault = faults(
      { match: isList, fault: { stallMs: 1000 }, times: 1 },
      { match: isObject(bucket, 'b.txt', 'PUT'), fault: { stallMs: 1000 }, times: 1 },
    );
    const push = await viaProxy('push', source, bucket);
    assert.deepEqual(budgetCounts(push.requests), proxy.counts());
    assert.deepEqual([proxy.counts().LIST, proxy.counts().PUT], [1, 2], 'no attempt was repeated');
    await assertBucketMirrors(bucket, source, ['a.txt', 'b.txt']);

    proxy.reset();
    fault = faults({ match: isObject(bucket, 'a.txt', 'GET'), fault: { stallMs: 1000 }, times: 1 });
    const pull = await viaProxy('pull', mirror, bucket);
    assert.equal(proxy.counts().GET, 2);
    assert.equal(pull.result.outcome.copied.length, 2);
    assert.deepEqual(await diskState(mirror), await diskState(source));
  });

  it('a request stalled past the idle timeout is abandoned, retried and counted', async () => {
    const base = await tempDir();
    const source = path.join(base, 'source');
    const mirror = path.join(base, 'mirror');
    await writeTree(source, { 'a.txt': 'a', 'b.txt': 'b' });
    const bucket = await s3.bucket();
    const impatient = (endpoint: string) => actionClient(endpoint, { connectMs: 1000, idleMs: 300 });

    fault = faults({ match: isObject(bucket, 'b.txt', 'PUT'), fault: { stallMs: 1500 }, times: 1 });
    const push = await viaProxy('push', source, bucket, { createClient: impatient });
    assert.equal(proxy.counts().PUT, 3, 'a.txt once, b.txt twice');
    assert.deepEqual(budgetCounts(push.requests), proxy.counts());
    await assertBucketMirrors(bucket, source, ['a.txt', 'b.txt']);

    proxy.reset();
    fault = faults({ match: isObject(bucket, 'a.txt', 'GET'), fault: { stallMs: 1500 }, times: 1 });
    const pull = await viaProxy('pull', mirror, bucket, { createClient: impatient });
    assert.equal(proxy.counts().GET, 3, 'b.txt once, a.txt twice');
    assert.deepEqual(budgetCounts(pull.requests), proxy.counts());
    assert.deepEqual(await diskState(mirror), await diskState(source));
  });
});
