import { createHash, type Hash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { Transform } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { StoredForm } from '../model/entries.js';

/** Part size for multipart uploads; also used to predict their ETags. */
export const PART_SIZE = 8 * 1024 * 1024;

/**
 * Files up to this size are read in one synchronous call: a stream would read
 * them in one chunk anyway, and the thread-pool round trips cost several times
 * the read (docs/adr/0005-synchronous-small-file-io.md).
 */
export const SMALL_FILE = 1024 * 1024;

/** A pass-through stream that hashes (md5) and counts what flows through it. */
export function hashingStream(): { stream: Transform; md5: () => string; bytes: () => number } {
  const hash = createHash('md5');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  return { stream, md5: () => hash.digest('hex'), bytes: () => bytes };
}

/** The md5 of bytes in memory, as hex. */
function md5Hex(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

/**
 * The md5 of a small file, read in one synchronous call (SMALL_FILE). The file
 * thread uses it too (file-worker.ts), so there is one md5 of a file.
 */
export function smallFileMd5(filePath: string): string {
  return md5Hex(readFileSync(filePath));
}

export interface FileDigest {
  md5: string;
  /** The ETag S3 gives when the file is uploaded in PART_SIZE parts. */
  multipartEtag?: string;
}

/** The md5 alone, for a file whose md5 must be known before its upload starts. */
export async function fileMd5(filePath: string, size: number): Promise<string> {
  return (await digestFile(filePath, size, Number.POSITIVE_INFINITY)).md5;
}

/**
 * Streams the file once and computes both its md5 and the multipart ETag
 * (md5 of the concatenated part md5s, "-<parts>"), so an unchanged large file
 * can be recognised from the listing alone, without a HEAD.
 */
export async function digestFile(filePath: string, size: number, partSize: number = PART_SIZE): Promise<FileDigest> {
  if (size <= SMALL_FILE && size <= partSize) {
    return { md5: smallFileMd5(filePath) };
  }
  const whole = createHash('md5');
  // Parts are hashed only for a file lib-storage would split: one of at most
  // a part goes up as a single PutObject, whose ETag is its md5.
  const splits = size > partSize;
  const partDigests: Buffer[] = [];
  let part: Hash = createHash('md5');
  let partFill = 0;
  let total = 0;

  for await (const chunk of createReadStream(filePath, {
    highWaterMark: 1024 * 1024,
  }) as AsyncIterable<Buffer>) {
    whole.update(chunk);
    total += chunk.length;
    if (!splits) continue;
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(partSize - partFill, chunk.length - offset);
      part.update(chunk.subarray(offset, offset + take));
      partFill += take;
      offset += take;
      if (partFill === partSize) {
        partDigests.push(part.digest());
        part = createHash('md5');
        partFill = 0;
      }
    }
  }
  if (partFill > 0) partDigests.push(part.digest());

  const md5 = whole.digest('hex');
  // A file whose size changed across a part boundary since the scan gets no
  // ETag prediction; a HEAD decides instead.
  if (!splits || total <= partSize) return { md5 };
  const combined = createHash('md5').update(Buffer.concat(partDigests)).digest('hex');
  return { md5, multipartEtag: `${combined}-${partDigests.length}` };
}

/** Files stored gzip-compressed are compressed whole in memory; larger ones are stored as they are. */
export const GZIP_MAX_BYTES = 64 * 1024 * 1024;

/** The gzip header's OS byte: zlib writes the platform's (10 on Windows), this makes it the same everywhere. */
const GZIP_OS_UNIX = 3;

/**
 * Deterministic gzip: a fixed level, no name, mtime 0 and one OS byte, so the
 * same file makes the same bytes with the same zlib, and its ETag (the md5 of
 * those bytes) settles the comparison from the listing alone. Another zlib
 * build may compress otherwise; the manifest's md5 then decides.
 */
export function gzipBytes(data: Uint8Array): Buffer {
  const compressed = gzipSync(data, { level: 9 });
  compressed[9] = GZIP_OS_UNIX;
  return compressed;
}

/** The md5 of a file, and the size and md5 of its gzip-compressed form as the bucket would hold it. */
export function digestGzipped(filePath: string): FileDigest & { stored: StoredForm } {
  const data = readFileSync(filePath);
  const compressed = gzipBytes(data);
  return {
    md5: md5Hex(data),
    stored: { size: compressed.length, md5: md5Hex(compressed), encoding: 'gzip' },
  };
}
