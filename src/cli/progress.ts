import type { TransferProgress } from '../model/reporter.js';
import { formatBytes } from '../report/format.js';

const BAR_WIDTH = 24;

/**
 * One line of a progress bar: "[#######-----------------]  120/480 files  3.1 MiB/12.4 MiB  1.2 MiB/s  8 s left".
 * The rate and the time left come from the bytes (the items when there are none).
 */
export function progressLine(progress: TransferProgress, elapsedMs: number): string {
  const { name, done, total, bytesDone, bytesTotal } = progress;
  const byBytes = bytesTotal > 0;
  const fraction = Math.min(1, byBytes ? bytesDone / bytesTotal : total === 0 ? 1 : done / total);
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  const parts = [bar, `${name} ${done}/${total}`];
  if (byBytes) parts.push(`${formatBytes(bytesDone)}/${formatBytes(bytesTotal)}`);
  const seconds = elapsedMs / 1000;
  if (seconds > 0 && fraction > 0) {
    if (byBytes) parts.push(`${formatBytes(Math.round(bytesDone / seconds))}/s`);
    parts.push(
      fraction >= 1 ? `${formatSeconds(seconds)}` : `${formatSeconds((seconds * (1 - fraction)) / fraction)} left`,
    );
  }
  return parts.join('  ');
}

/** "8 s", "2 min 5 s". */
export function formatSeconds(seconds: number): string {
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole} s`;
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}
