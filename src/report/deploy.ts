import type { Settings } from '../settings/inputs.js';
import type { SyncResult } from '../sync/result.js';
import { escapeHtml } from './format.js';

/**
 * The deploy's lines in the job summary: its id, the deploy a rollback
 * restored, the one before, and the workflow step that would restore that
 * one (which is also what a rollback without deploy-id restores).
 */
export function deploySummary(result: SyncResult, settings: Pick<Settings, 'bucket' | 'prefix'>): string {
  const { deploy } = result;
  if (deploy === undefined) return '';
  const restored = deploy.restored ? ` It restored deploy <code>${escapeHtml(deploy.restored)}</code>.` : '';
  const lines = [`<h3>Deploy</h3>`, `<p>Deploy <code>${escapeHtml(deploy.id)}</code> recorded.${restored}`];
  if (deploy.previous === undefined) return `${lines.join('\n')} It is the first on record.</p>\n`;
  const step = [
    '- uses: s3-force-copy/s3-force-copy@v1',
    '  with:',
    '    direction: rollback',
    `    bucket: ${settings.bucket}`,
    ...(settings.prefix === '' ? [] : [`    prefix: ${settings.prefix}`]),
    `    deploy-id: ${deploy.previous}`,
  ];
  lines.push(
    ` The one before: <code>${escapeHtml(deploy.previous)}</code>. To go back to it, run this step (with the same credentials):</p>`,
    `<pre>${escapeHtml(step.join('\n'))}</pre>`,
  );
  return `${lines.join('\n')}\n`;
}
