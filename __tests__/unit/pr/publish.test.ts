/**
 * upsertComment against a fake of GitHub's REST API on the loopback. GITHUB_API_URL
 * is pointed at the fake for each test (upsertComment reads it at each call;
 * `@actions/github` itself reads it once, at import) and restored after.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FAKE_BOT_LOGIN, startFakeGitHub, type FakeGitHub } from '../../../support/fake-github.js';
import { commentMarker } from '../../../src/pr/comment.js';
import { upsertComment, type UpsertCommentOptions } from '../../../src/pr/publish-comment.js';

const OWNER = 'acme';
const REPO = 'site';

describe('upsertComment', { timeout: 20_000 }, () => {
  let github: FakeGitHub;
  let savedApiUrl: string | undefined;

  beforeEach(async () => {
    github = await startFakeGitHub({
      tokens: { 'write-token': 'write', 'read-token': 'read' },
      pulls: [7, 8],
      owner: OWNER,
      repo: REPO,
    });
    savedApiUrl = process.env['GITHUB_API_URL'];
    process.env['GITHUB_API_URL'] = github.url;
  });
  afterEach(async () => {
    if (savedApiUrl === undefined) delete process.env['GITHUB_API_URL'];
    else process.env['GITHUB_API_URL'] = savedApiUrl;
    await github.stop();
  });

  const marker = commentMarker('previews.example.com', 'pr-7');
  const options = (overrides: Partial<UpsertCommentOptions> = {}): UpsertCommentOptions => ({
    token: 'write-token',
    owner: OWNER,
    repo: REPO,
    number: 7,
    marker,
    body: `${marker}\nfirst`,
    ...overrides,
  });
  const writes = (): string[] =>
    github.requests.filter((request) => request.method !== 'GET').map((r) => `${r.method} ${r.path}`);

  it('creates the comment, then updates it: one comment however often it runs', async () => {
    const first = await upsertComment(options());
    assert.equal(first.outcome, 'created');
    assert.equal(github.comments.length, 1);
    const [comment] = github.comments;
    assert.deepEqual(first, {
      outcome: 'created',
      id: comment?.id,
      url: `https://github.com/${OWNER}/${REPO}/pull/7#issuecomment-${comment?.id}`,
    });
    assert.equal(comment?.body, `${marker}\nfirst`);
    assert.equal(comment?.issue_number, 7);
    assert.equal(comment?.user, FAKE_BOT_LOGIN);

    const second = await upsertComment(options({ body: `${marker}\nsecond` }));
    assert.deepEqual(second, { ...first, outcome: 'updated' });
    const third = await upsertComment(options({ body: `${marker}\nthird` }));
    assert.equal(third.outcome, 'updated');
    assert.equal(github.comments.length, 1);
    assert.equal(github.comments[0]?.body, `${marker}\nthird`);
    assert.deepEqual(writes(), [
      `POST /repos/${OWNER}/${REPO}/issues/7/comments`,
      `PATCH /repos/${OWNER}/${REPO}/issues/comments/${comment?.id}`,
      `PATCH /repos/${OWNER}/${REPO}/issues/comments/${comment?.id}`,
    ]);
    assert.ok(github.requests.every((request) => request.token === 'write-token'));
  });

  it('gives each location its own comment, and leaves other comments alone', async () => {
    github.addComment(7, 'Looks good to me', 'octocat');
    github.addComment(7, `> ${marker}\nquoted, not ours`, 'octocat');
    const other = commentMarker('previews.example.com', 'pr-70');
    assert.equal((await upsertComment(options())).outcome, 'created');
    assert.equal((await upsertComment(options({ marker: other, body: `${other}\nother` }))).outcome, 'created');
    assert.equal((await upsertComment(options({ body: `${marker}\nagain` }))).outcome, 'updated');
    assert.equal((await upsertComment(options({ marker: other, body: `${other}\nagain` }))).outcome, 'updated');
    assert.deepEqual(
      github.comments.map((c) => c.body),
      ['Looks good to me', `> ${marker}\nquoted, not ours`, `${marker}\nagain`, `${other}\nagain`],
    );
  });

  it('keeps pull requests apart', async () => {
    await upsertComment(options());
    assert.equal((await upsertComment(options({ number: 8 }))).outcome, 'created');
    assert.deepEqual(
      github.comments.map((c) => c.issue_number),
      [7, 8],
    );
  });

  it('finds its comment past the first page of 100', async () => {
    for (let i = 0; i < 150; i += 1) github.addComment(7, `chatter ${i}`, 'octocat');
    const mine = github.addComment(7, `${marker}\nold`);
    for (let i = 0; i < 30; i += 1) github.addComment(7, `more chatter ${i}`, 'octocat');
    const result = await upsertComment(options({ body: `${marker}\nnew` }));
    assert.equal(result.outcome, 'updated');
    assert.equal(result.outcome === 'updated' && result.id, mine.id);
    assert.equal(mine.body, `${marker}\nnew`);
    assert.equal(github.comments.length, 181);
    const lists = github.requests.filter((r) => r.method === 'GET').map((r) => new URL(r.path, github.url));
    assert.deepEqual(
      lists.map((u) => [u.searchParams.get('per_page'), u.searchParams.get('page') ?? '1']),
      [
        ['100', '1'],
        ['100', '2'],
      ],
    );
  });

  it('stops reading pages once it has found the comment', async () => {
    const mine = github.addComment(7, `${marker}\nold`);
    for (let i = 0; i < 250; i += 1) github.addComment(7, `chatter ${i}`, 'octocat');
    const result = await upsertComment(options());
    assert.equal(result.outcome === 'updated' && result.id, mine.id);
    assert.equal(github.requests.filter((r) => r.method === 'GET').length, 1);
  });

  it('refuses with the missing permission for a read-only token, at once, and creates nothing', async () => {
    const started = Date.now();
    const result = await upsertComment(options({ token: 'read-token' }));
    assert.equal(result.outcome, 'refused');
    assert.equal(result.outcome === 'refused' && result.status, 403);
    const warning = result.outcome === 'refused' ? result.warning : '';
    assert.match(warning, /pull request #7 in acme\/site/);
    assert.match(warning, /Resource not accessible by integration/);
    assert.ok(
      warning.includes(
        'Give the job the permission pull-requests: write (a pull request from a fork gets a read-only token)',
      ),
      warning,
    );
    // An annotation shows markdown as typed: a backtick would be printed as one.
    assert.ok(!warning.includes('`'), warning);
    assert.equal(github.comments.length, 0);
    assert.deepEqual(writes(), [`POST /repos/${OWNER}/${REPO}/issues/7/comments`], 'one try, no retries');
    assert.ok(Date.now() - started < 2_000, 'no retry delay');
  });

  it('refuses a read-only token an update too', async () => {
    const mine = github.addComment(7, `${marker}\nold`);
    const result = await upsertComment(options({ token: 'read-token' }));
    assert.match(result.outcome === 'refused' ? result.warning : '', /update the comment on .*pull-requests: write/);
    assert.equal(mine.body, `${marker}\nold`);
  });

  it('says when the pull request is not there or the token cannot see it', async () => {
    const started = Date.now();
    const result = await upsertComment(options({ number: 99 }));
    assert.equal(result.outcome === 'refused' && result.status, 404);
    assert.match(
      result.outcome === 'refused' ? result.warning : '',
      /pull request #99 in acme\/site: the pull request was not found, or the token cannot see it \(404: Not Found\)/,
    );
    assert.equal(github.requests.length, 1, 'one try, no retries');
    assert.ok(Date.now() - started < 2_000);
    const otherRepo = await upsertComment(options({ repo: 'elsewhere' }));
    assert.equal(otherRepo.outcome === 'refused' && otherRepo.status, 404);
  });

  it('says when GitHub refuses the token', async () => {
    const result = await upsertComment(options({ token: 'stolen' }));
    assert.equal(result.outcome === 'refused' && result.status, 401);
    assert.match(result.outcome === 'refused' ? result.warning : '', /refused the token \(401: Bad credentials\)/);
  });

  it('refuses a body longer than GitHub takes without sending it', async () => {
    const result = await upsertComment(options({ body: `${marker}\n${'x'.repeat(70_000)}` }));
    assert.match(result.outcome === 'refused' ? result.warning : '', /70,?0\d\d characters, more than GitHub's 65536/);
    assert.equal(github.requests.length, 0, 'too long to send');
  });

  it('never throws when GitHub cannot be reached', async () => {
    const url = github.url;
    await github.stop();
    const result = await upsertComment(options({ apiUrl: url }));
    assert.equal(result.outcome, 'refused');
    assert.match(
      result.outcome === 'refused' ? result.warning : '',
      /^Could not read the comments of pull request #7 in acme\/site: GitHub could not be reached \(.+\)\.$/,
    );
  });

  it('refuses without a token, and a body without its marker', async () => {
    assert.match(JSON.stringify(await upsertComment(options({ token: '' }))), /No GitHub token/);
    assert.match(JSON.stringify(await upsertComment(options({ body: 'no marker' }))), /does not start with its marker/);
    assert.equal(github.requests.length, 0);
  });

  it('takes an explicit API URL over GITHUB_API_URL', async () => {
    const url = github.url;
    process.env['GITHUB_API_URL'] = 'http://127.0.0.1:1';
    assert.equal((await upsertComment(options({ apiUrl: `${url}/` }))).outcome, 'created');
  });
});

describe('fake GitHub', () => {
  it('answers as GitHub does for each token and path', async () => {
    const github = await startFakeGitHub({ tokens: { w: 'write', r: 'read' }, pulls: [1], owner: 'o', repo: 'r' });
    try {
      const call = async (method: string, path: string, token?: string, body?: unknown) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (token !== undefined) headers['authorization'] = token;
        const response = await fetch(`${github.url}${path}`, {
          method,
          headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return {
          status: response.status,
          body: (await response.json()) as Record<string, unknown>,
          link: response.headers.get('link'),
        };
      };
      assert.equal((await call('GET', '/repos/o/r/issues/1/comments')).status, 401);
      assert.deepEqual(
        (await call('GET', '/repos/o/r/issues/1/comments', 'token nope')).body['message'],
        'Bad credentials',
      );
      assert.equal((await call('GET', '/repos/o/r/issues/1/comments', 'Bearer r')).status, 200);
      assert.equal((await call('GET', '/repos/o/r/issues/2/comments', 'token r')).status, 404);
      assert.equal((await call('GET', '/repos/o/x/issues/1/comments', 'token r')).status, 404);
      const denied = await call('POST', '/repos/o/r/issues/1/comments', 'token r', { body: 'x' });
      assert.equal(denied.status, 403);
      assert.equal(denied.body['message'], 'Resource not accessible by integration');
      assert.match(String(denied.body['documentation_url']), /^https:\/\/docs\.github\.com\//);
      const created = await call('POST', '/repos/o/r/issues/1/comments', 'token w', { body: 'x' });
      assert.equal(created.status, 201);
      assert.equal(
        (await call('PATCH', `/repos/o/r/issues/comments/${String(created.body['id'])}`, 'token w', { body: 'y' }))
          .status,
        200,
      );
      assert.equal((await call('PATCH', '/repos/o/r/issues/comments/1', 'token w', { body: 'y' })).status, 404);
      assert.equal((await call('POST', '/repos/o/r/issues/1/comments', 'token w', {})).status, 422);
      assert.deepEqual(
        github.comments.map((c) => [c.issue_number, c.body]),
        [[1, 'y']],
      );
      for (let i = 0; i < 4; i += 1) github.addComment(1, `c${i}`);
      const page2 = await call('GET', '/repos/o/r/issues/1/comments?per_page=2&page=2', 'token r');
      assert.deepEqual(
        (page2.body as unknown as { body: string }[]).map((c) => c.body),
        ['c1', 'c2'],
      );
      assert.equal(
        page2.link,
        [
          `<${github.url}/repos/o/r/issues/1/comments?per_page=2&page=1>; rel="prev"`,
          `<${github.url}/repos/o/r/issues/1/comments?per_page=2&page=3>; rel="next"`,
          `<${github.url}/repos/o/r/issues/1/comments?per_page=2&page=3>; rel="last"`,
          `<${github.url}/repos/o/r/issues/1/comments?per_page=2&page=1>; rel="first"`,
        ].join(', '),
      );
      assert.equal(
        (await call('GET', '/repos/o/r/issues/1/comments?per_page=2&page=3', 'token r')).link?.includes('next'),
        false,
      );
      assert.deepEqual(github.requests[0], { method: 'GET', path: '/repos/o/r/issues/1/comments', token: undefined });
      assert.equal(github.requests[2]?.token, 'r');
    } finally {
      await github.stop();
    }
  });

  it('closes by itself after an idle timeout', async () => {
    const github = await startFakeGitHub({ tokens: {}, pulls: [], owner: 'o', repo: 'r', idleTimeoutMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await assert.rejects(fetch(`${github.url}/repos/o/r/issues/1/comments`));
    await github.stop();
  });
});
