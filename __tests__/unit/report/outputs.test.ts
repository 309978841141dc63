import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changedKeys, changesOf, countsOf, destinationState } from '../../../src/report/outputs.js';
import { pushResult } from '../../helpers/results.js';

describe('countsOf', () => {
  it('gives the work done, named as the outputs are, and every warning printed', () => {
    // One skipped entry, and two warnings that name no entry (CloudFront's, the comment's).
    const counts = countsOf(pushResult({ copied: 3, redirected: 1, deleted: 2 }), 9, 3);
    assert.deepEqual(counts, {
      uploaded: 3,
      downloaded: 0,
      redirected: 1,
      updated: 0,
      skipped: 1,
      deleted: 2,
      warnings: 3,
      requests: 9,
      bytes: 125,
    });
  });

  it('on a dry run gives the planned numbers, so a workflow can gate on them', () => {
    const counts = countsOf(pushResult({}, { dryRun: true }), 2, 0);
    assert.deepEqual([counts.uploaded, counts.redirected, counts.deleted, counts.bytes], [3, 1, 2, 125]);
  });

  it('on a failed run gives only what was done', () => {
    const counts = countsOf(pushResult({ copied: 2 }, { failure: new Error('refused') }), 4, 0);
    assert.deepEqual([counts.uploaded, counts.redirected, counts.deleted, counts.bytes], [2, 0, 0, 120]);
  });

  it('counts a pull as downloads, not uploads', () => {
    const counts = countsOf({ ...pushResult({ copied: 3 }), direction: 'pull' }, 1, 0);
    assert.deepEqual([counts.uploaded, counts.downloaded], [0, 3]);
  });
});

describe('changesOf and changed-keys', () => {
  it('lists the done work only, in the plan order, after a failure', () => {
    const result = pushResult({ copied: 2 }, { failure: new Error('refused') });
    // Transfers finish in any order; the list keeps the plan's.
    result.outcome.copied.reverse();
    assert.deepEqual(changedKeys(changesOf(result)), ['a.css', 'b.js']);
  });

  it('lists the plan on a dry run, and names each action', () => {
    const changes = changesOf(pushResult({}, { dryRun: true }));
    assert.deepEqual(
      changes.map((change) => `${change.action} ${change.key}`),
      [
        'uploaded a.css',
        'uploaded b.js',
        'uploaded index.html',
        'redirected latest.html',
        'deleted old-1.html',
        'deleted old-2.html',
      ],
    );
  });

  it('caps changed-keys at 1000', () => {
    const many = Array.from({ length: 1500 }, (_, i) => ({ key: `k${i}`, action: 'deleted' as const, reason: '' }));
    assert.equal(changedKeys(many).length, 1000);
  });
});

describe('destinationState', () => {
  it('says how far a failed push got and what to do', () => {
    assert.equal(
      destinationState(pushResult({ copied: 2 })),
      'uploaded 2 of 3 files; wrote 0 of 1 redirect; nothing was deleted; re-run to finish (a re-run sends only what is still missing)',
    );
  });

  it('says when nothing was changed at all', () => {
    assert.match(destinationState(pushResult()), /^nothing was changed; uploaded 0 of 3 files/);
  });

  it('speaks of downloads and symlinks on a pull', () => {
    const state = destinationState({ ...pushResult({ copied: 3, redirected: 1, deleted: 1 }), direction: 'pull' });
    assert.equal(
      state,
      'downloaded 3 of 3 files; made 1 of 1 symlink; deleted 1 of 2 files; re-run to finish (a re-run sends only what is still missing)',
    );
  });
});
