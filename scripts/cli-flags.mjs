// The command line's flags come from action.yml's inputs, as the README's
// inputs table does: one flag per input, of the same name.
//
//   node scripts/cli-flags.mjs          writes src/cli/action-inputs.ts and the README's flags table
//
// docs.test.ts checks that both are what this script makes from action.yml,
// so an input added to action.yml without running it fails the tests.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';

export const INPUTS_MODULE = 'src/cli/action-inputs.ts';
const TABLE_START = '<!-- flags table: node scripts/cli-flags.mjs -->';
const TABLE_END = '<!-- end of flags table -->';

/** The inputs as the command line reads them: which take true/false, which may be repeated. */
export function actionInputs(actionYml) {
  const { inputs } = parse(actionYml);
  return Object.entries(inputs).map(([name, spec]) => {
    const description = String(spec.description ?? '');
    const fallback = spec.default === undefined ? '' : String(spec.default);
    return {
      name,
      boolean: fallback === 'true' || fallback === 'false' || /^true or false\b/.test(description),
      // A list of lines in the action: the flag may be given more than once.
      repeatable: /newline/i.test(description),
      required: spec.required === true,
      fallback,
      description,
    };
  });
}

/** src/cli/action-inputs.ts */
export function inputsModule(actionYml) {
  const rows = actionInputs(actionYml).map(
    ({ name, boolean, repeatable }) => `  { name: '${name}', boolean: ${boolean}, repeatable: ${repeatable} },`,
  );
  return [
    '// Made by scripts/cli-flags.mjs from action.yml; docs.test.ts checks that it is current.',
    '',
    '/** One input of action.yml, as a flag of the same name. */',
    'export interface ActionInput {',
    '  name: string;',
    '  /** Takes true or false: `--name` alone is true, `--no-name` false. */',
    '  boolean: boolean;',
    '  /** A list of lines in the action: the flag may be repeated, one line each. */',
    '  repeatable: boolean;',
    '}',
    '',
    'export const ACTION_INPUTS: readonly ActionInput[] = [',
    ...rows,
    '];',
    '',
  ].join('\n');
}

/** The README's flags table, between its markers. */
export function flagsTable(actionYml) {
  const rows = actionInputs(actionYml).map(({ name, boolean, repeatable, required, fallback }) => {
    const value = repeatable ? 'LINE' : /^\d+$/.test(fallback) ? 'N' : 'VALUE';
    const usage = boolean ? `\`--${name}\`, \`--no-${name}\`` : `\`--${name} ${value}\``;
    const how = repeatable ? 'repeatable, one line each' : boolean ? 'true or false' : 'one value';
    // The runner's own expressions (github.token) mean nothing on the command line.
    const shown = fallback === '' || fallback.includes('${{') ? "`''`" : `\`${fallback}\``;
    return `| ${usage} | ${how} | ${required ? 'required' : shown} |`;
  });
  return [TABLE_START, '', '| flag | takes | default |', '| ---- | ----- | ------- |', ...rows, '', TABLE_END].join(
    '\n',
  );
}

/** The README with its flags table made again (unchanged when it is current). */
export function withFlagsTable(readme, actionYml) {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start === -1 || end === -1) throw new Error(`README.md has no "${TABLE_START}" … "${TABLE_END}" section.`);
  return readme.slice(0, start) + flagsTable(actionYml) + readme.slice(end + TABLE_END.length);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const actionYml = readFileSync('action.yml', 'utf8');
  writeFileSync(INPUTS_MODULE, inputsModule(actionYml));
  writeFileSync('README.md', withFlagsTable(readFileSync('README.md', 'utf8'), actionYml));
  console.log(`Wrote ${INPUTS_MODULE} and the README's flags table from action.yml.`);
}
