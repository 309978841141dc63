// The lean ListObjectsV2 reader must give what the SDK's own reader gives,
// for every key S3 can hold, or step aside and let the SDK read the page.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListObjectsV2Command, PutObjectCommand, S3Client, type ListObjectsV2CommandInput } from '@aws-sdk/client-s3';
import { HttpResponse } from '@smithy/core/transport';
import fc from 'fast-check';
import { bareEtag } from '../../../src/model/entries.js';
import { decodeText, readListPage, readListPagesLean } from '../../../src/bucket/lean-list.js';
import { TEST_CREDENTIALS } from '../../../support/s3-server.js';
import { makeClient, useS3 } from '../../helpers/s3.js';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 200);

/** What a run reads of a page: the fields remote-list uses, ETags compared bare. */
function readable(page: {
  Contents?: { Key?: string; Size?: number; ETag?: string; LastModified?: Date }[];
  CommonPrefixes?: { Prefix?: string }[];
  IsTruncated?: boolean;
  NextContinuationToken?: string;
  KeyCount?: number;
}) {
  return {
    contents: (page.Contents ?? []).map((o) => [o.Key, o.Size, bareEtag(o.ETag), o.LastModified?.getTime()]),
    prefixes: (page.CommonPrefixes ?? []).map((p) => p.Prefix),
    truncated: page.IsTruncated,
    token: page.NextContinuationToken,
    keyCount: page.KeyCount,
  };
}

/**
 * A client whose answers are canned: the one way to show the SDK pages
 * s3rver never writes. `body` is the answer, or makes the n-th one (from 1).
 */
function clientAnswering(
  body: string | ((n: number) => string),
  { lean, status = 200, cacheMiddleware = false }: { lean: boolean; status?: number; cacheMiddleware?: boolean },
): S3Client {
  let answered = 0;
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
    cacheMiddleware,
    requestHandler: {
      handle: async () => {
        answered += 1;
        const text = typeof body === 'string' ? body : body(answered);
        return {
          response: new HttpResponse({
            statusCode: status,
            headers: { 'content-type': 'application/xml' },
            body: Buffer.from(text),
          }),
        };
      },
    },
  });
  if (lean) readListPagesLean(client);
  return client;
}

async function bothReaders(body: string) {
  const input: ListObjectsV2CommandInput = { Bucket: 'b' };
  const sdk = await clientAnswering(body, { lean: false }).send(new ListObjectsV2Command(input));
  const lean = await clientAnswering(body, { lean: true }).send(new ListObjectsV2Command(input));
  return { sdk: readable(sdk), lean: readable(lean) };
}

const page = (
  inner: string,
  keyCount = inner.split('<Contents>').length + inner.split('<CommonPrefixes>').length - 2,
) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
  `<Name>b</Name><Prefix></Prefix><KeyCount>${keyCount}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>` +
  `<NextContinuationToken>1x&amp;y/z==</NextContinuationToken>${inner}</ListBucketResult>`;
const contents = (key: string, etag = '&quot;0123456789abcdef0123456789abcdef&quot;') =>
  `<Contents><Key>${key}</Key><LastModified>2026-11-01T10:20:30.456Z</LastModified><ETag>${etag}</ETag>` +
  `<Size>12</Size><StorageClass>STANDARD</StorageClass></Contents>`;

/** A key written as S3 writes it: XML's specials and control characters escaped. */
function escapeKey(key: string): string {
  const named: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
  return [...key]
    .map((c) => named[c] ?? (c.charCodeAt(0) < 0x20 ? `&#x${c.charCodeAt(0).toString(16).toUpperCase()};` : c))
    .join('');
}

