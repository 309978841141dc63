import type { S3Client } from '@aws-sdk/client-s3';
import { askRestoreStatusInListings } from './bucket/archived.js';
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
import type { TempFiles } from './local/temp-files.js';
import { describeFailure, stoppedAt } from './report/failure.js';
import { plural } from './report/format.js';
import { changedKeys, changesOf, countsOf, destinationState, type Counts } from './report/outputs.js';
import { renderRefusalSummary, renderSummary, type FailureFacts, type RunFacts } from './report/summary.js';
import type { Warnings } from './report/warnings.js';
import { checkRedirectsServed } from './report/serving-step.js';
import { createS3Client } from './bucket/client.js';
import { RequestBudget } from './bucket/budget.js';
import type { Settings } from './settings/inputs.js';
import { contentTypeFor } from './settings/content-type.js';
import { excludeMatcher, headersMatcher, keyMatcher } from './settings/rules.js';
import { leaseTerms } from './deploys/lease.js';
import { deployTerms } from './deploys/record.js';
import { deploySummary } from './report/deploy.js';
import { version } from './version.js';

/**
 * What a host gives the run: the action (main.ts) and the command line
 * (cli/cli.ts) are two hosts of this one run.
 */
export interface RunHost {
  reporter: Reporter;
  warnings: Warnings;
  tempFiles: TempFiles;
  /** "owner/repo@abcdef1" for the summary, when there is one. */
  source: string | undefined;
  /**
   * After the run, before the summary and the outputs (so that they count its
   * warnings): the action's pull-request comment. `result` is undefined for a refused run.
   */
  beforeSummary: (result: SyncResult | undefined, failure: FailureFacts | undefined) => Promise<void>;
  /** Writes the job summary where the host keeps it; before the outputs, which count a warning it gives. */
  writeSummary: (summary: string) => Promise<void>;
}

/** The action's outputs by name: numbers, booleans and lists as they are, for a host to write its way. */
export type RunOutputs = Record<string, number | boolean | string | string[]>;

/** How a run ended, for its host to write out. */
export interface RunEnd {
  /** done; failed part-way (or after the apply began); refused or stopped before any change. */
  ending: 'done' | 'failed' | 'refused';
  /** The sentence to fail with, including what the destination now holds; undefined when done. */
  failure: string | undefined;
  outputs: RunOutputs;
  /** The counts in one line, for the log; undefined for a refused run. */
  closingLine: string | undefined;
  result: SyncResult | undefined;
}

/** Settings → clients → pipeline → outputs and summary. Never throws: a refusal is a RunEnd too. */
export async function runSettings(settings: Settings, host: RunHost): Promise<RunEnd> {
  const started = Date.now();
  let budget: RequestBudget | undefined;
  let applied = false;
  try {
    logOpening(settings, host.reporter);
    const client = createS3Client(settings);
    budget = new RequestBudget(settings.requestLimit);
    budget.attachTo(client);
    // Before any change: a distribution this run may not invalidate refuses it here.
    const distributions = await checkDistributions(settings, budget, host.reporter);
    const result = await runPipeline(settings, distributions, { client, budget, ...host });
    applied = !result.dryRun;
    const websiteAddress = await checkRedirectsServed(settings, result, distributions, { client, ...host });
    return await report(settings, result, distributions, { budget, started, host, websiteAddress });
  } catch (error) {
    return endWithError(error, settings, { budget, applied, host });
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
    reporter,
  }: { client: S3Client; budget: RequestBudget; tempFiles: TempFiles; reporter: Reporter },
): Promise<SyncResult> {
  const remote = {
    client,
    bucket: settings.bucket,
    prefix: settings.prefix,
    endpointName: settings.endpoint ?? 'AWS S3',
  };
  const context: RunContext = { budget, concurrency: settings.concurrency, reporter };
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
  const { storage, links } = settings;
  return push({ ...job, headersFor, storage, reservedRequests, links, deploys }, context);
}

/**
 * After the pipeline: CloudFront, the host's own step (the PR comment), the
 * summary, then the outputs (last, so that they count every warning printed
 * before), and the failure if the apply failed.
 */
