import type { Reporter, TransferProgress } from '../model/reporter.js';
import type { Warnings } from '../report/warnings.js';
import { progressLine } from './progress.js';

/** Redraws of the bar at most this often; the last one always shows. */
const REDRAW_MS = 100;

/** Back to the line's start and clear it: the only control characters written, and only on a terminal. */
const CLEAR_LINE = '\r\x1b[K';

/** Where the log goes: a stream, and whether it may redraw a line (a terminal, not under CI). */
export interface LogTarget {
  write(text: string): unknown;
  live: boolean;
}

/**
 * The core's log for a person: a line per phase and per message, and on a
 * terminal a progress bar redrawn in place under them. Elsewhere (a file,
 * a pipe, CI) plain lines only.
 */
export class TerminalLog {
  private bar: { line: string; drawnAt: number; started: number; name: string } | undefined;

  constructor(
    private readonly target: LogTarget,
    private readonly showDebug = false,
  ) {}

  /** The core's log, its warnings counted by `warnings` (which print through `line`). */
  reporter(warnings: Warnings): Reporter {
    return {
      info: (message) => this.line(message),
      debug: (message) => (this.showDebug ? this.line(message) : undefined),
      warn: (key, message, count) => warnings.warn(`${key}: ${message}`, undefined, count),
      group: (name, work) => this.group(name, work),
      progress: (progress) => this.progress(progress),
    };
  }

  async group<T>(name: string, work: () => Promise<T>): Promise<T> {
    this.line(`== ${name}`);
    const started = Date.now();
    const result = await work();
    this.finishBar();
    this.line(`   done in ${((Date.now() - started) / 1000).toFixed(2)} s`);
    return result;
  }

  progress(progress: TransferProgress): void {
    if (!this.target.live) return;
    const now = Date.now();
    if (this.bar === undefined || this.bar.name !== progress.name) {
      this.bar = { line: '', drawnAt: 0, started: now, name: progress.name };
    }
    const last = progress.done >= progress.total;
    if (!last && now - this.bar.drawnAt < REDRAW_MS) return;
    this.bar.line = progressLine(progress, now - this.bar.started);
    this.bar.drawnAt = now;
    this.target.write(`${CLEAR_LINE}${this.bar.line}`);
    if (last) this.finishBar();
  }

  /** A line of its own, above the bar when one is drawn. */
  line(text: string): void {
    if (this.bar !== undefined && this.bar.line !== '') {
      this.target.write(`${CLEAR_LINE}${text}\n${this.bar.line}`);
      return;
    }
    this.target.write(`${text}\n`);
  }

  /** The bar stays on the screen as it ended; what follows goes below it. */
  private finishBar(): void {
    if (this.bar !== undefined && this.bar.line !== '') this.target.write('\n');
    this.bar = undefined;
  }
}
