import { sdkStreamMixin } from '@smithy/core/serde';
/**
 * The real forceCopy against a mocked S3Client (aws-sdk-client-mock), for
 * what s3rver cannot show: DeleteObjects answering with per-key errors,
 * AWS-style multipart ETags, KMS ETags that are not md5s, an object that
 * disappears between LIST and HEAD.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
  UploadPartCommand,
  type _Object,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { PART_SIZE } from '../../../src/local/digest.js';
import type { Direction } from '../../../src/model/direction.js';
import { silentReporter } from '../../../src/model/reporter.js';
import { tempDir } from '../../helpers/temp.js';
import { diskState } from '../../helpers/fs-state.js';
import { numberedFiles, writeTree } from '../../helpers/tree.js';
import { runJobOrThrow, type JobPieces } from '../../helpers/jobs.js';
import { md5 } from '../../helpers/md5.js';
import { useMockedS3 } from '../../helpers/s3-mock.js';

const BUCKET = 'bucket';
const { client, mock: s3 } = useMockedS3();

/** The ETag S3 gives an object uploaded in parts of partSize: md5 of the part md5s, "-<parts>". */
function awsMultipartEtag(data: Buffer, partSize: number): string {
  const digests: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += partSize) {
    digests.push(
      createHash('md5')
        .update(data.subarray(offset, offset + partSize))
        .digest(),
    );
  }
  return `${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${digests.length}`;
}

function listing(objects: _Object[]) {
  s3.on(ListObjectsV2Command).resolves({ Contents: objects, IsTruncated: false, KeyCount: objects.length });
}

function object(key: string, data: string | Buffer, etag = md5(data)): _Object {
  return { Key: key, Size: Buffer.byteLength(data), ETag: `"${etag}"` };
}

function body(data: string | Buffer): GetObjectCommandOutput['Body'] {
  // What the SDK itself hands out: a Node stream with transformToByteArray and friends.
  return sdkStreamMixin(Readable.from([Buffer.from(data)]));
}

/** Lets multipart uploads through, recording each part's bytes. */
function acceptMultipart(): Buffer[] {
  const parts: Buffer[] = [];
  s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-1' });
  s3.on(UploadPartCommand).callsFake((input: { PartNumber: number; Body: Uint8Array }) => {
    parts[input.PartNumber - 1] = Buffer.from(input.Body);
    return { ETag: `"${md5(Buffer.from(input.Body))}"` };
  });
  s3.on(CompleteMultipartUploadCommand).resolves({});
  return parts;
}

function run(direction: Direction, root: string, overrides: Partial<JobPieces> = {}) {
  return runJobOrThrow({
    direction,
    root,
    remote: { client, bucket: BUCKET, prefix: '' },
    concurrency: 4,
    ...overrides,
  });
}

const calls = {
  head: () => s3.commandCalls(HeadObjectCommand).length,
  put: () => s3.commandCalls(PutObjectCommand).length,
  multipart: () => s3.commandCalls(CreateMultipartUploadCommand).length,
  get: () => s3.commandCalls(GetObjectCommand).length,
  deletes: () => s3.commandCalls(DeleteObjectsCommand).length,
};

