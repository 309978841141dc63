// listRemote (src/bucket/list.ts) against a mocked S3Client: paging that
// only a mock can arrange.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { listRemote } from '../../../src/bucket/list.js';
import { useMockedS3 } from '../../helpers/s3-mock.js';

const BUCKET = 'bucket';
const { client, mock: s3 } = useMockedS3();

describe('listing that the run no longer needs', () => {
  it('asks for no further page once the run has stopped it', async () => {
    const stop = new AbortController();
    s3.on(ListObjectsV2Command)
      .callsFakeOnce(() => {
        stop.abort(); // the scan failed while this page was on the wire
        return { Contents: [{ Key: 'a.txt', Size: 1, ETag: '"x"' }], IsTruncated: true, NextContinuationToken: 'next' };
      })
      .resolves({ Contents: [{ Key: 'b.txt', Size: 1, ETag: '"y"' }], IsTruncated: false });
    await assert.rejects(listRemote({ client, bucket: BUCKET, prefix: '' }, () => false, stop.signal));
    assert.equal(s3.commandCalls(ListObjectsV2Command).length, 1);
  });
});

describe('a listing that cannot go on', () => {
  it('fails rather than stop early when a truncated page has no continuation token', async () => {
    // Stopping there would make the rest of the bucket look absent, and a pull delete it locally.
    s3.on(ListObjectsV2Command).resolves({
      Contents: [{ Key: 'site/a.txt', Size: 1, ETag: '"x"' }],
      IsTruncated: true,
    });
    await assert.rejects(
      listRemote({ client, bucket: BUCKET, prefix: 'site' }, () => false),
      /^Error: Listing s3:\/\/bucket\/site came back truncated without a continuation token$/,
    );
    assert.equal(s3.commandCalls(ListObjectsV2Command).length, 1);
  });
});
