// The deploy lease: the bundled action against moto, which answers conditional
// writes as S3 does, and against s3rver, which ignores them.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { motoAvailability } from '../../support/moto.js';
import { runAction, type ActionRun } from '../../support/run-action.js';
import { startS3Proxy } from '../../support/s3-proxy.js';
import { useMotoS3 } from '../helpers/moto-s3.js';
import { bucketState, getText, listKeys, putObject, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { numberedFiles, writeTree, type TreeSpec } from '../helpers/tree.js';

const LOCK = 'live/.s3-force-copy/lock.json';
const s3 = useS3();

async function workspaceWith(tree: TreeSpec): Promise<string> {
  const workspace = await tempDir('lease');
  await writeTree(path.join(workspace, 'site'), tree);
  return workspace;
}

/** The request kinds the job summary gives, as { PUT: 3, … }. */
function kinds(run: ActionRun): Record<string, number> {
  const found: Record<string, number> = {};
  const line = /allowed \(([^)]*)\)/.exec(run.summary)?.[1] ?? '';
  for (const part of line.split(', ')) {
    const [count, kind] = part.split(' ');
    if (kind) found[kind] = Number(count);
  }
  return found;
}

function lease(expiresInMs: number, holder = 'octo/other@abc https://github.com/octo/other/actions/runs/7') {
  return JSON.stringify({ holder, expires: new Date(Date.now() + expiresInMs).toISOString() });
}

