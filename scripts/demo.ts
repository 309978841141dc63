// `npm run demo`: the action end to end on this machine, no AWS account needed.
// Starts an embedded S3 server on loopback, pushes examples/site (which has
// symlinks) with the bundled action, pulls the bucket back into a temporary
// folder, and fetches a redirect through the bucket's website endpoint.
import { cp, lstat, mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAction, type ActionRun } from '../support/run-action.js';
import { startS3Server } from '../support/s3-server.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bucket = 'demo-site';

const server = await startS3Server([bucket]);
// Outside GitHub Actions there is no repository or commit to name.
const target = { endpoint: server.endpoint, env: { GITHUB_REPOSITORY: '' } };
const workspace = await mkdtemp(path.join(tmpdir(), 's3-force-copy-demo-'));
try {
  await cp(path.join(repo, 'examples', 'site'), path.join(workspace, 'site'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  console.log(`Embedded S3 server at ${server.endpoint}, bucket "${bucket}", workspace ${workspace}\n`);

  show('push examples/site', await runAction(workspace, { direction: 'push', directory: 'site', bucket }, target));
  // The deploy manifest answers what the listing cannot (the redirects too), so a no-op sends no HEAD.
  const again = await runAction(workspace, { direction: 'push', directory: 'site', bucket }, target);
  show('push again (a no-op: one LIST and the manifest’s GET, nothing else)', again);
  if (again.outputs.requests !== '2') process.exitCode = 1;
  show('pull into mirror/', await runAction(workspace, { direction: 'pull', directory: 'mirror', bucket }, target));

  console.log('== mirror/ after the pull');
  for (const line of await tree(path.join(workspace, 'mirror'))) console.log(`   ${line}`);

  const redirect = await server.websiteGet(bucket, '/latest.html');
  console.log(`\n== GET /latest.html on the website endpoint (${bucket}.s3-website-us-east-1.amazonaws.com)`);
  console.log(`   ${redirect.status} Location: ${redirect.location ?? '(none)'}`);
  if (redirect.status !== 301) process.exitCode = 1;
} finally {
  await server.stop();
  await rm(workspace, { recursive: true, force: true });
}

function show(title: string, run: ActionRun): void {
  console.log(`== ${title}: exit ${run.status}`);
  const names = ['uploaded', 'downloaded', 'redirected', 'skipped', 'deleted', 'warnings', 'requests'];
  console.log(`   outputs: ${names.map((name) => `${name}=${run.outputs[name] ?? '?'}`).join(' ')}`);
  for (const error of run.errors) console.log(`   error: ${error}`);
  console.log('   job summary (as text):');
  for (const line of htmlToText(run.summary)) console.log(`     ${line}`);
  console.log('');
  if (run.status !== 0) process.exitCode = 1;
}

/** Just enough HTML-to-text for the summary's headings, table rows and list items. */
function htmlToText(html: string): string[] {
  return html
    .replace(/<\/(h2|h3|p|tr|li|summary)>/g, '\n')
    .replace(/<\/t[dh]><t[dh]>/g, ': ')
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
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
