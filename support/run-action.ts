import { type ChildProcess, execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_CREDENTIALS } from './s3-server.js';

const bundle = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');

export interface ActionRun {
  status: number;
  /** The signal that killed the process, if one did (its status is then 1). */
  signal: NodeJS.Signals | null;
  stdout: string;
  outputs: Record<string, string>;
  /** The job summary file's content ('' when none was written). */
  summary: string;
  /** `::error::` messages. */
  errors: string[];
  /** `::warning …::` messages. */
  warnings: string[];
}

/**
 * Runs the bundled action as the runner does: `node dist/index.js` with one
 * INPUT_* variable per input, and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files.
 */
export async function runAction(
  workspace: string,
  inputs: Record<string, string>,
  options: {
    endpoint?: string;
    summary?: boolean;
    env?: Record<string, string>;
    /** Called once the process is started, to act on it while it runs (send it a signal, say). */
    whileRunning?: (child: ChildProcess) => Promise<void>;
  } = {},
): Promise<ActionRun> {
  const outputFile = path.join(workspace, `.output-${Date.now()}-${Math.random()}`);
  const summaryFile = path.join(workspace, `.summary-${Date.now()}-${Math.random()}`);
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_REPOSITORY: 'octo/site',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...(options.summary === false ? {} : { GITHUB_STEP_SUMMARY: summaryFile }),
    ...options.env,
  };
  const withServer: Record<string, string> = options.endpoint
    ? {
        endpoint: options.endpoint,
        'force-path-style': 'true',
        'aws-access-key-id': TEST_CREDENTIALS.accessKeyId,
        'aws-secret-access-key': TEST_CREDENTIALS.secretAccessKey,
      }
    : {};
  for (const [name, value] of Object.entries({ ...withServer, ...inputs })) {
    env[`INPUT_${name.toUpperCase()}`] = value;
  }
  let child: ChildProcess | undefined;
  const finished = new Promise<{ status: number; signal: NodeJS.Signals | null; stdout: string }>((resolve) => {
    child = execFile(process.execPath, [bundle], { env, cwd: workspace }, (error, stdout) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ status: code, signal: error?.signal ?? null, stdout });
    });
  });
  if (options.whileRunning && child) await options.whileRunning(child);
  const { status, signal, stdout } = await finished;
  return {
    status,
    signal,
    stdout,
    outputs: parseOutputs(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
    errors: commands(stdout, 'error'),
    warnings: commands(stdout, 'warning'),
  };
}

/** Parses the `name<<DELIMITER … DELIMITER` blocks @actions/core writes. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match) continue;
    const [, name, delimiter] = match as unknown as [string, string, string];
    const value: string[] = [];
    for (i += 1; i < lines.length && lines[i] !== delimiter; i += 1) value.push(lines[i] ?? '');
    outputs[name] = value.join('\n');
  }
  return outputs;
}

function commands(stdout: string, kind: 'error' | 'warning'): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith(`::${kind}`))
    .map((line) => line.slice(line.indexOf('::', 2) + 2));
}
