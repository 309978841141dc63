import { changesOf, changeVerb } from '../report/outputs.js';
import { formatBytes, thousands } from '../report/format.js';
import type { RunOutputs } from '../run-settings.js';
import type { SyncResult } from '../sync/result.js';

/** Rows of the change list shown at the end; the --summary file has them all (up to its own cap). */
const CHANGES_SHOWN = 20;

const COUNT_NAMES = ['uploaded', 'downloaded', 'redirected', 'updated', 'skipped', 'deleted', 'warnings', 'requests'];

/** Rows as a table with box-drawing borders; the first row is the heading. Columns in `right` align right. */
export function table(rows: string[][], right: ReadonlySet<number> = new Set()): string {
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const rule = (left: string, middle: string, right: string) =>
    `${left}${widths.map((width) => '─'.repeat(width + 2)).join(middle)}${right}`;
  const line = (row: string[]) =>
    `│${widths
      .map((width, column) => {
        const cell = row[column] ?? '';
        return ` ${right.has(column) ? cell.padStart(width) : cell.padEnd(width)} `;
      })
      .join('│')}│`;
  const [heading, ...body] = rows;
  return [rule('┌', '┬', '┐'), line(heading ?? []), rule('├', '┼', '┤'), ...body.map(line), rule('└', '┴', '┘')].join(
    '\n',
  );
}

/** The summary for a person at a terminal: the counts, then the first changes. */
export function summaryTables(outputs: RunOutputs, result: SyncResult): string {
  const title = result.dryRun ? 'planned (dry run)' : 'count';
  const counts = COUNT_NAMES.map((name) => [name, thousands(Number(outputs[name] ?? 0))]);
  counts.push(['bytes', formatBytes(Number(outputs.bytes ?? 0))]);
  const parts = [table([['', title], ...counts], new Set([1]))];
  const changes = changesOf(result);
  if (changes.length > 0) {
    const rows = changes.slice(0, CHANGES_SHOWN).map((change) => {
      const target = change.target === undefined ? '' : ` → ${change.target}`;
      return [changeVerb(change.action, result.dryRun), `${change.key}${target}`, change.reason];
    });
    parts.push(table([['change', 'key', 'why'], ...rows]));
    if (changes.length > CHANGES_SHOWN) parts.push(`… and ${thousands(changes.length - CHANGES_SHOWN)} more`);
  }
  return parts.join('\n');
}
