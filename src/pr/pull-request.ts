/**
 * Which pull request, if any, a run belongs to. `@actions/github`'s
 * `context` reads the environment once, at import; these functions take the
 * event (or the environment) explicitly, so a caller and its tests can vary
 * them.
 */
import { readFileSync } from 'node:fs';

interface PullRequest {
  kind: 'pull-request';
  /** The base repository, where the pull request and its comments live. */
  owner: string;
  repo: string;
  number: number;
  /** The head branch lives in another repository (or in a fork since deleted). */
  fromFork: boolean;
  headSha: string;
  /** The event's activity type (`opened`, `synchronize`, `closed`, …), when it has one. */
  action: string | undefined;
}

interface NotAPullRequest {
  kind: 'not-a-pull-request';
  reason: string;
}

type PullRequestTarget = PullRequest | NotAPullRequest;

export interface EventSource {
  /** GITHUB_EVENT_NAME */
  eventName: string | undefined;
  /** The parsed webhook payload (GITHUB_EVENT_PATH). */
  event: unknown;
  /** GITHUB_REPOSITORY (`owner/repo`); the payload's base repository is used when unset. */
  repository: string | undefined;
}

interface ReadEvent extends EventSource {
  kind: 'event';
  eventName: string;
}

/** The events whose payload carries the pull request a comment belongs on. */
const PULL_REQUEST_EVENTS: readonly string[] = ['pull_request', 'pull_request_target'];

function isPullRequestEvent(eventName: string | undefined): boolean {
  return eventName !== undefined && PULL_REQUEST_EVENTS.includes(eventName);
}

/** The pull request the event is about, or why there is none. */
export function pullRequestFor({ eventName, event, repository }: EventSource): PullRequestTarget {
  if (!eventName) return notAPullRequest('GITHUB_EVENT_NAME is not set (not running in GitHub Actions?)');
  if (!isPullRequestEvent(eventName)) {
    return notAPullRequest(`the run was triggered by a ${eventName} event, not pull_request or pull_request_target`);
  }
  const pull = field(event, 'pull_request');
  if (!isObject(pull)) return notAPullRequest(`the ${eventName} event has no pull_request`);

  const number = field(pull, 'number') ?? field(event, 'number');
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
    return notAPullRequest(`the ${eventName} event has no pull request number`);
  }
  const headSha = field(field(pull, 'head'), 'sha');
  if (typeof headSha !== 'string' || headSha === '') {
    return notAPullRequest(`the ${eventName} event has no head commit`);
  }

  const base = repository || stringField(field(field(pull, 'base'), 'repo'), 'full_name');
  const parts = base?.split('/') ?? [];
  const [owner, repo] = parts;
  if (parts.length !== 2 || !owner || !repo) {
    return notAPullRequest(
      base
        ? `the repository "${base}" is not owner/repo`
        : 'GITHUB_REPOSITORY is not set and the event names no base repository',
    );
  }

  // A fork's head repository is null once the fork is deleted: still a fork.
  // GitHub matches repository names without regard to case, and no two
  // repositories differ only in case, so a different case is the same repository.
  const headRepo = stringField(field(field(pull, 'head'), 'repo'), 'full_name');
  const fromFork = headRepo === undefined || headRepo.toLowerCase() !== `${owner}/${repo}`.toLowerCase();

  const action = stringField(event, 'action');
  return { kind: 'pull-request', owner, repo, number, fromFork, headSha, action };
}

/**
 * Reads the event as GitHub Actions describes it: GITHUB_EVENT_NAME, the JSON
 * payload at GITHUB_EVENT_PATH and GITHUB_REPOSITORY. A payload that is
 * missing or unreadable gives a `not-a-pull-request` with the reason.
 */
export function readEvent(env: NodeJS.ProcessEnv = process.env): ReadEvent | NotAPullRequest {
  const eventName = env['GITHUB_EVENT_NAME'];
  if (!eventName) return notAPullRequest('GITHUB_EVENT_NAME is not set (not running in GitHub Actions?)');
  const eventPath = env['GITHUB_EVENT_PATH'];
  if (!eventPath) return notAPullRequest('GITHUB_EVENT_PATH is not set, so the event payload cannot be read');
  let text: string;
  try {
    text = readFileSync(eventPath, 'utf8');
  } catch (error) {
    return notAPullRequest(`the event payload ${eventPath} could not be read (${errorText(error)})`);
  }
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch (error) {
    return notAPullRequest(`the event payload ${eventPath} is not JSON (${errorText(error)})`);
  }
  return { kind: 'event', eventName, event, repository: env['GITHUB_REPOSITORY'] || undefined };
}

/**
 * The pull request of the run the environment describes. The payload is
 * read only for a pull request event, so another event's run never fails on
 * an unreadable payload.
 */
export function pullRequestFromEnv(env: NodeJS.ProcessEnv = process.env): PullRequestTarget {
  const eventName = env['GITHUB_EVENT_NAME'];
  if (!isPullRequestEvent(eventName)) return pullRequestFor({ eventName, event: undefined, repository: undefined });
  const read = readEvent(env);
  return read.kind === 'event' ? pullRequestFor(read) : read;
}

function notAPullRequest(reason: string): NotAPullRequest {
  return { kind: 'not-a-pull-request', reason };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, name: string): unknown {
  return isObject(value) ? value[name] : undefined;
}

function stringField(value: unknown, name: string): string | undefined {
  const found = field(value, name);
  return typeof found === 'string' ? found : undefined;
}

function errorText(error: unknown): string {
  const code = field(error, 'code');
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}
