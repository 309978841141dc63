import { createHash } from 'node:crypto';
import type { ObjectCannedACL, ServerSideEncryption, StorageClass } from '@aws-sdk/client-s3';

/**
 * Encryption, ACL and storage class, the same on every object a push writes;
 * a field left out keeps the bucket's default.
 */
export interface StorageSettings {
  ServerSideEncryption?: ServerSideEncryption;
  SSEKMSKeyId?: string;
  BucketKeyEnabled?: boolean;
  ACL?: ObjectCannedACL;
  StorageClass?: StorageClass;
}

/**
 * The headers and metadata an object is written with, named as the SDK names
 * them. The rules that choose them live with the settings; the core only
 * sends them, on files and redirect objects alike.
 */
export interface ObjectHeaders extends StorageSettings {
  ContentType: string;
  CacheControl?: string;
  ContentDisposition?: string;
  ContentLanguage?: string;
  ContentEncoding?: string;
  Expires?: Date;
  /** x-amz-meta-* with lower-case names; never `md5`, which the action writes itself. */
  Metadata: Record<string, string>;
}

export type HeadersFor = (key: string) => ObjectHeaders;

/** The rules' headers with the storage settings added: fingerprinted with them, so a changed setting is an update in place. */
export function withStorageSettings(headersFor: HeadersFor, storage: StorageSettings): HeadersFor {
  if (Object.keys(storage).length === 0) return headersFor;
  return (key) => ({ ...headersFor(key), ...storage });
}

/**
 * A short fingerprint of the headers and metadata an object is written with
 * (Content-Encoding included), equal for equal sets whatever their order.
 * The manifest keeps it, so a changed rule is seen without a HEAD.
 */
export function headersFingerprint(headers: ObjectHeaders, contentEncoding?: string): string {
  const { Metadata, Expires, ...rest } = headers;
  const fields: [string, string][] = Object.entries({
    ...rest,
    ...(contentEncoding === undefined ? {} : { ContentEncoding: contentEncoding }),
  })
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => [name, String(value)]);
  if (Expires !== undefined) fields.push(['Expires', Expires.toISOString()]);
  for (const [name, value] of Object.entries(Metadata)) fields.push([`x-amz-meta-${name}`, value]);
  fields.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url').slice(0, 12);
}
