// The pull-request comment end to end: the bundled action, a fake GitHub API
// on loopback (GITHUB_API_URL) and the event file the runner writes.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeGitHub, type FakeGitHub } from '../../support/fake-github.js';
import { runAction } from '../../support/run-action.js';
import { useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree } from '../helpers/tree.js';

const s3 = useS3();
const HOSTILE = '<img src=x onerror=alert(1)> @octocat #1.html';

describe('pr-comment from the bundled action', () => {
  let github: FakeGitHub;
  before(async () => {
    github = await startFakeGitHub({
      tokens: { 'write-token': 'write', 'read-token': 'read' },
      pulls: [7],
      owner: 'octo',
      repo: 'site',
    });
  });
  after(async () => {
    await github?.stop();
  });

  async function workspace(): Promise<string> {
    const dir = await tempDir('pr');
    await writeTree(path.join(dir, 'site'), { 'index.html': 'home', 'docs/index.html': 'docs', [HOSTILE]: 'x' });
    return dir;
  }

  async function run(
    dir: string,
    inputs: Record<string, string>,
    event: { name: string; fork?: boolean; token?: string },
  ) {
    const eventPath = path.join(dir, `event-${Math.random()}.json`);
    await writeFile(
      eventPath,
      JSON.stringify({
        number: 7,
        pull_request: {
          number: 7,
          head: {
            sha: 'feedfacefeedfacefeedfacefeedfacefeedface',
            repo: { full_name: event.fork ? 'fork/site' : 'octo/site' },
          },
          base: { repo: { full_name: 'octo/site' } },
        },
      }),
    );
    return runAction(
      dir,
      {
        direction: 'push',
        directory: 'site',
        'pr-comment': 'true',
        'github-token': event.token ?? 'write-token',
        ...inputs,
      },
      {
        endpoint: s3.server.endpoint,
        env: {
          GITHUB_API_URL: github.url,
          GITHUB_EVENT_NAME: event.name,
          GITHUB_EVENT_PATH: eventPath,
          GITHUB_RUN_ID: '99',
        },
      },
    );
  }

  const commentsOn7 = () => github.comments.filter((comment) => comment.issue_number === 7);

  it('creates one comment, then updates it in place; a second prefix owns a second one', async () => {
    const dir = await workspace();
    const bucket = await s3.bucket();
    const before = commentsOn7().length;
    const first = await run(
      dir,
      { bucket, prefix: 'pr-7', 'site-url': 'https://preview.example.com/pr-7' },
      { name: 'pull_request' },
    );
    assert.equal(first.status, 0, first.stdout);
    assert.equal(commentsOn7().length, before + 1);
    const body = commentsOn7().at(-1)?.body ?? '';
    assert.ok(body.startsWith(`<!-- s3-force-copy: s3://${bucket}/pr-7 -->`), body);
    assert.match(body, /https:\/\/preview\.example\.com\/pr-7\/docs\//, 'docs/index.html links to its page');
    assert.match(body, /feedfac/, 'names the commit it describes');

    await writeTree(path.join(dir, 'site'), { 'new.html': 'new' });
    const second = await run(dir, { bucket, prefix: 'pr-7' }, { name: 'pull_request' });
    assert.equal(second.status, 0, second.stdout);
    assert.equal(commentsOn7().length, before + 1, 'updated, not added');
    assert.match(commentsOn7().at(-1)?.body ?? '', /new\.html/);

    const plan = await run(dir, { bucket, prefix: 'production', 'dry-run': 'true' }, { name: 'pull_request' });
    assert.equal(plan.status, 0, plan.stdout);
    assert.equal(commentsOn7().length, before + 2, 'another bucket and prefix, another comment');
  });

  it('keys in the comment cannot render HTML or Markdown, or ping anyone', async () => {
    const dir = await workspace();
    const bucket = await s3.bucket();
    const result = await run(dir, { bucket }, { name: 'pull_request' });
    assert.equal(result.status, 0, result.stdout);
    const body = commentsOn7().find((comment) => comment.body.includes(`s3://${bucket}/ -->`))?.body ?? '';
    const outsideCode = body.replace(/(`+)[\s\S]*?\1/g, '');
    assert.ok(body.includes('img src=x'), 'the key is listed');
    assert.ok(!outsideCode.includes('<img'), outsideCode);
    assert.ok(!/@octocat/.test(outsideCode), outsideCode);
  });

  it('a read-only token (a fork’s) warns with the permission to add, and the deploy still succeeds', async () => {
    const dir = await workspace();
    const bucket = await s3.bucket();
    const count = github.comments.length;
    const result = await run(dir, { bucket }, { name: 'pull_request', fork: true, token: 'read-token' });
    assert.equal(result.status, 0, result.stdout);
    assert.equal(result.outputs.uploaded, '3');
    assert.ok(
      result.warnings.some((warning) => warning.includes('pull-requests: write')),
      result.stdout,
    );
    assert.match(result.stdout, /comes from a fork/);
    assert.equal(github.comments.length, count);
    // The comment's warning is the run's only one, and both counts include it.
    assert.equal(result.warnings.length, 1, result.stdout);
    assert.equal(result.outputs.warnings, '1');
    assert.match(result.summary, /<td>Warnings<\/td><td>1<\/td>/);
  });

  it('outside a pull request writes no comment and says so in one line', async () => {
    const dir = await workspace();
    const bucket = await s3.bucket();
    const count = github.comments.length;
    const requests = github.requests.length;
    const result = await run(dir, { bucket }, { name: 'push' });
    assert.equal(result.status, 0, result.stdout);
    assert.equal(result.stdout.split('\n').filter((line) => line.startsWith('pr-comment:')).length, 1, result.stdout);
    assert.deepEqual([github.comments.length, github.requests.length], [count, requests]);
  });

  it('masks the token before anything is logged', async () => {
    const dir = await workspace();
    const bucket = await s3.bucket();
    const result = await run(dir, { bucket }, { name: 'pull_request' });
    const lines = result.stdout.split('\n');
    const mask = lines.findIndex((line) => line === '::add-mask::write-token');
    assert.ok(mask !== -1 && lines.slice(0, mask).every((line) => !line.includes('write-token')), result.stdout);
  });
});
