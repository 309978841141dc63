/**
 * Warms s3rver and the proxy before anything is timed. Both run on V8, whose
 * JIT needs a few thousand requests to compile their hot paths; without this,
 * whichever tool runs first pays for it (measured here: the first of three
 * identical pushes into a fresh s3rver took 5.2 s on average, the next two
 * 4.3 s). Uses the SDK directly, so no tool under test gets any head start.
 */
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PART_SIZE } from '../src/local/digest.ts';
import { forEachBounded } from '../src/model/pool.ts';
import { TEST_CREDENTIALS } from '../support/s3-server.ts';

const OBJECTS = 1500;
const CONCURRENCY = 16;

export async function warmUp(endpoint: string, bucket: string): Promise<void> {
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: TEST_CREDENTIALS });
  const objects = Array.from({ length: OBJECTS }, (_, i) => ({ i, Key: `warm/${i % 10}/object-${i}.html` }));
  try {
    await forEachBounded(objects, CONCURRENCY, async ({ i, Key }) => {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key,
          Body: Buffer.alloc(300 + ((i * 7919) % 30_000), i % 251),
          ContentType: 'text/html',
          Metadata: { md5: 'warm-up' },
        }),
      );
    });
    await new Upload({
      client,
      params: { Bucket: bucket, Key: 'warm/large.bin', Body: Buffer.alloc(12 * 2 ** 20, 1) },
      partSize: PART_SIZE,
    }).done();
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      token = page.NextContinuationToken;
    } while (token);
    await forEachBounded(objects, CONCURRENCY, async ({ i, Key }) => {
      if (i % 50 === 0) await client.send(new HeadObjectCommand({ Bucket: bucket, Key }));
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
      await object.Body?.transformToByteArray();
    });
    const all = [...objects.map(({ Key }) => Key), 'warm/large.bin'];
    for (let start = 0; start < all.length; start += 1000) {
      await client.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: all.slice(start, start + 1000).map((Key) => ({ Key })) },
        }),
      );
    }
  } finally {
    client.destroy();
  }
}
