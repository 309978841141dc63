// Validates action.yml and every workflow (ours, the examples, and each one
// the README shows) with @action-validator/core, the schema-based validator.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validateAction, validateWorkflow } from '@action-validator/core';

let failed = false;
function report(file, state) {
  if (state.errors.length === 0) {
    console.log(`ok ${file}`);
    return;
  }
  failed = true;
  console.error(`invalid ${file}:\n${JSON.stringify(state.errors, null, 2)}`);
}

// action-validator 0.6.0 (the latest release) ships a schema that predates
// `using: node24`, which GitHub runners support since 2025. Check that value
// ourselves and let the schema judge everything else.
const action = readFileSync('action.yml', 'utf8');
if (!/^ {2}using: node24$/m.test(action)) {
  failed = true;
  console.error('invalid action.yml: runs.using must be node24');
}
report('action.yml', validateAction(action.replace(/^( {2}using: )node24$/m, '$1node20')));

// Every workflow the README shows is a complete one, validated like the files.
const readme = readFileSync('README.md', 'utf8');
for (const [index, match] of [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].entries()) {
  report(`README.md yaml block ${index + 1}`, validateWorkflow(match[1]));
}

for (const folder of ['.github/workflows', 'examples/workflows']) {
  for (const name of readdirSync(folder).filter((file) => /\.ya?ml$/.test(file))) {
    const file = path.join(folder, name);
    report(file, validateWorkflow(readFileSync(file, 'utf8')));
  }
}
process.exit(failed ? 1 : 0);
