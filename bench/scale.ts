/**
 * `npm run bench:scale`: the listing and planning path at 100,000 to a
 * million objects, against a generated bucket (support/generated-bucket.ts)
 * behind the latency-adding proxy: no-op push, no-op pull, and a dry-run
 * pull into an empty folder. Each build runs side by side with a baseline
 * build (another commit's committed dist/), round after round, in turn.
 * See `--help`.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  generatedKeys,
  startGeneratedBucket,
  writeGeneratedTree,
  type GeneratedLayout,
} from '../support/generated-bucket.ts';
import { startS3Proxy, type RequestCounts } from '../support/s3-proxy.ts';
import { runTimed, tail } from './spawn.ts';
import { ours, parseGithubOutput } from './tools.ts';

const USAGE = `Usage: npm run bench:scale -- [--objects N] [--latency MS] [--layout folders|flat]
                              [--baseline GIT-REF] [--rounds N] [--scenarios a,b] [--node PATH] [--out FILE]
Scenarios: noop-push, noop-pull, dry-pull (a dry-run pull into an empty folder).`;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const workDir = path.join(repoRoot, '.bench-scale');
const RUN_TIMEOUT_MS = 30 * 60_000;

type ScenarioName = 'noop-push' | 'noop-pull' | 'dry-pull';
const SCENARIOS: ScenarioName[] = ['noop-push', 'noop-pull', 'dry-pull'];

interface Build {
  name: string;
  entry: string;
}

interface Result {
  build: string;
  scenario: ScenarioName;
  round: number;
  wallSeconds: number;
  peakMb: number | undefined;
  cpuSeconds: number | undefined;
  counts: RequestCounts;
  ok: boolean;
  note: string;
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      objects: { type: 'string', default: '100000' },
      latency: { type: 'string', default: '50' },
      layout: { type: 'string', default: 'folders' },
      baseline: { type: 'string' },
      rounds: { type: 'string', default: '2' },
      scenarios: { type: 'string', default: SCENARIOS.join(',') },
      node: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const scenarios = values.scenarios.split(',').map((s) => s.trim()) as ScenarioName[];
  if (scenarios.some((s) => !SCENARIOS.includes(s)) || !['folders', 'flat'].includes(values.layout)) {
    console.error(USAGE);
    process.exit(2);
  }
  return {
    objects: Number(values.objects),
    latencyMs: Number(values.latency),
    layout: values.layout as GeneratedLayout,
    baseline: values.baseline,
    rounds: Number(values.rounds),
    scenarios,
    node: values.node ?? process.execPath,
    out: values.out,
  };
}

/** Another commit's committed dist/, unpacked beside this checkout's. */
function unpackBaseline(ref: string): Build {
  const target = path.join(workDir, `baseline-${ref}`);
  execFileSync('sh', ['-c', `mkdir -p "${target}" && git archive "${ref}" dist | tar -x -C "${target}"`], {
    cwd: repoRoot,
  });
  return { name: `baseline ${ref}`, entry: path.join(target, 'dist', 'index.js') };
}

