/** Runs one tool process: wall time, peak RSS, log file, hard timeout. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';

export interface Invocation {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  wallSeconds: number;
  /** Undefined when GNU time is not installed. */
  peakMb: number | undefined;
  /** User + system CPU seconds of the tool; undefined without GNU time. */
  cpuSeconds: number | undefined;
  timedOut: boolean;
}

const GNU_TIME = '/usr/bin/time';
const hasGnuTime = existsSync(GNU_TIME);

let running: ChildProcess | undefined;

/** Kills the tool process group that is running right now, if any. */
export function killRunning(): void {
  if (running?.pid !== undefined && running.exitCode === null) {
    try {
      process.kill(-running.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

export async function runTimed(invocation: Invocation, logFile: string, timeoutMs: number): Promise<RunResult> {
  const rssFile = `${logFile}.rss`;
  const log = await open(logFile, 'a');
  await log.write(`$ ${invocation.command} ${invocation.args.join(' ')}\n`);
  const [command, args] = hasGnuTime
    ? [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, invocation.command, ...invocation.args]]
    : [invocation.command, invocation.args];

  const started = process.hrtime.bigint();
  // A process group of its own, so a timeout or Ctrl-C can take down the
  // tool together with GNU time (and aws's Python, rclone's threads...).
  const child = spawn(command, args, {
    env: invocation.env,
    stdio: ['ignore', log.fd, log.fd],
    detached: true,
  });
  running = child;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killRunning();
  }, timeoutMs);

  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, sig) => resolve([code, sig]));
  }).finally(() => {
    clearTimeout(timer);
    running = undefined;
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  await log.close();

  let peakMb: number | undefined;
  let cpuSeconds: number | undefined;
  if (hasGnuTime) {
    // GNU time prints "Command exited with non-zero status N" before the
    // figures when the tool fails; the figures are always the last line.
    const text = await readFile(rssFile, 'utf8').catch(() => '');
    const [kb, user, system] = (text.trim().split('\n').pop() ?? '').split(' ').map(Number);
    if (kb !== undefined && Number.isFinite(kb) && kb > 0) peakMb = kb / 1024;
    if (user !== undefined && system !== undefined && Number.isFinite(user + system)) cpuSeconds = user + system;
    await rm(rssFile, { force: true });
  }
  return { exitCode, signal, wallSeconds, peakMb, cpuSeconds, timedOut };
}

/** Runs a short command and returns its stdout, or undefined if it fails. */
export function capture(command: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('error', () => resolve(undefined));
    child.once('close', (code) => resolve(code === 0 ? out.trim() : undefined));
  });
}

export async function tail(file: string, lines = 15): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
