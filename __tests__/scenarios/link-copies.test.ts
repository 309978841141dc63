import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { S3Client } from '@aws-sdk/client-s3';
import { bucketState, copy, getText, headObject, useS3, type CopyOverrides } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { diskState } from '../helpers/fs-state.js';
import { writeTree, type TreeSpec } from '../helpers/tree.js';

const s3 = useS3();
const MANIFEST = '.s3-force-copy/manifest.json';

const MIKE: TreeSpec = {
  'index.html': 'versions',
  '2.0/index.html': 'v2.0 home',
  '2.1/index.html': 'v2.1 home',
  '2.1/guide/intro.html': 'v2.1 intro',
  '2.1/current.html': { link: 'guide/intro.html' },
  latest: { link: '2.1' },
};
const LINK_KEYS = ['2.1/current.html', 'latest/current.html', 'latest/guide/intro.html', 'latest/index.html'];
const FILE_KEYS = ['2.0/index.html', '2.1/guide/intro.html', '2.1/index.html', 'index.html'];

/** A run whose S3 commands are recorded by name and key. */
async function recorded(
  direction: 'push' | 'pull',
  root: string,
  bucket: string,
  overrides: CopyOverrides,
): Promise<{ run: Awaited<ReturnType<typeof copy>>; sent: (name: string) => string[] }> {
  const log: [string, string][] = [];
  const configureClient = (client: S3Client) =>
    client.middlewareStack.add(
      (next, context) => async (args) => {
        log.push([context.commandName ?? '', (args.input as { Key?: string }).Key ?? '']);
        return next(args);
      },
      { step: 'initialize' },
    );
  const run = await copy(s3, direction, root, bucket, { ...overrides, configureClient });
  const sent = (name: string) =>
    log
      .filter(([command, key]) => command === name && key !== MANIFEST)
      .map(([, key]) => key)
      .sort();
  return { run, sent };
}

describe('links: copy', () => {
  it('copies file and folder links server-side from their targets, and a pull makes the symlinks again', async () => {
    const base = await tempDir();
    const source = path.join(base, 'source');
    await writeTree(source, MIKE);
    const bucket = await s3.bucket();
    const overrides: CopyOverrides = { manifestKey: MANIFEST, links: 'copy' };

    const { run: pushed, sent } = await recorded('push', source, bucket, overrides);
    assert.deepEqual(pushed.result.warnings, []);
    assert.deepEqual(sent('CopyObjectCommand'), LINK_KEYS, 'a CopyObject for each link, from its target');
    assert.deepEqual(sent('PutObjectCommand'), FILE_KEYS, 'a PUT for each file, none for a link');
    const sizes = ['versions', 'v2.0 home', 'v2.1 home', 'v2.1 intro'].map((body) => body.length);
    assert.equal(
      pushed.result.outcome.bytes,
      sizes.reduce((a, b) => a + b),
      'each file counted once',
    );
    assert.equal(await getText(s3.client, bucket, 'latest/current.html'), 'v2.1 intro');
    const deep = await headObject(s3.client, bucket, 'latest/guide/intro.html');
    assert.equal(deep.WebsiteRedirectLocation, undefined);
    assert.equal(deep.ContentType, 'text/html; charset=utf-8');
    assert.deepEqual(
      [deep.Metadata?.['link-file'], deep.Metadata?.['link-folder'], deep.Metadata?.['link-target']],
      ['2.1/guide/intro.html', 'latest', '2.1'],
    );

    for (const manifestKey of [MANIFEST, undefined]) {
      const mirror = path.join(base, `mirror-${manifestKey === undefined ? 'heads' : 'manifest'}`);
      // Without the manifest, the HEADs of objects sharing an ETag tell; the manifest object is then left out.
      const reading: CopyOverrides = manifestKey === undefined ? { exclude: ['.s3-force-copy/**'] } : { manifestKey };
      const pulled = await copy(s3, 'pull', mirror, bucket, reading);
      assert.deepEqual(pulled.result.warnings, []);
      assert.deepEqual(await diskState(mirror), await diskState(source), 'the round trip is exact');
      assert.equal((await diskState(mirror)).latest, 'link -> 2.1');
      const again = await copy(s3, 'pull', mirror, bucket, reading);
      assert.equal(again.requests.GET, manifestKey === undefined ? 0 : 1);
      assert.equal(again.result.outcome.redirected.length + again.result.outcome.copied.length, 0);
    }

    const noop = await copy(s3, 'push', source, bucket, overrides);
    assert.deepEqual([noop.requests.LIST, noop.requests.GET, noop.requests.total], [1, 1, 2]);
  });

  it('refreshes the copies of a changed target, and only them', async () => {
    const source = await tempDir();
    await writeTree(source, MIKE);
    const bucket = await s3.bucket();
    const overrides: CopyOverrides = { manifestKey: MANIFEST, links: 'copy' };
    await copy(s3, 'push', source, bucket, overrides);
    await writeFile(path.join(source, '2.1', 'guide', 'intro.html'), 'v2.1 intro, revised');
    const { run, sent } = await recorded('push', source, bucket, overrides);
    assert.deepEqual(sent('PutObjectCommand'), ['2.1/guide/intro.html']);
    assert.deepEqual(sent('CopyObjectCommand'), ['2.1/current.html', 'latest/current.html', 'latest/guide/intro.html']);
    assert.equal(run.result.outcome.bytes, 'v2.1 intro, revised'.length);
    assert.equal(await getText(s3.client, bucket, 'latest/current.html'), 'v2.1 intro, revised');
  });

  it('a switch of modes converts every link object on the next push, and nothing else', async () => {
    const source = await tempDir();
    await writeTree(source, MIKE);
    const bucket = await s3.bucket();
    await copy(s3, 'push', source, bucket, { manifestKey: MANIFEST });
    const files = async () => {
      const state = await bucketState(s3.client, bucket);
      return FILE_KEYS.map((key) => state[key]);
    };
    const before = await files();

    const toCopy = await recorded('push', source, bucket, { manifestKey: MANIFEST, links: 'copy' });
    assert.deepEqual(toCopy.sent('CopyObjectCommand'), LINK_KEYS);
    assert.deepEqual(toCopy.sent('PutObjectCommand'), []);
    assert.equal((await headObject(s3.client, bucket, 'latest/index.html')).ContentLength, 'v2.1 home'.length);

    const toRedirect = await recorded('push', source, bucket, { manifestKey: MANIFEST, links: 'redirect' });
    assert.deepEqual(toRedirect.sent('PutObjectCommand'), LINK_KEYS);
    assert.deepEqual(toRedirect.sent('CopyObjectCommand'), []);
    assert.equal((await headObject(s3.client, bucket, 'latest/index.html')).WebsiteRedirectLocation, '/2.1/index.html');
    assert.deepEqual(await files(), before, 'no file was written');
  });
});
