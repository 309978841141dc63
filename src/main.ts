import { existsSync } from 'node:fs';
import * as core from '@actions/core';
import { context } from '@actions/github';
import type { SyncResult } from './sync/result.js';
import type { Reporter } from './model/reporter.js';
import { TempFiles } from './local/temp-files.js';
import { describeFailure } from './report/failure.js';
import type { FailureFacts } from './report/summary.js';
import { Warnings } from './report/warnings.js';
import { commentOnPullRequest } from './pr/step.js';
import { readSettings, type Settings } from './settings/inputs.js';
import { runSettings, type RunOutputs } from './run-settings.js';
import { exitReleasingLeases } from './deploys/hold.js';
import { onStopRequest } from './thread.js';

/** The core's log, through the run's warning count. */
const actionsReporter = (warnings: Warnings): Reporter => ({
  info: (message) => core.info(message),
  // A line per file otherwise, written and parsed by the runner only to be hidden.
  debug: core.isDebug() ? (message) => core.debug(message) : () => undefined,
  warn: (key, message, count) => warnings.warn(`${key}: ${message}`, 's3-force-copy', count),
  group: (name, work) =>
    core.group(name, async () => {
      const started = Date.now();
      const result = await work();
      core.info(`done in ${((Date.now() - started) / 1000).toFixed(2)} s`);
      return result;
    }),
});

/** Settings → the run (run-settings.ts) → the step's outputs, summary and failure. */
export async function run(): Promise<void> {
  const tempFiles = new TempFiles();
  // A cancelled job gets SIGINT, then SIGTERM: leave no partial download behind.
  onStopRequest((exitCode) => {
    tempFiles.removeAll();
    exitReleasingLeases(exitCode);
  });
  const warnings = new Warnings((message, title) => core.warning(message, title === undefined ? {} : { title }));
  const outputs = new StepOutputs();
  let settings: Settings;
  try {
    settings = readSettings();
  } catch (error) {
    core.setFailed(describeFailure(error, { settings: undefined, requestsSucceeded: 0 }));
    return;
  }
  outputs.checkFile(warnings);
  const end = await runSettings(settings, {
    reporter: actionsReporter(warnings),
    warnings,
    tempFiles,
    source: githubSource(),
    beforeSummary: (result, failure) => commentOn(settings, result, failure, warnings),
    writeSummary: (summary) => writeSummary(summary, warnings),
  });
  if (end.ending === 'refused') core.setFailed(end.failure ?? '');
  outputs.set(end.outputs);
  if (end.closingLine !== undefined) core.info(end.closingLine);
  if (end.ending === 'failed') core.setFailed(end.failure ?? '');
}

/** The run's pull-request comment; one for a refused run must not hide the refusal. */
async function commentOn(
  settings: Settings,
  result: SyncResult | undefined,
  failure: FailureFacts | undefined,
  warnings: Warnings,
): Promise<void> {
  if (result !== undefined) return commentOnPullRequest(settings, result, failure, warnings);
  await commentOnPullRequest(settings, undefined, failure, warnings).catch((commentError: unknown) =>
    warnings.warn(`Could not comment on the pull request: ${String(commentError)}`),
  );
}

/**
 * The step's outputs. A GITHUB_OUTPUT that names a missing file would make
 * every setOutput throw at the end of a run that already changed the bucket,
 * so it is checked once, up front, and then left alone.
 */
class StepOutputs {
  private usable = true;

  checkFile(warnings: Warnings): void {
    const file = process.env.GITHUB_OUTPUT;
    if (file === undefined || file === '' || existsSync(file)) return;
    this.usable = false;
    warnings.warn(
      `GITHUB_OUTPUT names ${file}, which does not exist: this step's outputs cannot be set, so later steps that read them get empty values. The run itself goes on.`,
    );
  }

  /** The outputs as the run gives them; lists go out as JSON arrays (a refused run has only requests and warnings). */
  set(values: RunOutputs): void {
    if (!this.usable) return;
    for (const [name, value] of Object.entries(values)) {
      core.setOutput(name, Array.isArray(value) ? JSON.stringify(value) : value);
    }
  }
}

function githubSource(): string | undefined {
  if (!process.env.GITHUB_REPOSITORY) return undefined;
  const { owner, repo } = context.repo;
  return `${owner}/${repo}@${context.sha.slice(0, 7)}`;
}

/** A summary that cannot be written is a warning: the sync it describes has already happened. */
async function writeSummary(html: string, warnings: Warnings): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info('No GITHUB_STEP_SUMMARY file: the job summary is not written.');
    return;
  }
  try {
    await core.summary.addRaw(html, true).write();
  } catch (error) {
    warnings.warn(`Could not write the job summary (${error instanceof Error ? error.message : String(error)}).`);
  }
}
