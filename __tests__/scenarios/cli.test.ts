// End to end: the bundled command line, dist/cli.js, run as a user runs it,
// against s3rver (scripts/test.mjs builds dist/ first when it is stale).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TEMP_MARKER } from '../../src/local/fs.js';
import { makeSiteFixture, mutate } from '../../support/fixture.js';
import { runAction } from '../../support/run-action.js';
import { CLI_BUNDLE, inputFlags, runCli, serverFlags, userEnv } from '../../support/run-cli.js';
import { startS3Proxy, type ProxiedRequest } from '../../support/s3-proxy.js';
import { bucketState, deployRecords, listKeys, putObject, useS3, withoutRunRecords } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree } from '../helpers/tree.js';

const s3 = useS3();

/** Any control character but the newline: what plain output must never hold. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f]/;

async function site(): Promise<string> {
  const workspace = await tempDir('cli');
  await writeTree(path.join(workspace, 'site'), {
    'index.html': '<h1>home</h1>',
    'assets/app.css': 'body{}',
    'blog/post.html': '<p>post</p>',
    'latest.html': { link: 'blog/post.html' },
  });
  return workspace;
}

interface Outputs {
  uploaded: number;
  downloaded: number;
  redirected: number;
  skipped: number;
  deleted: number;
  requests: number;
  'changed-keys': string[];
  'dry-run': boolean;
}

describe('dist/cli.js', () => {
  it('pushes, then a push again is a no-op, then pulls it back; plain lines when not a terminal', async () => {
    const workspace = await site();
    const bucket = await s3.bucket();
    const push = await runCli(workspace, ['push', 'site', `s3://${bucket}/www`, ...serverFlags(s3.server.endpoint)]);
    assert.equal(push.status, 0, push.stdout + push.stderr);
    const pushed = await listKeys(s3.client, bucket);
    assert.equal(deployRecords(pushed).length, 1, 'the push recorded a deploy');
    assert.deepEqual(withoutRunRecords(pushed), [
      'www/.s3-force-copy/manifest.json',
      'www/assets/app.css',
      'www/blog/post.html',
      'www/index.html',
      'www/latest.html',
    ]);
    assert.match(push.stdout, /^== Upload 3 files, then 1 redirect$/m);
    // The bucket has no website hosting: one GetBucketWebsite finds it, and a warning says so.
    assert.match(push.stdout, /^warning: Bucket .* has no static website hosting, so the 1 redirect/m);
    assert.match(push.stdout, /^uploaded 3, downloaded 0, redirected 1, .* warnings 1, 12 requests$/m);
    assert.doesNotMatch(push.stdout + push.stderr, CONTROL);

    const again = await runCli(workspace, [
      'push',
      'site',
      `s3://${bucket}/www`,
      ...serverFlags(s3.server.endpoint),
      '--json',
    ]);
    assert.equal(again.status, 0, again.stderr);
    // stdout is the JSON alone; the log went to stderr.
    const outputs = JSON.parse(again.stdout) as Outputs;
    assert.deepEqual([outputs.uploaded, outputs.skipped, outputs.requests], [0, 4, 2]);
    assert.deepEqual(outputs['changed-keys'], []);
    assert.match(again.stderr, /plan: 0 files to copy/);

    const pull = await runCli(workspace, ['pull', `s3://${bucket}/www`, 'mirror', ...serverFlags(s3.server.endpoint)]);
    assert.equal(pull.status, 0, pull.stdout + pull.stderr);
    assert.equal(await readFile(path.join(workspace, 'mirror', 'blog', 'post.html'), 'utf8'), '<p>post</p>');
    assert.equal(await readlink(path.join(workspace, 'mirror', 'latest.html')), 'blog/post.html');
    assert.doesNotMatch(pull.stdout + pull.stderr, CONTROL);
  });

  it('a dry run changes nothing and says what it would do, in --json and in --summary', async () => {
    const workspace = await site();
    const bucket = await s3.bucket();
    const summary = path.join(workspace, 'summary.md');
    const run = await runCli(workspace, [
      'push',
      'site',
      `s3://${bucket}`,
      '--dry-run',
      '--json',
      '--summary',
      summary,
      ...serverFlags(s3.server.endpoint),
    ]);
    assert.equal(run.status, 0, run.stderr);
    const outputs = JSON.parse(run.stdout) as Outputs;
    assert.equal(outputs['dry-run'], true);
    assert.equal(outputs.uploaded, 3);
    assert.deepEqual(outputs['changed-keys'], ['assets/app.css', 'blog/post.html', 'index.html', 'latest.html']);
    assert.deepEqual(await listKeys(s3.client, bucket), []);
    const markdown = await readFile(summary, 'utf8');
    assert.match(markdown, /<h2>s3-force-copy push \(dry run\)<\/h2>/);
    assert.match(markdown, /Would upload<\/td><td>3</);
  });

  describe('refuses before any change, exit code 2', () => {
    it('a guard: an empty directory would delete every object', async () => {
      const workspace = await tempDir('cli');
      await writeTree(path.join(workspace, 'empty'), {});
      const bucket = await s3.bucket();
      await putObject(s3.client, bucket, 'index.html', '<h1>live</h1>');
      const before = await bucketState(s3.client, bucket);
      const run = await runCli(workspace, ['push', 'empty', `s3://${bucket}`, ...serverFlags(s3.server.endpoint)]);
      assert.equal(run.status, 2, run.stdout + run.stderr);
      assert.match(run.stderr, /^error: .*empty/m);
      assert.deepEqual(await bucketState(s3.client, bucket), before);
    });

    it("a bad value, with the action's own sentence; an unknown flag; a missing argument", async () => {
      const workspace = await site();
      const bucket = await s3.bucket();
      const target = ['push', 'site', `s3://${bucket}`, ...serverFlags(s3.server.endpoint)];
      const bad = await runCli(workspace, [...target, '--concurrency', '0']);
      assert.equal(bad.status, 2);
      assert.equal(bad.stderr, 'error: The concurrency input must be a whole number from 1 to 256, not "0".\n');
      const notBoolean = await runCli(workspace, [...target, '--dry-run=maybe']);
      assert.equal(notBoolean.status, 2);
      assert.match(notBoolean.stderr, /The dry-run input must be true or false, not "maybe"\./);
      const unknown = await runCli(workspace, [...target, '--no-such-flag']);
      assert.equal(unknown.status, 2);
      assert.match(unknown.stderr, /--no-such-flag[\s\S]*Run s3-force-copy --help/);
      const missing = await runCli(workspace, ['push', 'site']);
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /push takes a directory and a bucket/);
      assert.deepEqual(await listKeys(s3.client, bucket), []);
    });

    it('no credentials anywhere: says where the command line looks for them', async () => {
      const workspace = await site();
      const bucket = await s3.bucket();
      const run = await runCli(workspace, ['push', 'site', `s3://${bucket}`, ...serverFlags(s3.server.endpoint)], {
        env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_EC2_METADATA_DISABLED: 'true' },
      });
      assert.equal(run.status, 2, run.stdout + run.stderr);
      assert.match(run.stderr, /^error: No AWS credentials were found/m);
      assert.match(run.stderr, /AWS_PROFILE or --profile NAME/);
    });

    it('the request budget', async () => {
      const workspace = await site();
      const bucket = await s3.bucket();
      const run = await runCli(workspace, [
        'push',
        'site',
        `s3://${bucket}`,
        '--request-limit',
        '3',
        ...serverFlags(s3.server.endpoint),
      ]);
      assert.equal(run.status, 2, run.stdout + run.stderr);
      assert.match(run.stderr, /request-limit/);
      assert.deepEqual(await listKeys(s3.client, bucket), []);
    });
  });

  it('fails part-way with exit code 1 and says what the bucket now holds', async () => {
    const workspace = await site();
    const bucket = await s3.bucket();
    // Assets go first (deploy order), so a denied page leaves them uploaded.
    const proxy = await startS3Proxy({
      upstream: s3.server.endpoint,
      fault: (request) =>
        request.kind === 'PUT' && request.key.endsWith('/index.html')
          ? { status: 403, code: 'AccessDenied', message: 'Access Denied' }
          : undefined,
    });
    try {
      const run = await runCli(workspace, ['push', 'site', `s3://${bucket}`, ...serverFlags(proxy.endpoint)]);
      assert.equal(run.status, 1, run.stdout + run.stderr);
      assert.match(
        run.stderr,
        /^error: S3 denied s3:PutObject .*index\.html.*The destination now: uploaded \d of 3 files/m,
      );
      assert.ok((await listKeys(s3.client, bucket)).includes('assets/app.css'));
    } finally {
      await proxy.stop();
    }
  });

  for (const [signal, exitCode] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} during a pull exits ${exitCode} and leaves no partial file`, async () => {
      const workspace = await tempDir('cli');
      const mirror = path.join(workspace, 'mirror');
      await writeTree(mirror, { 'big.bin': 'the old big.bin' });
      const bucket = await s3.bucket();
      await putObject(s3.client, bucket, 'big.bin', randomBytes(3 * 1024 * 1024));
      await putObject(s3.client, bucket, 'index.html', '<h1>home</h1>');
      const proxy = await startS3Proxy({
        upstream: s3.server.endpoint,
        fault: (request) => (request.kind === 'GET' && request.key.endsWith('/big.bin') ? 'hang' : undefined),
      });
      const tempFiles = async () => (await readdir(mirror)).filter((name) => name.startsWith(TEMP_MARKER));
      let sawTemp = false;
      try {
        const run = await runCli(workspace, ['pull', `s3://${bucket}`, 'mirror', ...serverFlags(proxy.endpoint)], {
          whileRunning: async (child) => {
            // big.bin's download is in flight under its temporary name: half its body came, then nothing.
            const running = () => child.exitCode === null && child.signalCode === null;
            while (running() && !(sawTemp = (await tempFiles()).length > 0)) {
              await new Promise((resolve) => setTimeout(resolve, 20));
            }
            child.kill(signal);
          },
        });
        assert.ok(sawTemp, 'the download was in flight when the signal came');
        assert.equal(run.signal, null, 'the command line handles the signal itself');
        assert.equal(run.status, exitCode, run.stdout + run.stderr);
        assert.match(run.stdout, new RegExp(`Interrupted: stopped with exit code ${exitCode}`));
        assert.deepEqual(await tempFiles(), []);
        assert.equal(await readFile(path.join(mirror, 'big.bin'), 'utf8'), 'the old big.bin');
      } finally {
        await proxy.stop();
      }
    });
  }

  describe('in a terminal (a pseudo-terminal, by script(1))', () => {
    /** The bytes the terminal was sent while the command line ran in it. */
    function inTerminal(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
      const command = ['node', CLI_BUNDLE, ...args].map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
      return new Promise((resolve, reject) => {
        execFile(
          'script',
          ['-qefc', command, '/dev/null'],
          { cwd, env: { ...userEnv(cwd, env), TERM: 'xterm' } },
          (error, stdout) => (error ? reject(new Error(`${error.message}\n${stdout}`)) : resolve(stdout)),
        );
      });
    }

    it('draws a progress bar as it uploads and ends with the summary as tables', async () => {
      const workspace = await site();
      const bucket = await s3.bucket();
      const screen = await inTerminal(workspace, [
        'push',
        'site',
        `s3://${bucket}`,
        ...serverFlags(s3.server.endpoint),
      ]);
      // The bar is redrawn in place (carriage return, clear line) and ends full.
      // eslint-disable-next-line no-control-regex -- the terminal's own control characters
      assert.match(screen, /\r\x1b\[K\[#{24}\] {2}upload 4\/4 {2}\d+ B\/\d+ B/);
      assert.match(screen, /│ uploaded +│ +3 │/);
      assert.match(screen, /│ uploaded +│ assets\/app\.css +│ new +│/);
      assert.match(screen, /│ redirected +│ latest\.html → blog\/post\.html/);
      assert.deepEqual(withoutRunRecords(await listKeys(s3.client, bucket)), [
        '.s3-force-copy/manifest.json',
        'assets/app.css',
        'blog/post.html',
        'index.html',
        'latest.html',
      ]);
    });

    it('under CI, plain lines even on a terminal', async () => {
      const workspace = await site();
      const bucket = await s3.bucket();
      const screen = await inTerminal(
        workspace,
        ['push', 'site', `s3://${bucket}`, ...serverFlags(s3.server.endpoint)],
        { CI: 'true' },
      );
      assert.match(screen, /uploaded 3, downloaded 0/);
      // The terminal ends each line with \r\n; nothing else is a control character.
      assert.doesNotMatch(screen.replaceAll('\r\n', '\n'), CONTROL);
    });
  });

  it('makes the same requests as the action given the same settings, on the bench fixture', async () => {
    const proxy = await startS3Proxy({ upstream: s3.server.endpoint });
    const settings = {
      exclude: '*.txt\n*.svg',
      'cache-control': '*.html: no-cache\n*: max-age=3600',
      headers: '*.json: Content-Language: en',
      // One at a time: the redirect a push HEADs afterwards is the first to finish, the same one only then.
      concurrency: '1',
    };
    /** Each scenario's requests, with the bucket's name and upload ids made alike. */
    const requestsOf = async (run: () => Promise<unknown>, bucket: string): Promise<string[]> => {
      proxy.reset();
      await run();
      return proxy
        .log()
        .map((request) => describeRequest(request, bucket))
        .sort();
    };
    try {
      const runs: Record<'action' | 'cli', string[][]> = { action: [], cli: [] };
      for (const host of ['action', 'cli'] as const) {
        const workspace = await tempDir('cli-same');
        await makeSiteFixture(path.join(workspace, 'site'), {
          files: 300,
          bigFiles: 1,
          bigFileBytes: 9 << 20,
          seed: 5,
        });
        const bucket = await s3.bucket();
        const each = async (inputs: Record<string, string>): Promise<void> => {
          const all = { ...settings, bucket, ...inputs };
          if (host === 'action') {
            const run = await runAction(workspace, all, { endpoint: proxy.endpoint });
            assert.equal(run.status, 0, run.stdout);
          } else {
            const run = await runCli(workspace, [...inputFlags(all), ...serverFlags(proxy.endpoint)]);
            assert.equal(run.status, 0, run.stdout + run.stderr);
          }
        };
        runs[host].push(await requestsOf(() => each({ direction: 'push', directory: 'site' }), bucket));
        runs[host].push(await requestsOf(() => each({ direction: 'push', directory: 'site' }), bucket));
        await mutate(path.join(workspace, 'site'), 0.05, 3);
        runs[host].push(await requestsOf(() => each({ direction: 'push', directory: 'site' }), bucket));
        runs[host].push(await requestsOf(() => each({ direction: 'pull', directory: 'mirror' }), bucket));
      }
      assert.ok(runs.action[0]!.length > 250, `the first push sent ${runs.action[0]!.length} requests`);
      for (const [index, requests] of runs.action.entries()) {
        const cli = runs.cli[index] ?? [];
        for (let i = 0; i < Math.max(requests.length, cli.length); i += 1) {
          assert.equal(cli[i], requests[i], `scenario ${index + 1}, request ${i + 1}`);
        }
      }
    } finally {
      await proxy.stop();
    }
  });
});

/** What a request asks: method, key, query and the headers that carry the settings, the run's own ids left out. */
function describeRequest(request: ProxiedRequest, bucket: string): string {
  let headers = ['content-type', 'cache-control', 'content-language', 'content-length', 'content-md5', 'x-amz-meta-md5']
    .map((name) => `${name}=${request.headers[name] ?? ''}`)
    .join(' ');
  // A deploy record is named by its time (and commit, where the runner gives one).
  const key = request.key.replace(`/${bucket}`, '/BUCKET').replace(/\/deploys\/[^/]+\.json$/, '/deploys/ID.json');
  // The manifest records its run's ETags and times, a deploy record its time and commit, the lease its
  // holder: their sizes differ from run to run.
  if (/\/\.s3-force-copy\/(manifest\.json|lock\.json|deploys\/)/.test(key))
    headers = headers.replace(/content-length=\d+/, 'content-length=N');
  const query = request.query.replace(/uploadId=[^&]+/, 'uploadId=ID');
  return `${request.method} ${key}?${query} ${headers}`;
}
