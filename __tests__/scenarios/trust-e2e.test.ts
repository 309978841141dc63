// The moments a user reads most closely, end to end with the bundled action:
// a dry run, a push that fails half-way, a refused delete, a summary or
// outputs file the runner cannot take, and the first lines of the log.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runAction } from '../../support/run-action.js';
import { startS3Proxy } from '../../support/s3-proxy.js';
import { TEST_CREDENTIALS } from '../../support/s3-server.js';
import { listKeys, putObject, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree, type TreeSpec } from '../helpers/tree.js';

const s3 = useS3();

async function workspaceWith(site: TreeSpec): Promise<string> {
  const workspace = await tempDir('trust');
  await writeTree(path.join(workspace, 'site'), site);
  return workspace;
}

/** A proxy in front of s3rver that refuses the PUT of index.html with `code`, as S3 refuses one request. */
function refusingIndexPut(code: string) {
  return startS3Proxy({
    upstream: s3.server.endpoint,
    fault: (request) =>
      request.method === 'PUT' && request.key.endsWith('/index.html') ? { status: 403, code } : undefined,
  });
}

describe('a dry run', () => {
  it('gives the planned counts in its outputs and last log line, and changes nothing', async () => {
    const workspace = await workspaceWith({ 'index.html': 'new' });
    const bucket = await s3.bucket();
    await putObject(s3.client, bucket, 'stale.html', 'old');
    const run = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket, 'dry-run': 'true' },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(run.status, 0, run.stdout);
    assert.deepEqual(
      [run.outputs.uploaded, run.outputs.deleted, run.outputs['dry-run']],
      ['1', '1', 'true'],
      'a workflow can gate on the planned numbers',
    );
    assert.deepEqual(JSON.parse(run.outputs['changed-keys'] ?? ''), ['index.html', 'stale.html']);
    assert.match(
      run.stdout,
      /Dry run, planned: uploaded 1, downloaded 0, redirected 0, updated 0, skipped 0, deleted 1,/,
    );
    assert.deepEqual(await listKeys(s3.client, bucket), ['stale.html']);
  });
});

describe('a push that fails half-way', () => {
  it('says what it already changed, where it stopped, which IAM action to grant, and how to finish', async () => {
    const workspace = await workspaceWith({
      'assets/a.css': 'a',
      'assets/b.css': 'b',
      'assets/c.js': 'c',
      'index.html': 'home',
    });
    const bucket = await s3.bucket();
    await putObject(s3.client, bucket, 'stale.html', 'old');
    const proxy = await refusingIndexPut('AccessDenied');
    try {
      const run = await runAction(
        workspace,
        { direction: 'push', directory: 'site', bucket },
        { endpoint: proxy.endpoint },
      );
      assert.equal(run.status, 1);
      // Outputs: the work done, and only that.
      assert.deepEqual([run.outputs.uploaded, run.outputs.deleted], ['3', '0']);
      assert.deepEqual((JSON.parse(run.outputs['changed-keys'] ?? '') as string[]).sort(), [
        'assets/a.css',
        'assets/b.css',
        'assets/c.js',
      ]);
      // The error: the IAM action, the object, and the state.
      assert.equal(run.errors.length, 1);
      const error = decodeURIComponent(run.errors[0] ?? '');
      assert.match(error, new RegExp(`S3 denied s3:PutObject on s3://${bucket}/index\\.html \\(AccessDenied\\)`));
      // One sentence: where it stopped, then the state, not ".) The destination".
      assert.match(error, /this run uses.* \(stopped at upload index\.html\)\. The destination now: /);
      assert.match(error, /uploaded 3 of 4 files; nothing was deleted; re-run to finish/);
      // The summary says the same.
      assert.match(run.summary, /<h2>s3-force-copy push failed<\/h2>/);
      assert.match(run.summary, /The destination now: uploaded 3 of 4 files; nothing was deleted; re-run to finish/);
      assert.match(run.summary, /<summary>Changes made before the failure \(3\)<\/summary>/);
      // The manifest records what was done, for the re-run; the lease is released.
      assert.deepEqual(await listKeys(s3.client, bucket), [
        '.s3-force-copy/lock.json',
        '.s3-force-copy/manifest.json',
        'assets/a.css',
        'assets/b.css',
        'assets/c.js',
        'stale.html',
      ]);
    } finally {
      await proxy.stop();
    }
  });

  it('tells one refused request from refused credentials', async () => {
    const workspace = await workspaceWith({ 'a.css': 'a', 'index.html': 'home' });
    const bucket = await s3.bucket();
    const proxy = await refusingIndexPut('SignatureDoesNotMatch');
    try {
      const run = await runAction(
        workspace,
        { direction: 'push', directory: 'site', bucket },
        { endpoint: proxy.endpoint },
      );
      assert.equal(run.status, 1);
      const error = decodeURIComponent(run.errors[0] ?? '');
      assert.match(
        error,
        /S3 refused the request to upload s3:\/\/.*\/index\.html \(SignatureDoesNotMatch\) after \d+ requests had succeeded, so the credentials work/,
      );
    } finally {
      await proxy.stop();
    }
  });
});