describe('DeleteObjects answering with per-key errors', () => {
  it('fails the push and names the keys S3 refused', async () => {
    const root = await tempDir();
    await writeTree(root, { 'keep.txt': 'keep', 'new.txt': 'new' });
    listing([object('keep.txt', 'keep'), object('old/a.txt', 'a'), object('old/b#c.txt', 'bc')]);
    s3.on(PutObjectCommand).resolves({ ETag: `"${md5('new')}"` });
    s3.on(DeleteObjectsCommand).resolves({
      Deleted: [{ Key: 'old/b#c.txt' }],
      Errors: [{ Key: 'old/a.txt', Code: 'AccessDenied', Message: 'Access Denied' }],
    });

    await assert.rejects(run('push', root), {
      message: 'S3 refused to delete 1 of 2 objects: old/a.txt (AccessDenied: Access Denied)',
    });
    const [deleteCall] = s3.commandCalls(DeleteObjectsCommand);
    assert.deepEqual(deleteCall?.args[0].input.Delete, {
      Quiet: true,
      Objects: [{ Key: 'old/a.txt' }, { Key: 'old/b#c.txt' }],
    });
    assert.equal(calls.put(), 1, 'the upload happened before the deletes');
  });

  it('names ten keys and counts the rest, and sends no further batch', async () => {
    const root = await tempDir();
    await writeTree(root, { 'keep.txt': 'keep' });
    const extraneous = Array.from({ length: 1500 }, (_, i) => `site/old-${String(i).padStart(4, '0')}.txt`);
    listing([object('site/keep.txt', 'keep'), ...extraneous.map((key) => object(key, 'x'))]);
    s3.on(DeleteObjectsCommand).resolves({
      Errors: extraneous.slice(0, 12).map((key) => ({ Key: key, Code: 'InternalError', Message: 'try again' })),
    });

    const error = await run('push', root, { remote: { client, bucket: BUCKET, prefix: 'site' } }).then(
      () => assert.fail('the push should fail'),
      (thrown: Error) => thrown,
    );
    assert.match(error.message, /^S3 refused to delete 12 of 1,000 objects: /);
    for (const key of extraneous.slice(0, 10)) assert.ok(error.message.includes(`${key} (InternalError: try again)`));
    assert.ok(!error.message.includes(extraneous[10] as string));
    assert.match(error.message, /and 2 more$/);
    assert.equal(calls.deletes(), 1, 'the second batch of 500 is not sent after the first failed');
  });

  it('succeeds when DeleteObjects reports no errors', async () => {
    const root = await tempDir();
    await writeTree(root, { 'keep.txt': 'keep' });
    listing([object('keep.txt', 'keep'), object('gone.txt', 'gone')]);
    s3.on(DeleteObjectsCommand).resolves({ Deleted: [{ Key: 'gone.txt' }] });
    const result = await run('push', root);
    assert.equal(result.outcome.deleted.length, 1);
  });
});

describe('multipart ETags', () => {
  const big = randomBytes(PART_SIZE + 4096);
  const bigMd5 = md5(big);

  async function bigTree() {
    const root = await tempDir();
    await writeFile(path.join(root, 'big.bin'), big);
    return root;
  }

  it('an unchanged multipart file costs no HEAD and no upload on push', async () => {
    const root = await bigTree();
    listing([object('big.bin', big, awsMultipartEtag(big, PART_SIZE))]);
    const result = await run('push', root);
    assert.deepEqual(result.plan.unchanged, ['big.bin']);
    assert.deepEqual([calls.head(), calls.put(), calls.multipart()], [0, 0, 0]);
  });

  it('an unchanged multipart file costs no HEAD and no GET on pull', async () => {
    const root = await bigTree();
    listing([object('big.bin', big, awsMultipartEtag(big, PART_SIZE))]);
    const result = await run('pull', root);
    assert.deepEqual(result.plan.unchanged, ['big.bin']);
    assert.deepEqual([calls.head(), calls.get()], [0, 0]);
  });

  it('a multipart ETag from another part size costs one HEAD, and a matching md5 metadata means no upload', async () => {
    const root = await bigTree();
    listing([object('big.bin', big, awsMultipartEtag(big, 5 * 1024 * 1024))]);
    s3.on(HeadObjectCommand, { Key: 'big.bin' }).resolves({
      ContentLength: big.length,
      ETag: `"${awsMultipartEtag(big, 5 * 1024 * 1024)}"`,
      Metadata: { md5: bigMd5 },
    });
    const result = await run('push', root);
    assert.deepEqual(result.plan.unchanged, ['big.bin']);
    assert.deepEqual([calls.head(), calls.put(), calls.multipart()], [1, 0, 0]);
  });

  it('a multipart ETag that does not match, with a different md5 metadata, is uploaded in parts', async () => {
    const root = await bigTree();
    const other = randomBytes(big.length);
    listing([object('big.bin', other, awsMultipartEtag(other, PART_SIZE))]);
    s3.on(HeadObjectCommand, { Key: 'big.bin' }).resolves({
      ContentLength: other.length,
      Metadata: { md5: md5(other) },
    });
    const parts = acceptMultipart();

    const result = await run('push', root);
    assert.equal(result.outcome.copied.length, 1);
    assert.equal(calls.head(), 1);
    assert.equal(calls.put(), 0, 'no single PutObject for a file over the part size');
    const [create] = s3.commandCalls(CreateMultipartUploadCommand);
    assert.deepEqual(create?.args[0].input.Metadata, { md5: bigMd5 });
    assert.deepEqual(Buffer.concat(parts), big);
  });

  for (const size of [PART_SIZE + 1, 2 * PART_SIZE, 2 * PART_SIZE + 1]) {
    it(`the ETag predicted for ${size} bytes is the one lib-storage's parts produce`, async () => {
      const root = await tempDir();
      const data = randomBytes(size);
      await writeFile(path.join(root, 'data.bin'), data);
      listing([]);
      const parts = acceptMultipart();
      await run('push', root);
      assert.deepEqual(
        parts.map((part) => part.length),
        size > 2 * PART_SIZE
          ? [PART_SIZE, PART_SIZE, 1]
          : size === 2 * PART_SIZE
            ? [PART_SIZE, PART_SIZE]
            : [PART_SIZE, 1],
      );
      const uploadedEtag = `${md5(Buffer.concat(parts.map((part) => createHash('md5').update(part).digest())))}-${parts.length}`;

      s3.reset();
      s3.onAnyCommand().rejects(new Error('unexpected S3 command'));
      listing([{ Key: 'data.bin', Size: size, ETag: `"${uploadedEtag}"` }]);
      const again = await run('push', root);
      assert.deepEqual(again.plan.unchanged, ['data.bin']);
      assert.deepEqual([calls.head(), calls.put(), calls.multipart()], [0, 0, 0]);
    });
  }
});

