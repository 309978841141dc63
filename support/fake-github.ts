/**
 * A fake of the part of GitHub's REST API that the pull request comment
 * uses: listing (paginated, with a Link header), creating and updating
 * issue comments. Status codes and error bodies are GitHub's: 401 for an
 * unknown token, 403 for a write with a read-only token (a fork's pull
 * request gets one), 404 for a pull request or comment that is not there.
 *
 * It listens on 127.0.0.1 and never keeps a test process alive: the server
 * is unref'd and closes itself after a minute without requests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGitHubOptions {
  /** Token → what it may do in the repository. */
  tokens: Record<string, 'write' | 'read'>;
  /** The pull requests that exist. */
  pulls: number[];
  owner: string;
  repo: string;
  /** Closes the server after this long without a request. Default 60 s. */
  idleTimeoutMs?: number;
}

export interface FakeComment {
  id: number;
  issue_number: number;
  body: string;
  /** The author's login. */
  user: string;
}

export interface FakeRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  /** The token the request carried, if any. */
  token: string | undefined;
}

export interface FakeGitHub {
  /** http://127.0.0.1:PORT, the API root (for GITHUB_API_URL). */
  url: string;
  /** The comments there are, in creation order; tests may read them (and add with addComment). */
  comments: FakeComment[];
  requests: FakeRequest[];
  /** Adds a comment as if someone had posted it. */
  addComment: (issueNumber: number, body: string, user?: string) => FakeComment;
  stop: () => Promise<void>;
}

/** The login comments made with any token are posted as. */
export const FAKE_BOT_LOGIN = 'github-actions[bot]';

