// The benchmark's generated bucket must list as S3 does, or its figures mean nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { listRemote, newListStats } from '../../../src/bucket/list.js';
import { generatedKeys, startGeneratedBucket, type GeneratedBucket } from '../../../support/generated-bucket.js';
import { makeClient } from '../../helpers/s3.js';

describe('the generated bucket', () => {
  let bucket: GeneratedBucket;
  before(async () => {
    bucket = await startGeneratedBucket(5_000, 'folders');
  });
  after(() => bucket.stop());

  it('lists its generated keys, flat and partitioned, with either page reader', async () => {
    for (const sdkListReader of [false, true]) {
      const client = makeClient(bucket.endpoint, { sdkListReader });
      const location = { client, bucket: 'generated', prefix: '' };
      const flat = await listRemote(location, () => false, undefined, { maxPartitions: 1 });
      assert.deepEqual([...flat.keys()], generatedKeys(5_000, 'folders'));
      const stats = newListStats();
      const partitioned = await listRemote(location, () => false, undefined, { flatPages: 1, stats });
      assert.deepEqual([...partitioned], [...flat]);
      assert.ok(stats.partitions > 1 && stats.discoveryLists > 0 && !stats.fellBack);
      client.destroy();
    }
  });

  it('answers a delimiter LIST with its folders, a HEAD with the md5 metadata, and keeps what is PUT', async () => {
    const client = makeClient(bucket.endpoint);
    const root = await client.send(new ListObjectsV2Command({ Bucket: 'generated', Delimiter: '/' }));
    assert.equal(root.CommonPrefixes?.length, 40);
    assert.equal(root.Contents?.length, 50);
    const empty = await client.send(new HeadObjectCommand({ Bucket: 'generated', Key: 'page-0000499.html' }));
    assert.equal(empty.ContentLength, 0);
    assert.equal(empty.Metadata?.md5, 'd41d8cd98f00b204e9800998ecf8427e');
    await client.send(new PutObjectCommand({ Bucket: 'generated', Key: '.kept/x.json', Body: 'kept' }));
    const got = await client.send(new GetObjectCommand({ Bucket: 'generated', Key: '.kept/x.json' }));
    assert.equal(await got.Body?.transformToString(), 'kept');
    const listed = await listRemote({ client, bucket: 'generated', prefix: '' }, () => false);
    assert.equal(listed.size, 5_001);
    assert.equal([...listed.keys()][0], '.kept/x.json');
    client.destroy();
  });
});
