/**
 * A stand-in for S3 at a scale s3rver cannot store here: a million objects
 * whose keys, sizes and ETags come from a deterministic generator, served
 * from memory. It answers what a no-op run or a dry run sends: ListObjectsV2
 * (Prefix, Delimiter, StartAfter, ContinuationToken, MaxKeys), HEAD of any
 * object (md5 metadata included), GET of generated objects, and PUT, whose
 * bodies it keeps (the deploy manifest) and serves back on GET.
 *
 * What it leaves out, so what its figures do not show: no signature check,
 * no DeleteObjects or multipart upload, no redirect objects, keys in ASCII
 * only (so JavaScript order is S3's), and no cost of its own that grows with
 * the bucket. Latency is the proxy's job (support/s3-proxy.ts).
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export type GeneratedLayout = 'folders' | 'flat';

export interface GeneratedObject {
  key: string;
  body: Buffer;
}

/** Every `EMPTY_EVERY`-th object is empty, as `.keep` files are: those are the ones a run without a manifest HEADs. */
const EMPTY_EVERY = 500;
const LAST_MODIFIED = '2026-11-01T00:00:00.000Z';

/**
 * The generated objects' keys, in S3's order. `folders`: 40 top folders of
 * 25 subfolders each, files spread across them, and one file in 100 at the
 * root; `flat`: every file in one folder.
 */
export function generatedKeys(count: number, layout: GeneratedLayout): string[] {
  const keys: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const name = `page-${String(i).padStart(7, '0')}.html`;
    if (layout === 'flat') keys.push(`all/${name}`);
    else if (i % 100 === 99) keys.push(name);
    else
      keys.push(
        `section-${String(i % 40).padStart(2, '0')}/part-${String(Math.floor(i / 40) % 25).padStart(2, '0')}/${name}`,
      );
  }
  return keys.sort();
}

/** The generated object's bytes: small, and different for every key. */
export function generatedBody(key: string): Buffer {
  const index = Number(/page-(\d+)/.exec(key)?.[1] ?? 0);
  if (index % EMPTY_EVERY === EMPTY_EVERY - 1) return Buffer.alloc(0);
  return Buffer.from(`<p>${key}</p>\n`.repeat(1 + (index % 3)));
}

/** Writes the generated objects as local files under `root`, as a no-op run expects them. */
export async function writeGeneratedTree(root: string, keys: readonly string[]): Promise<void> {
  const folders = new Set(keys.map((key) => path.dirname(key)));
  for (const folder of folders) await mkdir(path.join(root, folder), { recursive: true });
  const batch = 256;
  for (let i = 0; i < keys.length; i += batch) {
    await Promise.all(keys.slice(i, i + batch).map((key) => writeFile(path.join(root, key), generatedBody(key))));
  }
}

export interface GeneratedBucket {
  endpoint: string;
  keys: readonly string[];
  stop: () => Promise<void>;
}

/**
 * Serves the generated objects, path-style on 127.0.0.1, under whatever
 * bucket name a request gives: one bucket per server.
 */
