import { deployWaves } from './core/apply-push.js';
import type { ForceCopyResult } from './core/force-copy.js';
import type { Settings } from './inputs.js';

export interface RunFacts {
  requests: number;
  requestsByKind: Record<string, number>;
  durationMs: number;
  /** "owner/repo@abcdef1", when running in GitHub Actions. */
  source: string | undefined;
}

export interface Counts {
  uploaded: number;
  downloaded: number;
  redirected: number;
  skipped: number;
  deleted: number;
  warnings: number;
  requests: number;
  bytes: number;
}

/** Rows of the change list shown; GitHub caps a job summary at 1 MiB. */
export const SUMMARY_ROW_CAP = 300;
/** Keys in the changed-keys output. */
export const CHANGED_KEYS_CAP = 1000;

export function countsOf(result: ForceCopyResult, facts: RunFacts): Counts {
  const push = result.direction === 'push';
  return {
    uploaded: push ? result.copied : 0,
    downloaded: push ? 0 : result.copied,
    redirected: result.redirected,
    skipped: result.unchanged,
    deleted: result.deleted,
    warnings: result.warnings.length,
    requests: facts.requests,
    bytes: result.bytes,
  };
}

export interface Change {
  key: string;
  action: string;
  reason: string;
}

/** What changed (or would change, on a dry run), in apply order. */
export function changesOf(result: ForceCopyResult): Change[] {
  const copyVerb = result.direction === 'push' ? 'uploaded' : 'downloaded';
  const linkVerb = result.direction === 'push' ? 'redirected' : 'linked';
  const copies = result.direction === 'push' ? deployWaves(result.plan.copies).flat() : result.plan.copies;
  return [
    ...copies.map((copy) => ({ key: copy.key, action: copyVerb, reason: copy.reason })),
    ...result.plan.redirects.map((r) => ({ key: r.key, action: linkVerb, reason: `→ ${r.target} (${r.reason})` })),
    ...result.plan.deletes.map((d) => ({ key: d.key, action: 'deleted', reason: 'not in the source' })),
  ];
}

export function changedKeysOutput(changes: Change[]): string {
  return JSON.stringify(changes.slice(0, CHANGED_KEYS_CAP).map((change) => change.key));
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function thousands(value: number): string {
  return value.toLocaleString('en-US');
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** The job summary of a run that failed: what failed, and what it had cost so far. */
export function renderFailureSummary(message: string, settings: Settings, requests: number): string {
  return [
    `<h2>s3-force-copy ${settings.direction} failed</h2>`,
    `<p>${route(settings)}</p>`,
    `<p><strong>${escapeHtml(message)}</strong></p>`,
    `<p>S3 requests sent: ${thousands(requests)} of ${thousands(settings.requestLimit)} allowed. Warnings, if any, are in the log.</p>`,
  ].join('\n');
}

function route(settings: Settings): string {
  const remote = escapeHtml(`s3://${settings.bucket}/${settings.prefix}`);
  const local = escapeHtml(settings.directoryInput);
  return settings.direction === 'push'
    ? `<code>${local}</code> → <code>${remote}</code>`
    : `<code>${remote}</code> → <code>${local}</code>`;
}

/** The job summary as HTML. Every key and path is escaped: names come from users and buckets. */
export function renderSummary(result: ForceCopyResult, settings: Settings, facts: RunFacts): string {
  const counts = countsOf(result, facts);
  const push = result.direction === 'push';
  const parts: string[] = [];
  parts.push(`<h2>s3-force-copy ${result.direction}${result.dryRun ? ' (dry run)' : ''}</h2>`);
  parts.push(`<p>${route(settings)}${facts.source ? ` from <code>${escapeHtml(facts.source)}</code>` : ''}</p>`);
  if (result.dryRun) {
    parts.push('<p><strong>Dry run:</strong> this is the plan. Nothing was uploaded, downloaded or deleted.</p>');
  }
  const rows: [string, string][] = [
    [push ? 'Uploaded' : 'Downloaded', String(push ? counts.uploaded : counts.downloaded)],
    [push ? 'Redirects written' : 'Symlinks made', String(counts.redirected)],
    ['Skipped (up to date)', String(counts.skipped)],
    ['Deleted', String(counts.deleted)],
    ['Warnings', String(counts.warnings)],
    [
      'S3 requests',
      `${thousands(counts.requests)} of ${thousands(settings.requestLimit)} allowed (${requestBreakdown(facts.requestsByKind)})`,
    ],
    ['Transferred', formatBytes(counts.bytes)],
    ['Duration', `${(facts.durationMs / 1000).toFixed(1)} s`],
  ];
  if (result.dryRun) {
    rows[0] = [push ? 'Would upload' : 'Would download', String(result.plan.copies.length)];
    rows[1] = [push ? 'Would write redirects' : 'Would make symlinks', String(result.plan.redirects.length)];
    rows[3] = ['Would delete', String(result.plan.deletes.length)];
    rows[6] = ['Would transfer', formatBytes(result.plan.copies.reduce((sum, copy) => sum + copy.entry.size, 0))];
  }
  parts.push(
    '<table><tr><th>What</th><th>Count</th></tr>' +
      rows.map(([what, count]) => `<tr><td>${what}</td><td>${count}</td></tr>`).join('') +
      '</table>',
  );

  const changes = changesOf(result);
  if (changes.length > 0) {
    const shown = changes.slice(0, SUMMARY_ROW_CAP);
    const more = changes.length - shown.length;
    parts.push(
      `<details><summary>${result.dryRun ? 'Planned changes' : 'Changes'} (${changes.length})</summary><ul>` +
        shown.map((c) => `<li>${c.action}: <code>${escapeHtml(c.key)}</code> — ${escapeHtml(c.reason)}</li>`).join('') +
        (more > 0 ? `<li>and ${more} more</li>` : '') +
        '</ul></details>',
    );
  }
  if (result.warnings.length > 0) {
    const shown = result.warnings.slice(0, SUMMARY_ROW_CAP);
    const more = result.warnings.length - shown.length;
    parts.push(
      `<h3>Warnings (${result.warnings.length})</h3><ul>` +
        shown.map((w) => `<li><code>${escapeHtml(w.key)}</code>: ${escapeHtml(w.message)}</li>`).join('') +
        (more > 0 ? `<li>and ${more} more</li>` : '') +
        '</ul>',
    );
  }
  return parts.join('\n');
}

function requestBreakdown(byKind: Record<string, number>): string {
  const parts = Object.entries(byKind)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}
