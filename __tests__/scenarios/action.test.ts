// End to end: the bundled dist/index.js, run the way the runner runs it.
// `npm run bundle` must have been run after source changes (CI checks that
// dist/ is fresh).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { copyFile, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { TEMP_MARKER } from '../../src/local/fs.js';
import { runAction } from '../../support/run-action.js';
import { startS3Proxy } from '../../support/s3-proxy.js';
import { copy, listKeys, putObject, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { numberedFiles, writeTree } from '../helpers/tree.js';

const s3 = useS3();
const declaredOutputs = (parse(readFileSync('action.yml', 'utf8')) as { outputs: Record<string, unknown> }).outputs;
const HOSTILE = '<img src=x onerror=alert(1)>.html';
const BUNDLE = path.resolve('dist', 'index.js');
const LOG_THREADS = path.resolve('__tests__', 'helpers', 'log-threads.mjs');

async function site(): Promise<string> {
  const workspace = await tempDir('action');
  await writeTree(path.join(workspace, 'site'), {
    'index.html': '<h1>home</h1>',
    'assets/app.css': 'body{}',
    [HOSTILE]: 'hostile name',
    'latest.html': { link: 'index.html' },
    'broken.html': { link: 'missing.html' },
  });
  return workspace;
}

describe('dist/index.js', () => {
  it('pushes, sets every output and writes an escaped job summary', async () => {
    const workspace = await site();
    const bucket = await s3.bucket();
    const run = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket },
      { endpoint: s3.server.endpoint },
    );

    assert.equal(run.status, 0, run.stdout);
    assert.deepEqual(run.errors, []);
    assert.equal(run.outputs.uploaded, '3');
    assert.equal(run.outputs.downloaded, '0');
    assert.equal(run.outputs.redirected, '1');
    assert.equal(run.outputs.skipped, '0');
    assert.equal(run.outputs.deleted, '0');
    // broken.html, and the redirect that s3rver's bucket, with no website hosting, will not serve.
    assert.equal(run.outputs.warnings, '2');
    assert.equal(run.outputs['dry-run'], 'false');
    assert.deepEqual(Object.keys(run.outputs).sort(), Object.keys(declaredOutputs).sort());
    // 1 LIST and the manifest's GET, the lease's PUT, 3 PUT + 1 redirect PUT, the HEAD that checks the
    // redirect was kept, the manifest's and the deploy record's PUT and the lease's release PUT; nothing else
    // to HEAD in an empty bucket. Then, as the push wrote a redirect, one GetBucketWebsite (a GET).
    assert.equal(run.outputs.requests, '12');
    // In apply order: assets, then pages, then redirects.
    assert.deepEqual(JSON.parse(run.outputs['changed-keys'] ?? ''), [
      'assets/app.css',
      HOSTILE,
      'index.html',
      'latest.html',
    ]);
    assert.deepEqual(
      await listKeys(s3.client, bucket),
      [
        `.s3-force-copy/deploys/${run.outputs['deploy-id']}.json`,
        '.s3-force-copy/lock.json',
        '.s3-force-copy/manifest.json',
        'assets/app.css',
        'index.html',
        'latest.html',
        HOSTILE,
      ].sort(),
    );

    // The broken link is a warning annotation that names it and says why.
    assert.equal(run.warnings.length, 2);
    assert.match(run.warnings[0] ?? '', /^broken\.html: .*(broken|does not exist)/i);
    assert.match(run.warnings[1] ?? '', /no static website hosting, so the 1 redirect this push writes will not be/);

    assert.match(run.summary, /<h2>s3-force-copy push<\/h2>/);
    assert.match(run.summary, new RegExp(`<code>site</code> → <code>s3://${bucket}/</code>`));
    assert.match(run.summary, /from <code>octo\/site@0123456<\/code>/);
    assert.match(run.summary, /12 of 1,000,000 allowed \(1 LIST, 1 HEAD, 2 GET, 8 PUT\)/);
    assert.ok(!run.summary.includes('<img'), 'a key must never reach the summary as HTML');
    assert.ok(run.summary.includes('&#60;img src=x onerror=alert(1)&#62;.html'));

    const again = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(again.status, 0, again.stdout);
    assert.equal(again.outputs.uploaded, '0');
    assert.equal(again.outputs.skipped, '4');
    assert.equal(again.outputs['changed-keys'], '[]');
  });

  it('sizes and hashes a tree of more than 1,000 files on its file thread, dist/file-worker.js', async () => {
    const workspace = await tempDir('action');
    await writeTree(path.join(workspace, 'site'), numberedFiles(1200));
    const threads = path.join(workspace, 'threads.log');
    const bucket = await s3.bucket();
    const run = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket },
      {
        endpoint: s3.server.endpoint,
        env: { NODE_OPTIONS: `--import=${pathToFileURL(LOG_THREADS).href}`, THREAD_LOG: threads },
      },
    );
    assert.equal(run.status, 0, run.stdout);
    assert.deepEqual(run.errors, []);
    assert.equal(run.outputs.uploaded, '1200');
    assert.equal((await listKeys(s3.client, bucket)).filter((key) => key.startsWith('f/')).length, 1200);
    // The runner's thread and the run's both run dist/index.js (ADR 1); past
    // the first 1,000 files the scan starts the file thread on its own file,
    // which answers (a thread that failed would leave its files to the run's).
    const fileWorker = path.resolve('dist', 'file-worker.js');
    const log = (await readFile(threads, 'utf8')).trim().split('\n');
    assert.deepEqual(
      log.filter((line) => line.startsWith('started ')),
      [`started ${BUNDLE}`, `started ${BUNDLE}`, `started ${fileWorker}`],
    );
    assert.ok(log.includes(`answered ${fileWorker}`), log.join('\n'));
  });

  it('pulls a bucket back, symlinks included', async () => {
    const workspace = await site();
    const bucket = await s3.bucket();
    const push = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(push.status, 0, push.stdout);

    const pull = await runAction(
      workspace,
      { direction: 'pull', directory: 'mirror', bucket },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(pull.status, 0, pull.stdout);
    assert.equal(pull.outputs.downloaded, '3');
    assert.equal(pull.outputs.uploaded, '0');
    assert.equal(pull.outputs.redirected, '1');
    assert.equal(await readlink(path.join(workspace, 'mirror', 'latest.html')), 'index.html');
    assert.match(pull.summary, new RegExp(`<code>s3://${bucket}/</code> → <code>mirror</code>`));
  });

  for (const [signal, exitCode] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`cancelled (${signal}) mid-download, exits ${exitCode} and leaves no partial file`, async () => {
      const workspace = await tempDir();
      const mirror = path.join(workspace, 'mirror');
      await writeTree(mirror, { 'big.bin': 'the old big.bin' });
      const bucket = await s3.bucket();
      // Past the size taken whole, so the download streams into its temp file.
      await putObject(s3.client, bucket, 'big.bin', randomBytes(3 * 1024 * 1024));
      await putObject(s3.client, bucket, 'index.html', '<h1>home</h1>');
      const proxy = await startS3Proxy({
        upstream: s3.server.endpoint,
        fault: (request) => (request.kind === 'GET' && request.key.endsWith('/big.bin') ? 'hang' : undefined),
      });
      try {
        const tempFiles = async () => (await readdir(mirror)).filter((name) => name.startsWith(TEMP_MARKER));
        const run = await runAction(
          workspace,
          { direction: 'pull', directory: 'mirror', bucket },
          {
            endpoint: proxy.endpoint,
            whileRunning: async (child) => {
              // big.bin's download is in flight under its temporary name; half its body comes, then nothing.
              // (A run that ends first fails the assertions below instead of hanging here.)
              const running = () => child.exitCode === null && child.signalCode === null;
              while (running() && (await tempFiles()).length === 0) {
                await new Promise((resolve) => setTimeout(resolve, 20));
              }
              child.kill(signal);
            },
          },
        );
        assert.equal(run.signal, null, 'the action handles the signal itself');
        assert.equal(run.status, exitCode, run.stdout);
        assert.deepEqual(await tempFiles(), []);
        assert.equal(await readFile(path.join(mirror, 'big.bin'), 'utf8'), 'the old big.bin');
      } finally {
        await proxy.stop();
      }
    });
  }

  it('reports a crash outside the run (a dist/ copied without its chunks) as an error annotation, exit 1', async () => {
    const lone = await tempDir();
    for (const file of ['index.js', 'package.json']) await copyFile(path.join('dist', file), path.join(lone, file));
    const crashed = spawnSync(process.execPath, [path.join(lone, 'index.js')], { encoding: 'utf8' });
    assert.equal(crashed.status, 1);
    assert.match(crashed.stdout, /^::error::.*Cannot find module .*index\.js/m);
  });

  it('on a dry run changes nothing and says so', async () => {
    const workspace = await site();
    const bucket = await s3.bucket();
    const run = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket, 'dry-run': 'true' },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(run.status, 0, run.stdout);
    assert.equal(run.outputs['dry-run'], 'true');
    assert.equal((JSON.parse(run.outputs['changed-keys'] ?? '') as string[]).length, 4);
    assert.deepEqual(await listKeys(s3.client, bucket), []);
    assert.match(run.summary, /\(dry run\)/);
    assert.match(run.summary, /Would upload<\/td><td>3</);
  });

  it('logs a line per file only when step debug logging is on', async () => {
    const workspace = await site();
    const quiet = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket: await s3.bucket() },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(quiet.status, 0, quiet.stdout);
    assert.doesNotMatch(quiet.stdout, /::debug::/);

    const debug = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket: await s3.bucket() },
      { endpoint: s3.server.endpoint, env: { RUNNER_DEBUG: '1' } },
    );
    assert.equal(debug.status, 0, debug.stdout);
    assert.match(debug.stdout, /^::debug::uploaded index\.html \(new\)$/m);
    assert.match(debug.stdout, /^::debug::redirected latest\.html -> \/index\.html \(new\)$/m);
  });

  it('runs without a job summary file', async () => {
    const workspace = await site();
    const bucket = await s3.bucket();
    const run = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket },
      { endpoint: s3.server.endpoint, summary: false },
    );
    assert.equal(run.status, 0, run.stdout);
    assert.equal(run.outputs.uploaded, '3');
  });

  it("counts every warning it printed, the runner's files' included", async () => {
    const workspace = await site();
    // A job summary that cannot be written: broken.html, the redirect s3rver will not serve, then the summary.
    const unwritable = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket: await s3.bucket() },
      { endpoint: s3.server.endpoint, env: { GITHUB_STEP_SUMMARY: workspace } },
    );
    assert.equal(unwritable.status, 0, unwritable.stdout);
    assert.match(unwritable.warnings[2] ?? '', /^Could not write the job summary/);
    assert.equal(unwritable.outputs.warnings, '3');
    assert.match(unwritable.stdout, /, warnings 3, /);
    // No outputs to read: the summary counts the GITHUB_OUTPUT warning, broken.html and the redirect.
    const noOutputs = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket: await s3.bucket() },
      { endpoint: s3.server.endpoint, env: { GITHUB_OUTPUT: path.join(workspace, 'no-such-output') } },
    );
    assert.equal(noOutputs.status, 0, noOutputs.stdout);
    assert.equal(noOutputs.warnings.length, 3, noOutputs.stdout);
    assert.match(noOutputs.summary, /<td>Warnings<\/td><td>3<\/td>/);
  });

  it('on a refused run still shows the warnings, and a job summary that says why', async () => {
    const workspace = await tempDir('action');
    await writeTree(path.join(workspace, 'site'), { 'broken.html': { link: 'missing.html' } });
    const bucket = await s3.bucket();
    const run = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(run.status, 1);
    assert.match(run.warnings[0] ?? '', /^broken\.html: Skipped: it is a broken symlink/);
    assert.match(run.errors[0] ?? '', /has nothing to push/);
    assert.match(run.summary, /<h2>s3-force-copy push failed<\/h2>/);
    assert.match(run.summary, /<strong>The directory .* has nothing to push/);
    // The LIST, and the manifest's GET beside it.
    assert.equal(run.outputs.requests, '2');
    assert.equal(run.outputs.warnings, '1');
  });

  it('masks every credential before anything else is logged', async () => {
    const workspace = await site();
    const bucket = await s3.bucket();
    const run = await runAction(
      workspace,
      {
        direction: 'sideways',
        directory: 'site',
        bucket,
        'aws-access-key-id': 'AKIAEXAMPLEKEY',
        'aws-secret-access-key': 'secret/EXAMPLE+key',
        'aws-session-token': 'session-token-EXAMPLE',
      },
      { endpoint: s3.server.endpoint },
    );
    const lines = run.stdout.split('\n').filter((line) => line !== '');
    assert.deepEqual(lines.slice(0, 3), [
      '::add-mask::AKIAEXAMPLEKEY',
      '::add-mask::secret/EXAMPLE+key',
      '::add-mask::session-token-EXAMPLE',
    ]);
    for (const line of lines.slice(3)) assert.ok(!/EXAMPLE/.test(line), line);
  });

  // Which inputs are refused, and in what words, is inputs.test.ts; how the
  // core refuses is guards.test.ts and integration.test.ts. These two show the
  // wiring: a refused input, and S3 refusing the credentials, each become one
  // ::error:: sentence and exit 1, with what was published left alone.
  describe('fails with one clear sentence and changes nothing', () => {
    const cases: { name: string; inputs: (bucket: string) => Record<string, string>; message: RegExp }[] = [
      {
        name: 'a refused input',
        inputs: (bucket) => ({ direction: 'push', directory: 'site', bucket, 'request-limit': '10k' }),
        message: /^The request-limit input must be a whole number 1 or more, not "10k"\.$/,
      },
      {
        name: 'refused credentials',
        inputs: (bucket) => ({
          direction: 'push',
          directory: 'site',
          bucket,
          'aws-access-key-id': 'AKIANOTAKEY',
          'aws-secret-access-key': 'not-the-secret',
        }),
        message: /^S3 refused the credentials \(InvalidAccessKeyId\): check aws-access-key-id/,
      },
    ];
    for (const { name, inputs, message } of cases) {
      it(name, async () => {
        const workspace = await site();
        const bucket = await s3.bucket();
        // Something already published, which a bad run must leave alone.
        const keep = path.join(workspace, 'keep');
        await writeTree(keep, { 'live.html': 'live', 'alias.html': { link: 'live.html' } });
        await copy(s3, 'push', keep, bucket);

        const run = await runAction(workspace, inputs(bucket), { endpoint: s3.server.endpoint });
        assert.equal(run.status, 1);
        assert.equal(run.errors.length, 1, run.stdout);
        assert.match(run.errors[0] ?? '', message);
        assert.deepEqual(await listKeys(s3.client, bucket), ['alias.html', 'live.html']);
      });
    }
  });
});
