import type { SyncResult } from '../sync/result.js';
import { escapeHtml } from './format.js';

/**
 * The deploy's lines in the job summary: its id, the one before, and the
 * workflow step that would restore the one before (rollback's default).
 */
export function deploySummary(result: SyncResult): string {
  const { deploy } = result;
  if (deploy === undefined) return '';
  const lines = [`<h3>Deploy</h3>`, `<p>Deploy <code>${escapeHtml(deploy.id)}</code> recorded.`];
  if (deploy.previous === undefined) return `${lines.join('\n')} It is the first on record.</p>\n`;
  lines.push(
    ` The one before: <code>${escapeHtml(deploy.previous)}</code>. To go back to it, run this action with:</p>`,
    `<pre>direction: rollback\ndeploy-id: ${escapeHtml(deploy.previous)}</pre>`,
  );
  return `${lines.join('\n')}\n`;
}
