// ncc writes dist/package.json only for CommonJS output; the ESM bundle needs
// Node to read dist/index.js as a module, whatever the package around it says.
import { writeFileSync } from 'node:fs';

writeFileSync(new URL('../dist/package.json', import.meta.url), JSON.stringify({ type: 'module' }, null, 2) + '\n');
