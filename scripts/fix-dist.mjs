// Finishes dist/ after the three ncc builds of the bundle script.
import { chmodSync, copyFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { bundleInputsHash, INPUTS_HASH_FILE } from './bundle-inputs.mjs';

const dist = new URL('../dist/', import.meta.url);

// The file thread's program is an entry of its own (src/local/file-thread.ts
// starts it from beside the chunk that holds FileThread): ncc writes it as
// dist/file-worker/index.js, and it goes where that chunk looks for it.
renameSync(new URL('file-worker/index.js', dist), new URL('file-worker.js', dist));
rmSync(new URL('file-worker/', dist), { recursive: true, force: true });

// The command line is a bundle of its own in dist/cli/ (its chunks beside it),
// with the file thread's program where its FileThread looks, and dist/cli.js,
// the file `node dist/cli.js` and package.json's bin run.
copyFileSync(new URL('file-worker.js', dist), new URL('cli/file-worker.js', dist));
writeFileSync(new URL('cli.js', dist), "#!/usr/bin/env node\nimport './cli/index.js';\n");
chmodSync(new URL('cli.js', dist), 0o755);

// ncc writes dist/package.json only for CommonJS output; the ESM bundle needs
// Node to read dist/index.js as a module, whatever the package around it says.
writeFileSync(new URL('package.json', dist), JSON.stringify({ type: 'module' }, null, 2) + '\n');

// Then the hash of what the bundle was built from, for scripts/test.mjs.
writeFileSync(INPUTS_HASH_FILE, `${bundleInputsHash()}\n`);
