import type { DeserializeHandlerOutput, DeserializeMiddleware, MetadataBearer, MiddlewareStack } from '@smithy/types';

/**
 * A ListObjectsV2 page read for only what a run uses: each object's key,
 * size, ETag, LastModified and, when not STANDARD, storage class (with its
 * restore status where listed), the common prefixes, and the paging fields.
 *
 * The SDK reads every field of every object through its generic XML parser
 * and schema, which costs a large listing most of its CPU (ADR 0007). This
 * reader finds the few elements it needs by their tags, which is safe
 * in S3's answer: text cannot hold `<`, so `</Key>` ends a key.
 *
 * Anything it does not expect (an EncodingType, an entity other than XML's
 * five and numeric ones, CDATA, a Contents without a Key) makes it step
 * aside: the SDK then reads the page.
 */
export interface LeanListPage {
  /** ETag as S3 sends it, or without its quotes where they could be left out without a copy (bareEtag takes both). */
  Contents: ListedObject[];
  CommonPrefixes: { Prefix: string }[];
  IsTruncated?: boolean;
  NextContinuationToken?: string;
  KeyCount?: number;
}

/** One listed object; StorageClass only when it is not STANDARD, RestoreStatus only when the store sent it. */
export interface ListedObject {
  Key: string;
  Size?: number;
  ETag?: string;
  LastModified?: Date;
  StorageClass?: string;
  RestoreStatus?: { IsRestoreInProgress?: boolean };
}

/** The most bytes a page is read into memory for (a page of 1,000 keys of 1,024 bytes is under 1.5 MB). */
const MAX_PAGE_BYTES = 8 * 2 ** 20;

export function readListPage(xml: Buffer): LeanListPage | undefined {
  // Searched as latin1, whose characters are the page's bytes one for one:
  // tags are ASCII and no byte of a multi-byte UTF-8 character is, so an
  // offset in the text is the same offset in the bytes, where text is decoded.
  const page = new PageText(xml);
  // Only a page laid out as S3 writes it: anything else (a 200 that is an
  // <Error>, attributes, comments, CDATA, URL-encoded keys) goes to the SDK,
  // which may read it, or throw an error that is retried.
  if (!page.text.includes('<ListBucketResult') || UNEXPECTED.test(page.text)) return undefined;
  const whole = page.region(0, page.text.length);
  const result: LeanListPage = { Contents: [], CommonPrefixes: [] };
  const truncated = page.textOf(TAGS.IsTruncated, whole);
  if (truncated !== 'true' && truncated !== 'false') return undefined;
  result.IsTruncated = truncated === 'true';
  const keyCount = page.textOf(TAGS.KeyCount, whole);
  if (keyCount !== undefined) result.KeyCount = Number(keyCount);
  const token = page.textOf(TAGS.NextContinuationToken, whole);
  if (token !== undefined) result.NextContinuationToken = token;
  if ([keyCount, token].includes(INVALID)) return undefined;

  let contents = 0;
  for (let at = page.text.indexOf('<Contents'); at !== -1; at = page.text.indexOf('<Contents', at + 1)) {
    contents += 1;
    const end = page.text.indexOf('</Contents>', at);
    if (!page.text.startsWith('<Contents>', at) || end === -1) return undefined;
    const object = page.region(at, end);
    const key = page.textOf(TAGS.Key, object);
    if (key === undefined || key === INVALID) return undefined;
    const listed: LeanListPage['Contents'][number] = { Key: key };
    const size = page.transientTextOf(TAGS.Size, object);
    if (size !== undefined) listed.Size = Number(size);
    const etag = page.quotedText(TAGS.ETag, object) ?? page.textOf(TAGS.ETag, object);
    if (etag === INVALID) return undefined;
    if (etag !== undefined) listed.ETag = etag;
    const modified = page.transientTextOf(TAGS.LastModified, object);
    if (modified !== undefined) listed.LastModified = new Date(modified);
    if (!readArchiveFields(page, object, listed)) return undefined;
    result.Contents.push(listed);
  }
  let prefixes = 0;
  for (let at = page.text.indexOf('<CommonPrefixes'); at !== -1; at = page.text.indexOf('<CommonPrefixes', at + 1)) {
    prefixes += 1;
    const end = page.text.indexOf('</CommonPrefixes>', at);
    if (!page.text.startsWith('<CommonPrefixes>', at) || end === -1) return undefined;
    const prefix = page.textOf(TAGS.Prefix, page.region(at, end));
    if (prefix === undefined || prefix === INVALID) return undefined;
    result.CommonPrefixes.push({ Prefix: prefix });
  }
  // A count that disagrees means something was not read as S3 meant it.
  if (result.KeyCount !== undefined && result.KeyCount !== result.Contents.length + result.CommonPrefixes.length) {
    return undefined;
  }
  if (contents !== result.Contents.length || prefixes !== result.CommonPrefixes.length) return undefined;
  return result;
}

