import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { pullRequestFor, pullRequestFromEnv, readEvent, type EventSource } from '../../../src/pr/pull-request.js';

const HEAD_SHA = '0123456789abcdef0123456789abcdef01234567';

function pullRequestEvent(headRepo: string | null, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    action: 'synchronize',
    number: 7,
    pull_request: {
      number: 7,
      head: { sha: HEAD_SHA, ref: 'feature', repo: headRepo === null ? null : { full_name: headRepo } },
      base: { ref: 'main', repo: { full_name: 'acme/site' } },
    },
    repository: { full_name: 'acme/site' },
    ...overrides,
  };
}

/** `repository: null` leaves GITHUB_REPOSITORY unset. */
function source(event: unknown, eventName = 'pull_request', repository: string | null = 'acme/site'): EventSource {
  return { eventName, event, repository: repository ?? undefined };
}

describe('pullRequestFor', () => {
  it('finds a pull request from a branch of the same repository', () => {
    assert.deepEqual(pullRequestFor(source(pullRequestEvent('acme/site'))), {
      kind: 'pull-request',
      owner: 'acme',
      repo: 'site',
      number: 7,
      fromFork: false,
      headSha: HEAD_SHA,
      action: 'synchronize',
    });
  });

  it('counts pull_request_target too', () => {
    const found = pullRequestFor(source(pullRequestEvent('acme/site'), 'pull_request_target'));
    assert.equal(found.kind, 'pull-request');
  });

  it('marks a pull request from a fork', () => {
    const found = pullRequestFor(source(pullRequestEvent('mallory/site')));
    assert.equal(found.kind === 'pull-request' && found.fromFork, true);
  });

  it('treats a deleted fork (head.repo null) and a head without a repository as forks', () => {
    for (const event of [
      pullRequestEvent(null),
      pullRequestEvent('x', { pull_request: { number: 7, head: { sha: HEAD_SHA } } }),
    ]) {
      const found = pullRequestFor(source(event));
      assert.equal(found.kind, 'pull-request');
      assert.equal(found.kind === 'pull-request' && found.fromFork, true);
    }
  });

  it('compares repository names without regard to case, as GitHub does', () => {
    const found = pullRequestFor(source(pullRequestEvent('Acme/Site')));
    assert.equal(found.kind === 'pull-request' && found.fromFork, false);
  });

  it('uses the base repository of the payload when GITHUB_REPOSITORY is unset', () => {
    const found = pullRequestFor(source(pullRequestEvent('acme/site'), 'pull_request', null));
    assert.equal(found.kind === 'pull-request' && `${found.owner}/${found.repo}`, 'acme/site');
  });

  it('takes the number from the event when the pull_request has none', () => {
    const event = pullRequestEvent('acme/site');
    delete (event['pull_request'] as Record<string, unknown>)['number'];
    const found = pullRequestFor(source(event));
    assert.equal(found.kind === 'pull-request' && found.number, 7);
  });

  const refusals: [string, EventSource, RegExp][] = [
    ['a push', source({ ref: 'refs/heads/main' }, 'push'), /push event, not pull_request or pull_request_target/],
    ['issue_comment', source(pullRequestEvent('acme/site'), 'issue_comment'), /issue_comment event/],
    ['no event name', source(pullRequestEvent('acme/site'), ''), /GITHUB_EVENT_NAME is not set/],
    ['no payload', source(undefined), /has no pull_request/],
    ['a payload that is an array', source([]), /has no pull_request/],
    ['no pull_request', source({ number: 7 }), /has no pull_request/],
    [
      'a bad number',
      source(pullRequestEvent('acme/site', { number: '7', pull_request: { number: 0, head: { sha: HEAD_SHA } } })),
      /no pull request number/,
    ],
    ['no head sha', source(pullRequestEvent('acme/site', { pull_request: { number: 7, head: {} } })), /no head commit/],
    ['a bad repository', source(pullRequestEvent('acme/site'), 'pull_request', 'acme'), /"acme" is not owner\/repo/],
    [
      'a repository with too many parts',
      source(pullRequestEvent('acme/site'), 'pull_request', 'a/b/c'),
      /not owner\/repo/,
    ],
    [
      'no repository anywhere',
      source({ number: 7, pull_request: { number: 7, head: { sha: HEAD_SHA } } }, 'pull_request', null),
      /GITHUB_REPOSITORY is not set/,
    ],
  ];
  for (const [name, input, reason] of refusals) {
    it(`is not a pull request for ${name}`, () => {
      const found = pullRequestFor(input);
      assert.equal(found.kind, 'not-a-pull-request');
      assert.match(found.kind === 'not-a-pull-request' ? found.reason : '', reason);
    });
  }
});

describe('readEvent and pullRequestFromEnv', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sfc-pr-event-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads the name, the payload and the repository', () => {
    const file = write('pr.json', JSON.stringify(pullRequestEvent('mallory/site')));
    const env = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: file, GITHUB_REPOSITORY: 'acme/site' };
    const read = readEvent(env);
    assert.equal(read.kind, 'event');
    assert.deepEqual(read.kind === 'event' && read.event, pullRequestEvent('mallory/site'));
    const found = pullRequestFromEnv(env);
    assert.equal(found.kind === 'pull-request' && found.fromFork, true);
    assert.equal(found.kind === 'pull-request' && found.number, 7);
  });

  it('gives a reason for a missing, unreadable or broken payload', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /GITHUB_EVENT_NAME is not set/],
      [{ GITHUB_EVENT_NAME: 'pull_request' }, /GITHUB_EVENT_PATH is not set/],
      [
        { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path.join(dir, 'nope.json') },
        /could not be read \(ENOENT\)/,
      ],
      [{ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: dir }, /could not be read \(EISDIR\)/],
      [{ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: write('bad.json', '{"pull_request":') }, /is not JSON/],
    ];
    for (const [env, reason] of cases) {
      const read = readEvent(env);
      assert.equal(read.kind, 'not-a-pull-request', JSON.stringify(env));
      assert.match(read.kind === 'not-a-pull-request' ? read.reason : '', reason);
      const found = pullRequestFromEnv(env);
      assert.match(found.kind === 'not-a-pull-request' ? found.reason : '', reason);
    }
  });

  it('does not read the payload of another event', () => {
    const env = { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: path.join(dir, 'nope.json') };
    const found = pullRequestFromEnv(env);
    assert.match(found.kind === 'not-a-pull-request' ? found.reason : '', /push event/);
  });

  it('defaults to process.env', () => {
    const saved = { ...process.env };
    try {
      process.env['GITHUB_EVENT_NAME'] = 'pull_request_target';
      process.env['GITHUB_EVENT_PATH'] = write('target.json', JSON.stringify(pullRequestEvent('acme/site')));
      process.env['GITHUB_REPOSITORY'] = 'acme/site';
      const found = pullRequestFromEnv();
      assert.equal(found.kind === 'pull-request' && found.fromFork, false);
      assert.equal(readEvent().kind, 'event');
    } finally {
      for (const name of ['GITHUB_EVENT_NAME', 'GITHUB_EVENT_PATH', 'GITHUB_REPOSITORY']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });
});