describe('ETags that are not md5s (SSE-KMS, other tools)', () => {
  const KMS_ETAG = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

  it('push: a matching md5 metadata behind a different ETag means no upload', async () => {
    const root = await tempDir();
    await writeTree(root, { 'a.txt': 'content' });
    listing([object('a.txt', 'content', KMS_ETAG)]);
    s3.on(HeadObjectCommand, { Key: 'a.txt' }).resolves({
      ContentLength: 7,
      ETag: `"${KMS_ETAG}"`,
      Metadata: { md5: md5('content').toUpperCase() },
    });
    const result = await run('push', root);
    assert.deepEqual(result.plan.unchanged, ['a.txt']);
    assert.deepEqual([calls.head(), calls.put()], [1, 0]);
  });

  it('push: an object rclone wrote (its md5chksum metadata, its own part size) is not uploaded again', async () => {
    const root = await tempDir();
    await writeTree(root, { 'a.txt': 'content' });
    const rcloneEtag = `${md5('parts as rclone cut them')}-3`;
    listing([object('a.txt', 'content', rcloneEtag)]);
    s3.on(HeadObjectCommand, { Key: 'a.txt' }).resolves({
      ContentLength: 7,
      ETag: `"${rcloneEtag}"`,
      Metadata: { md5chksum: Buffer.from(md5('content'), 'hex').toString('base64') },
    });
    const result = await run('push', root);
    assert.deepEqual(result.plan.unchanged, ['a.txt']);
    assert.deepEqual([calls.head(), calls.put()], [1, 0]);
  });

  it('push: a different ETag and no md5 metadata means an upload with md5 metadata and Content-MD5', async () => {
    const root = await tempDir();
    await writeTree(root, { 'a.txt': 'content' });
    listing([object('a.txt', 'content', KMS_ETAG)]);
    s3.on(HeadObjectCommand, { Key: 'a.txt' }).resolves({ ContentLength: 7, ETag: `"${KMS_ETAG}"` });
    s3.on(PutObjectCommand).resolves({ ETag: `"${KMS_ETAG}"` });
    const result = await run('push', root);
    assert.deepEqual(
      result.plan.copies.map((copy) => [copy.key, copy.reason]),
      [['a.txt', 'md5 differs']],
    );
    const [put] = s3.commandCalls(PutObjectCommand);
    assert.deepEqual(put?.args[0].input.Metadata, { md5: md5('content') });
    assert.equal(put?.args[0].input.ContentMD5, createHash('md5').update('content').digest('base64'));
  });

  it('pull: a matching md5 metadata means no GET; without it the object is downloaded', async () => {
    const root = await tempDir();
    await writeTree(root, { 'same.txt': 'content', 'unknown.txt': 'content' });
    listing([object('same.txt', 'content', KMS_ETAG), object('unknown.txt', 'content', KMS_ETAG)]);
    s3.on(HeadObjectCommand, { Key: 'same.txt' }).resolves({ ContentLength: 7, Metadata: { md5: md5('content') } });
    s3.on(HeadObjectCommand, { Key: 'unknown.txt' }).resolves({ ContentLength: 7 });
    s3.on(GetObjectCommand, { Key: 'unknown.txt' }).callsFake(() => ({ Body: body('content'), ContentLength: 7 }));
    const result = await run('pull', root);
    assert.deepEqual(result.plan.unchanged, ['same.txt']);
    assert.equal(calls.head(), 2);
    assert.deepEqual(
      s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input.Key),
      ['unknown.txt'],
    );
    assert.equal(await readFile(path.join(root, 'unknown.txt'), 'utf8'), 'content');
  });

  it('an upper-case listed md5 still proves equality without a HEAD', async () => {
    const root = await tempDir();
    await writeTree(root, { 'a.txt': 'content' });
    listing([object('a.txt', 'content', md5('content').toUpperCase())]);
    const result = await run('push', root);
    assert.deepEqual(result.plan.unchanged, ['a.txt']);
    assert.equal(calls.head(), 0);
  });
});

