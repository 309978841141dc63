// Keeps action.yml, the input reader, the README and the example workflows in
// step: a renamed or new input that is not documented everywhere fails here.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';

interface ActionYml {
  inputs: Record<string, { required?: boolean; default?: string; description?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
}

const action = parse(readFileSync('action.yml', 'utf8')) as ActionYml;
const readme = readFileSync('README.md', 'utf8');
const inputNames = Object.keys(action.inputs).sort();

/** `| \`name\` | cell | …` rows of the README's tables, by name. */
function readmeRows(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of readme.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const name = /^`([a-z-]+)`$/.exec(cells[1] ?? '')?.[1];
    if (name && !rows.has(name)) rows.set(name, cells.slice(2, -1));
  }
  return rows;
}

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

/** Every step that uses this action, in the README's YAML blocks and the example workflows. */
function documentedSteps(): { where: string; step: Step }[] {
  const sources: { where: string; text: string }[] = [];
  for (const [index, match] of [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].entries()) {
    sources.push({ where: `README yaml block ${index + 1}`, text: match[1] ?? '' });
  }
  for (const file of readdirSync('examples/workflows')) {
    sources.push({ where: file, text: readFileSync(`examples/workflows/${file}`, 'utf8') });
  }
  const found: { where: string; step: Step }[] = [];
  const visit = (where: string, node: unknown): void => {
    if (Array.isArray(node)) node.forEach((child) => visit(where, child));
    else if (node && typeof node === 'object') {
      const step = node as Step;
      if (typeof step.uses === 'string' && /s3-force-copy@/.test(step.uses)) found.push({ where, step });
      Object.values(node).forEach((child) => visit(where, child));
    }
  };
  for (const { where, text } of sources) visit(where, parse(text));
  return found;
}

describe('documentation', () => {
  it('action.yml runs the bundle on node24', () => {
    assert.deepEqual(action.runs, { using: 'node24', main: 'dist/index.js' });
  });

  it('src/settings/inputs.ts reads exactly the inputs action.yml declares', () => {
    const source = readFileSync('src/settings/inputs.ts', 'utf8');
    const read = new Set(
      [...source.matchAll(/(?:getInput|required|flag|wholeNumber|lines)\('([a-z-]+)'/g)].map((m) => m[1] ?? ''),
    );
    assert.deepEqual([...read].sort(), inputNames);
  });

  it('the README documents every input with the default action.yml gives it', () => {
    const rows = readmeRows();
    for (const name of inputNames) {
      const row = rows.get(name);
      assert.ok(row, `README has no row for input ${name}`);
      const spec = action.inputs[name] ?? {};
      const defaultCell = row[0] ?? '';
      if (spec.required) assert.equal(defaultCell, 'required', name);
      else if (spec.default !== undefined) {
        const expected = spec.default === '' ? "`''`" : `\`${spec.default}\``;
        assert.ok(defaultCell.startsWith(expected), `${name}: README says ${defaultCell}, action.yml ${expected}`);
      }
    }
  });

  it('the README documents every output', () => {
    const rows = readmeRows();
    for (const name of Object.keys(action.outputs)) assert.ok(rows.has(name), `README has no row for output ${name}`);
  });

  it('every documented use of the action passes only real inputs, and every required one', () => {
    const steps = documentedSteps();
    assert.ok(steps.length >= 4, `found only ${steps.length} documented steps`);
    const required = inputNames.filter((name) => action.inputs[name]?.required);
    for (const { where, step } of steps) {
      const given = Object.keys(step.with ?? {});
      for (const name of given) assert.ok(inputNames.includes(name), `${where}: unknown input ${name}`);
      for (const name of required) assert.ok(given.includes(name), `${where}: missing input ${name}`);
    }
  });

  it('the encrypted-bucket IAM example grants the KMS actions the README names', () => {
    const section = readme.slice(readme.indexOf('## Encrypted and company buckets'));
    const example = readFileSync('examples/iam/encrypted-bucket-policy.json', 'utf8');
    for (const kms of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      assert.ok(section.includes(`\`${kms}\``), `the README's encrypted-bucket paragraph names ${kms}`);
      assert.ok(example.includes(`"${kms}"`), `examples/iam/encrypted-bucket-policy.json grants ${kms}`);
    }
    assert.ok(section.includes('examples/iam/encrypted-bucket-policy.json'));
    for (const value of ['AES256', 'aws:kms', 'aws:kms:dsse']) {
      assert.ok(action.inputs.sse?.description?.includes(value), `action.yml's sse names ${value}`);
    }
  });

  it('the README gives the fresh-clone commands CI runs', () => {
    assert.ok(readme.includes('npm ci && npm run demo'));
    assert.ok(readme.includes('npm ci && npm test'));
    const ci = readFileSync('.ci/run', 'utf8');
    assert.match(ci, /^npm ci$/m);
    assert.match(ci, /^npm test$/m);
    assert.match(ci, /^npm run demo$/m);
  });
});
