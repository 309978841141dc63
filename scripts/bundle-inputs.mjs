// What the bundle is made from, as one hash. `npm run bundle` writes it into
// dist/ (scripts/fix-dist.mjs) and scripts/test.mjs rebuilds only when it
// differs: a fresh clone's mtimes say nothing about which is newer.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Where the hash of the inputs the committed bundle was built from is kept. */
export const INPUTS_HASH_FILE = path.join('dist', 'inputs.sha256');

const PACKAGE_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/fix-dist.mjs'];

/**
 * sha256 over every input file's path and content, in sorted path order, so
 * the same source gives the same hash on any machine and the CI's
 * `git diff --exit-code dist` stays clean. Nothing else (no mtime) is read.
 */
export function bundleInputsHash(root = '.') {
  const files = [
    ...readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf8' })
      .map((entry) => `src/${entry.split(path.sep).join('/')}`)
      .filter((file) => statSync(path.join(root, file)).isFile()),
    ...PACKAGE_FILES,
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const content = readFileSync(path.join(root, file));
    // Lengths first, so no two different sets of files can run together into the same bytes.
    hash.update(`${file}\0${content.length}\0`).update(content);
  }
  return hash.digest('hex');
}
