import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markArchived } from '../../../src/bucket/archived.js';
import { remoteFile } from '../../../src/model/entries.js';

describe('markArchived', () => {
  it('marks GLACIER and DEEP_ARCHIVE only, restored where the listing says', () => {
    const entry = () => remoteFile(1, 'abc', undefined);
    assert.equal(markArchived(entry(), { StorageClass: 'STANDARD_IA' }).archived, undefined);
    assert.equal(markArchived(entry(), { StorageClass: 'GLACIER_IR' }).archived, undefined);
    assert.deepEqual(markArchived(entry(), { StorageClass: 'GLACIER' }).archived, {
      storageClass: 'GLACIER',
      restored: undefined,
    });
    const restored = { IsRestoreInProgress: false };
    assert.deepEqual(markArchived(entry(), { StorageClass: 'DEEP_ARCHIVE', RestoreStatus: restored }).archived, {
      storageClass: 'DEEP_ARCHIVE',
      restored: true,
    });
    const restoring = { StorageClass: 'GLACIER', RestoreStatus: { IsRestoreInProgress: true } };
    assert.equal(markArchived(entry(), restoring).archived?.restored, false);
  });
});
