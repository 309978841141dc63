import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ratioTable, resultsTable, type Row } from '../../../bench/report.ts';
import type { ToolName } from '../../../bench/tools.ts';

const push = { id: 1, label: 'push, empty bucket' };
const noop = { id: 2, label: 'push, no-op' };

function row(tool: ToolName, round: number, wallSeconds: number, total = 100, scenario = push): Row {
  return {
    tool,
    round,
    scenario,
    wallSeconds,
    counts: { LIST: 1, HEAD: 0, GET: 0, PUT: total - 1, POST: 0, DELETE: 0, total },
    peakMb: 100 + round,
    cpu: { tool: wallSeconds, server: 1, proxy: 0.1 },
    notes: [`round ${round} note`],
    ok: true,
  };
}

/** The cells of the one body row of a rendered table whose first cell starts with `first`. */
function cellsOf(table: string, first: string): string[] {
  const line = table.split('\n').find((l) => l.startsWith(`| ${first}`));
  assert.ok(line, `no row for ${first} in\n${table}`);
  return line
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());
}

describe('benchmark report over rounds', () => {
  it('shows the run with the median wall time, every round, and the highest peak', () => {
    const rows = [row('ours', 1, 5), row('ours', 2, 3), row('ours', 3, 4)];
    const cells = cellsOf(resultsTable(rows), 'ours');
    assert.equal(cells[2], '4.00');
    assert.equal(cells[3], '5.00 / 3.00 / 4.00');
    assert.equal(cells.at(-3), '103');
    assert.equal(cells.at(-1), 'round 3 note');
  });

  it('says when request counts differ between rounds, and which round failed', () => {
    const failed = { ...row('aws', 2, 1, 90), ok: false, notes: ['FAILED (exit 1)'] };
    const cells = cellsOf(resultsTable([row('aws', 1, 2), failed]), 'aws');
    assert.match(cells.at(-1) ?? '', /requests varied by round: 100, 90; round 2: FAILED \(exit 1\)/);
  });

  it('never shows a failed run as the median while a round succeeded', () => {
    const failed = (round: number, wall: number): Row => ({
      ...row('ours', round, wall, 3),
      ok: false,
      notes: ['FAILED (exit 1)'],
    });
    const cells = cellsOf(resultsTable([row('ours', 1, 5), failed(2, 0.2), failed(3, 0.1)]), 'ours');
    assert.equal(cells[2], '5.00');
    assert.equal(cells.at(-4), '100');
  });

  it('takes ratios within each round and reports their median and range', () => {
    // Per round ours/aws: 0.50, 0.25, 0.50, so the median is 0.50; the ratio of
    // the two median walls (4 / 10 = 0.40) would be a different figure.
    const rows = [
      row('ours', 1, 5),
      row('aws', 1, 10),
      row('ours', 2, 3),
      row('aws', 2, 12),
      row('ours', 3, 4),
      row('aws', 3, 8),
    ];
    const cells = cellsOf(ratioTable(rows, [push]) ?? '', '1 push');
    assert.equal(cells[1], '0.500 (0.250–0.500)');
    assert.equal(cells[2], '1.000');
  });

  it('averages the two middle ratios of an even number of rounds', () => {
    const rows = [row('ours', 1, 2), row('aws', 1, 10), row('ours', 2, 4), row('aws', 2, 10)];
    assert.equal(cellsOf(ratioTable(rows, [push]) ?? '', '1 push')[1], '0.300 (0.200–0.400)');
  });

  it('leaves out rounds where either side failed', () => {
    const rows = [row('ours', 1, 5), row('aws', 1, 10), { ...row('ours', 2, 1), ok: false }, row('aws', 2, 10)];
    assert.equal(cellsOf(ratioTable(rows, [push]) ?? '', '1 push')[1], '0.500');
  });

  it('compares with the floor where it ran, and shows a dash where it did not', () => {
    const rows = [
      row('ours', 1, 3),
      row('floor', 1, 2, 80),
      row('ours', 1, 1, 2, noop),
      row('ours', 2, 4),
      row('floor', 2, 2, 80),
      row('ours', 2, 1, 2, noop),
    ];
    const table = ratioTable(rows, [push, noop]) ?? '';
    assert.deepEqual(cellsOf(table, 'scenario').slice(1), ['wall ours/floor', 'requests ours/floor']);
    assert.deepEqual(cellsOf(table, '1 push').slice(1), ['1.750 (1.500–2.000)', '1.250']);
    assert.deepEqual(cellsOf(table, '2 push').slice(1), ['–', '–']);
    const results = resultsTable(rows).split('\n').slice(2);
    assert.deepEqual(
      results.map((line) => line.split('|')[1]?.trim()),
      ['ours', 'ours', 'floor'],
      'the floor comes after the tools',
    );
  });
});
