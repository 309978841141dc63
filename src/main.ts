import { existsSync } from 'node:fs';
import * as core from '@actions/core';
import type { S3Client } from '@aws-sdk/client-s3';
import { askRestoreStatusInListings } from './bucket/archived.js';
import { context } from '@actions/github';
import { invalidationOutputs, type InvalidateResult } from './cdn/invalidate.js';
import type { ServedDistribution } from './cdn/preflight.js';
import { checkDistributions, invalidateChanges } from './cdn/step.js';
import type { CopyJob, RunContext } from './sync/job.js';
import { pull } from './sync/pull.js';
import { push } from './sync/push.js';
import { remove } from './sync/remove.js';
import { rollback } from './sync/rollback.js';
import type { SyncResult } from './sync/result.js';
import { withStorageSettings } from './model/headers.js';
import { s3Url } from './model/keys.js';
import type { Reporter } from './model/reporter.js';
import { TempFiles } from './local/temp-files.js';
import { describeFailure, stoppedAt } from './report/failure.js';
import { plural } from './report/format.js';
import { changedKeysOutput, changesOf, countsOf, destinationState, type Counts } from './report/outputs.js';
import { renderRefusalSummary, renderSummary, type FailureFacts, type RunFacts } from './report/summary.js';
import { Warnings } from './report/warnings.js';
import { commentOnPullRequest } from './pr/step.js';
import { createS3Client } from './bucket/client.js';
import { RequestBudget } from './bucket/budget.js';
import { readSettings, type Settings } from './settings/inputs.js';
import { contentTypeFor } from './settings/content-type.js';
import { excludeMatcher, headersMatcher, keyMatcher } from './settings/rules.js';
import { releaseHeldLeases } from './deploys/hold.js';
import { leaseTerms } from './deploys/lease.js';
import { deployTerms } from './deploys/record.js';
import { deploySummary } from './report/deploy.js';
import { onStopRequest } from './thread.js';
import { version } from './version.js';

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

/** Settings → clients → pipeline → outputs and summary. */
export async function run(): Promise<void> {
  const started = Date.now();
  const tempFiles = new TempFiles();
  // A cancelled job gets SIGINT, then SIGTERM: leave no partial download behind.
  onStopRequest((exitCode) => {
    tempFiles.removeAll();
    // The lease goes too, or it would block the next run until it expires; a hung release waits 5 s at most.
    const exit = () => process.exit(exitCode);
    setTimeout(exit, 5_000).unref();
    void releaseHeldLeases().finally(exit);
  });
  let settings: Settings | undefined;
  let budget: RequestBudget | undefined;
  const warnings = new Warnings((message, title) => core.warning(message, title === undefined ? {} : { title }));
  const outputs = new StepOutputs();
  try {
    settings = readSettings();
    outputs.checkFile(warnings);
    logOpening(settings);
    const client = createS3Client(settings);
    budget = new RequestBudget(settings.requestLimit);
    budget.attachTo(client);
    // Before any change: a distribution this run may not invalidate refuses it here.
    const distributions = await checkDistributions(settings, budget);
    const result = await runPipeline(settings, distributions, { client, budget, tempFiles, warnings });
    await report(settings, result, distributions, { budget, started, outputs, warnings });
  } catch (error) {
    await reportRefusal(error, settings, budget, { outputs, warnings });
  }
}

