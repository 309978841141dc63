/**
 * DeleteObjects on S3-compatible stores: what the SDK puts on the wire, seen
 * by a fake HTTP handler, with and without the Content-MD5 fallback.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { DeleteObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import type { HttpRequest, HttpResponse } from '@smithy/types';
import { sendContentMd5OnDeleteObjects } from '../../../src/bucket/delete-md5.js';
import type { Settings } from '../../../src/settings/inputs.js';
import { createS3Client } from '../../../src/bucket/client.js';

function capturingClient(): { client: S3Client; requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://minio.fake.test',
    forcePathStyle: true,
    credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    requestHandler: {
      handle: async (request: HttpRequest): Promise<{ response: HttpResponse }> => {
        requests.push(request);
        return {
          response: { statusCode: 200, headers: {}, body: Readable.from([Buffer.from('<DeleteResult/>')]) },
        };
      },
    },
  });
  return { client, requests };
}

const deleteTwo = new DeleteObjectsCommand({
  Bucket: 'site',
  Delete: { Objects: [{ Key: 'a.html' }, { Key: 'b.html' }], Quiet: true },
});

const checksumHeaders = (request: HttpRequest) =>
  Object.keys(request.headers).filter((name) => /^x-amz-(sdk-)?checksum-/i.test(name));

describe('Content-MD5 on DeleteObjects', () => {
  it('the SDK alone sends a CRC32 and no Content-MD5, which such stores refuse', async () => {
    const { client, requests } = capturingClient();
    await client.send(deleteTwo);
    const [request] = requests;
    assert.ok(request);
    assert.equal(request.headers['content-md5'], undefined);
    assert.notDeepEqual(checksumHeaders(request), []);
  });

  it('with the fallback, sends the body md5 as Content-MD5 and no other checksum', async () => {
    const { client, requests } = capturingClient();
    sendContentMd5OnDeleteObjects(client);
    await client.send(deleteTwo);
    const [request] = requests;
    assert.ok(request);
    const expected = createHash('md5')
      .update(request.body as string)
      .digest('base64');
    assert.equal(request.headers['content-md5'], expected);
    assert.deepEqual(checksumHeaders(request), []);
    // Signed after the change, so the store can verify it.
    assert.match(request.headers.authorization ?? '', /SignedHeaders=[^,]*content-md5/);
  });

  it('is on for when-required checksums (custom endpoints by default) and off otherwise', () => {
    const settings = (checksums: Settings['checksums']) =>
      ({
        region: 'us-east-1',
        endpoint: 'http://minio.fake.test',
        forcePathStyle: true,
        concurrency: 4,
        checksums,
      }) as Settings;
    const names = (client: S3Client) => client.middlewareStack.identify().join(' ');
    assert.match(names(createS3Client(settings('when-required'))), /sendContentMd5OnDeleteObjects/);
    assert.doesNotMatch(names(createS3Client(settings('when-supported'))), /sendContentMd5OnDeleteObjects/);
  });
});
