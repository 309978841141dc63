// Finishes dist/ after the two ncc builds of the bundle script.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { bundleInputsHash, INPUTS_HASH_FILE } from './bundle-inputs.mjs';

const dist = new URL('../dist/', import.meta.url);

// The file thread's program is an entry of its own (src/local/file-thread.ts
// starts it from beside the chunk that holds FileThread): ncc writes it as
// dist/file-worker/index.js, and it goes where that chunk looks for it.
renameSync(new URL('file-worker/index.js', dist), new URL('file-worker.js', dist));
rmSync(new URL('file-worker/', dist), { recursive: true, force: true });

// ncc writes dist/package.json only for CommonJS output; the ESM bundle needs
// Node to read dist/index.js as a module, whatever the package around it says.
writeFileSync(new URL('package.json', dist), JSON.stringify({ type: 'module' }, null, 2) + '\n');

// Then the hash of what the bundle was built from, for scripts/test.mjs.
writeFileSync(INPUTS_HASH_FILE, `${bundleInputsHash()}\n`);