async function report(
  settings: Settings,
  result: SyncResult,
  distributions: ServedDistribution[],
  {
    budget,
    started,
    host,
    websiteAddress,
  }: { budget: RequestBudget; started: number; host: RunHost; websiteAddress: string | undefined },
): Promise<RunEnd> {
  const { warnings } = host;
  const invalidation = await invalidateChanges(settings, distributions, result, budget, warnings, host.reporter);
  const failure = failureFacts(result, settings, budget);
  await host.beforeSummary(result, failure);
  const facts: RunFacts = {
    requests: budget.used,
    requestsByKind: budget.byKind(),
    durationMs: Date.now() - started,
    warnings: warnings.count,
    source: host.source,
    websiteAddress,
  };
  await host.writeSummary(
    renderSummary(result, settings, facts, failure, invalidation) + deploySummary(result, settings),
  );
  const counts = countsOf(result, facts.requests, warnings.count);
  // Where it stopped goes inside the message's sentence, before its full stop.
  const where = failure?.stoppedAt ? ` (stopped at ${failure.stoppedAt})` : '';
  return {
    ending: failure ? 'failed' : 'done',
    failure: failure
      ? `${failure.message.replace(/\.$/, '')}${where}. The destination now: ${destinationState(result)}.`
      : undefined,
    outputs: outputsOf(counts, result, invalidation),
    closingLine: closingLine(result, counts),
    result,
  };
}

function failureFacts(result: SyncResult, settings: Settings, budget: RequestBudget): FailureFacts | undefined {
  if (result.failure === undefined) return undefined;
  return {
    message: describeFailure(result.failure, { settings, requestsSucceeded: budget.succeeded }),
    stoppedAt: stoppedAt(result.failure),
  };
}

/**
 * A refusal or failure before the apply (nothing was changed), or one outside
 * the sync itself: after an apply (`applied`), the run counts as failed.
 */
async function endWithError(
  error: unknown,
  settings: Settings,
  { budget, applied, host }: { budget: RequestBudget | undefined; applied: boolean; host: RunHost },
): Promise<RunEnd> {
  const message = describeFailure(error, { settings, requestsSucceeded: budget?.succeeded ?? 0 });
  await host.beforeSummary(undefined, { message });
  await host.writeSummary(renderRefusalSummary(message, settings, budget?.used ?? 0));
  return {
    ending: applied ? 'failed' : 'refused',
    failure: message,
    // A refused run changed nothing: only what it spent and printed.
    outputs: budget ? { requests: budget.used, warnings: host.warnings.count } : {},
    closingLine: undefined,
    result: undefined,
  };
}

/** The outputs action.yml declares, from the counts, the changes and the invalidation. */
function outputsOf(counts: Counts, result: SyncResult, invalidation: InvalidateResult | undefined): RunOutputs {
  const { invalidationIds, invalidatedPaths } = invalidationOutputs(
    invalidation ?? { distributions: [], warnings: [] },
  );
  return {
    ...counts,
    'changed-keys': changedKeys(changesOf(result)),
    'dry-run': result.dryRun,
    'deploy-id': result.deploy?.id ?? '',
    'invalidation-ids': invalidationIds,
    'invalidated-paths': invalidatedPaths,
  };
}

/** max-delete as the run applies it: the default comes with the half limit. */
function maxDeleteInEffect({ maxDelete, limitToHalf }: Settings): string {
  if (maxDelete === undefined) return 'no limit';
  return limitToHalf ? `${maxDelete} and half the objects (default)` : String(maxDelete);
}

/** What will happen, before anything does: version, route and the settings in effect (no secrets). */
function logOpening(settings: Settings, reporter: Reporter): void {
  const remote = s3Url(settings.bucket, settings.prefix);
  const routes = {
    remove: `every object under ${remote}${settings.prefix === '' ? '' : '/'}`,
    rollback: `${remote} to deploy ${settings.deployId ?? '(the one before the latest)'}`,
    push: `${settings.directory} → ${remote}`,
    pull: `${remote} → ${settings.directory}`,
  };
  const route = routes[settings.direction];
  reporter.info(`s3-force-copy ${version}: ${settings.direction} ${route}`);
  const rules = (count: number) => (count === 0 ? 'none' : plural(count, 'rule'));
  reporter.info(
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
