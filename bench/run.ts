/**
 * `npm run bench`: our action against `aws s3 sync` and `rclone sync` on the
 * same generated site, through a latency-adding, request-counting proxy in
 * front of s3rver. See `--help`.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeSiteFixture, mutate, touchAll } from '../support/fixture.ts';
import { startS3Proxy, type S3Proxy } from '../support/s3-proxy.ts';
import { startS3Server } from '../support/s3-server.ts';
import { formatCpu, ratioTable, resultsTable, type Row, type Scenario } from './report.ts';
import { capture, killRunning, runTimed, tail } from './spawn.ts';
import { TOOLS, type Direction, type Tool, type ToolName } from './tools.ts';
import { checkBucket, checkPull } from './verify.ts';
import { warmUp } from './warm-up.ts';

const USAGE = `Usage: npm run bench -- [--files N] [--latency MS] [--concurrency N] [--rounds N]
                        [--only ours|aws|rclone|floor[,...]] [--node PATH] [--out FILE]`;
const SEED = 20240601;
/** USER_HZ: the unit of /proc/PID/stat CPU times on Linux. */
const CLOCK_TICKS = 100;
/** Generous: a healthy default run takes well under a minute per scenario. */
const RUN_TIMEOUT_MS = 20 * 60_000;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const workDir = path.join(repoRoot, '.bench');
const logDir = path.join(workDir, 'logs');
const dataDir = path.join(workDir, 'data');

interface Options {
  files: number;
  latencyMs: number;
  concurrency: number | undefined;
  rounds: number;
  /** Undefined: every tool that is installed. */
  only: ToolName[] | undefined;
  out: string | undefined;
  /** Runs our action; the bench's own Node.js unless --node names another. */
  node: string;
}

interface Step extends Scenario {
  direction: Direction;
  /** Prepares the local folders before the timed run. */
  before: (site: Site) => Promise<string | undefined>;
}

interface Site {
  source: string;
  pulled: string;
}

