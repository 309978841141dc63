import type { InvalidateResult } from '../cdn/invalidate.js';
import { s3Url } from '../model/keys.js';
import type { SyncResult } from '../sync/result.js';
import { pageUrl } from '../pr/site-links.js';
import type { Settings } from '../settings/inputs.js';
import { escapeHtml, formatBytes, plural, thousands } from './format.js';
import { changesOf, changeVerb, countsOf, destinationState, type Change, type ChangeAction } from './outputs.js';

export interface RunFacts {
  requests: number;
  requestsByKind: Record<string, number>;
  durationMs: number;
  /** Warnings printed so far: skipped entries, CloudFront's, the pull-request comment's. */
  warnings: number;
  /** "owner/repo@abcdef1", when running in GitHub Actions. */
  source: string | undefined;
  /** Where the bucket's website endpoint serves the prefix, when a push found hosting on and site-url is unset. */
  websiteAddress?: string;
}

/** How a failed apply is shown: the error sentence, and the key and operation it stopped at. */
export interface FailureFacts {
  message: string;
  /** "upload index.html", when the failure was on one key. */
  stoppedAt?: string;
}

/** Rows of the change list shown; GitHub caps a job summary at 1 MiB. */
const SUMMARY_ROW_CAP = 300;

/** The job summary of a run refused or failed before it changed anything. */
export function renderRefusalSummary(message: string, settings: Settings, requests: number): string {
  return [
    `<h2>s3-force-copy ${settings.direction} failed</h2>`,
    `<p>${route(settings)}</p>`,
    `<p><strong>${escapeHtml(message)}</strong></p>`,
    `<p>S3 requests sent: ${thousands(requests)} of ${thousands(settings.requestLimit)} allowed. Warnings, if any, are in the log.</p>`,
  ].join('\n');
}

/**
 * The job summary as HTML: what was done (or planned, on a dry run), and for
 * a run that failed part-way, what state the destination is in.
 */
export function renderSummary(
  result: SyncResult,
  settings: Settings,
  facts: RunFacts,
  failure?: FailureFacts,
  invalidation?: InvalidateResult,
): string {
  return [
    ...summaryHead(result, settings, facts.source, failure),
    ...websiteLine(facts.websiteAddress),
    countsTable(countRows(result, settings, facts)),
    ...changeList(result, settings, failure),
    ...(invalidation ? [renderInvalidation(invalidation, result.dryRun)] : []),
    ...warningList(result.warnings),
  ].join('\n');
}

/** The title and route, then why a failed run stopped, or that a dry run changed nothing. */
function summaryHead(
  result: SyncResult,
  settings: Settings,
  source: string | undefined,
  failure: FailureFacts | undefined,
): string[] {
  const title = failure ? ' failed' : result.dryRun ? ' (dry run)' : '';
  const parts = [
    `<h2>s3-force-copy ${settings.direction}${title}</h2>`,
    `<p><strong>${escapeHtml(verdict(result))}</strong></p>`,
    `<p>${route(settings)}${source ? ` from <code>${escapeHtml(source)}</code>` : ''}</p>`,
  ];
  if (failure) {
    parts.push(`<p><strong>${escapeHtml(failure.message)}</strong></p>`);
    if (failure.stoppedAt) parts.push(`<p>Stopped at: <code>${escapeHtml(failure.stoppedAt)}</code></p>`);
    parts.push(`<p>The destination now: ${escapeHtml(destinationState(result))}.</p>`);
  }
  if (result.dryRun) {
    parts.push('<p><strong>Dry run:</strong> this is the plan. Nothing was uploaded, downloaded or deleted.</p>');
  }
  return parts;
}

/** The site's address on the bucket's website endpoint, where its redirects are served. */
function websiteLine(address: string | undefined): string[] {
  if (address === undefined) return [];
  const link = escapeHtml(address);
  return [`<p>Website endpoint: <a href="${link}">${link}</a></p>`];
}

/**
 * What the run changed, in one sentence that heads the summary: "Uploaded 3
 * files and deleted 1 object.", "Would …" on a dry run, or "Nothing changed.".
 */
