// scripts/test.mjs builds dist/ again only when the source differs from what
// it was built from, whatever the mtimes: a fresh clone's are arbitrary. Run in
// a copy of the repository's shape, with an npm that only records being run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers/temp.js';

const SCRIPTS = ['test.mjs', 'bundle-inputs.mjs', 'fix-dist.mjs'];

/** A checkout with a bundle and its inputs' hash written as `npm run bundle` writes it. */
async function checkout(): Promise<string> {
  const root = await tempDir('fresh');
  await mkdir(path.join(root, 'scripts'));
  for (const script of SCRIPTS) await copyFile(path.join('scripts', script), path.join(root, 'scripts', script));
  // test.mjs preloads it into every test process.
  await mkdir(path.join(root, 'support'));
  await copyFile(path.join('support', 'tsx-workers.mjs'), path.join(root, 'support', 'tsx-workers.mjs'));
  await writeTree(root, {
    'src/index.ts': 'export {};\n',
    'src/sync/push.ts': 'export const push = 1;\n',
    'package.json': '{ "type": "module" }\n',
    'package-lock.json': '{}\n',
    'tsconfig.json': '{}\n',
    'dist/index.js': '// bundle\n',
    '__tests__/nothing.test.ts': "import { it } from 'node:test';\nit('runs', () => {});\n",
    // Stands in for npm: `npm run bundle` only leaves a mark.
    'fake-npm.mjs': "import { writeFileSync } from 'node:fs';\nwriteFileSync('bundled', '');\n",
  });
  await symlink(path.resolve('node_modules'), path.join(root, 'node_modules'));
  // The hash as fix-dist.mjs writes it after a bundle.
  const stamp = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import('./scripts/bundle-inputs.mjs').then(({ bundleInputsHash: h, INPUTS_HASH_FILE: f }) => import('node:fs').then((fs) => fs.writeFileSync(f, h() + '\\n')))",
    ],
    { cwd: root, encoding: 'utf8' },
  );
  assert.equal(stamp.status, 0, stamp.stderr);
  return root;
}

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
}

/** Runs scripts/test.mjs in the checkout: whether it ran the bundle, and what it said. */
function runTests(root: string) {
  const run = spawnSync(process.execPath, ['scripts/test.mjs'], {
    cwd: root,
    encoding: 'utf8',
    // Without the runner's NODE_TEST_CONTEXT, the inner run reports as a run of its own.
    env: { ...process.env, NODE_TEST_CONTEXT: undefined, npm_execpath: path.join(root, 'fake-npm.mjs') },
  });
  return { bundled: existsSync(path.join(root, 'bundled')), output: run.stdout + run.stderr, status: run.status };
}

describe('scripts/test.mjs and a bundle built from this source', () => {
  it('does not build again when only the mtimes say the source is newer', async () => {
    const root = await checkout();
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(path.join(root, 'dist', 'index.js'), old, old);
    await utimes(path.join(root, 'src', 'sync', 'push.ts'), new Date(), new Date());
    const run = runTests(root);
    assert.equal(run.bundled, false, run.output);
    assert.equal(run.status, 0, run.output);
  });

  it('builds again when a source file changed, even one older than the bundle', async () => {
    const root = await checkout();
    await writeFile(path.join(root, 'src', 'sync', 'push.ts'), 'export const push = 2;\n');
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(path.join(root, 'src', 'sync', 'push.ts'), old, old);
    const run = runTests(root);
    assert.equal(run.bundled, true, run.output);
    assert.match(run.output, /the source differs from what dist\/index\.js was built from: running npm run bundle/);
  });

  it('builds again when a source file is added or the hash file is missing', async () => {
    const added = await checkout();
    await writeTree(added, { 'src/sync/extra.ts': 'export {};\n' });
    assert.equal(runTests(added).bundled, true);

    const unstamped = await checkout();
    await rm(path.join(unstamped, 'dist', 'inputs.sha256'));
    assert.equal(runTests(unstamped).bundled, true);
  });
});
