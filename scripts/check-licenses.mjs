// Fails when a package bundled into dist/ has a licence outside the allowlist.
// dist/ ships the dependencies' code, so their licences travel with every
// release of the action.
//
//   node scripts/check-licenses.mjs [path]   (default: dist/licenses.txt)
//
// The file is what `ncc build --license licenses.txt` writes (its
// license-webpack-plugin): for each package, sorted by name, the package name
// on one line, its licence id from package.json on the next (when it has one),
// then the licence text (when there is one), then a blank line. Licence texts
// hold blank lines too, so a package starts at a line that follows a blank
// line (or opens the file) and looks like an npm package name; the line after
// it is its licence. A package without a licence id fails the check, since its
// next line (text or nothing) is then no allowed licence.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const ALLOWED = new Set([
  'MIT',
  'ISC',
  'Apache-2.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  '0BSD',
  'BlueOak-1.0.0',
  'Unlicense',
  'CC0-1.0',
  'Python-2.0',
]);

const PACKAGE_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/;

/** The bundled packages and their licence ids, in file order. */
export function parseLicenses(text) {
  const lines = text.split(/\r?\n/);
  const packages = [];
  for (let i = 0; i < lines.length; i += 1) {
    if ((i === 0 || lines[i - 1] === '') && PACKAGE_NAME.test(lines[i])) {
      packages.push({ name: lines[i], license: (lines[i + 1] ?? '').trim() });
      i += 1;
    }
  }
  return packages;
}

/**
 * True when an SPDX expression is satisfied by the allowlist: "A OR B" when
 * either is allowed, "A AND B" when both are. "X WITH exception" is allowed
 * only if the whole "X WITH exception" is listed.
 */
export function isAllowed(expression) {
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const take = () => tokens[at++];
  const orExpression = () => {
    let allowed = andExpression();
    while (peek() === 'OR') {
      take();
      allowed = andExpression() || allowed;
    }
    return allowed;
  };
  const andExpression = () => {
    let allowed = term();
    while (peek() === 'AND') {
      take();
      allowed = term() && allowed;
    }
    return allowed;
  };
  const term = () => {
    const token = take();
    if (token === '(') {
      const allowed = orExpression();
      if (take() !== ')') throw new SyntaxError(`unbalanced parentheses in "${expression}"`);
      return allowed;
    }
    if (token === undefined || token === ')' || token === 'AND' || token === 'OR' || token === 'WITH') {
      throw new SyntaxError(`not a licence expression: "${expression}"`);
    }
    if (peek() === 'WITH') {
      take();
      return ALLOWED.has(`${token} WITH ${take()}`);
    }
    return ALLOWED.has(token);
  };
  try {
    const allowed = orExpression();
    return at === tokens.length && allowed;
  } catch {
    return false;
  }
}

function main() {
  const file = process.argv[2] ?? 'dist/licenses.txt';
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    console.error(`cannot read ${file}: ${error.message} (run 'npm run bundle' first?)`);
    process.exit(1);
  }
  const packages = parseLicenses(text);
  if (packages.length === 0) {
    console.error(`${file} names no package: has the format of ncc's --license output changed?`);
    process.exit(1);
  }
  const refused = packages.filter((pkg) => !isAllowed(pkg.license));
  if (refused.length > 0) {
    for (const pkg of refused) {
      console.error(`not allowed: ${pkg.name} is licensed "${pkg.license || '(no licence id)'}"`);
    }
    console.error(`allowed: ${[...ALLOWED].join(', ')} (scripts/check-licenses.mjs)`);
    process.exit(1);
  }
  const licences = [...new Set(packages.map((pkg) => pkg.license))].sort();
  console.log(`ok: ${packages.length} bundled packages, licences: ${licences.join(', ')}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