/** The run's one pipeline, for its direction. */
function runPipeline(
  settings: Settings,
  distributions: ServedDistribution[],
  {
    client,
    budget,
    tempFiles,
    warnings,
  }: { client: S3Client; budget: RequestBudget; tempFiles: TempFiles; warnings: Warnings },
): Promise<SyncResult> {
  const remote = {
    client,
    bucket: settings.bucket,
    prefix: settings.prefix,
    endpointName: settings.endpoint ?? 'AWS S3',
  };
  const context: RunContext = { budget, concurrency: settings.concurrency, reporter: actionsReporter(warnings) };
  const isExcluded = excludeMatcher(settings.exclude);
  const { allowEmpty, maxDelete, limitToHalf, dryRun } = settings;
  const safety = { allowEmpty, maxDelete, limitToHalf, dryRun };
  const lease = leaseTerms(settings.lock, settings.lockWait, process.env, settings.storage);
  if (settings.direction === 'remove') {
    return remove({ remote, isExcluded, maxDelete: settings.maxDelete, dryRun: settings.dryRun, lease }, context);
  }
  // Each distribution's GetDistributionConfig is already spent; its CreateInvalidation is still to come.
  const reservedRequests = distributions.length;
  const deploys = deployTerms(settings.keepDeploys, process.env, settings.storage);
  if (settings.direction === 'rollback') {
    const { deployId, storage, manifestKey } = settings;
    const restore = { remote, isExcluded, manifestKey, deployId, delete: settings.delete, safety, storage };
    return rollback({ ...restore, reservedRequests, lease, deploys }, context);
  }
  const job: CopyJob = {
    root: settings.directory,
    remote,
    isExcluded,
    gzip: keyMatcher(settings.gzip),
    manifestKey: settings.manifestKey,
    force: settings.force,
    delete: settings.delete,
    safety,
    lease,
  };
  if (settings.direction === 'pull') {
    // AWS S3 lists RestoreStatus when asked; other stores may ignore the question.
    askRestoreStatusInListings(client);
    return pull({ ...job, tempFiles, listingTellsRestore: settings.endpoint === undefined }, context);
  }
  const rules = headersMatcher(settings.headers, settings.cacheControl, contentTypeFor);
  const headersFor = withStorageSettings(rules, settings.storage);
  return push({ ...job, headersFor, storage: settings.storage, reservedRequests, deploys }, context);
}

/**
 * After the pipeline: CloudFront, the PR comment, the summary, then the
 * outputs (last, so that they count every warning printed before), and the
 * step's failure if the apply failed.
 */
async function report(
  settings: Settings,
  result: SyncResult,
  distributions: ServedDistribution[],
  {
    budget,
    started,
    outputs,
    warnings,
  }: { budget: RequestBudget; started: number; outputs: StepOutputs; warnings: Warnings },
): Promise<void> {
  const invalidation = await invalidateChanges(settings, distributions, result, budget, warnings);
  const failure = failureFacts(result, settings, budget);
  await commentOnPullRequest(settings, result, failure, warnings);
  const facts: RunFacts = {
    requests: budget.used,
    requestsByKind: budget.byKind(),
    durationMs: Date.now() - started,
    warnings: warnings.count,
    source: githubSource(),
  };
  await writeSummary(
    renderSummary(result, settings, facts, failure, invalidation) + deploySummary(result, settings),
    warnings,
  );
  const counts = countsOf(result, facts.requests, warnings.count);
  outputs.set(counts, result, invalidation);
  core.info(closingLine(result, counts));
  if (failure) {
    // Where it stopped goes inside the message's sentence, before its full stop.
    const where = failure.stoppedAt ? ` (stopped at ${failure.stoppedAt})` : '';
    core.setFailed(`${failure.message.replace(/\.$/, '')}${where}. The destination now: ${destinationState(result)}.`);
  }
}

function failureFacts(result: SyncResult, settings: Settings, budget: RequestBudget): FailureFacts | undefined {
  if (result.failure === undefined) return undefined;
  return {
    message: describeFailure(result.failure, { settings, requestsSucceeded: budget.succeeded }),
    stoppedAt: stoppedAt(result.failure),
  };
}

/** A refusal or failure before the apply (nothing was changed), or one outside the sync itself. */
async function reportRefusal(
  error: unknown,
  settings: Settings | undefined,
  budget: RequestBudget | undefined,
  { outputs, warnings }: { outputs: StepOutputs; warnings: Warnings },
): Promise<void> {
  const message = describeFailure(error, { settings, requestsSucceeded: budget?.succeeded ?? 0 });
  core.setFailed(message);
  if (settings) {
    await writeSummary(renderRefusalSummary(message, settings, budget?.used ?? 0), warnings);
    await commentOnPullRequest(settings, undefined, { message }, warnings).catch((commentError: unknown) =>
      warnings.warn(`Could not comment on the pull request: ${String(commentError)}`),
    );
  }
  if (budget) outputs.setRefused(budget.used, warnings.count);
}