async function main(): Promise<void> {
  const options = parseOptions();
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  const builds: Build[] = [{ name: 'this checkout', entry: path.join(repoRoot, 'dist', 'index.js') }];
  if (options.baseline) builds.push(unpackBaseline(options.baseline));

  const tree = path.join(workDir, 'tree');
  const started = Date.now();
  if (options.scenarios.some((s) => s.startsWith('noop'))) {
    await writeGeneratedTree(tree, generatedKeys(options.objects, options.layout));
    console.log(`wrote ${options.objects} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  // One generated bucket per build, so what one writes (a manifest) is not another's.
  const servers = await Promise.all(
    builds.map(async () => {
      const server = await startGeneratedBucket(options.objects, options.layout);
      const proxy = await startS3Proxy({ upstream: server.endpoint, latencyMs: options.latencyMs });
      return { server, proxy };
    }),
  );
  const results: Result[] = [];
  try {
    // A first push writes what a no-op then reads (the manifest), and warms the disk cache.
    for (const [i, build] of builds.entries()) {
      if (!options.scenarios.some((s) => s.startsWith('noop'))) break;
      const result = await runOnce(build, 'noop-push', 0, servers[i]!.proxy, tree, options);
      console.log(`warm-up ${build.name}: ${result.wallSeconds.toFixed(2)} s, ${result.counts.total} requests`);
    }
    for (let round = 1; round <= options.rounds; round += 1) {
      for (const scenario of options.scenarios) {
        const order = builds.map((_, i) => (i + round - 1) % builds.length);
        for (const i of order) {
          const result = await runOnce(builds[i]!, scenario, round, servers[i]!.proxy, tree, options);
          results.push(result);
          console.log(
            `r${round} ${scenario} ${result.build}: ${result.wallSeconds.toFixed(2)} s, ` +
              `${result.peakMb?.toFixed(0) ?? '?'} MB, CPU ${result.cpuSeconds?.toFixed(1) ?? '?'} s, ` +
              `${describeCounts(result.counts)} ${result.ok ? '' : 'FAILED'}`,
          );
        }
      }
    }
  } finally {
    for (const { server, proxy } of servers) {
      await proxy.stop();
      await server.stop();
    }
  }
  const report = render(results, builds, options);
  console.log(`\n${report}`);
  if (options.out) await writeFile(options.out, `${report}\n`);
  await rm(tree, { recursive: true, force: true });
  if (!results.every((r) => r.ok)) process.exit(1);
}

async function runOnce(
  build: Build,
  scenario: ScenarioName,
  round: number,
  proxy: Awaited<ReturnType<typeof startS3Proxy>>,
  tree: string,
  options: ReturnType<typeof parseOptions>,
): Promise<Result> {
  const scratch = path.join(workDir, 'scratch', `${build.name.replace(/\W+/g, '-')}-${scenario}-${round}`);
  await mkdir(scratch, { recursive: true });
  const dry = scenario === 'dry-pull';
  const invocation = await ours.prepare({
    direction: scenario === 'noop-push' ? 'push' : 'pull',
    dir: dry ? path.join(scratch, 'empty') : tree,
    bucket: 'generated',
    endpoint: proxy.endpoint,
    scratch,
    concurrency: undefined,
    node: options.node,
    entry: build.entry,
    dryRun: dry,
  });
  const logFile = path.join(scratch, 'run.log');
  proxy.reset();
  const run = await runTimed(invocation, logFile, RUN_TIMEOUT_MS);
  const counts = proxy.counts();
  const outputs = parseGithubOutput(await readFile(path.join(scratch, 'github-output'), 'utf8'));
  const ok = run.exitCode === 0;
  // A no-op changes nothing; a dry pull plans every object.
  const changed = ['uploaded', 'deleted', 'downloaded'].some((name) => Number(outputs.get(name) ?? 0) > 0);
  const note = ok ? '' : await tail(logFile);
  if (!ok) console.log(note);
  return {
    build: build.name,
    scenario,
    round,
    wallSeconds: run.wallSeconds,
    peakMb: run.peakMb,
    cpuSeconds: run.cpuSeconds,
    counts,
    ok: ok && (dry || !changed),
    note: !dry && changed ? 'changed something' : note,
  };
}

function describeCounts(counts: RequestCounts): string {
  const kinds = (['LIST', 'HEAD', 'GET', 'PUT', 'POST', 'DELETE'] as const).filter((k) => counts[k] > 0);
  return kinds.map((k) => `${counts[k]} ${k}`).join(' + ') || '0 requests';
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function render(results: Result[], builds: Build[], options: ReturnType<typeof parseOptions>): string {
  const lines = [
    `# s3-force-copy at scale`,
    '',
    `- date: ${new Date().toISOString()}; node: ${execFileSync(options.node, ['--version']).toString().trim()}; ` +
      `${os.availableParallelism()} CPUs`,
    `- command: \`npm run bench:scale -- ${process.argv.slice(2).join(' ')}\``,
    `- bucket: ${options.objects.toLocaleString('en')} generated objects (${options.layout}), ` +
      `${options.latencyMs} ms per request through the proxy; rounds: ${options.rounds}, builds in turn`,
    '',
    `| scenario | build | wall s (median, range) | peak RSS MB (max) | CPU s (median) | requests |`,
    `| --- | --- | --- | --- | --- | --- |`,
  ];
  for (const scenario of options.scenarios) {
    for (const build of builds) {
      const rows = results.filter((r) => r.scenario === scenario && r.build === build.name);
      if (rows.length === 0) continue;
      const walls = rows.map((r) => r.wallSeconds);
      const peak = Math.max(...rows.map((r) => r.peakMb ?? 0));
      const cpu = median(rows.map((r) => r.cpuSeconds ?? NaN));
      lines.push(
        `| ${scenario} | ${build.name} | ${median(walls).toFixed(2)} (${Math.min(...walls).toFixed(2)}–` +
          `${Math.max(...walls).toFixed(2)}) | ${peak.toFixed(0)} | ${cpu.toFixed(1)} | ${describeCounts(rows[0]!.counts)} |`,
      );
    }
    if (builds.length === 2) {
      // Per-round ratios, each from two runs side by side.
      const ratios = results
        .filter((r) => r.scenario === scenario && r.build === builds[1]!.name)
        .map((base) => {
          const ours = results.find(
            (r) => r.scenario === scenario && r.round === base.round && r.build === builds[0]!.name,
          );
          return ours ? base.wallSeconds / ours.wallSeconds : NaN;
        })
        .filter(Number.isFinite);
      if (ratios.length > 0) {
        lines.push(
          `| ${scenario} | speed-up | ${median(ratios).toFixed(1)}× (${Math.min(...ratios).toFixed(1)}–` +
            `${Math.max(...ratios).toFixed(1)}) | | | |`,
        );
      }
    }
  }
  return lines.join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
