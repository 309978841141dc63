// Runs every __tests__/**/*.test.ts with Node's own test runner, or those
// whose path contains one of the arguments. Node 20's --test takes no globs,
// so the files are listed here.
//
// The end-to-end tests run dist/index.js, so a bundle of other source would
// test other code: when the hash of the bundle's inputs differs from the one
// `npm run bundle` wrote beside it (scripts/bundle-inputs.mjs), the bundle is
// built first.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleInputsHash, INPUTS_HASH_FILE } from './bundle-inputs.mjs';

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

/** Why the bundle must be built again, or undefined when it was built from this source. */
function staleBecause() {
  if (!existsSync(BUNDLE)) return `${BUNDLE} is missing`;
  const built = existsSync(INPUTS_HASH_FILE) ? readFileSync(INPUTS_HASH_FILE, 'utf8').trim() : undefined;
  if (built === undefined) return `${INPUTS_HASH_FILE} is missing`;
  return built === bundleInputsHash() ? undefined : `the source differs from what ${BUNDLE} was built from`;
}

const why = staleBecause();
if (why !== undefined) {
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
