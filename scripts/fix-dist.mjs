// ncc writes dist/package.json only for CommonJS output; the ESM bundle needs
// Node to read dist/index.js as a module, whatever the package around it says.
// Then the hash of what the bundle was built from, for scripts/test.mjs.
import { writeFileSync } from 'node:fs';
import { bundleInputsHash, INPUTS_HASH_FILE } from './bundle-inputs.mjs';

writeFileSync(new URL('../dist/package.json', import.meta.url), JSON.stringify({ type: 'module' }, null, 2) + '\n');
writeFileSync(INPUTS_HASH_FILE, `${bundleInputsHash()}\n`);