const STEPS: Step[] = [
  { id: 1, label: 'push, empty bucket', direction: 'push', before: async () => undefined },
  {
    id: 2,
    label: 'push, no-op after fresh checkout',
    direction: 'push',
    before: async ({ source }) => {
      await touchAll(source);
      return undefined;
    },
  },
  {
    id: 3,
    label: 'push, 1% changed + 1% deleted',
    direction: 'push',
    before: async ({ source }) => {
      const { changed, deleted } = await mutate(source, 0.01, SEED + 1);
      return `${changed.length} changed, ${deleted.length} deleted`;
    },
  },
  {
    id: 4,
    label: 'pull, empty folder',
    direction: 'pull',
    before: async ({ pulled }) => {
      await mkdir(pulled, { recursive: true });
      return undefined;
    },
  },
  { id: 5, label: 'pull, no-op', direction: 'pull', before: async () => undefined },
];

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      files: { type: 'string', default: '2000' },
      latency: { type: 'string', default: '20' },
      concurrency: { type: 'string' },
      rounds: { type: 'string', default: '3' },
      only: { type: 'string' },
      out: { type: 'string' },
      node: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const integer = (name: string, text: string | undefined, min: number): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) fail(`--${name} must be an integer >= ${min}`);
    return value;
  };
  const only = values.only?.split(',').map((name) => name.trim()) as ToolName[] | undefined;
  if (only?.some((name) => !TOOLS.some((tool) => tool.name === name))) {
    fail(`--only takes a comma-separated list of ${TOOLS.map((tool) => tool.name).join(', ')}`);
  }
  return {
    files: integer('files', values.files, 1) ?? 2000,
    latencyMs: integer('latency', values.latency, 0) ?? 20,
    concurrency: integer('concurrency', values.concurrency, 1),
    rounds: integer('rounds', values.rounds, 1) ?? 3,
    only,
    out: values.out,
    node: values.node ?? process.execPath,
  };
}

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<number> {
  const options = parseOptions();
  await rm(workDir, { recursive: true, force: true });
  await mkdir(logDir, { recursive: true });

  const tools: { tool: Tool; version: string }[] = [];
  for (const tool of TOOLS.filter((t) => !options.only || options.only.includes(t.name))) {
    const found = await tool.detect(options.node);
    if ('skip' in found) console.log(`skipping ${tool.name}: ${found.skip}`);
    else tools.push({ tool, version: found.version });
  }
  if (tools.length === 0) {
    console.error('No tool to benchmark.');
    return 1;
  }

  const rounds = Array.from({ length: options.rounds }, (_, i) => i + 1);
  const server = await startS3Server([
    WARM_UP_BUCKET,
    ...rounds.flatMap((round) => tools.map(({ tool }) => bucketOf(tool, round))),
  ]);
  const rows: Row[] = [];
  let stopping = false;
  const onSignal = (): void => {
    stopping = true;
    killRunning();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const proxy = await startS3Proxy({ upstream: server.endpoint, latencyMs: options.latencyMs });
    try {
      console.log('warming up s3rver and the proxy');
      await warmUp(proxy.endpoint, WARM_UP_BUCKET);
      for (const round of rounds) {
        // Each round starts with the next tool, so no tool always runs first.
        const order = tools.map((_, i) => tools[(i + round - 1) % tools.length]!);
        for (const { tool } of order) {
          console.log(`\n== round ${round}/${options.rounds}: ${tool.name} (bucket ${bucketOf(tool, round)})`);
          for await (const row of benchTool(tool, round, proxy, server.endpoint, server.pid, options)) {
            rows.push(row);
            if (stopping) throw new Error('interrupted');
          }
        }
      }
    } finally {
      await proxy.stop();
    }
  } finally {
    await server.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await rm(dataDir, { recursive: true, force: true });
  }

  const report = await renderReport(rows, tools, options);
  console.log(`\n${report}`);
  if (options.out) {
    await writeFile(path.resolve(options.out), `${report}\n`);
    console.log(`\nwritten to ${options.out}`);
  }
  console.log(`logs: ${path.relative(process.cwd(), logDir)}/`);
  return rows.every((row) => row.ok) ? 0 : 1;
}

/** utime + stime of a process from /proc (Linux); undefined elsewhere. */
async function processCpuSeconds(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!stat) return undefined;
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / CLOCK_TICKS;
}

