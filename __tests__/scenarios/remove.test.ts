// direction: remove, the clean-up of a pull-request preview: every object
// under the prefix goes, and nothing outside it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RefusedError, RequestLimitError } from '../../src/model/errors.js';
import { remove as removeJob } from '../../src/sync/remove.js';
import { silentReporter } from '../../src/model/reporter.js';
import { RequestBudget } from '../../src/bucket/budget.js';
import { excludeMatcher } from '../../src/settings/rules.js';
import { runAction } from '../../support/run-action.js';
import { actionClient, listKeys, putObject, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';

const s3 = useS3();

async function bucketWithPreviews(): Promise<string> {
  const bucket = await s3.bucket();
  for (const key of ['index.html', 'pr-12', 'pr-12/index.html', 'pr-12/docs/a.html', 'pr-12/', 'pr-123/index.html']) {
    await putObject(s3.client, bucket, key, key.endsWith('/') ? '' : 'x');
  }
  return bucket;
}

function remove(bucket: string, prefix: string, budget = new RequestBudget(1_000_000)) {
  const client = actionClient(s3.server.endpoint);
  budget.attachTo(client);
  return removeJob(
    { remote: { client, bucket, prefix }, isExcluded: excludeMatcher([]), maxDelete: undefined, dryRun: false },
    { budget, concurrency: 8, reporter: silentReporter },
  ).finally(() => client.destroy());
}

describe('direction: remove', () => {
  it('removes exactly the prefix: pr-12 never touches pr-123/ or a key named pr-12', async () => {
    const bucket = await bucketWithPreviews();
    const result = await remove(bucket, 'pr-12');
    assert.equal(result.failure, undefined);
    assert.deepEqual(result.outcome.deleted.map((removal) => removal.key).sort(), ['', 'docs/a.html', 'index.html']);
    assert.deepEqual(await listKeys(s3.client, bucket), ['index.html', 'pr-12', 'pr-123/index.html']);
  });

  it('refuses an empty prefix, which would be the whole bucket, and sends nothing', async () => {
    const bucket = await bucketWithPreviews();
    const budget = new RequestBudget(1_000_000);
    await assert.rejects(
      remove(bucket, '', budget),
      (error) =>
        error instanceof RefusedError &&
        new RegExp(`prefix is empty, which would be all of s3://${bucket}/\\. Nothing`).test(error.message),
    );
    assert.equal(budget.used, 0);
    assert.equal((await listKeys(s3.client, bucket)).length, 6);
  });

  it('respects the request budget before it deletes anything', async () => {
    const bucket = await bucketWithPreviews();
    await assert.rejects(remove(bucket, 'pr-12', new RequestBudget(1)), RequestLimitError);
    assert.equal((await listKeys(s3.client, bucket)).length, 6);
  });

  it('from the bundled action: needs no directory, and reports what it removed', async () => {
    const bucket = await bucketWithPreviews();
    const run = await runAction(
      await tempDir(),
      { direction: 'remove', bucket, prefix: 'pr-12' },
      { endpoint: s3.server.endpoint },
    );
    assert.equal(run.status, 0, run.stdout);
    assert.equal(run.outputs.deleted, '3');
    assert.deepEqual((JSON.parse(run.outputs['changed-keys'] ?? '') as string[]).sort(), [
      '',
      'docs/a.html',
      'index.html',
    ]);
    assert.match(run.summary, /<h2>s3-force-copy remove<\/h2>/);
    assert.match(run.summary, new RegExp(`every object under <code>s3://${bucket}/pr-12/</code>`));
  });
});
