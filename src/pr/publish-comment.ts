/**
 * Puts the run's comment on its pull request: updates the comment an earlier
 * run left (found by its marker) or adds one. A comment is a courtesy, not
 * the deploy: no answer from GitHub makes this throw; a refusal comes back
 * as a warning for the caller to log.
 */
import { getOctokit } from '@actions/github';
import { COMMENT_MAX_CHARS } from './comment.js';

export interface UpsertCommentOptions {
  token: string;
  /** The base repository of the pull request. */
  owner: string;
  repo: string;
  /** The pull request's number. */
  number: number;
  /** commentMarker(bucket, prefix): the comment whose body starts with it is updated. */
  marker: string;
  body: string;
  /**
   * The REST API's root. Default: GITHUB_API_URL as it is now, else
   * https://api.github.com. (`@actions/github` reads GITHUB_API_URL once,
   * at import; this reads it at each call.)
   */
  apiUrl?: string;
}

type UpsertCommentResult =
  | { outcome: 'created' | 'updated'; id: number; url: string }
  | { outcome: 'refused'; warning: string; status?: number };

interface IssueComment {
  id: number;
  body?: string | null;
  html_url: string;
}

export async function upsertComment(options: UpsertCommentOptions): Promise<UpsertCommentResult> {
  const { owner, repo, number, marker, body } = options;
  const where = `pull request #${number} in ${owner}/${repo}`;
  if (!options.token) {
    return { outcome: 'refused', warning: `No GitHub token, so no comment was put on ${where}: set github-token.` };
  }
  if (!body.startsWith(marker)) {
    return { outcome: 'refused', warning: 'The comment body does not start with its marker, so it was not posted.' };
  }
  if (body.length > COMMENT_MAX_CHARS) {
    return {
      outcome: 'refused',
      warning: `The comment is ${body.length} characters, more than GitHub's ${COMMENT_MAX_CHARS}, so it was not posted.`,
    };
  }

  let octokit: ReturnType<typeof getOctokit>;
  try {
    octokit = getOctokit(options.token, { baseUrl: apiUrlOf(options.apiUrl) });
  } catch (error) {
    return refused('set up the GitHub client for', where, error);
  }

  let existing: IssueComment | undefined;
  try {
    // Pages of 100, stopping at the page that has the marker.
    const found = await octokit.paginate(
      octokit.rest.issues.listComments,
      { owner, repo, issue_number: number, per_page: 100 },
      (response, done) => {
        const hit = response.data.find((comment) => comment.body?.startsWith(marker));
        if (hit) done();
        return hit ? [hit] : [];
      },
    );
    existing = found[0];
  } catch (error) {
    return refused('read the comments of', where, error);
  }

  if (existing) {
    try {
      const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
      return { outcome: 'updated', id: data.id, url: data.html_url };
    } catch (error) {
      // Deleted since it was listed: add a new one instead.
      if (statusOf(error) !== 404) return refused('update the comment on', where, error);
    }
  }
  try {
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body });
    return { outcome: 'created', id: data.id, url: data.html_url };
  } catch (error) {
    return refused('comment on', where, error);
  }
}

function apiUrlOf(apiUrl: string | undefined): string {
  return (apiUrl || process.env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, '');
}

/** The warning for a failed call, naming what the token lacks where GitHub says so. */
function refused(doing: string, where: string, error: unknown): UpsertCommentResult {
  const status = statusOf(error);
  const said = messageOf(error);
  const head = `Could not ${doing} ${where}`;
  let warning: string;
  if (status === 403 && /rate limit/i.test(said)) {
    warning = `${head}: GitHub's API rate limit was exceeded (403: ${said}). The comment will be right after the next run.`;
  } else if (status === 403) {
    warning =
      `${head}: the token may not write to pull requests (403: ${said}). ` +
      'Give the job the permission pull-requests: write (a pull request from a fork gets a read-only token).';
  } else if (status === 404) {
    warning = `${head}: the pull request was not found, or the token cannot see it (404: ${said}).`;
  } else if (status === 401) {
    warning = `${head}: GitHub refused the token (401: ${said}). Check github-token.`;
  } else if (status !== undefined) {
    warning = `${head}: GitHub answered ${status}: ${said}.`;
  } else {
    warning = `${head}: GitHub could not be reached (${said}).`;
  }
  return status === undefined ? { outcome: 'refused', warning } : { outcome: 'refused', warning, status };
}

/**
 * The HTTP status GitHub answered with. Octokit reports a request that got
 * no answer (refused connection, DNS) as a status 500 without a response:
 * that is no status.
 */
function statusOf(error: unknown): number | undefined {
  const { status, response } = (error ?? {}) as { status?: unknown; response?: unknown };
  if (response === undefined || response === null) return undefined;
  return typeof status === 'number' && status > 0 ? status : undefined;
}

/** GitHub's own message when the error carries the response, else the error's. */
function messageOf(error: unknown): string {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data;
  const message = (data as { message?: unknown } | null | undefined)?.message;
  const text =
    typeof message === 'string' && message !== '' ? message : error instanceof Error ? error.message : String(error);
  return text.replace(/[.\s]+$/, '');
}
