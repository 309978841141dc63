import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

/** A fresh temporary folder, removed when the test file ends. */
export async function tempDir(label = 'sfc'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `${label}-`));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
