import { type ChildProcess, execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_CREDENTIALS } from './s3-server.js';

export const CLI_BUNDLE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment a user's shell gives the command line: the test server's
 * keys in the SDK's variables, a HOME of its own (no ~/.aws of this machine's),
 * no CI variable unless `env` sets one.
 */
export function userEnv(home: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...env,
  };
}

/** The flags that point the command line at a test server. */
export function serverFlags(endpoint: string): string[] {
  return ['--endpoint', endpoint, '--force-path-style'];
}

/** `node dist/cli.js ARGS…` in `cwd`, as a user runs it, its output piped (not a terminal). */
export async function runCli(
  cwd: string,
  args: string[],
  options: {
    env?: Record<string, string>;
    /** Called once the process is started, to act on it while it runs (send it a signal, say). */
    whileRunning?: (child: ChildProcess) => Promise<void>;
  } = {},
): Promise<CliRun> {
  let child: ChildProcess | undefined;
  const finished = new Promise<CliRun>((resolve) => {
    child = execFile(
      process.execPath,
      [CLI_BUNDLE, ...args],
      { cwd, env: userEnv(cwd, options.env) },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ status, signal: error?.signal ?? null, stdout, stderr });
      },
    );
  });
  if (options.whileRunning && child) await options.whileRunning(child);
  return finished;
}

/** The same inputs as the action's INPUT_ map, as flags: a list input's flag once per line. */
export function inputFlags(inputs: Record<string, string>): string[] {
  return Object.entries(inputs).flatMap(([name, value]) =>
    value.includes('\n') ? value.split('\n').flatMap((line) => [`--${name}`, line]) : [`--${name}`, value],
  );
}
