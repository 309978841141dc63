import { createHash } from 'node:crypto';

/**
 * The headers and metadata an object is written with, named as the SDK names
 * them. The rules that choose them live with the settings; the core only
 * sends them, on files and redirect objects alike.
 */
export interface ObjectHeaders {
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
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => [name, value]);
  if (Expires !== undefined) fields.push(['Expires', Expires.toISOString()]);
  for (const [name, value] of Object.entries(Metadata)) fields.push([`x-amz-meta-${name}`, value]);
  fields.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url').slice(0, 12);
}
