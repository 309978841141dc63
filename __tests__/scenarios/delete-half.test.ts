// A push without max-delete also refuses to delete more than half of a site
// of more than 10 objects (src/decide/guards.ts), end to end with the bundled
// action: a small site is as easy to empty from the wrong folder as a large one.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runAction } from '../../support/run-action.js';
import { bucketState, listKeys, seed, useS3, withoutRunRecords } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree, type TreeSpec } from '../helpers/tree.js';

const s3 = useS3();

async function workspaceWith(site: TreeSpec): Promise<string> {
  const workspace = await tempDir('half');
  await writeTree(path.join(workspace, 'site'), site);
  return workspace;
}

/** `count` pages, page-0.html to page-(count - 1).html, each holding `body` and its number. */
function pages(count: number, body = 'page'): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`page-${i}.html`, `${body} ${i}`]));
}

function push(workspace: string, bucket: string, inputs: Record<string, string> = {}) {
  return runAction(
    workspace,
    { direction: 'push', directory: 'site', bucket, prefix: 'www', ...inputs },
    { endpoint: s3.server.endpoint },
  );
}

describe('the half limit of a push without max-delete', () => {
  it('refuses to delete 17 of an 18-object site, changes nothing, and says how to go ahead', async () => {
    // The wrong folder: it holds one page of the site, changed.
    const workspace = await workspaceWith({ 'page-0.html': 'draft' });
    const bucket = await s3.bucket();
    await seed(s3.client, bucket, { ...prefixed('www', pages(18)), 'other/keep.txt': 'keep' });
    const before = await bucketState(s3.client, bucket);

    const run = await push(workspace, bucket);
    assert.equal(run.status, 1, run.stdout);
    const error = decodeURIComponent(run.errors[0] ?? '');
    assert.match(
      error,
      new RegExp(
        `would delete 17 objects, more than half of the 18 objects under s3://${bucket}/www ` +
          '\\(the default limit when max-delete is not set\\)\\. Nothing was changed\\. ' +
          'Check that directory and prefix point where you meant',
      ),
    );
    assert.match(
      error,
      /To go ahead, set max-delete to 17 or more \(a max-delete you set replaces both default limits\), or set delete: false/,
    );
    assert.match(run.summary, /<h2>s3-force-copy push failed<\/h2>/);
    assert.deepEqual(await bucketState(s3.client, bucket), before, 'nothing was written or deleted');
  });

  it('is replaced by a max-delete that is set', async () => {
    const workspace = await workspaceWith({ 'page-0.html': 'draft' });
    const bucket = await s3.bucket();
    await seed(s3.client, bucket, prefixed('www', pages(18)));

    const run = await push(workspace, bucket, { 'max-delete': '17' });
    assert.equal(run.status, 0, run.stdout);
    assert.equal(run.outputs.uploaded, '1');
    assert.equal(run.outputs.deleted, '17');
    assert.deepEqual(withoutRunRecords(await listKeys(s3.client, bucket)), [
      'www/.s3-force-copy/manifest.json',
      'www/page-0.html',
    ]);
  });

  it('spares a site of 10 objects or fewer, as its first deploys replace most of it', async () => {
    const workspace = await workspaceWith({ 'index.html': 'home' });
    const bucket = await s3.bucket();
    await seed(s3.client, bucket, prefixed('www', pages(10)));

    const run = await push(workspace, bucket);
    assert.equal(run.status, 0, run.stdout);
    assert.equal(run.outputs.deleted, '10');
    assert.deepEqual(withoutRunRecords(await listKeys(s3.client, bucket)), [
      'www/.s3-force-copy/manifest.json',
      'www/index.html',
    ]);
  });

  it('lets a usual deploy through: 1 of 100 pages changed and 2 deleted', async () => {
    const site = pages(100);
    const bucket = await s3.bucket();
    await seed(s3.client, bucket, prefixed('www', site));
    delete site['page-98.html'];
    delete site['page-99.html'];
    const workspace = await workspaceWith({ ...site, 'page-0.html': 'changed' });

    const run = await push(workspace, bucket);
    assert.equal(run.status, 0, run.stdout);
    assert.equal(run.outputs.uploaded, '1');
    assert.equal(run.outputs.deleted, '2');
    assert.equal(run.outputs.skipped, '97');
  });
});

function prefixed(prefix: string, objects: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(objects).map(([key, body]) => [`${prefix}/${key}`, body]));
}
