// `npm run demo`: the command line end to end on this machine, no AWS account needed.
// Starts an embedded S3 server on loopback, then runs dist/cli.js as a user
// would, its own log on this terminal: a dry run and a push of examples/site
// (which has symlinks), the same push again (a no-op), a pull of the bucket
// into a temporary folder, and a GET of a redirect on the website endpoint.
import { spawn } from 'node:child_process';
import { cp, lstat, mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startS3Server, TEST_CREDENTIALS } from '../support/s3-server.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repo, 'dist', 'cli.js');
const bucket = 'demo-site';

const server = await startS3Server([bucket]);
const workspace = await mkdtemp(path.join(tmpdir(), 's3-force-copy-demo-'));
// The SDK's default chain finds these, as it would a user's own keys.
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
const store = ['--endpoint', server.endpoint, '--force-path-style'];
try {
  await cp(path.join(repo, 'examples', 'site'), path.join(workspace, 'site'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  console.log(`Embedded S3 server at ${server.endpoint}, bucket "${bucket}", in ${workspace}`);

  await step('a dry run first: the plan, nothing changed', ['push', 'site', `s3://${bucket}`, '--dry-run', ...store]);
  await step('push examples/site', ['push', 'site', `s3://${bucket}`, ...store]);
  // The deploy manifest answers what the listing cannot (the redirects too), so a no-op sends no HEAD.
  const again = await step('push again (a no-op: one LIST and the manifest’s GET, nothing else)', [
    'push',
    'site',
    `s3://${bucket}`,
    ...store,
    '--json',
  ]);
  const requests = (JSON.parse(again.stdout) as { requests?: number }).requests;
  console.log(`--json on stdout: ${again.stdout.trim()}`);
  if (requests !== 2) fail(`the no-op push sent ${requests} requests, not 2`);
  await step('pull into mirror/', ['pull', `s3://${bucket}`, 'mirror', ...store]);

  console.log('\n$ find mirror');
  for (const line of await tree(path.join(workspace, 'mirror'))) console.log(`  ${line}`);

  const redirect = await server.websiteGet(bucket, '/latest.html');
  console.log(`\nGET /latest.html on the website endpoint (${bucket}.s3-website-us-east-1.amazonaws.com):`);
  console.log(`  ${redirect.status} Location: ${redirect.location ?? '(none)'}`);
  if (redirect.status !== 301) fail('the symlink is not a 301 on the website endpoint');
} finally {
  await server.stop();
  await rm(workspace, { recursive: true, force: true });
}

/** Runs the command line in the workspace, its log on this terminal; stdout is kept when it is --json's. */
async function step(title: string, args: string[]): Promise<{ stdout: string }> {
  console.log(`\n### ${title}\n$ s3-force-copy ${args.join(' ')}`);
  const json = args.includes('--json');
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: workspace,
    env,
    stdio: ['ignore', json ? 'pipe' : 'inherit', 'inherit'],
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  console.log(`(exit ${code})`);
  if (code !== 0) fail(`${args[0]} exited with ${code}`);
  return { stdout };
}

function fail(message: string): void {
  console.error(`demo: ${message}`);
  process.exitCode = 1;
}

async function tree(root: string, folder = ''): Promise<string[]> {
  const lines: string[] = [];
  const entries = await readdir(path.join(root, folder), { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const relative = path.posix.join(folder, entry.name);
    const full = path.join(root, relative);
    if (entry.isSymbolicLink()) lines.push(`${relative} -> ${await readlink(full)}`);
    else if (entry.isDirectory()) lines.push(...(await tree(root, relative)));
    else lines.push(`${relative} (${(await lstat(full)).size} B)`);
  }
  return lines;
}