function verdict(result: SyncResult): string {
  const counts = countsOf(result, 0, 0);
  const push = result.direction === 'push';
  const would = (done: string, planned: string) => (result.dryRun ? planned : done);
  const changes = [
    [push ? would('uploaded', 'upload') : would('downloaded', 'download'), counts.uploaded + counts.downloaded, 'file'],
    [push ? would('wrote', 'write') : would('made', 'make'), counts.redirected, push ? 'redirect' : 'symlink'],
    [would('updated the headers of', 'update the headers of'), counts.updated, 'object'],
    [would('deleted', 'delete'), counts.deleted, push ? 'object' : 'file'],
  ] as const;
  const said = changes.filter(([, count]) => count > 0).map(([verb, count, item]) => `${verb} ${plural(count, item)}`);
  if (said.length === 0) return result.dryRun ? 'Nothing would change.' : 'Nothing changed.';
  const sentence = said.length === 1 ? said[0] : `${said.slice(0, -1).join(', ')} and ${said.at(-1)}`;
  return `${result.dryRun ? 'Would ' : ''}${sentence}.`.replace(/^./, (first) => first.toUpperCase());
}

/** The counts as [what, count] rows, worded as done or, on a dry run, as planned; a count of none is left out. */
function countRows(result: SyncResult, settings: Settings, facts: RunFacts): [string, string][] {
  const counts = countsOf(result, facts.requests, facts.warnings);
  const push = result.direction === 'push';
  const would = (done: string, planned: string) => (result.dryRun ? planned : done);
  const requests = `${thousands(counts.requests)} of ${thousands(settings.requestLimit)} allowed (${requestBreakdown(facts.requestsByKind)})`;
  const rows: [string, number, string?][] = [
    [
      push ? would('Uploaded', 'Would upload') : would('Downloaded', 'Would download'),
      counts.uploaded + counts.downloaded,
    ],
    [
      push ? would('Redirects written', 'Would write redirects') : would('Symlinks made', 'Would make symlinks'),
      counts.redirected,
    ],
    [would('Headers updated', 'Would update headers'), counts.updated],
    ['Skipped (up to date)', counts.skipped],
    [would('Deleted', 'Would delete'), counts.deleted],
    ['Warnings', counts.warnings],
    ['Requests', counts.requests, requests],
    [would('Transferred', 'Would transfer'), counts.bytes, formatBytes(counts.bytes)],
  ];
  return [
    ...rows
      .filter(([, count]) => count > 0)
      .map(([what, count, shown]): [string, string] => [what, shown ?? thousands(count)]),
    ['Duration', `${(facts.durationMs / 1000).toFixed(1)} s`],
  ];
}

function countsTable(rows: [string, string][]): string {
  return (
    '<table><tr><th>What</th><th>Count</th></tr>' +
    rows.map(([what, count]) => `<tr><td>${what}</td><td>${count}</td></tr>`).join('') +
    '</table>'
  );
}

/** The changes, folded; none when nothing changed. */
function changeList(result: SyncResult, settings: Settings, failure: FailureFacts | undefined): string[] {
  const changes = changesOf(result);
  if (changes.length === 0) return [];
  const heading = result.dryRun ? 'Planned changes' : failure ? 'Changes made before the failure' : 'Changes';
  const items = cappedItems(foldFolderLinks(changes), (c) =>
    'redirects' in c
      ? `${changeVerb(c.action, result.dryRun)}: <code>${escapeHtml(c.link)}/</code> → <code>${escapeHtml(c.target)}/</code> (${plural(c.redirects, 'redirect')})`
      : `${changeVerb(c.action, result.dryRun)}: ${keyLink(c.key, c.action, settings)}` +
        `${c.target === undefined ? '' : ` → <code>${escapeHtml(c.target)}</code>`} — ${escapeHtml(c.reason)}`,
  );
  return [`<details><summary>${heading} (${thousands(changes.length)})</summary><ul>${items}</ul></details>`];
}

type FolderLinkLine = { action: ChangeAction; link: string; target: string; redirects: number };

