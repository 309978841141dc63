import { rmSync } from 'node:fs';
import * as core from '@actions/core';
import { context } from '@actions/github';
import { tempFilesInFlight } from './core/apply-pull.js';
import { forceCopy } from './core/force-copy.js';
import type { Reporter } from './core/reporter.js';
import { RequestBudget } from './core/request-budget.js';
import { cacheControlMatcher, excludeMatcher } from './core/rules.js';
import { contentTypeFor } from './core/content-type.js';
import { describeFailure } from './failure.js';
import { readSettings, type Settings } from './inputs.js';
import {
  changedKeysOutput,
  changesOf,
  countsOf,
  renderFailureSummary,
  renderSummary,
  type RunFacts,
} from './report.js';
import { createS3Client } from './s3-client.js';
import { onStopRequest } from './thread.js';

const actionsReporter: Reporter = {
  info: (message) => core.info(message),
  // A line per file otherwise, written and parsed by the runner only to be hidden.
  debug: core.isDebug() ? (message) => core.debug(message) : () => undefined,
  warn: (key, message) => core.warning(`${key}: ${message}`, { title: 's3-force-copy' }),
  group: (name, work) =>
    core.group(name, async () => {
      const started = Date.now();
      const result = await work();
      core.info(`done in ${((Date.now() - started) / 1000).toFixed(2)} s`);
      return result;
    }),
};

export async function run(): Promise<void> {
  const started = Date.now();
  let settings: Settings | undefined;
  let budget: RequestBudget | undefined;
  removeTempFilesOnStop();
  try {
    settings = readSettings();
    const client = createS3Client(settings);
    budget = new RequestBudget(settings.requestLimit);
    budget.attachTo(client);

    const result = await forceCopy({
      direction: settings.direction,
      root: settings.directory,
      remote: { client, bucket: settings.bucket, prefix: settings.prefix },
      budget,
      concurrency: settings.concurrency,
      isExcluded: excludeMatcher(settings.exclude),
      contentType: contentTypeFor,
      cacheControl: cacheControlMatcher(settings.cacheControl),
      force: settings.force,
      deleteExtraneous: settings.delete,
      maxDelete: settings.maxDelete,
      allowEmpty: settings.allowEmpty,
      dryRun: settings.dryRun,
      reporter: actionsReporter,
    });

    const facts: RunFacts = {
      requests: budget.used,
      requestsByKind: budget.byKind(),
      durationMs: Date.now() - started,
      source: githubSource(),
    };
    const counts = countsOf(result, facts);
    for (const [name, value] of Object.entries(counts)) core.setOutput(name, value);
    core.setOutput('changed-keys', changedKeysOutput(changesOf(result)));
    core.setOutput('dry-run', result.dryRun);
    core.info(
      `${result.dryRun ? 'Dry run: ' : ''}uploaded ${counts.uploaded}, downloaded ${counts.downloaded}, ` +
        `redirected ${counts.redirected}, skipped ${counts.skipped}, deleted ${counts.deleted}, ` +
        `warnings ${counts.warnings}, requests ${counts.requests}`,
    );
    await writeSummary(renderSummary(result, settings, facts));
  } catch (error) {
    const message = describeFailure(error, settings);
    core.setFailed(message);
    if (budget) core.setOutput('requests', budget.used);
    if (settings) {
      await writeSummary(renderFailureSummary(message, settings, budget?.used ?? 0)).catch((summaryError) =>
        core.warning(`Could not write the job summary: ${describeFailure(summaryError, settings)}`),
      );
    }
  }
}

function githubSource(): string | undefined {
  if (!process.env.GITHUB_REPOSITORY) return undefined;
  const { owner, repo } = context.repo;
  return `${owner}/${repo}@${context.sha.slice(0, 7)}`;
}

async function writeSummary(html: string): Promise<void> {
  // core.summary.write() throws when the runner gives no summary file.
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info('No GITHUB_STEP_SUMMARY file: the job summary is not written.');
    return;
  }
  await core.summary.addRaw(html, true).write();
}

/** A cancelled job gets SIGINT, then SIGTERM: leave no partial download behind. */
function removeTempFilesOnStop(): void {
  onStopRequest((exitCode) => {
    for (const temp of tempFilesInFlight) {
      try {
        rmSync(temp, { force: true });
      } catch {
        // Best effort: the run is going away.
      }
    }
    process.exit(exitCode);
  });
}