describe('lean ListObjectsV2 reader', () => {
  it('reads what the SDK reads: entities, numeric references, prefixes, the token', async () => {
    const body = page(
      contents('a&amp;b &lt;c&gt; &quot;d&quot; &apos;e&apos;') +
        contents('tab&#9;cr&#13;lf&#xA;bell&#x7;e&#233;') +
        contents('plain/key.html', '&quot;0123456789abcdef0123456789abcdef-3&quot;') +
        // MinIO (Go's XML writer) escapes the quotes as a numeric reference.
        contents('minio.html', '&#34;0123456789abcdef0123456789abcdef&#34;') +
        '<CommonPrefixes><Prefix>docs/</Prefix></CommonPrefixes><CommonPrefixes><Prefix>&amp;x/</Prefix></CommonPrefixes>',
    );
    const { sdk, lean } = await bothReaders(body);
    assert.deepEqual(lean, sdk);
    assert.equal(lean.contents[1]?.[0], 'tab\tcr\rlf\nbell\u0007eé');
    assert.deepEqual(lean.prefixes, ['docs/', '&x/']);
    assert.equal(lean.token, '1x&y/z==');
  });

  it('normalises a raw line end as an XML parser does', async () => {
    const { sdk, lean } = await bothReaders(page(contents('one\r\ntwo\rthree')));
    assert.deepEqual(lean, sdk);
  });

  it('reads pretty-printed pages and a token written after the objects', async () => {
    const body =
      `<ListBucketResult>\n  <IsTruncated>false</IsTruncated>\n  <Contents>\n    <Key>a</Key>\n    <Size>1</Size>\n` +
      `    <ETag>"x"</ETag>\n  </Contents>\n  <KeyCount>1</KeyCount>\n</ListBucketResult>`;
    const { sdk, lean } = await bothReaders(body);
    assert.deepEqual(lean, sdk);
  });

  it('steps aside for what it does not know: the SDK reads the page', async () => {
    for (const body of [
      page(contents('nbsp&nbsp;here')),
      page(`<EncodingType>url</EncodingType>${contents('a%20b')}`),
      page(contents('<![CDATA[x]]>')),
      page('<Contents><Size>1</Size></Contents>'),
      page(contents('lone &amp')),
      // Layouts S3 does not write, which the SDK still reads.
      page(contents('k').replace('<Contents>', '<Contents xmlns="x">')),
      page(contents('k').replace('<Size>', '<Size type="int">')),
      page(contents('k') + '<!-- <Contents><Key>ghost</Key></Contents> -->'),
      page(contents('k')).replace('<IsTruncated>true', '<IsTruncated>True'),
      page(contents('k') + contents('j'), 3),
      page(contents('k').replace('<Contents>', '<Contents\n>')),
      // A key left open inside its object, closed only in the next one.
      page(`<Contents><Key>a</Contents>${contents('b')}`, 2),
      // A 200 that is not a page: the SDK throws, and the error is retried.
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>x</Message></Error>',
    ]) {
      assert.equal(readListPage(Buffer.from(body)), undefined, body);
      const sdk = await clientAnswering(body, { lean: false })
        .send(new ListObjectsV2Command({ Bucket: 'b' }))
        .then(readable, (error: unknown) => ({ error: String(error) }));
      const lean = await clientAnswering(body, { lean: true })
        .send(new ListObjectsV2Command({ Bucket: 'b' }))
        .then(readable, (error: unknown) => ({ error: String(error) }));
      assert.deepEqual(lean, sdk, body);
    }
  });

  it('gives ETags without their quotes, as strings of their own', () => {
    const read = readListPage(Buffer.from(page(contents('k'))));
    assert.equal(read?.Contents[0]?.ETag, '0123456789abcdef0123456789abcdef');
    // With anything else in it, the ETag is decoded whole, quotes kept.
    const odd = readListPage(Buffer.from(page(contents('k', '&quot;a&amp;b&quot;'))));
    assert.equal(odd?.Contents[0]?.ETag, '"a&b"');
  });

  it('decodes text the way the SDK does, for any key (property)', async () => {
    // Some whitespace alone the SDK's reader gives as empty (see the test below).
    const key = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).filter((k) => !/^\s*$/.test(k));
    await fc.assert(
      fc.asyncProperty(fc.array(key, { minLength: 1, maxLength: 5 }), async (keys) => {
        const { sdk, lean } = await bothReaders(page(keys.map((k) => contents(escapeKey(k))).join('')));
        assert.deepEqual(lean, sdk);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('keeps a key that is only a line end, which the SDK reads as empty', async () => {
    const { sdk, lean } = await bothReaders(page(contents(' ') + contents('&#xA;')));
    assert.deepEqual(
      lean.contents.map((c) => c[0]),
      [' ', '\n'],
    );
    assert.equal(sdk.contents[1]?.[0], '', 'the SDK reader now keeps a key of a line end: drop this difference');
  });

  it('refuses references to no character', () => {
    for (const text of ['&#xD800;', '&#x110000;', '&#;', '&#xZZ;'])
      assert.equal(decodeText(text), '\u0000invalid', text);
    assert.equal(decodeText('&#x10FFFF;'), '\u{10ffff}');
    // The SDK's reader drops a reference above U+FFFF; S3 writes such characters as UTF-8, not references.
    assert.equal(decodeText('&#x1F600;&#128512;'), '😀😀');
  });

  it('reads each of many LISTs in flight at once as its own page, with cached middleware', async () => {
    // As the action's client: one handler, and one context, for every LIST.
    const client = clientAnswering((n) => page(contents(`key-${n}`)), { lean: true, cacheMiddleware: true });
    const pages = await Promise.all(
      Array.from({ length: 8 }, () => client.send(new ListObjectsV2Command({ Bucket: 'b' }))),
    );
    assert.deepEqual(
      pages.map((p) => p.Contents?.[0]?.Key).sort(),
      Array.from({ length: 8 }, (_, i) => `key-${i + 1}`).sort(),
    );
  });

  it('hands the SDK any answer other than a page: an error stays an error', async () => {
    const body = '<Error><Code>AccessDenied</Code><Message>no</Message></Error>';
    const client = clientAnswering(body, { lean: true, status: 403 });
    await assert.rejects(client.send(new ListObjectsV2Command({ Bucket: 'b' })), { name: 'AccessDenied' });
  });
});

describe('lean reader against s3rver', () => {
  const s3 = useS3();

  it('lists hostile keys exactly as the SDK reads them, page by page', async () => {
    const bucket = await s3.bucket();
    const keys = [
      'a&b',
      'less<than',
      'quote"s\'',
      'space at end ',
      ' leading',
      'tab\tkey',
      'ünïcödé/файл',
      '😀/astral',
      'ｶﾀｶﾅ',
      'deep/a/b/c/d.txt',
      'percent%20and+plus',
      'line\nbreak',
    ];
    for (const key of keys) await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    const sdkClient = makeClient(s3.server.endpoint, { sdkListReader: true });
    const leanClient = makeClient(s3.server.endpoint);
    for (const input of [
      { Bucket: bucket, MaxKeys: 3 },
      { Bucket: bucket, Delimiter: '/' },
      { Bucket: bucket, StartAfter: 'a&b', MaxKeys: 5 },
    ]) {
      let token: string | undefined;
      let pages = 0;
      do {
        const request = { ...input, ContinuationToken: token };
        const sdk = await sdkClient.send(new ListObjectsV2Command(request));
        const lean = await leanClient.send(new ListObjectsV2Command(request));
        // s3rver writes a new token for every answer: only whether there is one can match.
        const withoutToken = ({ token: next, ...rest }: ReturnType<typeof readable>) => ({ ...rest, next: !!next });
        assert.deepEqual(withoutToken(readable(lean)), withoutToken(readable(sdk)));
        token = sdk.NextContinuationToken;
        pages += 1;
      } while (token !== undefined);
      assert.ok(pages >= 1);
    }
    sdkClient.destroy();
    leanClient.destroy();
  });
});

describe('storage class and restore status', () => {
  const page = (objects: string) =>
    Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated>' +
        `<KeyCount>3</KeyCount>${objects}</ListBucketResult>`,
    );
  const object = (key: string, extra: string) =>
    `<Contents><Key>${key}</Key><Size>1</Size><ETag>&quot;abc&quot;</ETag>${extra}</Contents>`;

  it('keeps a storage class other than STANDARD, and the restore status the store listed', () => {
    const read = readListPage(
      page(
        object('a', '<StorageClass>STANDARD</StorageClass>') +
          object('b', '<StorageClass>GLACIER</StorageClass>') +
          object(
            'c',
            '<StorageClass>DEEP_ARCHIVE</StorageClass><RestoreStatus><IsRestoreInProgress>false</IsRestoreInProgress>' +
              '<RestoreExpiryDate>2026-12-09T00:00:00.000Z</RestoreExpiryDate></RestoreStatus>',
          ),
      ),
    );
    assert.ok(read);
    assert.deepEqual(
      read.Contents.map((o) => [o.Key, o.StorageClass, o.RestoreStatus]),
      [
        ['a', undefined, undefined],
        ['b', 'GLACIER', undefined],
        ['c', 'DEEP_ARCHIVE', { IsRestoreInProgress: false }],
      ],
    );
  });
});