/** A symlink to a folder is one line, however many redirects it stands for. */
function foldFolderLinks(changes: Change[]): (Change | FolderLinkLine)[] {
  const lines: (Change | FolderLinkLine)[] = [];
  const byLink = new Map<string, FolderLinkLine>();
  for (const change of changes) {
    if (change.folder === undefined) {
      lines.push(change);
      continue;
    }
    const line = byLink.get(change.folder.link);
    if (line !== undefined) {
      line.redirects += 1;
      continue;
    }
    const first = { action: change.action, ...change.folder, redirects: 1 };
    byLink.set(change.folder.link, first);
    lines.push(first);
  }
  return lines;
}

/** The warnings; none when there are none. */
function warningList(warnings: SyncResult['warnings']): string[] {
  if (warnings.length === 0) return [];
  const items = cappedItems(warnings, (w) => `<code>${escapeHtml(w.key)}</code>: ${escapeHtml(w.message)}`);
  return [`<h3>Warnings (${thousands(warnings.length)})</h3><ul>${items}</ul>`];
}

/** The first SUMMARY_ROW_CAP items as list items, then how many more there are. */
function cappedItems<T>(items: readonly T[], render: (item: T) => string): string {
  const more = items.length - SUMMARY_ROW_CAP;
  const shown = items.slice(0, SUMMARY_ROW_CAP).map((item) => `<li>${render(item)}</li>`);
  return shown.join('') + (more > 0 ? `<li>and ${thousands(more)} more</li>` : '');
}

/** Paths listed per distribution. */
const PATHS_SHOWN = 50;

function renderInvalidation(invalidation: InvalidateResult, dryRun: boolean): string {
  const rows = invalidation.distributions.map((d) => {
    const shown = d.paths.slice(0, PATHS_SHOWN).map((p) => `<code>${escapeHtml(p)}</code>`);
    if (d.paths.length > PATHS_SHOWN) shown.push(`and ${thousands(d.paths.length - PATHS_SHOWN)} more`);
    return (
      `<tr><td><code>${escapeHtml(d.distributionId)}</code></td><td>${escapeHtml(d.invalidationId ?? '—')}</td>` +
      `<td>${status(d)}</td><td>${thousands(d.billablePaths)}</td><td>${shown.join(' ') || 'none'}</td></tr>`
    );
  });
  return (
    `<h3>CloudFront${dryRun ? ': would invalidate' : ' invalidation'}</h3>` +
    '<table><tr><th>Distribution</th><th>Invalidation</th><th>Status</th><th>Billable paths</th><th>Paths</th></tr>' +
    rows.join('') +
    '</table>'
  );
}

/** The status, and why, when CloudFront refused or kept it waiting. */
function status(distribution: InvalidateResult['distributions'][number]): string {
  const why = distribution.warnings.map((warning) => escapeHtml(warning)).join(' ');
  return escapeHtml(distribution.status) + (why === '' ? '' : `: ${why}`);
}

/** A changed key, linked to its page when site-url says where the prefix is served (deleted keys are gone). */
function keyLink(key: string, action: ChangeAction, settings: Settings): string {
  const code = `<code>${escapeHtml(key)}</code>`;
  const bucketIsDestination = settings.direction === 'push' || settings.direction === 'rollback';
  if (settings.siteUrl === undefined || action === 'deleted' || !bucketIsDestination) return code;
  return `<a href="${escapeHtml(pageUrl(settings.siteUrl, key, settings.indexDocument))}">${code}</a>`;
}

function route(settings: Settings): string {
  const remote = escapeHtml(s3Url(settings.bucket, settings.prefix));
  const local = escapeHtml(settings.directoryInput);
  // An empty prefix (refused) is the bucket itself: s3://bucket/, not s3://bucket//.
  const folder = settings.prefix === '' ? remote : `${remote}/`;
  if (settings.direction === 'remove') return `every object under <code>${folder}</code>`;
  if (settings.direction === 'rollback') return `<code>${folder}</code> back to an earlier deploy`;
  return settings.direction === 'push'
    ? `<code>${local}</code> → <code>${remote}</code>`
    : `<code>${remote}</code> → <code>${local}</code>`;
}

function requestBreakdown(byKind: Record<string, number>): string {
  const parts = Object.entries(byKind)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${thousands(count)} ${kind}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}
