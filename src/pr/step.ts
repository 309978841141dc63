import * as core from '@actions/core';
import type { SyncResult } from '../sync/result.js';
import { changesOf, countsOf, destinationState } from '../report/outputs.js';
import type { FailureFacts } from '../report/summary.js';
import type { Warnings } from '../report/warnings.js';
import type { Settings } from '../settings/inputs.js';
import { commentMarker, renderComment, type CommentFacts } from './comment.js';
import { upsertComment } from './publish-comment.js';
import { pullRequestFromEnv } from './pull-request.js';

/**
 * Writes, or updates in place, the run's comment on the pull request the
 * workflow runs for. A comment is a courtesy: a refusal is a warning, never
 * a failed deploy. `result` is undefined for a run refused before any change.
 */
export async function commentOnPullRequest(
  settings: Settings,
  result: SyncResult | undefined,
  failure: FailureFacts | undefined,
  warnings: Warnings,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  if (!settings.prComment) return;
  const target = pullRequestFromEnv(env);
  if (target.kind === 'not-a-pull-request') {
    core.info(`pr-comment: no comment, ${target.reason}.`);
    return;
  }
  if (target.fromFork) {
    core.info(`pr-comment: pull request #${target.number} comes from a fork, whose token is read-only.`);
  }
  const facts = commentFacts(settings, result, failure, env, target.headSha);
  const outcome = await upsertComment({
    token: settings.githubToken,
    owner: target.owner,
    repo: target.repo,
    number: target.number,
    marker: commentMarker(settings.bucket, settings.prefix),
    body: renderComment(facts),
  });
  if (outcome.outcome === 'refused') warnings.warn(outcome.warning, 's3-force-copy: pull request comment');
  else core.info(`pr-comment: ${outcome.outcome} ${outcome.url}`);
}

function commentFacts(
  settings: Settings,
  result: SyncResult | undefined,
  failure: FailureFacts | undefined,
  env: NodeJS.ProcessEnv,
  headSha: string | undefined,
): CommentFacts {
  // Only the change counts are shown.
  const counts = result ? countsOf(result, 0, 0) : undefined;
  const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
  const repository = env.GITHUB_REPOSITORY || undefined;
  const runUrl =
    repository && env.GITHUB_RUN_ID ? `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  return {
    direction: settings.direction === 'pull' ? 'pull' : 'push',
    dryRun: settings.dryRun,
    bucket: settings.bucket,
    prefix: settings.prefix,
    counts: {
      copied: counts ? counts.uploaded + counts.downloaded : 0,
      redirected: counts?.redirected ?? 0,
      updated: counts?.updated ?? 0,
      unchanged: counts?.skipped ?? 0,
      deleted: counts?.deleted ?? 0,
    },
    changes: result ? changesOf(result).map(({ key, action }) => ({ key, action })) : [],
    warnings: result?.warnings ?? [],
    failure: failure && {
      message: failure.message,
      state: result ? destinationState(result) : 'nothing was changed',
    },
    // The pull request's head, not the merge commit GITHUB_SHA names on pull_request events.
    commit: headSha ?? env.GITHUB_SHA,
    repository,
    serverUrl,
    runUrl,
    when: new Date(),
    siteUrl: settings.siteUrl,
    indexDocument: settings.indexDocument,
  };
}