async function* benchTool(
  tool: Tool,
  round: number,
  proxy: S3Proxy,
  s3rverEndpoint: string,
  serverPid: number | undefined,
  options: Options,
): AsyncGenerator<Row> {
  const root = path.join(dataDir, `${tool.name}-${round}`);
  const site: Site = { source: path.join(root, 'site'), pulled: path.join(root, 'pulled') };
  // Same seed for every tool: byte-identical sites.
  const fixture = await makeSiteFixture(site.source, { files: options.files, seed: SEED });
  console.log(
    `   site: ${fixture.files.length} files, ${fixture.symlinks.length} symlinks, ` +
      `${(fixture.bytes / 2 ** 20).toFixed(1)} MiB`,
  );

  for (const step of STEPS) {
    // A tool that leaves a scenario out leaves out its preparation too, so
    // the next one it runs still finds the bucket and folder it expects.
    if (tool.scenarios !== undefined && !tool.scenarios.includes(step.id)) continue;
    const prepared = await step.before(site);
    const scratch = path.join(root, `scratch-${step.id}`);
    await mkdir(scratch, { recursive: true });
    const context = {
      direction: step.direction,
      dir: step.direction === 'push' ? site.source : site.pulled,
      bucket: bucketOf(tool, round),
      endpoint: proxy.endpoint,
      scratch,
      concurrency: options.concurrency,
      node: options.node,
    };
    const invocation = await tool.prepare(context);
    const logFile = path.join(logDir, `${tool.name}-r${round}-${step.id}.log`);

    // Writes left by the setup or an earlier run (another tool's, too) are
    // flushed first, so no run pays for the disk work of the one before it.
    await capture('sync', []);
    proxy.reset();
    const serverCpuBefore = await processCpuSeconds(serverPid);
    const proxyCpuBefore = process.cpuUsage();
    const result = await runTimed(invocation, logFile, RUN_TIMEOUT_MS);
    const proxyCpu = process.cpuUsage(proxyCpuBefore);
    const serverCpuAfter = await processCpuSeconds(serverPid);
    const counts = proxy.counts();
    await writeFile(
      `${logFile.slice(0, -'.log'.length)}.requests.jsonl`,
      proxy
        .log()
        .map((entry) => JSON.stringify(entry))
        .join('\n') + '\n',
    );

    const ok = result.exitCode === 0 && !result.timedOut;
    const notes: string[] = [];
    if (prepared) notes.push(prepared);
    if (!ok) {
      notes.push(result.timedOut ? 'TIMED OUT' : `FAILED (exit ${result.exitCode ?? result.signal})`);
      console.log(`   ${step.id} failed, end of ${path.relative(process.cwd(), logFile)}:`);
      console.log((await tail(logFile)).replace(/^/gm, '     | '));
    }
    const reported = await tool.describeOutcome?.(context);
    if (reported) notes.push(reported);
    notes.push(
      step.direction === 'push'
        ? await checkBucket(s3rverEndpoint, bucketOf(tool, round), site.source)
        : await checkPull(site.source, site.pulled),
    );

    const row: Row = {
      tool: tool.name,
      round,
      scenario: step,
      wallSeconds: result.wallSeconds,
      counts,
      peakMb: result.peakMb,
      cpu: {
        tool: result.cpuSeconds,
        server:
          serverCpuBefore === undefined || serverCpuAfter === undefined ? undefined : serverCpuAfter - serverCpuBefore,
        proxy: (proxyCpu.user + proxyCpu.system) / 1e6,
      },
      notes,
      ok,
    };
    console.log(
      `   ${step.id} ${step.label}: ${row.wallSeconds.toFixed(2)} s, ${counts.total} requests, ` +
        `CPU s ${formatCpu(row.cpu)} — ${notes.join('; ')}`,
    );
    yield row;
  }
}

const WARM_UP_BUCKET = 'bench-warm-up';

function bucketOf(tool: Tool, round: number): string {
  return `bench-${tool.name}-${round}`;
}

async function renderReport(rows: Row[], tools: { tool: Tool; version: string }[], options: Options): Promise<string> {
  const args = process.argv.slice(2).join(' ');
  const script = path.relative(process.cwd(), process.argv[1] ?? 'bench/run.ts');
  const direct = ['node', ...process.execArgv, script, args].filter(Boolean).join(' ');
  const command = process.env['npm_lifecycle_event'] === 'bench' ? `npm run bench${args ? ` -- ${args}` : ''}` : direct;
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  const distro = await capture('sh', ['-c', '. /etc/os-release && echo "$PRETTY_NAME"']);
  const lines = [
    `# s3-force-copy benchmark`,
    '',
    `- date: ${new Date().toISOString()}`,
    `- command: \`${command}\`${command === direct ? '' : ` (\`${direct}\`)`}`,
    `- machine: ${os.availableParallelism()} CPUs (${cpu}), ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${distro ?? os.platform()}, node ${process.version}`,
    `- tools: ${tools.map(({ tool, version }) => `${tool.name}: ${version}`).join('; ')}`,
    `- S3: s3rver on 127.0.0.1 behind a counting proxy adding ${options.latencyMs} ms per request; ` +
      `site: ${options.files} files + 2 × 12 MiB + 20 symlinks` +
      (options.concurrency === undefined ? '' : `; our concurrency: ${options.concurrency}`),
    `- rounds: ${options.rounds}, after a warm-up of s3rver and the proxy; each round starts with the next tool. ` +
      'Each cell is the round with the median wall time; ratios are medians of the per-round ratios (range in brackets).',
    '',
    resultsTable(rows),
  ];
  const ratios = ratioTable(rows, STEPS);
  if (ratios) lines.push('', '## Ratios (ours / peer; below 1 means ours is faster or leaner)', '', ratios);
  return lines.join('\n');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