/**
 * The storage class, kept only when not STANDARD (a pull skips archived
 * objects), and whether a restore is in progress where the listing says.
 * False when an element is malformed.
 */
function readArchiveFields(page: PageText, object: Region, listed: ListedObject): boolean {
  const storageClass = page.transientTextOf(TAGS.StorageClass, object);
  if (storageClass === INVALID) return false;
  if (storageClass !== undefined && storageClass !== 'STANDARD') listed.StorageClass = storageClass;
  if (!object.text.includes('<RestoreStatus>')) return true;
  const inProgress = page.transientTextOf(TAGS.IsRestoreInProgress, object);
  if (inProgress === INVALID) return false;
  listed.RestoreStatus = inProgress === undefined ? {} : { IsRestoreInProgress: inProgress === 'true' };
  return true;
}

/** Text a page of S3's layout never holds outside escaped text. */
const UNEXPECTED =
  /<!\[CDATA\[|<!--|<EncodingType|<(?:Contents|Key|Size|ETag|LastModified|IsTruncated|CommonPrefixes|Prefix|NextContinuationToken|KeyCount) /;

/** Marks text with an entity this reader does not know, or an element left open. */
const INVALID = '\u0000invalid';

interface Tag {
  open: string;
  close: string;
  empty: string;
  quotedOpen: string;
  quotedClose: string;
}

function tag(name: string): Tag {
  return {
    open: `<${name}>`,
    close: `</${name}>`,
    empty: `<${name}/>`,
    quotedOpen: `<${name}>${QUOT}`,
    quotedClose: `${QUOT}</${name}>`,
  };
}

const QUOT = '&quot;';

const TAGS = {
  IsTruncated: tag('IsTruncated'),
  KeyCount: tag('KeyCount'),
  NextContinuationToken: tag('NextContinuationToken'),
  Key: tag('Key'),
  Size: tag('Size'),
  ETag: tag('ETag'),
  LastModified: tag('LastModified'),
  Prefix: tag('Prefix'),
  StorageClass: tag('StorageClass'),
  IsRestoreInProgress: tag('IsRestoreInProgress'),
};

/** A page's bytes, and the same bytes as latin1 text to search. */
class PageText {
  readonly text: string;

  constructor(private readonly bytes: Buffer) {
    this.text = bytes.toString('latin1');
  }

  /**
   * The part of the text from `from` to `to`, searched on its own: a search
   * that ran on past an object to the page's end would make a page with an
   * element missing from every object cost its length squared.
   */
  region(from: number, to: number): Region {
    return { text: from === 0 && to === this.text.length ? this.text : this.text.slice(from, to), offset: from };
  }

  /**
   * The decoded text of the first `<tag>…</tag>` in `region`; undefined if
   * there is none. Decoded from the bytes, so no string holds on to the
   * page: a slice of it would keep all of it alive with every key.
   */
  textOf(tag: Tag, region: Region): string | undefined {
    const open = region.text.indexOf(tag.open);
    if (open === -1) return region.text.includes(tag.empty) ? '' : undefined;
    const start = open + tag.open.length;
    const end = region.text.indexOf(tag.close, start);
    if (end === -1) return INVALID;
    return decodeText(this.bytes.toString('utf8', region.offset + start, region.offset + end));
  }

  /**
   * textOf for text read and dropped at once (a number, a date): a slice of
   * the page's text when it needs no decoding, so the bytes are not decoded
   * again. Kept, such a slice would keep the whole page alive.
   */
  transientTextOf(tag: Tag, region: Region): string | undefined {
    const open = region.text.indexOf(tag.open);
    if (open === -1) return this.textOf(tag, region);
    const start = open + tag.open.length;
    const end = region.text.indexOf(tag.close, start);
    if (end === -1) return INVALID;
    const raw = region.text.slice(start, end);
    // Latin1 is the bytes as UTF-8 only where all are ASCII; anything else is decoded.
    return /^[\x21-\x25\x27-\x7e]*$/.test(raw) ? raw : this.textOf(tag, region);
  }

  /**
   * The text inside `<tag>&quot;…&quot;</tag>` when nothing else in it needs
   * decoding: an ETag as bareEtag would leave it, read straight from the bytes.
   */
  quotedText(tag: Tag, region: Region): string | undefined {
    const open = region.text.indexOf(tag.quotedOpen);
    if (open === -1) return undefined;
    const start = open + tag.quotedOpen.length;
    const end = region.text.indexOf(tag.quotedClose, start);
    if (end === -1) return undefined;
    for (let i = start; i < end; i += 1) {
      const char = region.text.charCodeAt(i);
      if (char === AMPERSAND || char === CARRIAGE_RETURN) return undefined;
    }
    return this.bytes.toString('utf8', region.offset + start, region.offset + end);
  }
}

/** Part of a page's text, and where it starts in the page. */
interface Region {
  text: string;
  offset: number;
}

const AMPERSAND = 0x26;
const CARRIAGE_RETURN = 0x0d;
const NAMED = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);

/** XML text as a parser gives it: line ends normalised to \n, then entities decoded. */
export function decodeText(raw: string): string {
  const text = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  let decoded = '';
  let done = 0;
  while (amp !== -1) {
    const semicolon = text.indexOf(';', amp);
    if (semicolon === -1 || semicolon - amp > 10) return INVALID;
    const name = text.slice(amp + 1, semicolon);
    let char = NAMED.get(name);
    if (char === undefined) {
      const code = /^#x[0-9a-fA-F]{1,6}$/.test(name)
        ? Number.parseInt(name.slice(2), 16)
        : /^#[0-9]{1,7}$/.test(name)
          ? Number(name.slice(1))
          : NaN;
      if (!Number.isInteger(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return INVALID;
      char = String.fromCodePoint(code);
    }
    decoded += text.slice(done, amp) + char;
    done = semicolon + 1;
    amp = text.indexOf('&', done);
  }
  return decoded + text.slice(done);
}

interface ClientWithMiddleware {
  middlewareStack: Pick<MiddlewareStack<object, MetadataBearer>, 'add'>;
}

/**
 * Pages read, by the response they came in: it passes through the SDK's
 * deserializer as it is. Not by context: a client with cacheMiddleware gives
 * every LIST of a command the same one.
 */
const pages = new WeakMap<object, LeanListPage>();

/**
 * Reads ListObjectsV2 pages with readListPage. Two middlewares around the
 * SDK's deserializer: the inner one reads the raw body and leaves the SDK a
 * trivial one; the outer one hands back the page it read. Retries and the
 * request budget sit outside both, so every attempt is still counted.
 */
export function readListPagesLean(client: ClientWithMiddleware): void {
  const inner: DeserializeMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    const result = await next(args);
    if (context.commandName !== 'ListObjectsV2Command') return result;
    const response = result.response as { statusCode?: number; body?: unknown };
    if (response.statusCode !== 200) return result;
    const bytes = await collect(response.body);
    const page = bytes.length <= MAX_PAGE_BYTES ? readListPage(bytes) : undefined;
    if (page === undefined) {
      response.body = bytes;
      return result;
    }
    pages.set(response, page);
    response.body = EMPTY_PAGE;
    return result;
  };
  const outer: DeserializeMiddleware<object, MetadataBearer> = (next) => async (args) => {
    const result: DeserializeHandlerOutput<MetadataBearer> = await next(args);
    const response = result.response as object;
    const page = pages.get(response);
    if (page === undefined) return result;
    pages.delete(response);
    return { ...result, output: { ...page, $metadata: result.output?.$metadata ?? {} } };
  };
  client.middlewareStack.add(inner, { step: 'deserialize', priority: 'low', name: 'leanListRead', override: true });
  client.middlewareStack.add(outer, {
    step: 'deserialize',
    priority: 'high',
    name: 'leanListHandOver',
    override: true,
  });
}

const EMPTY_PAGE = new TextEncoder().encode('<ListBucketResult></ListBucketResult>');

async function collect(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
