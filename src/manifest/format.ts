import { hash } from 'node:crypto';
import { once } from 'node:events';
import { createGzip, gunzipSync } from 'node:zlib';

/**
 * The deploy manifest: what the bucket held under the prefix after the last
 * push that wrote it, kept beside the site. A run trusts an entry only where
 * the listing shows the very size and ETag it recorded and no write since the
 * manifest's own (a write that keeps the bytes, such as another tool changing
 * a redirect, keeps the ETag but not LastModified), so another tool's write
 * falls back to a HEAD, and a stale or foreign manifest costs nothing but its GET. Keys
 * are stored as hashes: a website serves the manifest to anyone, while the
 * listing is usually private.
 */
const MANIFEST_FORMAT = 's3-force-copy manifest';
const MANIFEST_VERSION = 1;

/** What the manifest knows of one object. */
export interface ManifestRecord {
  size: number;
  etag: string;
  /** The md5 of the content (of the original, for a file stored compressed). */
  md5?: string;
  /** WebsiteRedirectLocation, for a redirect object. */
  location?: string;
  /** headersFingerprint of what the object was written with. */
  headers?: string;
  encoding?: string;
  /**
   * The listed LastModified (ms) of an object the run found in place. Unknown
   * for what the run wrote itself (a PUT's answer does not say); the next
   * manifest written records it.
   */
  modified?: number;
}

export interface Manifest {
  prefix: string;
  /** By keyHash. */
  records: Map<string, ManifestRecord>;
  /** The manifest object's own LastModified (ms), from its GET: written after every object of its run. */
  modified?: number;
}

/** 96 bits of the SHA-256 of a key: no collision among a billion keys, and no name revealed. */
export function keyHash(key: string): string {
  // The one-shot hash: a Hash object per key was most of a 100,000-key trust.
  return hash('sha256', key, 'base64url').slice(0, 16);
}

/** md5 is 1 where it is the ETag itself, 0 where unknown. */
type Row = [
  hash: string,
  size: number,
  etag: string,
  md5?: string | 0 | 1,
  location?: string | 0,
  headers?: string | 0,
  encoding?: string | 0,
  modified?: number,
];

/**
 * gzip-compressed JSON, a row per object on a line of its own; an md5 equal
 * to the ETag is written as 1. The lines let encode and decode take one row
 * at a time: a million objects are 88 MB of JSON, which as one string and one
 * parsed tree took several times that at once. Any JSON reader still reads it.
 */
export async function encodeManifest(manifest: Manifest): Promise<Buffer> {
  const header = JSON.stringify({ format: MANIFEST_FORMAT, version: MANIFEST_VERSION, prefix: manifest.prefix });
  const gzip = createGzip({ level: 6 });
  const compressed: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => compressed.push(chunk));
  const done = once(gzip, 'end');
  let lines = `${header.slice(0, -1)},"objects":[`;
  let first = true;
  for (const [hash, record] of manifest.records) {
    lines += `${first ? '' : ','}\n${JSON.stringify(rowOf(hash, record))}`;
    first = false;
    if (lines.length >= ENCODE_CHUNK) {
      if (!gzip.write(lines)) await once(gzip, 'drain');
      lines = '';
    }
  }
  gzip.end(`${lines}\n]}`);
  await done;
  return Buffer.concat(compressed);
}

/** Characters of JSON handed to gzip at a time. */
const ENCODE_CHUNK = 1 << 16;

function rowOf(hash: string, record: ManifestRecord): Row {
  const row: Row = [hash, record.size, record.etag];
  const optional: (string | number | undefined)[] = [
    record.md5 === record.etag ? 1 : record.md5,
    record.location,
    record.headers,
    record.encoding,
    record.modified,
  ];
  let last = optional.length - 1;
  while (last >= 0 && optional[last] === undefined) last -= 1;
  for (let i = 0; i <= last; i += 1) row.push(optional[i] ?? 0);
  return row;
}

/** The manifest, or why it is ignored (corrupt, another format or version, another prefix). */
export function decodeManifest(bytes: Uint8Array, prefix: string): Manifest | { ignored: string } {
  let json: Buffer;
  try {
    json = gunzipSync(bytes);
  } catch {
    return { ignored: 'it is not a gzip-compressed JSON document' };
  }
  const rows = rowLines(json);
  let body: { format?: unknown; version?: unknown; prefix?: unknown; objects?: unknown };
  try {
    body = JSON.parse(rows === undefined ? json.toString('utf8') : rows.header) as typeof body;
  } catch {
    return { ignored: 'it is not a gzip-compressed JSON document' };
  }
  if (body.format !== MANIFEST_FORMAT) return { ignored: 'it is not an s3-force-copy manifest' };
  if (body.version !== MANIFEST_VERSION)
    return { ignored: `it is version ${String(body.version)}, not ${MANIFEST_VERSION}` };
  if (body.prefix !== prefix) return { ignored: `it describes the prefix "${String(body.prefix)}"` };
  if (rows === undefined && !Array.isArray(body.objects)) return { ignored: 'it lists no objects' };
  const records = new Map<string, ManifestRecord>();
  try {
    for (const row of rows?.objects ?? (body.objects as unknown[])) {
      const record = recordOfRow(row);
      if (record === undefined) return { ignored: 'an entry is malformed' };
      records.set(record[0], record[1]);
    }
  } catch {
    return { ignored: 'an entry is malformed' };
  }
  return { prefix, records };
}

/**
 * The document as encodeManifest lays it out: the header object (without
 * its rows) and the rows, parsed one line at a time. Undefined for any
 * other layout, which is then parsed whole.
 */
function rowLines(json: Buffer): { header: string; objects: Iterable<unknown> } | undefined {
  const opening = ',"objects":[';
  const firstEnd = json.indexOf(0x0a);
  if (firstEnd === -1 || !json.toString('utf8', firstEnd - opening.length, firstEnd).endsWith(opening))
    return undefined;
  const header = `${json.toString('utf8', 0, firstEnd - opening.length)}}`;
  function* objects(): Generator<unknown> {
    let start = firstEnd + 1;
    for (;;) {
      const end = json.indexOf(0x0a, start);
      if (end === -1) {
        if (json.toString('utf8', start).trim() !== ']}') throw new Error('the manifest ends early');
        return;
      }
      const line = json.toString('utf8', start, json[end - 1] === 0x2c ? end - 1 : end);
      yield JSON.parse(line) as unknown;
      start = end + 1;
    }
  }
  return { header, objects: objects() };
}

function recordOfRow(row: unknown): [string, ManifestRecord] | undefined {
  if (!Array.isArray(row) || typeof row[0] !== 'string' || typeof row[1] !== 'number' || typeof row[2] !== 'string') {
    return undefined;
  }
  const [hash, size, etag, md5, location, headers, encoding, modified] = row as Row;
  const record = newRecord(
    size,
    etag,
    typeof md5 === 'string' ? md5 : md5 === 1 ? etag : undefined,
    typeof modified === 'number' && modified > 0 ? modified : undefined,
  );
  if (typeof location === 'string') record.location = location;
  if (typeof headers === 'string') record.headers = headers;
  if (typeof encoding === 'string') record.encoding = encoding;
  return [hash, record];
}

/**
 * A record with the fields nearly every one has, in one literal: a field
 * added later would give each of a million records a property array.
 */
function newRecord(size: number, etag: string, md5: string | undefined, modified: number | undefined): ManifestRecord {
  if (md5 !== undefined && modified !== undefined) return { size, etag, md5, modified };
  if (md5 !== undefined) return { size, etag, md5 };
  if (modified !== undefined) return { size, etag, modified };
  return { size, etag };
}