/** max-delete as the run applies it: the default comes with the half limit. */
function maxDeleteInEffect({ maxDelete, limitToHalf }: Settings): string {
  if (maxDelete === undefined) return 'no limit';
  return limitToHalf ? `${maxDelete} and half the objects (default)` : String(maxDelete);
}

/** What will happen, before anything does: version, route and the settings in effect (no secrets). */
function logOpening(settings: Settings): void {
  const remote = s3Url(settings.bucket, settings.prefix);
  const routes = {
    remove: `every object under ${remote}${settings.prefix === '' ? '' : '/'}`,
    rollback: `${remote} to deploy ${settings.deployId ?? '(the one before the latest)'}`,
    push: `${settings.directory} → ${remote}`,
    pull: `${remote} → ${settings.directory}`,
  };
  const route = routes[settings.direction];
  core.info(`s3-force-copy ${version}: ${settings.direction} ${route}`);
  const rules = (count: number) => (count === 0 ? 'none' : plural(count, 'rule'));
  core.info(
    [
      `dry-run: ${settings.dryRun}`,
      `delete: ${settings.delete}`,
      `max-delete: ${maxDeleteInEffect(settings)}`,
      `allow-empty: ${settings.allowEmpty}`,
      `force: ${settings.force}`,
      `request-limit: ${settings.requestLimit.toLocaleString('en-US')}`,
      `concurrency: ${settings.concurrency}`,
      `region: ${settings.region}`,
      `endpoint: ${settings.endpoint ?? 'AWS'}`,
      `exclude: ${rules(settings.exclude.length)}`,
      `cache-control: ${rules(settings.cacheControl.length)}`,
      `headers: ${rules(settings.headers.length)}`,
      `gzip: ${settings.gzip.length === 0 ? 'none' : plural(settings.gzip.length, 'glob')}`,
      `manifest-key: ${settings.manifestKey ?? 'none'}`,
      `cloudfront: ${settings.cloudfrontDistributionIds.length === 0 ? 'none' : settings.cloudfrontDistributionIds.join(' ')}`,
      `pr-comment: ${settings.prComment}`,
      `lock: ${settings.lock ? `wait up to ${settings.lockWait} s` : 'off'}`,
    ].join(', '),
  );
}

function closingLine(result: SyncResult, counts: Counts): string {
  return (
    `${result.dryRun ? 'Dry run, planned: ' : result.failure ? 'Failed after: ' : ''}` +
    `uploaded ${counts.uploaded}, downloaded ${counts.downloaded}, redirected ${counts.redirected}, updated ${counts.updated}, ` +
    `skipped ${counts.skipped}, deleted ${counts.deleted}, warnings ${counts.warnings}, ` +
    `${plural(counts.requests, 'request')}`
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

  set(counts: Counts, result: SyncResult, invalidation: InvalidateResult | undefined): void {
    if (!this.usable) return;
    for (const [name, value] of Object.entries(counts)) core.setOutput(name, value);
    core.setOutput('changed-keys', changedKeysOutput(changesOf(result)));
    core.setOutput('dry-run', result.dryRun);
    core.setOutput('deploy-id', result.deploy?.id ?? '');
    const { invalidationIds, invalidatedPaths } = invalidationOutputs(
      invalidation ?? { distributions: [], warnings: [] },
    );
    core.setOutput('invalidation-ids', JSON.stringify(invalidationIds));
    core.setOutput('invalidated-paths', JSON.stringify(invalidatedPaths));
  }

  /** A refused run changed nothing: only what it spent and printed. */
  setRefused(requests: number, warnings: number): void {
    if (!this.usable) return;
    core.setOutput('requests', requests);
    core.setOutput('warnings', warnings);
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