export async function startGeneratedBucket(count: number, layout: GeneratedLayout): Promise<GeneratedBucket> {
  const keys = generatedKeys(count, layout);
  const stored = new Map<string, Buffer>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        answer(request, Buffer.concat(chunks), response);
      } catch (error) {
        response.writeHead(500).end(String(error));
      }
    });
  });

  function answer(request: http.IncomingMessage, body: Buffer, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    if (key === '' && request.method === 'GET' && url.searchParams.get('list-type') === '2') {
      response.writeHead(200, { 'content-type': 'application/xml' }).end(listPage(bucket, url.searchParams));
      return;
    }
    if (key === '') {
      response.writeHead(200).end();
      return;
    }
    if (request.method === 'PUT') {
      const bytes = decodeAwsChunked(request.headers, body);
      if (!findKey(key)) keys.splice(lowerBound(key), 0, key);
      stored.set(key, bytes);
      response.writeHead(200, { etag: `"${md5(bytes)}"` }).end();
      return;
    }
    const object = findKey(key) ? bodyOf(key) : undefined;
    if (object === undefined) {
      response
        .writeHead(404, { 'content-type': 'application/xml' })
        .end(`<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`);
      return;
    }
    const headers = {
      'content-length': String(object.length),
      etag: `"${md5(object)}"`,
      'last-modified': new Date(LAST_MODIFIED).toUTCString(),
      'x-amz-meta-md5': md5(object),
    };
    if (request.method === 'HEAD') response.writeHead(200, headers).end();
    else response.writeHead(200, headers).end(object);
  }

  // The answer's part for each key, made once: the server must not be what a measurement waits on.
  const made = new Map<string, string>();
  function contentsOf(key: string): string {
    let part = stored.has(key) ? undefined : made.get(key);
    if (part === undefined) {
      const body = bodyOf(key);
      part =
        `<Contents><Key>${xml(key)}</Key><LastModified>${LAST_MODIFIED}</LastModified>` +
        `<ETag>&quot;${md5(body)}&quot;</ETag><Size>${body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      if (!stored.has(key)) made.set(key, part);
    }
    return part;
  }

  /** What a run stored under the key, else the generated object's bytes. */
  function bodyOf(key: string): Buffer {
    return stored.get(key) ?? generatedBody(key);
  }

  /** Whether `key` is a generated one (binary search in the sorted keys). */
  function findKey(key: string): boolean {
    const at = lowerBound(key);
    return keys[at] === key;
  }

  /** The index of the first key at or after `key`. */
  function lowerBound(key: string): number {
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((keys[middle] as string) < key) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  function listPage(bucket: string, query: URLSearchParams): string {
    const prefix = query.get('prefix') ?? '';
    const delimiter = query.get('delimiter') ?? '';
    const maxKeys = Math.min(Number(query.get('max-keys') ?? 1000), 1000);
    const token = query.get('continuation-token');
    const after = token ? Buffer.from(token, 'base64url').toString() : (query.get('start-after') ?? '');
    let at = after === '' ? lowerBound(prefix) : Math.max(lowerBound(prefix), lowerBound(after));
    if (keys[at] === after) at += 1;
    const contents: string[] = [];
    const commonPrefixes: string[] = [];
    let last = '';
    let truncated = false;
    while (at < keys.length) {
      const key = keys[at] as string;
      if (!key.startsWith(prefix)) break;
      if (contents.length + commonPrefixes.length === maxKeys) {
        truncated = true;
        break;
      }
      const cut = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length);
      if (cut !== -1) {
        const common = key.slice(0, cut + delimiter.length);
        commonPrefixes.push(`<CommonPrefixes><Prefix>${xml(common)}</Prefix></CommonPrefixes>`);
        // Past every key under it: the first at or after the next string after all of them.
        at = lowerBound(common + '\u{10ffff}');
        last = common;
        continue;
      }
      contents.push(contentsOf(key));
      last = key;
      at += 1;
    }
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
      `<Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix><MaxKeys>${maxKeys}</MaxKeys>` +
      (delimiter ? `<Delimiter>${xml(delimiter)}</Delimiter>` : '') +
      `<KeyCount>${contents.length + commonPrefixes.length}</KeyCount><IsTruncated>${truncated}</IsTruncated>` +
      (truncated ? `<NextContinuationToken>${Buffer.from(last).toString('base64url')}</NextContinuationToken>` : '') +
      contents.join('') +
      commonPrefixes.join('') +
      `</ListBucketResult>`
    );
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.keepAliveTimeout = 60_000;
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    keys,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function md5(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex');
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The payload of an `aws-chunked` body (the SDK's streaming checksum upload), or the body as it came. */
function decodeAwsChunked(headers: http.IncomingHttpHeaders, body: Buffer): Buffer {
  const encoding = String(headers['content-encoding'] ?? '');
  if (!encoding.includes('aws-chunked') && headers['x-amz-decoded-content-length'] === undefined) return body;
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd === -1) break;
    const size = Number.parseInt(body.subarray(at, lineEnd).toString().split(';')[0] ?? '0', 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
