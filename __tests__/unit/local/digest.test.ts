import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { digestFile, fileMd5, PART_SIZE } from '../../../src/local/digest.js';
import { tempDir } from '../../helpers/temp.js';

const md5 = (data: Buffer) => createHash('md5').update(data).digest();

describe('digestFile', () => {
  it('gives the md5, and no multipart ETag for a file of at most one part', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'f');
    await writeFile(file, 'abc');
    assert.deepEqual(await digestFile(file, 3, 3), { md5: '900150983cd24fb0d6963f7d28e17f72' });
  });

  it('predicts the multipart ETag S3 computes: md5 of the part md5s, dash, part count', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'f');
    const data = Buffer.from('0123456789abcdefghij'); // 20 bytes → parts of 8, 8, 4
    await writeFile(file, data);
    const parts = [data.subarray(0, 8), data.subarray(8, 16), data.subarray(16)];
    const expected =
      createHash('md5')
        .update(Buffer.concat(parts.map(md5)))
        .digest('hex') + '-3';
    const digest = await digestFile(file, data.length, 8);
    assert.equal(digest.md5, md5(data).toString('hex'));
    assert.equal(digest.multipartEtag, expected);
  });

  it('streams a file larger than its read buffer in parts that span chunks', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'f');
    const data = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    await writeFile(file, data);
    const partSize = 1024 * 1024 + 3;
    const parts: Buffer[] = [];
    for (let offset = 0; offset < data.length; offset += partSize)
      parts.push(md5(data.subarray(offset, offset + partSize)));
    const digest = await digestFile(file, data.length, partSize);
    assert.equal(
      digest.multipartEtag,
      `${createHash('md5').update(Buffer.concat(parts)).digest('hex')}-${parts.length}`,
    );
  });

  it('a streamed file of at most one part, or one whose size changed across a part boundary, gets its md5 alone', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'f');
    const data = Buffer.alloc(2 * 1024 * 1024 + 5, 3);
    await writeFile(file, data);
    const md5Hex = md5(data).toString('hex');
    assert.deepEqual(await digestFile(file, data.length, data.length), { md5: md5Hex });
    assert.deepEqual(await digestFile(file, 1024 * 1024 + 1, 2 * 1024 * 1024), { md5: md5Hex }, 'grew past a part');
    assert.deepEqual(await digestFile(file, 3 * 1024 * 1024, 2 * 1024 * 1024 + 5), { md5: md5Hex }, 'shrank to a part');
  });
});

describe('fileMd5', () => {
  it('gives the md5 of a file over a part, read in several chunks', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'f');
    const data = Buffer.alloc(PART_SIZE + 1024 * 1024 + 9, 5);
    data.write('start', 0);
    await writeFile(file, data);
    assert.equal(await fileMd5(file, data.length), md5(data).toString('hex'));
  });
});