describe('the delete default on push', () => {
  it('refuses more than 256 deletes with no max-delete, naming the number, the inputs and an exclude', async () => {
    const workspace = await workspaceWith({ 'index.html': 'home' });
    const bucket = await s3.bucket();
    // Pull-request previews beside the site: a push of the site alone would delete them.
    for (let i = 0; i < 300; i += 1) await putObject(s3.client, bucket, `pr-${i % 3}/page-${i}.html`, 'preview');
    const run = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(run.status, 1);
    const error = decodeURIComponent(run.errors[0] ?? '');
    assert.match(error, /would delete 300 objects, more than max-delete \(256\)\. Nothing was changed\./);
    assert.match(error, /keep it with exclude: pr-\*\/\*\*/);
    assert.match(error, /raise max-delete to 300 or more, or set delete: false/);
    assert.equal((await listKeys(s3.client, bucket)).length, 300, 'nothing was deleted or written');

    const kept = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket, exclude: 'pr-*/**' },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(kept.status, 0, kept.stdout);
    // The previews stay; the site, its manifest, its deploy record and the released lease are written.
    assert.equal((await listKeys(s3.client, bucket)).length, 304);
  });

  it('leaves a pull unlimited by default', async () => {
    const workspace = await workspaceWith({});
    await writeTree(
      path.join(workspace, 'mirror'),
      Object.fromEntries(Array.from({ length: 260 }, (_, i) => [`old/${i}.txt`, 'x'])),
    );
    const bucket = await s3.bucket();
    await putObject(s3.client, bucket, 'index.html', 'home');
    const run = await runAction(
      workspace,
      { direction: 'pull', directory: 'mirror', bucket },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(run.status, 0, run.stdout);
    assert.equal(run.outputs.deleted, '260');
  });
});

describe('what the runner gives the action', () => {
  it('a job summary that cannot be written is a warning, not a failed sync', async () => {
    const workspace = await workspaceWith({ 'index.html': 'home' });
    const bucket = await s3.bucket();
    const run = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket },
      {
        endpoint: s3.server.endpoint,
        env: { GITHUB_STEP_SUMMARY: path.join(workspace, 'no-such-folder', 'summary.md') },
      },
    );
    assert.equal(run.status, 0, run.stdout);
    assert.equal(run.outputs.uploaded, '1');
    assert.ok(
      run.warnings.some((warning) => /Could not write the job summary/.test(warning)),
      run.stdout,
    );
  });

  it('a GITHUB_OUTPUT that does not exist is said once, before any change', async () => {
    const workspace = await workspaceWith({ 'index.html': 'home' });
    const bucket = await s3.bucket();
    const missing = path.join(workspace, 'no-such-output');
    const run = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket },
      { endpoint: s3.server.endpoint, env: { GITHUB_OUTPUT: missing } },
    );
    assert.equal(run.status, 0, run.stdout);
    const warnings = run.warnings.filter((warning) => warning.includes('GITHUB_OUTPUT'));
    assert.equal(warnings.length, 1, run.stdout);
    assert.ok(run.stdout.indexOf('GITHUB_OUTPUT') < run.stdout.indexOf('Scan the local directory'), 'said first');
    // The site, its manifest, the released lease and its deploy record (whose id there is no output to give).
    const keys = await listKeys(s3.client, bucket);
    assert.deepEqual(keys.slice(1), ['.s3-force-copy/lock.json', '.s3-force-copy/manifest.json', 'index.html']);
    assert.match(keys[0] ?? '', /^\.s3-force-copy\/deploys\/\d{8}T\d{9}Z-0123456\.json$/);
  });

  it('the log opens with the version, the route and the settings in effect, and no secret', async () => {
    const workspace = await workspaceWith({ 'index.html': 'home' });
    const bucket = await s3.bucket();
    const run = await runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket, prefix: 'live', 'cache-control': '*.html: no-cache' },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(run.status, 0, run.stdout);
    const lines = run.stdout.split('\n').filter((line) => line !== '' && !line.startsWith('::add-mask::'));
    assert.match(lines[0] ?? '', new RegExp(`^s3-force-copy \\d+\\.\\d+\\.\\d+: push .*site → s3://${bucket}/live$`));
    assert.match(
      lines[1] ?? '',
      /^dry-run: false, delete: true, max-delete: 256 and half the objects \(default\), .*request-limit: 1,000,000, .*cache-control: 1 rule, .*manifest-key: \.s3-force-copy\/manifest\.json, cloudfront: none, pr-comment: false, lock: wait up to 600 s$/,
    );
    // The runner hides what ::add-mask:: names; nothing else may carry the secret.
    assert.ok(!lines.join('\n').includes(TEST_CREDENTIALS.secretAccessKey), 'the secret key never appears unmasked');
    assert.match(run.stdout, /plan: 1 file to copy, 0 redirects, 0 keys to delete, 0 unchanged/);
  });
});
