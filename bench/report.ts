/** Markdown rendering of benchmark results. */
import type { RequestCounts } from '../support/s3-proxy.ts';
import type { ToolName } from './tools.ts';

export interface Scenario {
  id: number;
  label: string;
}

export interface Row {
  tool: ToolName;
  /** 1-based; every tool runs every scenario once per round. */
  round: number;
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

/** "tool / s3rver / proxy" CPU seconds. */
export function formatCpu(cpu: Row['cpu']): string {
  return [cpu.tool, cpu.server, cpu.proxy].map((s) => (s === undefined ? '–' : s.toFixed(1))).join(' / ');
}

/** One tool and scenario over all rounds. */
interface Cell {
  tool: ToolName;
  scenario: Scenario;
  /** In round order. */
  runs: Row[];
  /** The successful run with the median wall time (the lower middle for an even count). */
  median: Row;
}

function cells(rows: Row[]): Cell[] {
  const byKey = new Map<string, Row[]>();
  for (const row of rows) {
    const key = `${row.tool} ${row.scenario.id}`;
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }
  return [...byKey.values()]
    .map((runs) => {
      // A failed run's time says nothing about the tool; it is the median only if every round failed.
      const succeeded = runs.filter((run) => run.ok);
      const sorted = [...(succeeded.length > 0 ? succeeded : runs)].sort((a, b) => a.wallSeconds - b.wallSeconds);
      const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
      return { tool: median.tool, scenario: median.scenario, runs, median };
    })
    .sort((a, b) => TOOL_ORDER.indexOf(a.tool) - TOOL_ORDER.indexOf(b.tool) || a.scenario.id - b.scenario.id);
}

const TOOL_ORDER: ToolName[] = ['ours', 'aws', 'rclone', 'floor'];

export function resultsTable(rows: Row[]): string {
  const header = ['tool', 'scenario', 'wall s', 'per round', ...KINDS, 'peak MB', 'CPU s tool/s3rver/proxy', 'notes'];
  const body = cells(rows).map(({ tool, scenario, runs, median }) => {
    const totals = new Set(runs.map((run) => run.counts.total));
    const peaks = runs.flatMap((run) => (run.peakMb === undefined ? [] : [run.peakMb]));
    const failed = runs.filter((run) => !run.ok).map((run) => `round ${run.round}: ${run.notes.join('; ')}`);
    return [
      tool,
      `${scenario.id} ${scenario.label}`,
      median.wallSeconds.toFixed(2),
      runs.map((run) => run.wallSeconds.toFixed(2)).join(' / '),
      ...KINDS.map((kind) => String(median.counts[kind])),
      peaks.length === 0 ? '–' : Math.max(...peaks).toFixed(0),
      formatCpu(median.cpu),
      [
        ...(totals.size > 1 ? [`requests varied by round: ${[...totals].join(', ')}`] : []),
        ...(failed.length > 0 ? failed : median.notes),
      ].join('; '),
    ];
  });
  return table(header, body, [2, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
}

/**
 * ours/peer per scenario, from runs made in the same round (so under the
 * same machine load); `undefined` when there is nothing to compare.
 */
export function ratioTable(rows: Row[], scenarios: Scenario[]): string | undefined {
  const find = (tool: ToolName, id: number, round: number): Row | undefined =>
    rows.find((row) => row.tool === tool && row.scenario.id === id && row.round === round);
  const peers = (['aws', 'rclone', 'floor'] as const).filter((peer) => rows.some((row) => row.tool === peer));
  if (!rows.some((row) => row.tool === 'ours') || peers.length === 0) return undefined;
  const rounds = [...new Set(rows.map((row) => row.round))].sort((a, b) => a - b);

  const header = ['scenario', ...peers.flatMap((p) => [`wall ours/${p}`, `requests ours/${p}`])];
  const body = scenarios.map((scenario) => [
    `${scenario.id} ${scenario.label}`,
    ...peers.flatMap((peer) => {
      const pairs = rounds.flatMap((round) => {
        const ours = find('ours', scenario.id, round);
        const other = find(peer, scenario.id, round);
        return ours?.ok && other?.ok ? [[ours, other] as const] : [];
      });
      if (pairs.length === 0) return ['–', '–'];
      const walls = pairs.map(([ours, other]) => ratio(ours.wallSeconds, other.wallSeconds));
      const requests = pairs.map(([ours, other]) => ratio(ours.counts.total, other.counts.total));
      return [summarize(walls), summarize(requests)];
    }),
  ]);
  return table(header, body, header.map((_, i) => i).slice(1));
}

/** `0.470 (0.440–0.520)`: the median, then the range when the rounds differ. */
function summarize(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  const low = sorted[0]!;
  const high = sorted[sorted.length - 1]!;
  // Three places: targets such as "at most 1/2" must not pass by rounding.
  const text = (value: number): string => (Number.isFinite(value) ? value.toFixed(3) : '∞');
  return text(low) === text(high) ? text(median) : `${text(median)} (${text(low)}–${text(high)})`;
}

function ratio(ours: number, peer: number): number {
  if (peer === 0) return ours === 0 ? 1 : Infinity;
  return ours / peer;
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
