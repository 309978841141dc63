// Excluded keys are neither copied nor deleted, on either side.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diskState } from '../helpers/fs-state.js';
import { md5 } from '../helpers/md5.js';
import { useCountingProxy } from '../helpers/proxy.js';
import { copy, getText, listKeys, seed, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree } from '../helpers/tree.js';

const s3 = useS3();
const proxy = useCountingProxy(s3);
const { viaProxy } = proxy;

describe('exclude', () => {
  it('push neither uploads nor deletes excluded keys; .DS_Store and ._* are excluded by default', async () => {
    const source = await tempDir();
    await writeTree(source, {
      'index.html': 'home',
      'notes.log': 'local log',
      'drafts/new.html': 'draft',
      '.DS_Store': 'finder',
      'sub/.DS_Store': 'finder',
      'sub/._page.html': 'resource fork',
      'sub/page.html': 'page',
    });
    const bucket = await s3.bucket();
    await seed(s3.client, bucket, {
      'server.log': 'remote log',
      'drafts/old.html': 'remote draft',
      '.DS_Store': 'remote finder',
      'sub/._other': 'remote fork',
      'stale.txt': 'stale',
    });
    const run = await viaProxy('push', source, bucket, { exclude: ['*.log', 'drafts/**'] });
    assert.deepEqual(run.result.plan.copies.map((c) => c.key).sort(), ['index.html', 'sub/page.html']);
    assert.deepEqual(
      run.result.plan.deletes.map((d) => d.key),
      ['stale.txt'],
    );
    assert.deepEqual(await listKeys(s3.client, bucket), [
      '.DS_Store',
      'drafts/old.html',
      'index.html',
      'server.log',
      'sub/._other',
      'sub/page.html',
    ]);
    assert.equal(await getText(s3.client, bucket, '.DS_Store'), 'remote finder');
    // Excluded keys are not even inspected.
    assert.deepEqual(
      proxy.log().filter((r) => /\.log$|drafts|DS_Store|\/\._/.test(r.key)),
      [],
    );
  });

  it('a pattern that names a folder excludes everything under it, on both sides', async () => {
    // The local scan skips a folder whose name matches; the bucket listing must
    // skip the keys below it too, or a push deletes them and a pull re-downloads them.
    const source = await tempDir();
    await writeTree(source, { 'index.html': 'home', 'drafts/a.html': 'local draft', '._meta/x': 'fork folder' });
    const bucket = await s3.bucket();
    await seed(s3.client, bucket, { 'drafts/b.html': 'remote draft', '._meta/y': 'remote fork folder' });
    const pushed = await copy(s3, 'push', source, bucket, { exclude: ['drafts'] });
    assert.deepEqual(pushed.result.plan.deletes, []);
    assert.deepEqual(await listKeys(s3.client, bucket), ['._meta/y', 'drafts/b.html', 'index.html']);

    const pulled = await copy(s3, 'pull', source, bucket, { exclude: ['drafts'] });
    assert.deepEqual(pulled.result.plan.copies, []);
    assert.deepEqual(pulled.result.plan.deletes, []);
    assert.deepEqual(await diskState(source), {
      '._meta/': 'folder',
      '._meta/x': `md5 ${md5('fork folder')}`,
      'drafts/': 'folder',
      'drafts/a.html': `md5 ${md5('local draft')}`,
      'index.html': `md5 ${md5('home')}`,
    });
  });

  it('pull neither downloads nor deletes excluded keys', async () => {
    const mirror = await tempDir();
    await writeTree(mirror, {
      'local.log': 'keep me',
      'drafts/mine.html': 'keep me too',
      '.DS_Store': 'local finder',
      'stale.txt': 'stale',
    });
    const bucket = await s3.bucket();
    await seed(s3.client, bucket, {
      'index.html': 'home',
      'notes.log': 'remote log',
      'drafts/a.html': 'remote draft',
      '.DS_Store': 'remote finder',
      '._index.html': 'remote fork',
    });
    const run = await viaProxy('pull', mirror, bucket, { exclude: ['*.log', 'drafts/**'] });
    assert.deepEqual(
      run.result.plan.copies.map((c) => c.key),
      ['index.html'],
    );
    assert.deepEqual(
      run.result.plan.deletes.map((d) => d.key),
      ['stale.txt'],
    );
    assert.equal(proxy.counts().GET, 1);
    assert.deepEqual(await diskState(mirror), {
      '.DS_Store': `md5 ${md5('local finder')}`,
      'drafts/': 'folder',
      'drafts/mine.html': `md5 ${md5('keep me too')}`,
      'index.html': `md5 ${md5('home')}`,
      'local.log': `md5 ${md5('keep me')}`,
    });
  });
});
