import { stat } from 'node:fs/promises';
import { RefusedError } from '../model/errors.js';

/** The folder a push copies from: it must exist. */
export async function requireSourceDirectory(root: string): Promise<void> {
  if (!(await isFolder(root))) {
    throw new RefusedError(`The directory ${root} does not exist, so there is nothing to push.`);
  }
}

/**
 * Whether the folder a pull copies into exists. A missing one is planned
 * against as empty and made only when the plan is applied, so a refused run
 * leaves nothing behind.
 */
export async function destinationDirectoryExists(root: string): Promise<boolean> {
  return isFolder(root);
}

/** False when missing; a refusal when something else is in its place. */
async function isFolder(root: string): Promise<boolean> {
  const stats = await stat(root).catch(() => undefined);
  if (stats === undefined) return false;
  if (!stats.isDirectory()) throw new RefusedError(`The directory input ${root} is not a folder.`);
  return true;
}
