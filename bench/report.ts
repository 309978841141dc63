/** Markdown rendering of benchmark results. */
import type { RequestCounts } from '../support/s3-proxy.ts';
import type { ToolName } from './tools.ts';

export interface Scenario {
  id: number;
  label: string;
}

export interface Row {
  tool: ToolName;
  scenario: Scenario;
  wallSeconds: number;
  counts: RequestCounts;
  peakMb: number | undefined;
  /** CPU seconds of the tool, of s3rver and of the proxy (this process) during the run. */
  cpu: { tool: number | undefined; server: number | undefined; proxy: number };
  /** Exit problems, tool-reported figures and the sanity check. */
  notes: string[];
  ok: boolean;
}

const KINDS = ['LIST', 'HEAD', 'GET', 'PUT', 'POST', 'DELETE', 'total'] as const;

export function resultsTable(rows: Row[]): string {
  const header = ['tool', 'scenario', 'wall s', ...KINDS, 'peak MB', 'CPU s tool/s3rver/proxy', 'notes'];
  const body = rows.map((row) => [
    row.tool,
    `${row.scenario.id} ${row.scenario.label}`,
    row.wallSeconds.toFixed(2),
    ...KINDS.map((kind) => String(row.counts[kind])),
    row.peakMb === undefined ? '–' : row.peakMb.toFixed(0),
    [row.cpu.tool, row.cpu.server, row.cpu.proxy].map((s) => (s === undefined ? '–' : s.toFixed(1))).join(' / '),
    row.notes.join('; '),
  ]);
  return table(header, body, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
}

/** ours/peer per scenario; `undefined` when there is nothing to compare. */
export function ratioTable(rows: Row[], scenarios: Scenario[]): string | undefined {
  const find = (tool: ToolName, id: number): Row | undefined =>
    rows.find((row) => row.tool === tool && row.scenario.id === id);
  const peers = (['aws', 'rclone'] as const).filter((peer) => rows.some((row) => row.tool === peer));
  if (!rows.some((row) => row.tool === 'ours') || peers.length === 0) return undefined;

  const header = ['scenario', ...peers.flatMap((p) => [`wall ours/${p}`, `requests ours/${p}`])];
  const body = scenarios.map((scenario) => {
    const ours = find('ours', scenario.id);
    return [
      `${scenario.id} ${scenario.label}`,
      ...peers.flatMap((peer) => {
        const other = find(peer, scenario.id);
        if (!ours?.ok || !other?.ok) return ['–', '–'];
        return [ratio(ours.wallSeconds, other.wallSeconds), ratio(ours.counts.total, other.counts.total)];
      }),
    ];
  });
  return table(header, body, header.map((_, i) => i).slice(1));
}

function ratio(ours: number, peer: number): string {
  if (peer === 0) return ours === 0 ? '1.00' : '∞';
  return (ours / peer).toFixed(2);
}

function table(header: string[], body: string[][], rightAligned: number[]): string {
  const all = [header, ...body];
  const widths = header.map((_, col) => Math.max(...all.map((row) => (row[col] ?? '').length)));
  const line = (cells: string[]): string =>
    `| ${cells
      .map((cell, col) =>
        rightAligned.includes(col) ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0),
      )
      .join(' | ')} |`;
  const rule = `|${widths
    .map((width, col) => (rightAligned.includes(col) ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2)))
    .join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}