describe('the deploy lease', motoAvailability(), () => {
  const store = useMotoS3();
  /** The bucket's keys but the deploy records (tests of them: deploys.test.ts). */
  const keysBut = async (bucket: string) =>
    (await listKeys(store.client, bucket)).filter(
      (key) => !key.startsWith('live/.s3-force-copy/deploys/') && key !== LOCK,
    );
  /** Who holds a live lease on live/, if anyone: a run ends by overwriting its lease with a released one. */
  const liveLease = async (bucket: string): Promise<string | undefined> => {
    if (!(await listKeys(store.client, bucket)).includes(LOCK)) return undefined;
    const lease = JSON.parse(await getText(store.client, bucket, LOCK)) as { holder: string; expires: string };
    return Date.parse(lease.expires) > Date.now() ? lease.holder : undefined;
  };
  const act = (
    workspace: string,
    bucket: string,
    inputs: Record<string, string> = {},
    env: Record<string, string> = {},
  ) =>
    runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket, prefix: 'live', ...inputs },
      { endpoint: store.moto.url, env },
    );

  it('a push holds it while it changes the bucket and leaves none behind: 2 requests more', async () => {
    const workspace = await workspaceWith({ 'index.html': 'home', 'a.css': 'css' });
    const bucket = await store.bucket();
    const run = await act(workspace, bucket);
    assert.equal(run.status, 0, run.stdout);
    assert.deepEqual(await keysBut(bucket), ['live/.s3-force-copy/manifest.json', 'live/a.css', 'live/index.html']);
    // 2 files + the manifest + the deploy record + the lease and its release (a released lease written over it).
    assert.equal(kinds(run).PUT, 6, run.summary);
    assert.equal(kinds(run).DELETE, undefined, run.summary);
    assert.equal(await liveLease(bucket), undefined, 'no live lease is left');
    const released = JSON.parse(await getText(store.client, bucket, LOCK)) as { holder: string };
    assert.equal(released.holder, 'released');
    const again = await act(workspace, bucket);
    assert.deepEqual(
      [kinds(again).PUT, kinds(again).DELETE, again.outputs.requests],
      [undefined, undefined, '2'],
      again.summary,
    );
  });

  it('lock: false takes none', async () => {
    const workspace = await workspaceWith({ 'index.html': 'home' });
    const bucket = await store.bucket();
    await putObject(store.client, bucket, LOCK, lease(60_000));
    const run = await act(workspace, bucket, { lock: 'false' });
    assert.equal(run.status, 0, run.stdout);
    // The file, the manifest and the deploy record.
    assert.equal(kinds(run).PUT, 3, run.summary);
    assert.equal(kinds(run).DELETE, undefined, run.summary);
  });

  it('a live lease makes a push wait, then fail naming its holder and expiry, with nothing changed', async () => {
    const workspace = await workspaceWith({ 'index.html': 'new home', 'b.css': 'b' });
    const bucket = await store.bucket();
    await putObject(store.client, bucket, 'live/index.html', 'old home');
    const planted = lease(120_000);
    await putObject(store.client, bucket, LOCK, planted);
    const before = await bucketState(store.client, bucket);
    const started = Date.now();
    const run = await act(workspace, bucket, { 'lock-wait': '2' });
    assert.notEqual(run.status, 0, run.stdout);
    assert.ok(Date.now() - started >= 2000, 'it waited lock-wait');
    assert.match(run.stdout, /Waiting for the deploy lease on s3:\/\/moto-[^ ]+\/live, held by octo\/other@abc/);
    const expires = (JSON.parse(planted) as { expires: string }).expires;
    const error = run.errors.join('\n');
    assert.match(error, /held by octo\/other@abc https:\/\/github.com\/octo\/other\/actions\/runs\/7/);
    assert.ok(error.includes(`its lease expires ${expires}`), error);
    assert.match(error, /Nothing was changed/);
    assert.deepEqual(await bucketState(store.client, bucket), before);
    assert.equal(await getText(store.client, bucket, LOCK), planted, 'the other run’s lease is left alone');
  });

  it('a push waits for a lease that is released, then lists again and goes on', async () => {
    const workspace = await workspaceWith({ 'index.html': 'home' });
    const bucket = await store.bucket();
    await putObject(store.client, bucket, LOCK, lease(2_500));
    const started = Date.now();
    const run = await act(workspace, bucket, { 'lock-wait': '30' });
    assert.equal(run.status, 0, run.stdout);
    assert.ok(Date.now() - started >= 2000, 'it waited for the expiry');
    assert.match(run.stdout, /Waiting for the deploy lease/);
    assert.deepEqual(await keysBut(bucket), ['live/.s3-force-copy/manifest.json', 'live/index.html']);
  });

  it('an expired lease is taken over at once, and released', async () => {
    const workspace = await workspaceWith({ 'index.html': 'home' });
    const bucket = await store.bucket();
    await putObject(store.client, bucket, LOCK, lease(-60_000));
    const run = await act(workspace, bucket, { 'lock-wait': '0' });
    assert.equal(run.status, 0, run.stdout);
    assert.doesNotMatch(run.stdout, /Waiting for/);
    assert.deepEqual(await keysBut(bucket), ['live/.s3-force-copy/manifest.json', 'live/index.html']);
  });

  it('a pull and a dry run take none, but wait for a live one the listing shows', async () => {
    const workspace = await workspaceWith({ 'index.html': 'home' });
    const bucket = await store.bucket();
    assert.equal((await act(workspace, bucket)).status, 0);
    await putObject(store.client, bucket, LOCK, lease(120_000));
    const dry = await act(workspace, bucket, { 'dry-run': 'true', 'lock-wait': '1' });
    assert.notEqual(dry.status, 0, dry.stdout);
    assert.match(dry.errors.join('\n'), /held by octo\/other@abc/);
    await putObject(store.client, bucket, LOCK, lease(2_000));
    const pulled = await act(workspace, bucket, { direction: 'pull', directory: 'copy', 'lock-wait': '30' });
    assert.equal(pulled.status, 0, pulled.stdout);
    assert.match(pulled.stdout, /Waiting for the deploy lease/);
    assert.equal(kinds(pulled).PUT, undefined, pulled.summary);
    assert.equal(kinds(pulled).DELETE, undefined, pulled.summary);
  });

  it('a remove holds it too, and leaves the action’s folder', async () => {
    const workspace = await workspaceWith({ 'index.html': 'home' });
    const bucket = await store.bucket();
    assert.equal((await act(workspace, bucket)).status, 0);
    await putObject(store.client, bucket, LOCK, lease(120_000));
    const refused = await runAction(
      workspace,
      { direction: 'remove', bucket, prefix: 'live', 'lock-wait': '1' },
      { endpoint: store.moto.url },
    );
    assert.notEqual(refused.status, 0);
    assert.match(refused.errors.join('\n'), /held by octo\/other@abc/);
    await putObject(store.client, bucket, LOCK, lease(-1));
    const removed = await runAction(
      workspace,
      { direction: 'remove', bucket, prefix: 'live' },
      { endpoint: store.moto.url },
    );
    assert.equal(removed.status, 0, removed.stdout);
    assert.deepEqual(await keysBut(bucket), ['live/.s3-force-copy/manifest.json']);
  });

  it('two pushes of different trees started together: both succeed, the bucket is exactly one of them', async () => {
    const bucket = await store.bucket();
    const treeA: TreeSpec = { 'index.html': 'A home', 'only-a.html': 'a', ...numberedFiles(40, 'a') };
    const treeB: TreeSpec = { 'index.html': 'B home', 'only-b.html': 'b', ...numberedFiles(40, 'b') };
    const [a, b] = await Promise.all([workspaceWith(treeA), workspaceWith(treeB)]);
    // The second deletes all but index.html of the first: past the default half-the-objects limit.
    const inputs = { 'lock-wait': '60', 'max-delete': '100' };
    // Each run's page upload is held back 2 s, so the first to hold the lease is still applying when the
    // other lists or asks for it: the runs overlap whatever the machine's speed.
    const proxy = await startS3Proxy({
      upstream: store.moto.url,
      fault: (request) =>
        request.method === 'PUT' && request.key.endsWith('/live/index.html') ? { stallMs: 2000 } : undefined,
    });
    const through = (workspace: string) =>
      runAction(
        workspace,
        { direction: 'push', directory: 'site', bucket, prefix: 'live', ...inputs },
        { endpoint: proxy.endpoint },
      );
    const [runA, runB] = await Promise.all([through(a), through(b)]).finally(() => proxy.stop());
    assert.equal(runA.status, 0, runA.stdout);
    assert.equal(runB.status, 0, runB.stdout);
    const keys = (await keysBut(bucket)).filter((key) => !key.startsWith('live/.s3-force-copy/'));
    const expect = (tree: TreeSpec) =>
      Object.keys(tree)
        .map((key) => `live/${key}`)
        .sort();
    const home = await getText(store.client, bucket, 'live/index.html');
    assert.deepEqual(keys, expect(home === 'A home' ? treeA : treeB));
    assert.ok(/Waiting for the deploy lease/.test(runA.stdout + runB.stdout), 'one waited for the other');
    assert.equal(await liveLease(bucket), undefined, 'no live lease is left');
  });

  it('SIGTERM releases it; a SIGKILLed run’s lease blocks only until it expires', async () => {
    const workspace = await workspaceWith(numberedFiles(400, 'f'));
    const bucket = await store.bucket();
    const short = { S3_FORCE_COPY_LEASE_SECONDS: '4' };
    const killWhenHeld = (signal: NodeJS.Signals) => async (child: ChildProcess) => {
      for (let i = 0; i < 600 && (await liveLease(bucket)) === undefined; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      child.kill(signal);
    };
    const bucket2 = bucket;
    const stopped = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket: bucket2, prefix: 'live' },
      { endpoint: store.moto.url, env: short, whileRunning: killWhenHeld('SIGTERM') },
    );
    assert.equal(stopped.status, 143, stopped.stdout);
    assert.equal(await liveLease(bucket2), undefined, 'SIGTERM released it');
    await writeTree(path.join(workspace, 'site'), numberedFiles(400, 'g'));
    const killed = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket: bucket2, prefix: 'live' },
      { endpoint: store.moto.url, env: short, whileRunning: killWhenHeld('SIGKILL') },
    );
    assert.equal(killed.signal, 'SIGKILL');
    const left = JSON.parse(await getText(store.client, bucket2, LOCK)) as { holder: string; expires: string };
    assert.match(left.holder, /^octo\/site@0123456789ab/);
    const expiresIn = Date.parse(left.expires) - Date.now();
    assert.ok(expiresIn <= 4_000, `the lease lasts the short life: ${expiresIn} ms`);
    const started = Date.now();
    const next = await act(workspace, bucket2, { 'lock-wait': '60' }, short);
    assert.equal(next.status, 0, next.stdout);
    assert.ok(Date.now() - started < expiresIn + 15_000, 'blocked only until the expiry');
    assert.equal(await liveLease(bucket2), undefined, 'no live lease is left');
  });
});