describe('what only a mock can arrange', () => {
  const KMS_LIKE = 'ffffffffffffffffffffffffffffffff';

  it('an object that disappears between LIST and HEAD fails the run before any change', async () => {
    const root = await tempDir();
    await writeTree(root, { 'a.txt': 'new', 'b.txt': 'b' });
    listing([object('a.txt', 'old', KMS_LIKE), object('stale.txt', 'stale')]);
    s3.on(HeadObjectCommand).rejects(
      new S3ServiceException({ name: 'NotFound', $fault: 'client', $metadata: { httpStatusCode: 404 } }),
    );
    await assert.rejects(run('push', root), { name: 'NotFound' });
    assert.deepEqual([calls.put(), calls.deletes()], [0, 0]);
  });

  it('pull: an object with both a redirect and a body is downloaded as a file, with a warning', async () => {
    const root = await tempDir();
    listing([object('page.html', 'body')]);
    s3.on(GetObjectCommand).callsFake(() => ({
      Body: body('body'),
      ContentLength: 4,
      WebsiteRedirectLocation: '/other.html',
      Metadata: { md5: md5('body') },
    }));
    const result = await run('pull', root);
    assert.deepEqual(await diskState(root), { 'page.html': `md5 ${md5('body')}` });
    assert.deepEqual(result.warnings, [
      { key: 'page.html', message: 'Downloaded as a file: the object redirects to /other.html but has a body' },
    ]);
  });

  it('pull: a HEADed object with a redirect and a body is still a file, not a link', async () => {
    const root = await tempDir();
    // A local file of the same size with a different md5 makes the listing undecided, so the object is HEADed.
    await writeTree(root, { 'page.html': 'BODY' });
    listing([object('page.html', 'body', 'aa'.repeat(16))]);
    const described = { ContentLength: 4, WebsiteRedirectLocation: '/other.html', Metadata: { md5: md5('body') } };
    s3.on(HeadObjectCommand).resolves(described);
    s3.on(GetObjectCommand).callsFake(() => ({ ...described, Body: body('body') }));
    const result = await run('pull', root);
    assert.equal(calls.head(), 1);
    assert.deepEqual(await diskState(root), { 'page.html': `md5 ${md5('body')}` });
    assert.match(result.warnings[0]?.message ?? '', /^Downloaded as a file/);
  });

  it('pull: a body shorter than the listing said fails and keeps the old file', async () => {
    const root = await tempDir();
    await writeTree(root, { 'a.txt': 'old content' });
    listing([object('a.txt', 'new content!')]);
    // Its size differs from the local file's: a HEAD tells it is not that file stored compressed.
    s3.on(HeadObjectCommand, { Key: 'a.txt' }).resolves({ ContentLength: 12, ETag: `"${md5('new content!')}"` });
    s3.on(GetObjectCommand).callsFake(() => ({ Body: body('new'), ContentLength: 3 }));
    await assert.rejects(run('pull', root), /Downloaded a\.txt has 3 bytes where the listing said 12/);
    assert.deepEqual(await diskState(root), { 'a.txt': `md5 ${md5('old content')}` });
  });

  it('push: a large file that changes while it is uploaded fails the run before any delete', async () => {
    const root = await tempDir();
    const original = randomBytes(2 * PART_SIZE + 1024);
    await writeTree(root, { 'big.bin': original });
    listing([object('stale.txt', 'stale')]);
    acceptMultipart();
    // The file is rewritten (same size) after it was hashed, while its first
    // part is on the wire: the third part is read from the new bytes.
    let rewritten = false;
    s3.on(UploadPartCommand).callsFake(async (input: { PartNumber: number; Body: Uint8Array }) => {
      if (!rewritten) {
        rewritten = true;
        await writeFile(path.join(root, 'big.bin'), randomBytes(original.length));
      }
      return { ETag: `"${md5(Buffer.from(input.Body))}"` };
    });
    await assert.rejects(run('push', root), /big\.bin changed while it was uploaded/);
    assert.equal(calls.deletes(), 0);
  });

  const s3Error = (name: string, httpStatusCode: number) =>
    new S3ServiceException({ name, message: name, $fault: 'client', $metadata: { httpStatusCode } });
  const abortOutcomes: [name: string, abort: () => void, warned: RegExp | undefined][] = [
    ['succeeds', () => s3.on(AbortMultipartUploadCommand).resolves({}), undefined],
    // Already gone (an earlier attempt of the abort went through): nothing is left to bill.
    ['finds no upload', () => s3.on(AbortMultipartUploadCommand).rejects(s3Error('NoSuchUpload', 404)), undefined],
    [
      'is refused',
      () => s3.on(AbortMultipartUploadCommand).rejects(s3Error('AccessDenied', 403)),
      /^big\.bin: Could not abort its unfinished multipart upload \(AccessDenied\): .* upload upload-1 on s3:\/\/bucket\/big\.bin /,
    ],
  ];
  for (const [outcome, abort, warned] of abortOutcomes) {
    it(`push: a part S3 refuses aborts that upload; when the abort ${outcome}, the run fails with the refusal`, async () => {
      const root = await tempDir();
      await writeTree(root, { 'big.bin': randomBytes(PART_SIZE + 1024) });
      listing([object('stale.txt', 'stale')]);
      acceptMultipart();
      const refusal = s3Error('ExpiredToken', 400);
      s3.on(UploadPartCommand).rejects(refusal);
      abort();
      const warnings: string[] = [];
      await assert.rejects(
        run('push', root, {
          reporter: { ...silentReporter, warn: (key, message) => warnings.push(`${key}: ${message}`) },
        }),
        (error: Error) => error === refusal,
      );
      assert.deepEqual(
        s3.commandCalls(AbortMultipartUploadCommand).map((call) => call.args[0].input),
        [{ Bucket: BUCKET, Key: 'big.bin', UploadId: 'upload-1' }],
      );
      if (warned === undefined) assert.deepEqual(warnings, []);
      else assert.ok(warnings.length === 1 && warned.test(warnings[0] ?? ''), warnings.join('\n'));
      assert.equal(calls.deletes(), 0);
    });
  }

  it('push: files the bucket lacks are not hashed ahead, only as they are uploaded', async () => {
    const root = await tempDir();
    await writeTree(root, numberedFiles(50));
    listing([]);
    s3.on(PutObjectCommand).resolves({});
    const infos: string[] = [];
    await run('push', root, { reporter: { ...silentReporter, info: (message) => infos.push(message) } });
    assert.ok(infos.includes('hashed 0 local files, inspected 0 objects'), infos.join('\n'));
    assert.equal(calls.put(), 50);
    const sent = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    assert.ok(sent.every((input) => input.Metadata?.md5 === md5(Buffer.from(input.Body as Uint8Array))));
  });

  it('push: a small file rewritten after it was compared goes up with the md5 of the bytes sent', async () => {
    const root = await tempDir();
    await writeTree(root, { 'a.txt': 'version 1' });
    listing([object('a.txt', 'version 2')]);
    // The HEAD that settles the unproven ETag is where the file changes again.
    s3.on(HeadObjectCommand).callsFake(async () => {
      await writeFile(path.join(root, 'a.txt'), 'version 3');
      return { ContentLength: 9, Metadata: {} };
    });
    s3.on(PutObjectCommand).resolves({});
    await run('push', root);
    const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    assert.equal(Buffer.from(put?.Body as Uint8Array).toString(), 'version 3');
    assert.equal(put?.Metadata?.md5, md5('version 3'));
    assert.equal(put?.ContentMD5, createHash('md5').update('version 3').digest('base64'));
  });

  it('push: however high the concurrency, at most 4 multipart uploads are in flight', async () => {
    const root = await tempDir();
    const files = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`big-${i}.bin`, randomBytes(PART_SIZE + 1)]));
    await writeTree(root, files);
    listing([]);
    let open = 0;
    let most = 0;
    s3.on(CreateMultipartUploadCommand).callsFake(async () => {
      open += 1;
      most = Math.max(most, open);
      return { UploadId: 'upload' };
    });
    s3.on(UploadPartCommand).callsFake(async (input: { Body: Uint8Array }) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { ETag: `"${md5(Buffer.from(input.Body))}"` };
    });
    s3.on(CompleteMultipartUploadCommand).callsFake(async () => {
      open -= 1;
      return {};
    });
    const result = await run('push', root, { concurrency: 32 });
    assert.equal(result.outcome.copied.length, 7);
    // Never more than the 4 slots; more than 1 shows they do run side by side.
    assert.ok(most <= 4 && most > 1, `${most} multipart uploads were in flight at once`);
  });
});
