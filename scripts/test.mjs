// Runs every __tests__/**/*.test.ts with Node's own test runner, or those
// whose path contains one of the arguments. Node 20's --test takes no globs,
// so the files are listed here.
//
// The end-to-end tests run dist/index.js, so a bundle older than the source
// would test old code: when anything under src/ (or package.json or
// package-lock.json) is newer than dist/index.js, `npm run bundle` runs first.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const BUNDLE = path.join('dist', 'index.js');

const filters = process.argv.slice(2);
const files = readdirSync('__tests__', { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => path.join('__tests__', file))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error(`No test file under __tests__/ matches ${filters.map((filter) => `"${filter}"`).join(' or ')}.`);
  process.exit(1);
}

/**
 * The newest of the bundle's inputs: every file and folder under src/ (a
 * folder's mtime changes when a file in it is added, removed or renamed) and
 * the package files. Only mtimes are read, so a fresh bundle costs a few stats.
 */
function newestInput() {
  let newest = { file: 'src', mtimeMs: statSync('src').mtimeMs };
  const inputs = [
    ...readdirSync('src', { recursive: true, encoding: 'utf8' }).map((entry) => path.join('src', entry)),
    'package.json',
    'package-lock.json',
  ];
  for (const file of inputs) {
    const stats = statSync(file, { throwIfNoEntry: false });
    if (stats !== undefined && stats.mtimeMs > newest.mtimeMs) newest = { file, mtimeMs: stats.mtimeMs };
  }
  return newest;
}

const built = existsSync(BUNDLE) ? statSync(BUNDLE).mtimeMs : -Infinity;
const newest = newestInput();
if (newest.mtimeMs > built) {
  const why = built === -Infinity ? `${BUNDLE} is missing` : `${newest.file} is newer than ${BUNDLE}`;
  console.log(`${why}: running npm run bundle before the tests.`);
  // Under `npm test`, npm_execpath is the npm that runs us; run the same one.
  const npm = process.env.npm_execpath;
  const bundled = npm
    ? spawnSync(process.execPath, [npm, 'run', '--silent', 'bundle'], { stdio: 'inherit' })
    : spawnSync('npm', ['run', '--silent', 'bundle'], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (bundled.status !== 0) {
    console.error(`npm run bundle failed (${bundled.error?.message ?? `exit ${bundled.status}`}): no test was run.`);
    process.exit(bundled.status || 1);
  }
}

// tsx-workers.mjs lets a worker thread the source starts run TypeScript on every Node (it says why).
const tsxWorkers = pathToFileURL(path.resolve('support', 'tsx-workers.mjs')).href;
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--import', tsxWorkers, '--test', '--test-reporter=spec', ...files],
  {
    stdio: 'inherit',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
);
process.exit(result.status ?? 1);