describe('the lease on a store that ignores conditional writes (s3rver)', () => {
  it('warns once, naming the store, and the run goes on unlocked', async () => {
    const workspace = await workspaceWith({ 'index.html': 'home' });
    const bucket = await s3.bucket();
    await putObject(s3.client, bucket, LOCK, lease(120_000));
    const run = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket, prefix: 'live', 'lock-wait': '1' },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(run.status, 0, run.stdout);
    const warnings = run.warnings.filter((warning) => /ignores conditional writes/.test(warning));
    assert.equal(warnings.length, 1, run.warnings.join('\n'));
    assert.ok(warnings[0]!.includes(s3.server.endpoint), warnings[0]);
    assert.ok((await listKeys(s3.client, bucket)).includes('live/index.html'));
  });
});

describe('the action’s own folder', () => {
  it('is never content: not pushed, not deleted, whatever manifest-key, exclude and delete say', async () => {
    const workspace = await workspaceWith({ 'index.html': 'home', '.s3-force-copy/local.json': 'mine' });
    const bucket = await s3.bucket();
    await putObject(s3.client, bucket, 'live/.s3-force-copy/manifest.json', 'an old manifest');
    await putObject(s3.client, bucket, 'live/.s3-force-copy/deploys/x.json', 'a record');
    const run = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket, prefix: 'live', 'manifest-key': '', delete: 'true' },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(run.status, 0, run.stdout);
    assert.equal(run.outputs.deleted, '0');
    assert.deepEqual(await listKeys(s3.client, bucket), [
      `live/.s3-force-copy/deploys/${run.outputs['deploy-id']}.json`,
      'live/.s3-force-copy/deploys/x.json',
      'live/.s3-force-copy/lock.json',
      'live/.s3-force-copy/manifest.json',
      'live/index.html',
    ]);
    const pulled = await runAction(
      workspace,
      { direction: 'pull', directory: 'copy', bucket, prefix: 'live', 'manifest-key': '' },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(pulled.status, 0, pulled.stdout);
    assert.equal(pulled.outputs.downloaded, '1');
  });
});
