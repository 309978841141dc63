/** How each benchmarked tool is found and invoked. */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_CREDENTIALS } from '../support/s3-server.ts';
import { capture, type Invocation } from './spawn.ts';

export type ToolName = 'ours' | 'aws' | 'rclone' | 'floor';
export type Direction = 'push' | 'pull';

export interface RunContext {
  direction: Direction;
  /** Local folder (source of a push, destination of a pull). */
  dir: string;
  bucket: string;
  /** The proxy, never s3rver directly, so every request is counted. */
  endpoint: string;
  /** Per-run scratch folder for config and output files. */
  scratch: string;
  concurrency: number | undefined;
  /** The Node.js binary that runs our action. */
  node: string;
  /** Ours only: another build's `dist/index.js` (bench:scale's baseline); this checkout's by default. */
  entry?: string;
  /** Ours only: the `dry-run` input. */
  dryRun?: boolean;
}

export interface Tool {
  name: ToolName;
  /** A version line when usable, else the reason to skip it. */
  detect: (node: string) => Promise<{ version: string } | { skip: string }>;
  prepare: (context: RunContext) => Promise<Invocation>;
  /** Tool-reported figures worth printing next to the proxy's. */
  describeOutcome?: (context: RunContext) => Promise<string | undefined>;
  /** The scenario ids it runs (with their preparation); undefined: all of them. */
  scenarios?: readonly number[];
}

const REGION = 'us-east-1';
const AWS_CLI = '/usr/bin/aws';
const RCLONE = '/usr/bin/rclone';
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const actionEntry = path.join(repoRoot, 'dist', 'index.js');

/**
 * The caller's environment minus anything that could steer a tool towards
 * real credentials, a real config or leftover action inputs.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(AWS_|INPUT_|GITHUB_|RCLONE_|RUNNER_|NODE_OPTIONS$)/.test(name)) env[name] = value;
  }
  return env;
}

export const ours: Tool = {
  name: 'ours',
  detect: async (node) => {
    if (!existsSync(actionEntry)) return { skip: 'dist/index.js not found; run `npm run bundle` first' };
    const version = await capture(node, ['--version']);
    return version ? { version: `dist/index.js (node ${version})` } : { skip: `${node} --version failed` };
  },
  prepare: async ({ direction, dir, bucket, endpoint, scratch, concurrency, node, entry, dryRun }) => {
    const outputFile = path.join(scratch, 'github-output');
    const summaryFile = path.join(scratch, 'step-summary.md');
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
    // Exactly what the runner hands an action: inputs as INPUT_<NAME> with
    // the hyphens kept, which is why this must be an env object, not a shell.
    const env: NodeJS.ProcessEnv = {
      ...cleanEnv(),
      INPUT_DIRECTION: direction,
      INPUT_DIRECTORY: dir,
      INPUT_BUCKET: bucket,
      INPUT_ENDPOINT: endpoint,
      'INPUT_FORCE-PATH-STYLE': 'true',
      INPUT_REGION: REGION,
      'INPUT_AWS-ACCESS-KEY-ID': TEST_CREDENTIALS.accessKeyId,
      'INPUT_AWS-SECRET-ACCESS-KEY': TEST_CREDENTIALS.secretAccessKey,
      'INPUT_REQUEST-LIMIT': '1000000',
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: scratch,
    };
    if (concurrency !== undefined) env['INPUT_CONCURRENCY'] = String(concurrency);
    if (dryRun) env['INPUT_DRY-RUN'] = 'true';
    return { command: node, args: [entry ?? actionEntry], env };
  },
  describeOutcome: async ({ scratch }) => {
    const outputs = parseGithubOutput(await readFile(path.join(scratch, 'github-output'), 'utf8').catch(() => ''));
    const shown = ['requests', 'uploaded', 'downloaded', 'deleted']
      .filter((name) => outputs.has(name))
      .map((name) => `${name}=${outputs.get(name)}`);
    return shown.length > 0 ? shown.join(' ') : undefined;
  },
};

const aws: Tool = {
  name: 'aws',
  detect: async () => {
    const version = await capture(AWS_CLI, ['--version']);
    return version ? { version } : { skip: `${AWS_CLI} not installed or not working` };
  },
  prepare: async ({ direction, dir, bucket, endpoint, scratch }) => {
    const remote = `s3://${bucket}`;
    const [from, to] = direction === 'push' ? [dir, remote] : [remote, dir];
    return {
      command: AWS_CLI,
      // --no-progress only keeps the log readable; it changes no request.
      args: ['s3', 'sync', from, to, '--delete', '--endpoint-url', endpoint, '--no-progress'],
      env: {
        ...cleanEnv(),
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_DEFAULT_REGION: REGION,
        // No user config or instance metadata lookups in the measurement.
        AWS_CONFIG_FILE: path.join(scratch, 'aws-config-none'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, 'aws-credentials-none'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PAGER: '',
      },
    };
  },
};

const rclone: Tool = {
  name: 'rclone',
  detect: async () => {
    const version = await capture(RCLONE, ['version']);
    return version
      ? { version: version.split('\n')[0] ?? version }
      : { skip: `${RCLONE} not installed or not working` };
  },
  prepare: async ({ direction, dir, bucket, endpoint, scratch }) => {
    const remote = `bench:${bucket}`;
    const [from, to] = direction === 'push' ? [dir, remote] : [remote, dir];
    return {
      command: RCLONE,
      // --checksum: compare md5 + size, the nearest to our md5 metadata and
      // immune to fresh-checkout mtimes. -v only adds log lines.
      args: ['sync', '--checksum', '-v', from, to],
      env: {
        ...cleanEnv(),
        RCLONE_CONFIG: path.join(scratch, 'rclone-none.conf'),
        RCLONE_CONFIG_BENCH_TYPE: 's3',
        RCLONE_CONFIG_BENCH_PROVIDER: 'Other',
        RCLONE_CONFIG_BENCH_ENDPOINT: endpoint,
        RCLONE_CONFIG_BENCH_REGION: REGION,
        RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: 'true',
        // The bucket exists and the action never creates buckets either; the
        // rest (HEAD after upload, per-folder listing) stays at defaults.
        RCLONE_CONFIG_BENCH_NO_CHECK_BUCKET: 'true',
      },
    };
  },
};

const floorScript = path.join(repoRoot, 'bench', 'floor.ts');
/** Requests in flight for the floor, whatever --concurrency says for ours. */
export const FLOOR_CONCURRENCY = 64;

