/**
 * Sanity checks after each scenario, so a fast figure from a run that did
 * not actually do its job is noticed. They talk to s3rver directly, never
 * through the proxy, so they don't show up in the request counts.
 */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { lstat, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_MANIFEST_KEY } from '../src/settings/inputs.ts';
import { walk } from '../support/fixture.ts';
import { TEST_CREDENTIALS } from '../support/s3-server.ts';

interface LocalTree {
  files: Set<string>;
  links: Map<string, string>;
}

async function localTree(dir: string): Promise<LocalTree> {
  const tree: LocalTree = { files: new Set(), links: new Map() };
  for (const entry of await walk(dir)) {
    if (entry.type === 'file') tree.files.add(entry.path);
    if (entry.type === 'symlink') tree.links.set(entry.path, await readlink(abs(dir, entry.path)));
  }
  return tree;
}

/** Compares the bucket's keys with the local tree that was just pushed. */
export async function checkBucket(endpoint: string, bucket: string, dir: string): Promise<string> {
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
  });
  const keys = new Set<string>();
  try {
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key) keys.add(object.Key);
      token = page.NextContinuationToken;
    } while (token);
  } finally {
    client.destroy();
  }
  const tree = await localTree(dir);
  const missing = [...tree.files].filter((file) => !keys.has(file)).length;
  const linkObjects = [...tree.links.keys()].filter((link) => keys.has(link)).length;
  // Our deploy manifest sits beside the site; it is the tool's own, not a stale key.
  const manifest = keys.delete(DEFAULT_MANIFEST_KEY);
  const extra = [...keys].filter((key) => !tree.files.has(key) && !tree.links.has(key)).length;
  const parts = [`bucket ${keys.size} keys${manifest ? ' and the manifest' : ''}`];
  if (missing > 0) parts.push(`${missing} files MISSING`);
  if (extra > 0) parts.push(`${extra} stale keys`);
  parts.push(`links: ${linkObjects}/${tree.links.size} as objects`);
  return parts.join(', ');
}

/** Compares a pulled folder with the source tree it came from. */
export async function checkPull(source: string, pulled: string): Promise<string> {
  const want = await localTree(source);
  const got = await localTree(pulled);
  let missing = 0;
  let differ = 0;
  for (const file of want.files) {
    if (!got.files.has(file)) missing += 1;
    else if ((await md5(abs(source, file))) !== (await md5(abs(pulled, file)))) differ += 1;
  }
  const links = { asLinks: 0, asFiles: 0, absent: 0 };
  for (const [link, target] of want.links) {
    if (got.links.get(link) === target) links.asLinks += 1;
    else if (got.files.has(link) && (await sameContent(abs(source, link), abs(pulled, link)))) links.asFiles += 1;
    else links.absent += 1;
  }
  const extra = [...got.files, ...got.links.keys()].filter(
    (entry) => !want.files.has(entry) && !want.links.has(entry),
  ).length;

  const parts = [
    missing + differ + extra === 0
      ? `tree ok (${want.files.size} files)`
      : `${missing} MISSING, ${differ} DIFFER, ${extra} extra`,
  ];
  const linkParts = Object.entries(links)
    .filter(([, count]) => count > 0)
    .map(([how, count]) => `${count} ${how.replace('as', 'as ').toLowerCase()}`);
  if (linkParts.length > 0) parts.push(`links: ${linkParts.join(', ')}`);
  return parts.join('; ');
}

async function sameContent(a: string, b: string): Promise<boolean> {
  // `a` is a symlink: md5 of what it points to.
  return (await lstat(b)).isFile() && (await md5(a)) === (await md5(b));
}

async function md5(file: string): Promise<string> {
  return createHash('md5')
    .update(await readFile(file))
    .digest('hex');
}

function abs(dir: string, relative: string): string {
  return path.join(dir, ...relative.split('/'));
}
