// Deploy history: the bundled action against moto (a versioned bucket, as rollback needs).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { motoAvailability } from '../../support/moto.js';
import { runAction } from '../../support/run-action.js';
import { useMotoS3 } from '../helpers/moto-s3.js';
import { getText, listKeys } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree, type TreeSpec } from '../helpers/tree.js';

const RUNNER = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '42', GITHUB_ACTOR: 'octocat' };
const ID = /^\d{8}T\d{9}Z-0123456$/;

describe('deploy history', motoAvailability(), () => {
  const store = useMotoS3();
  const push = (workspace: string, bucket: string, inputs: Record<string, string> = {}) =>
    runAction(
      workspace,
      { direction: 'push', directory: 'site', bucket, prefix: 'live', ...inputs },
      { endpoint: store.moto.url, env: RUNNER },
    );
  const records = async (bucket: string) =>
    (await listKeys(store.client, bucket)).filter((key) => key.startsWith('live/.s3-force-copy/deploys/'));

  async function site(tree: TreeSpec): Promise<string> {
    const workspace = await tempDir('deploys');
    await writeTree(path.join(workspace, 'site'), tree);
    return workspace;
  }

  it('a changing push records a deploy: id, commit, run, actor, counts and hashed keys; a no-op none', async () => {
    const workspace = await site({ 'index.html': 'v1', 'about.html': 'about', 'old.html': { link: 'index.html' } });
    const bucket = await store.bucket({ versioned: true });
    const first = await push(workspace, bucket);
    assert.equal(first.status, 0, first.stdout);
    const id = first.outputs['deploy-id'] ?? '';
    assert.match(id, ID);
    assert.deepEqual(await records(bucket), [`live/.s3-force-copy/deploys/${id}.json`]);
    const text = await getText(store.client, bucket, `live/.s3-force-copy/deploys/${id}.json`);
    const record = JSON.parse(text) as Record<string, unknown>;
    assert.equal(record.id, id);
    assert.equal(record.commit, '0123456789abcdef0123456789abcdef01234567');
    assert.equal(record.run, 'https://github.com/octo/site/actions/runs/42');
    assert.equal(record.actor, 'octocat');
    assert.deepEqual(record.counts, { uploaded: 2, redirected: 1, updated: 0, deleted: 0, objects: 3 });
    assert.equal(Object.keys(record.objects as object).length, 3);
    for (const name of ['index.html', 'about.html', 'old.html']) assert.ok(!text.includes(name), `no ${name}`);
    assert.match(first.summary, new RegExp(`Deploy <code>${id}</code> recorded\\. It is the first on record`));

    const noop = await push(workspace, bucket);
    assert.equal(noop.status, 0, noop.stdout);
    assert.equal(noop.outputs['deploy-id'], '');
    assert.equal(noop.outputs.requests, '2', 'the LIST and the manifest’s GET, nothing more');
    assert.equal((await records(bucket)).length, 1);

    await writeTree(path.join(workspace, 'site'), { 'index.html': 'v2' });
    const second = await push(workspace, bucket);
    const next = second.outputs['deploy-id'] ?? '';
    assert.match(next, ID);
    assert.notEqual(next, id);
    assert.match(second.summary, new RegExp(`The one before: <code>${id}</code>`));
    assert.match(
      second.summary,
      new RegExp(`direction: rollback\\n {4}bucket: ${bucket}\\n {4}prefix: live\\n {4}deploy-id: ${id}`),
    );
    const secondRecord = JSON.parse(
      await getText(store.client, bucket, `live/.s3-force-copy/deploys/${next}.json`),
    ) as { previous: string };
    assert.equal(secondRecord.previous, id);
  });

  it('keeps the last keep-deploys records, removing older ones in one request', async () => {
    const workspace = await site({ 'index.html': 'v1' });
    const bucket = await store.bucket({ versioned: true });
    const ids: string[] = [];
    for (const version of ['v1', 'v2', 'v3']) {
      await writeTree(path.join(workspace, 'site'), { 'index.html': version });
      const run = await push(workspace, bucket, { 'keep-deploys': '2' });
      assert.equal(run.status, 0, run.stdout);
      ids.push(run.outputs['deploy-id'] ?? '');
      if (version === 'v3') {
        // LIST, GET, lease PUT, file PUT, manifest PUT, record PUT, trim POST, the lease's release PUT.
        assert.match(run.summary, /8 of 1,000,000 allowed \(1 LIST, 1 GET, 5 PUT, 1 POST\)/);
      }
    }
    assert.deepEqual(
      await records(bucket),
      ids.slice(1).map((id) => `live/.s3-force-copy/deploys/${id}.json`),
    );
  });
});
