// scripts/check-licenses.mjs against the real dist/licenses.txt and against
// files written the way ncc writes it, with licences that must be refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers/temp.js';

const MIT_TEXT = 'MIT License\n\nCopyright (c) Someone\n\nPermission is hereby granted, free of charge, ...';

/** Runs the check on `file` (or its default, dist/licenses.txt). */
function check(file?: string) {
  const args = ['scripts/check-licenses.mjs', ...(file === undefined ? [] : [file])];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A licences file as ncc's license-webpack-plugin renders it. */
async function licensesFile(packages: { name: string; license?: string; text?: string }[]): Promise<string> {
  const text =
    [...packages]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .reduce(
        (out, pkg) => `${out}${pkg.name}${pkg.license ? `\n${pkg.license}` : ''}${pkg.text ? `\n${pkg.text}` : ''}\n\n`,
        '',
      )
      .trim() + '\n';
  const file = path.join(await tempDir('licenses'), 'licenses.txt');
  await writeFile(file, text);
  return file;
}

describe('check-licenses', () => {
  it('passes the bundled dist/licenses.txt and counts its packages', () => {
    const run = check();
    assert.equal(run.status, 0, run.stderr);
    const match = /^ok: (\d+) bundled packages, licences: (.+)$/m.exec(run.stdout);
    assert.ok(match, run.stdout);
    assert.ok(Number(match[1]) > 10, run.stdout);
    assert.match(match[2] as string, /\bMIT\b/);
    assert.match(match[2] as string, /\bApache-2\.0\b/);
  });

  it('fails on a GPL-3.0 package and names it', async () => {
    const file = await licensesFile([
      { name: '@actions/core', license: 'MIT', text: MIT_TEXT },
      { name: 'copyleft-thing', license: 'GPL-3.0', text: 'GNU GENERAL PUBLIC LICENSE\n\nVersion 3, 29 June 2007' },
      { name: 'mime', license: 'MIT', text: MIT_TEXT },
    ]);
    const run = check(file);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /copyleft-thing is licensed "GPL-3\.0"/);
    assert.doesNotMatch(run.stderr, /@actions\/core|mime is/);
  });

  it('reads SPDX expressions: one allowed alternative of an OR is enough, every part of an AND must be', async () => {
    const passing = await licensesFile([
      { name: 'dual', license: '(MIT OR GPL-3.0)', text: MIT_TEXT },
      { name: 'both', license: 'MIT AND ISC' },
    ]);
    const ok = check(passing);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^ok: 2 bundled packages, licences: \(MIT OR GPL-3\.0\), MIT AND ISC$/m);

    const failing = await licensesFile([
      { name: 'mixed', license: 'MIT AND GPL-2.0-only' },
      { name: 'excepted', license: 'GPL-2.0-only WITH Classpath-exception-2.0' },
    ]);
    const refused = check(failing);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /mixed is licensed "MIT AND GPL-2\.0-only"/);
    assert.match(refused.stderr, /excepted is licensed "GPL-2\.0-only WITH Classpath-exception-2\.0"/);
  });

  it('fails on a package without a licence id, and on a file that names no package', async () => {
    const unlabelled = await licensesFile([
      { name: 'labelled', license: 'MIT', text: MIT_TEXT },
      { name: 'unlabelled', text: 'Some custom terms.' },
    ]);
    const run = check(unlabelled);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /unlabelled is licensed "Some custom terms\."/);

    const empty = path.join(await tempDir('licenses'), 'empty.txt');
    await writeFile(empty, '\n');
    const none = check(empty);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /names no package/);
  });
});
