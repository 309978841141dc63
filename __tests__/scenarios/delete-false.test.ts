// delete: false copies but deletes nothing, on either side.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diskState } from '../helpers/fs-state.js';
import { md5 } from '../helpers/md5.js';
import { useCountingProxy } from '../helpers/proxy.js';
import { copy, listKeys, seed, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree } from '../helpers/tree.js';

const s3 = useS3();
const proxy = useCountingProxy(s3);
const { viaProxy } = proxy;

describe('delete: false', () => {
  it('push uploads but deletes no object', async () => {
    const source = await tempDir();
    await writeTree(source, { 'a.txt': 'a' });
    const bucket = await s3.bucket();
    await seed(s3.client, bucket, { 'extra.txt': 'extra', 'deep/extra.html': 'extra' });
    const run = await viaProxy('push', source, bucket, { delete: false });
    assert.deepEqual(run.result.plan.deletes, []);
    assert.equal(run.result.outcome.deleted.length, 0);
    assert.equal(proxy.counts().POST + proxy.counts().DELETE, 0);
    assert.deepEqual(await listKeys(s3.client, bucket), ['a.txt', 'deep/extra.html', 'extra.txt']);
  });

  it('pull downloads but deletes no local file or folder', async () => {
    const bucket = await s3.bucket();
    await seed(s3.client, bucket, { 'a.txt': 'a' });
    const mirror = await tempDir();
    await writeTree(mirror, { 'extra.txt': 'extra', 'deep/extra.txt': 'extra', 'link.txt': { link: 'extra.txt' } });
    const run = await copy(s3, 'pull', mirror, bucket, { delete: false });
    assert.deepEqual(run.result.plan.deletes, []);
    assert.equal(run.result.outcome.deleted.length, 0);
    assert.deepEqual(await diskState(mirror), {
      'a.txt': `md5 ${md5('a')}`,
      'deep/': 'folder',
      'deep/extra.txt': `md5 ${md5('extra')}`,
      'extra.txt': `md5 ${md5('extra')}`,
      'link.txt': 'link -> extra.txt',
    });
  });
});