/** Node's own type stripping, from 22.18 and 23.6 on; older ones load tsx first. */
function stripsTypes(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major >= 24 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
}

/**
 * The reference row, not a peer tool: raw keep-alive HTTP, 64 requests in
 * flight, no SDK (bench/floor.ts). Only the bulk scenarios, where it sets the
 * lower bound for any tool that sends one request per file.
 */
const floor: Tool = {
  name: 'floor',
  scenarios: [1, 4],
  detect: async (node) => {
    const version = await capture(node, ['--version']);
    return version
      ? { version: `bench/floor.ts, node:http keep-alive, ${FLOOR_CONCURRENCY} in flight (node ${version})` }
      : { skip: `${node} --version failed` };
  },
  prepare: async ({ direction, dir, bucket, endpoint, node }) => {
    const version = (await capture(node, ['--version'])) ?? '';
    const loader = stripsTypes(version) ? [] : ['--import', 'tsx'];
    return {
      command: node,
      args: [...loader, floorScript, direction, dir, endpoint, bucket, String(FLOOR_CONCURRENCY)],
      env: cleanEnv(),
    };
  },
};

export const TOOLS: readonly Tool[] = [ours, aws, rclone, floor];

/** Reads both GITHUB_OUTPUT formats: `name=value` and `name<<DELIM ... DELIM`. */
export function parseGithubOutput(text: string): Map<string, string> {
  const outputs = new Map<string, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const value: string[] = [];
      for (i += 1; i < lines.length && lines[i] !== delimiter; i += 1) value.push(lines[i] ?? '');
      outputs.set(name, value.join('\n'));
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      outputs.set(line.slice(0, at), line.slice(at + 1));
    }
  }
  return outputs;
}
