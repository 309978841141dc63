import { hash } from 'node:crypto';
import { once } from 'node:events';
import { createGzip, gunzipSync } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { tagged } from '../model/errors.js';
import type { Entry, FileEntry, Inventory } from '../model/entries.js';
import { withPrefix } from '../model/keys.js';
import type { Outcome } from '../model/outcome.js';
import type { Plan } from '../decide/plan.js';
import type { RemoteLocation } from '../bucket/list.js';

/**
 * The deploy manifest: what the bucket held under the prefix after the last
 * push that wrote it, kept beside the site. A run trusts an entry only where
 * the listing shows the very size and ETag it recorded (and LastModified,
 * once recorded: a write that keeps the bytes, such as another tool changing a
 * redirect, keeps the ETag but not that), so another tool's write falls back
 * to a HEAD, and a stale or foreign manifest costs nothing but its GET. Keys
 * are stored as hashes: a website serves the manifest to anyone, while the
 * listing is usually private.
 */
export const MANIFEST_FORMAT = 's3-force-copy manifest';
export const MANIFEST_VERSION = 1;

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

export type ManifestRead = { manifest: Manifest } | { manifest?: undefined; note: string };

/** One GET. Anything short of a readable manifest of this prefix is a note, never a failure. */
export async function readManifest(remote: RemoteLocation, manifestKey: string): Promise<ManifestRead> {
  const objectKey = withPrefix(remote.prefix, manifestKey);
  let bytes: Uint8Array;
  try {
    const response = await remote.client.send(new GetObjectCommand({ Bucket: remote.bucket, Key: objectKey }));
    bytes = (await response.Body?.transformToByteArray()) ?? new Uint8Array();
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NoSuchKey' || name === 'NotFound') return { note: `no manifest at ${objectKey} yet` };
    return { note: `the manifest at ${objectKey} could not be read (${name ?? String(error)})` };
  }
  const decoded = decodeManifest(bytes, remote.prefix);
  if ('ignored' in decoded) return { note: `the manifest at ${objectKey} is ignored: ${decoded.ignored}` };
  return { manifest: decoded };
}

/**
 * Fills in, from the manifest, what only a HEAD could say of a listed
 * object (its md5, that it is a redirect and where to, its headers), for
 * every object whose listed size and ETag are exactly those recorded.
 * Returns how many entries it trusted.
 */
export function trustManifest(remote: Inventory, manifest: Manifest): number {
  let trusted = 0;
  for (const [key, entry] of remote) {
    if (entry.kind !== 'file' || entry.inspected || entry.etag === undefined) continue;
    const record = manifest.records.get(keyHash(key));
    if (record === undefined || record.size !== entry.size || record.etag !== entry.etag) continue;
    if (record.modified !== undefined && record.modified !== entry.modified) continue;
    if (record.location !== undefined && entry.size === 0) {
      remote.set(key, {
        kind: 'redirect',
        location: record.location,
        etag: record.etag,
        ...(record.headers === undefined ? {} : { headers: record.headers }),
        ...(entry.modified === undefined ? {} : { modified: entry.modified }),
      });
    } else if (record.md5 !== undefined) {
      // A new entry with every field at once (see newRecord), whose md5 is the
      // listing's ETag string where they are equal, not the manifest's copy.
      const md5 = record.md5 === record.etag ? entry.etag : record.md5;
      const { size, etag, modified } = entry;
      const trustedEntry: FileEntry =
        modified === undefined
          ? { kind: 'file', size, etag, md5, inspected: true }
          : { kind: 'file', size, etag, modified, md5, inspected: true };
      if (record.encoding !== undefined) trustedEntry.encoding = record.encoding;
      if (record.headers !== undefined) trustedEntry.headers = record.headers;
      remote.set(key, trustedEntry);
    } else {
      continue;
    }
    trusted += 1;
  }
  return trusted;
}

/**
 * What the bucket holds under the prefix after a push that succeeded: the
 * listed objects it left alone, and what it wrote, with the ETags S3
 * returned for them. `fingerprint` gives the headers of a key written now.
 */
export function manifestAfterPush(
  prefix: string,
  plan: Plan,
  remote: Inventory,
  source: Inventory,
  outcome: Outcome,
  fingerprint: (key: string) => string,
): Manifest {
  const records = new Map<string, ManifestRecord>();
  const deleted = new Set(plan.deletes.map((removal) => removal.key));
  for (const [key, entry] of remote) {
    if (deleted.has(key)) continue;
    const record = recordOf(entry, source.get(key));
    if (record !== undefined) records.set(keyHash(key), record);
  }
  for (const [key, written] of outcome.written) {
    const record: ManifestRecord = { size: written.size, etag: written.etag, headers: fingerprint(key) };
    if (written.md5 !== undefined) record.md5 = written.md5;
    if (written.location !== undefined) record.location = written.location;
    if (written.encoding !== undefined) record.encoding = written.encoding;
    records.set(keyHash(key), record);
  }
  return { prefix, records };
}

/** A listed object as the manifest keeps it; its md5 from the HEAD, or the local file an unchanged one equals. */
function recordOf(entry: Entry, local: Entry | undefined): ManifestRecord | undefined {
  if (entry.kind === 'redirect') {
    if (entry.etag === undefined) return undefined;
    return {
      size: 0,
      etag: entry.etag,
      location: entry.location,
      ...(entry.headers === undefined ? {} : { headers: entry.headers }),
      ...(entry.modified === undefined ? {} : { modified: entry.modified }),
    };
  }
  if (entry.kind !== 'file' || entry.etag === undefined) return undefined;
  const record: ManifestRecord = { size: entry.size, etag: entry.etag };
  const md5 = entry.md5 ?? (local?.kind === 'file' ? local.md5 : undefined);
  if (md5 !== undefined) record.md5 = md5;
  if (entry.encoding !== undefined) record.encoding = entry.encoding;
  if (entry.headers !== undefined) record.headers = entry.headers;
  if (entry.modified !== undefined) record.modified = entry.modified;
  return record;
}

export async function writeManifest(remote: RemoteLocation, manifestKey: string, manifest: Manifest): Promise<void> {
  const body = await encodeManifest(manifest);
  const objectKey = withPrefix(remote.prefix, manifestKey);
  await tagged('upload', manifestKey, () =>
    remote.client.send(
      new PutObjectCommand({
        Bucket: remote.bucket,
        Key: objectKey,
        Body: body,
        ContentLength: body.length,
        ContentType: 'application/json',
        ContentEncoding: 'gzip',
        // Never served from a cache: a stale copy would only cost HEADs, but there is no reason for one.
        CacheControl: 'no-store',
      }),
    ),
  );
}
