import assert from 'node:assert/strict';
import { rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { countsOf } from '../../src/report/outputs.js';
import { renderSummary } from '../../src/report/summary.js';
import { bucketState, copy, headObject, putObject, testSettings, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { diskState } from '../helpers/fs-state.js';
import { writeTree, type TreeSpec } from '../helpers/tree.js';

const s3 = useS3(['folder-site']);
const MANIFEST = '.s3-force-copy/manifest.json';

/** Versioned docs as mkdocs `mike` lays them out: a folder per version, `latest` a symlink to one. */
const MIKE: TreeSpec = {
  'index.html': 'versions',
  '2.0/index.html': 'v2.0 home',
  '2.0/guide/intro.html': 'v2.0 intro',
  '2.0/old.html': 'only in 2.0',
  '2.1/index.html': 'v2.1 home',
  '2.1/guide/intro.html': 'v2.1 intro',
  '2.1/current.html': { link: 'guide/intro.html' },
  latest: { link: '2.1' },
};

describe('symlinks to folders', () => {
  it('push a mike tree, pull it back exactly with latest one folder symlink, and re-runs cost the listing and one GET', async () => {
    const base = await tempDir();
    const source = path.join(base, 'source');
    const mirror = path.join(base, 'mirror');
    await writeTree(source, MIKE);
    const bucket = await s3.bucket();

    const pushed = await copy(s3, 'push', source, bucket, { manifestKey: MANIFEST });
    assert.deepEqual(pushed.result.warnings, []);
    assert.deepEqual(pushed.result.outcome.redirected.map((r) => r.key).sort(), [
      '2.1/current.html',
      'latest/current.html',
      'latest/guide/intro.html',
      'latest/index.html',
    ]);
    const deep = await headObject(s3.client, bucket, 'latest/guide/intro.html');
    assert.equal(deep.WebsiteRedirectLocation, '/2.1/guide/intro.html');
    assert.deepEqual([deep.Metadata?.['link-folder'], deep.Metadata?.['link-target']], ['latest', '2.1']);
    // The summary shows the folder link as one line; the output counts its objects.
    const facts = { requests: 1, requestsByKind: {}, durationMs: 1, source: undefined, warnings: 0 };
    const summary = renderSummary(pushed.result, testSettings(''), facts);
    assert.match(summary, /redirected: <code>latest\/<\/code> → <code>2\.1\/<\/code> \(3 redirects\)/);
    assert.doesNotMatch(summary, /latest\/guide/);
    assert.equal(countsOf(pushed.result, 1, 0).redirected, 4);
    // A link inside the target is flattened to the file it reaches.
    const inner = await headObject(s3.client, bucket, 'latest/current.html');
    assert.equal(inner.WebsiteRedirectLocation, '/2.1/guide/intro.html');

    const pulled = await copy(s3, 'pull', mirror, bucket, { manifestKey: MANIFEST });
    assert.deepEqual(pulled.result.warnings, []);
    const mirrored = await diskState(mirror);
    assert.equal(mirrored.latest, 'link -> 2.1');
    assert.deepEqual(mirrored, await diskState(source));

    const pushAgain = await copy(s3, 'push', source, bucket, { manifestKey: MANIFEST });
    assert.deepEqual([pushAgain.requests.LIST, pushAgain.requests.GET, pushAgain.requests.total], [1, 1, 2]);
    const pullAgain = await copy(s3, 'pull', mirror, bucket, { manifestKey: MANIFEST });
    assert.deepEqual([pullAgain.requests.LIST, pullAgain.requests.GET, pullAgain.requests.total], [1, 1, 2]);
    assert.deepEqual(await diskState(mirror), mirrored);
  });

  it('pulls the same folder symlink without a manifest, from the HEADs', async () => {
    const base = await tempDir();
    await writeTree(path.join(base, 'source'), MIKE);
    const bucket = await s3.bucket();
    await copy(s3, 'push', path.join(base, 'source'), bucket);
    await copy(s3, 'pull', path.join(base, 'mirror'), bucket);
    assert.deepEqual(await diskState(path.join(base, 'mirror')), await diskState(path.join(base, 'source')));
    const again = await copy(s3, 'push', path.join(base, 'source'), bucket);
    assert.equal(again.requests.PUT + again.requests.POST + again.requests.DELETE, 0);
  });

  it('falls back to a symlink per object, with a warning, when another tool changed the redirects', async () => {
    const base = await tempDir();
    await writeTree(path.join(base, 'source'), MIKE);
    const bucket = await s3.bucket();
    await copy(s3, 'push', path.join(base, 'source'), bucket);
    // Another tool points one tagged redirect elsewhere.
    await putObject(s3.client, bucket, 'latest/index.html', '', {
      redirect: '/2.0/index.html',
      metadata: { 'link-folder': 'latest', 'link-target': '2.1' },
    });

    const mirror = path.join(base, 'mirror');
    const pulled = await copy(s3, 'pull', mirror, bucket);
    assert.deepEqual(
      pulled.result.warnings.map((w) => w.key),
      ['latest/'],
    );
    assert.match(pulled.result.warnings[0]?.message ?? '', /latest\/index\.html leads elsewhere/);
    const mirrored = await diskState(mirror);
    assert.equal(mirrored.latest, undefined, 'no folder symlink');
    assert.deepEqual(
      Object.entries(mirrored).filter(([key]) => key.startsWith('latest/')),
      [
        ['latest/', 'folder'],
        ['latest/current.html', 'link -> ../2.1/guide/intro.html'],
        ['latest/guide/', 'folder'],
        ['latest/guide/intro.html', 'link -> ../../2.1/guide/intro.html'],
        ['latest/index.html', 'link -> ../2.0/index.html'],
      ],
    );
  });

  it('retargets latest by re-putting only the redirects that moved, with no file body, and deleting the rest', async () => {
    const source = await tempDir();
    await writeTree(source, { ...MIKE, latest: { link: '2.0' } });
    const bucket = await s3.bucket();
    await copy(s3, 'push', source, bucket, { manifestKey: MANIFEST });
    const before = await bucketState(s3.client, bucket);

    await rm(path.join(source, 'latest'));
    await symlink('2.1', path.join(source, 'latest'));
    const retarget = await copy(s3, 'push', source, bucket, { manifestKey: MANIFEST });
    const { outcome } = retarget.result;
    assert.deepEqual([outcome.copied.length, outcome.bytes], [0, 0]);
    assert.deepEqual(outcome.redirected.map((r) => r.key).sort(), [
      'latest/current.html',
      'latest/guide/intro.html',
      'latest/index.html',
    ]);
    assert.deepEqual(
      outcome.deleted.map((d) => d.key),
      ['latest/old.html'],
    );
    // LIST and the manifest's GET; a PUT per moved redirect (empty bodies), one batch delete, the manifest's PUT.
    assert.deepEqual(
      { LIST: retarget.requests.LIST, GET: retarget.requests.GET, PUT: retarget.requests.PUT },
      { LIST: 1, GET: 1, PUT: 3 + 1 },
    );
    assert.equal(retarget.requests.POST, 1);
    assert.equal(retarget.requests.HEAD, 1); // the check that the store keeps redirects
    const after = await bucketState(s3.client, bucket);
    for (const key of ['2.0/index.html', '2.1/index.html', '2.1/guide/intro.html'])
      assert.equal(after[key], before[key]);
  });

  it('skips a symlink that leads back into itself with a warning, and pushes the rest', async () => {
    const source = await tempDir();
    await writeTree(source, {
      'a/page.html': 'page',
      'a/b/loop': { link: '..' },
      'a/up': { link: '..' },
      'x/to-y': { link: '../y' },
      'y/to-x': { link: '../x' },
    });
    const bucket = await s3.bucket();
    const pushed = await copy(s3, 'push', source, bucket);
    const warned = pushed.result.warnings.map((w) => `${w.key}: ${w.message}`).sort();
    assert.equal(warned.length, 4);
    for (const line of warned) assert.match(line, /leads back into itself/);
    assert.deepEqual(Object.keys(await bucketState(s3.client, bucket)), ['a/page.html']);
  });

  it('counts a folder link’s redirects against request-limit before anything changes', async () => {
    const source = await tempDir();
    await writeTree(source, MIKE);
    const bucket = await s3.bucket();
    // The LIST and 6 files fit in 8 requests; the 4 redirects and the HEAD that checks them do not.
    await assert.rejects(
      copy(s3, 'push', source, bucket, { requestLimit: 8 }),
      /more than the request-limit of 8\. Nothing was changed/,
    );
    assert.deepEqual(await bucketState(s3.client, bucket), {});
  });

  it('serves a deep link under a folder symlink as a 301 on the website endpoint', async () => {
    const source = await tempDir();
    await writeTree(source, MIKE);
    await copy(s3, 'push', source, 'folder-site');
    const redirect = await s3.server.websiteGet('folder-site', '/latest/guide/intro.html');
    assert.deepEqual([redirect.status, redirect.location], [301, '/2.1/guide/intro.html']);
    const target = await s3.server.websiteGet('folder-site', redirect.location ?? '');
    assert.deepEqual([target.status, target.body], [200, 'v2.1 intro']);
    const index = await s3.server.websiteGet('folder-site', '/latest/');
    assert.deepEqual([index.status, index.location], [301, '/2.1/index.html']);
  });
});