const DOCS = 'https://docs.github.com/rest/issues/comments';

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const comments: FakeComment[] = [];
  const requests: FakeRequest[] = [];
  let nextId = 1000;
  const pulls = new Set(options.pulls);
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;

  const addComment = (issueNumber: number, body: string, user = FAKE_BOT_LOGIN): FakeComment => {
    nextId += 1;
    const comment = { id: nextId, issue_number: issueNumber, body, user };
    comments.push(comment);
    return comment;
  };

  let url = '';
  const server = http.createServer((request, response) => {
    armIdleTimer();
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (raw += chunk));
    request.on('end', () => {
      const token = tokenOf(request.headers.authorization);
      requests.push({ method: request.method ?? '', path: request.url ?? '', token });
      const answer = route(request.method ?? '', new URL(request.url ?? '/', url), token, raw);
      const body = JSON.stringify(answer.body);
      response.writeHead(answer.status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        ...answer.headers,
      });
      response.end(body);
    });
  });

  interface Answer {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
  }
  const notFound = (): Answer => ({
    status: 404,
    body: { message: 'Not Found', documentation_url: DOCS, status: '404' },
  });
  const render = (comment: FakeComment): unknown => ({
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `${url}/repos/${options.owner}/${options.repo}/issues/comments/${comment.id}`,
    html_url: `https://github.com/${options.owner}/${options.repo}/pull/${comment.issue_number}#issuecomment-${comment.id}`,
    issue_url: `${url}/repos/${options.owner}/${options.repo}/issues/${comment.issue_number}`,
    body: comment.body,
    user: { login: comment.user, id: 41898282, type: comment.user.endsWith('[bot]') ? 'Bot' : 'User' },
    created_at: '2026-12-01T19:44:00Z',
    updated_at: '2026-12-01T19:44:00Z',
    author_association: 'NONE',
  });

  function route(method: string, target: URL, token: string | undefined, raw: string): Answer {
    if (token === undefined) {
      return { status: 401, body: { message: 'Requires authentication', documentation_url: DOCS, status: '401' } };
    }
    const access = options.tokens[token];
    if (access === undefined) {
      return {
        status: 401,
        body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' },
      };
    }
    const match = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(?:(\d+)\/comments|comments\/(\d+))$/.exec(target.pathname);
    if (
      !match ||
      decodeURIComponent(match[1] ?? '') !== options.owner ||
      decodeURIComponent(match[2] ?? '') !== options.repo
    ) {
      return notFound();
    }
    const write = method !== 'GET' && method !== 'HEAD';
    if (write && access !== 'write') {
      return {
        status: 403,
        body: {
          message: 'Resource not accessible by integration',
          documentation_url: `${DOCS}#${method === 'POST' ? 'create-an-issue-comment' : 'update-an-issue-comment'}`,
          status: '403',
        },
      };
    }

    if (match[3] !== undefined) {
      const issueNumber = Number(match[3]);
      if (!pulls.has(issueNumber)) return notFound();
      if (method === 'GET') return list(target, issueNumber);
      if (method === 'POST') {
        const body = bodyOf(raw);
        if (typeof body !== 'string') return invalid(body);
        return { status: 201, body: render(addComment(issueNumber, body)) };
      }
    } else {
      const comment = comments.find((c) => c.id === Number(match[4]));
      if (comment === undefined) return notFound();
      if (method === 'GET') return { status: 200, body: render(comment) };
      if (method === 'PATCH') {
        const body = bodyOf(raw);
        if (typeof body !== 'string') return invalid(body);
        comment.body = body;
        return { status: 200, body: render(comment) };
      }
    }
    return notFound();
  }

  /** A page of comments with GitHub's Link header (first, prev, next, last as they apply). */
  function list(target: URL, issueNumber: number): Answer {
    const perPage = Math.min(100, Math.max(1, Number(target.searchParams.get('per_page')) || 30));
    const page = Math.max(1, Number(target.searchParams.get('page')) || 1);
    const all = comments.filter((c) => c.issue_number === issueNumber);
    const pages = Math.max(1, Math.ceil(all.length / perPage));
    const links: string[] = [];
    const at = (n: number, rel: string): void => {
      const next = new URL(target.href);
      next.searchParams.set('per_page', String(perPage));
      next.searchParams.set('page', String(n));
      links.push(`<${next.href}>; rel="${rel}"`);
    };
    if (page > 1) at(page - 1, 'prev');
    if (page < pages) at(page + 1, 'next');
    if (page < pages) at(pages, 'last');
    if (page > 1) at(1, 'first');
    return {
      status: 200,
      body: all.slice((page - 1) * perPage, page * perPage).map(render),
      headers: links.length > 0 ? { link: links.join(', ') } : {},
    };
  }

  let idleTimer: NodeJS.Timeout | undefined;
  function armIdleTimer(): void {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      server.close();
      server.closeAllConnections();
    }, idleTimeoutMs);
    idleTimer.unref();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // Never the reason a test process stays alive.
  server.unref();
  armIdleTimer();
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;

  return {
    url,
    comments,
    requests,
    addComment,
    stop: async () => {
      clearTimeout(idleTimer);
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** `Authorization: token X` or `Bearer X`. */
function tokenOf(header: string | undefined): string | undefined {
  const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** The `body` field of a JSON request, or what was wrong with it. */
function bodyOf(raw: string): string | { problem: string } {
  try {
    const parsed = JSON.parse(raw) as { body?: unknown } | null;
    const body = parsed?.body;
    if (typeof body !== 'string') return { problem: 'missing_field' };
    if (body.length > 65_536) return { problem: 'too_long' };
    return body;
  } catch {
    return { problem: 'invalid' };
  }
}

function invalid(problem: { problem: string }): { status: number; body: unknown } {
  if (problem.problem === 'invalid') {
    return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' } };
  }
  return {
    status: 422,
    body: {
      message:
        problem.problem === 'too_long'
          ? 'Validation Failed: body is too long (maximum is 65536 characters)'
          : 'Invalid request.',
      errors: [
        { resource: 'IssueComment', code: problem.problem === 'too_long' ? 'custom' : 'missing_field', field: 'body' },
      ],
      documentation_url: DOCS,
      status: '422',
    },
  };
}
