// The deploy manifest: no-op runs with no HEAD, header changes applied in
// place, and a run that stays correct whatever the manifest says.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { headersFingerprint, type ObjectHeaders } from '../../../src/model/headers.js';
import { decodeManifest, encodeManifest, keyHash, type Manifest } from '../../../src/manifest/format.js';
import { trustManifest, writtenSince } from '../../../src/manifest/trust.js';
import type { RemoteEntries, RemoteEntry, RemoteFile } from '../../../src/model/entries.js';
import { contentTypeFor } from '../../../src/settings/content-type.js';
import { headersMatcher } from '../../../src/settings/rules.js';
import { md5 } from '../../helpers/md5.js';
import { copy, headObject, listKeys, putObject, useS3, type CopyOverrides } from '../../helpers/s3.js';
import { tempDir } from '../../helpers/temp.js';
import { writeTree, type TreeSpec } from '../../helpers/tree.js';

const s3 = useS3();
const MANIFEST = '.s3-force-copy/manifest.json';
const SITE: TreeSpec = {
  'index.html': 'home',
  'about.html': 'about',
  'assets/app.css': 'css',
  'assets/app.js': 'js',
  'empty.txt': '',
  'latest.html': { link: 'index.html' },
  'old/alias.html': { link: '../about.html' },
};
const withManifest: CopyOverrides = { manifestKey: MANIFEST };

async function pushedSite(overrides: CopyOverrides = withManifest) {
  const root = await tempDir();
  await writeTree(root, SITE);
  const bucket = await s3.bucket();
  const first = await copy(s3, 'push', root, bucket, overrides);
  return { root, bucket, first };
}

describe('manifest encoding', () => {
  const manifest: Manifest = {
    prefix: 'live',
    records: new Map([
      [keyHash('secret/page.html'), { size: 4, etag: md5('home'), md5: md5('home'), headers: 'abc' }],
      [keyHash('latest.html'), { size: 0, etag: md5(''), location: '/live/index.html' }],
      [keyHash('big.bin'), { size: 9, etag: `${md5('x')}-2`, md5: md5('y'), encoding: 'gzip' }],
    ]),
  };

  it('round-trips, compressed, and names no key', async () => {
    const bytes = await encodeManifest(manifest);
    assert.deepEqual(decodeManifest(bytes, 'live'), manifest);
    const text = gunzipSync(bytes).toString();
    assert.ok(!text.includes('secret') && !text.includes('page.html'), text);
  });

  it('is one JSON document, a row per line, read line by line or whole', async () => {
    const many: Manifest = { prefix: '', records: new Map() };
    for (let i = 0; i < 5_000; i += 1) {
      many.records.set(keyHash(`k${i}`), {
        size: i,
        etag: md5(`k${i}`),
        md5: md5(`k${i}`),
        modified: 1_700_000_000_000 + i,
      });
    }
    const text = gunzipSync(await encodeManifest(many)).toString();
    assert.equal(text.split('\n').length, 5_002);
    const whole = JSON.parse(text) as { objects: unknown[] };
    assert.equal(whole.objects.length, 5_000);
    assert.deepEqual(decodeManifest(await encodeManifest(many), ''), many);
    // As one line (another writer's layout), it decodes the same.
    assert.deepEqual(decodeManifest(gzipSync(JSON.stringify(whole)), ''), many);
    // Cut short, it is ignored rather than half read.
    const cut = text.slice(0, text.lastIndexOf('\n'));
    assert.match((decodeManifest(gzipSync(cut), '') as { ignored: string }).ignored, /malformed/);
  });

  it('is ignored, saying why, when corrupt, foreign, of another version or another prefix', async () => {
    assert.match((decodeManifest(Buffer.from('garbage'), 'live') as { ignored: string }).ignored, /not a gzip/);
    assert.match(
      (decodeManifest(await encodeManifest(manifest), 'other') as { ignored: string }).ignored,
      /prefix "live"/,
    );
    const future = Buffer.from(
      JSON.stringify({ format: 's3-force-copy manifest', version: 9, prefix: 'live', objects: [] }),
    );
    assert.match((decodeManifest(gzipSync(future), 'live') as { ignored: string }).ignored, /version 9/);
  });
});

describe('trustManifest', () => {
  const second = 1_700_000_000_000;
  const manifest = (): Manifest => ({
    prefix: '',
    modified: second + 400,
    records: new Map([
      [keyHash('same-second.html'), { size: 4, etag: md5('home'), md5: md5('home') }],
      [keyHash('later.html'), { size: 4, etag: md5('home'), md5: md5('home') }],
      [keyHash('link.html'), { size: 0, etag: md5(''), location: '/index.html' }],
    ]),
  });
  const listed = (modified: number) => ({ kind: 'file' as const, size: 4, etag: md5('home'), modified });

  it('trusts what was written up to the manifest’s second, and names what was written after it', () => {
    const remote: RemoteEntries = new Map<string, RemoteEntry>([
      ['same-second.html', listed(second + 900)],
      ['later.html', listed(second + 1000)],
      ['link.html', { kind: 'file', size: 0, etag: md5(''), modified: second + 5000 }],
    ]);
    const trust = trustManifest(remote, manifest());
    assert.deepEqual(trust, { trusted: 1, rewritten: ['later.html', 'link.html'] });
    assert.equal((remote.get('same-second.html') as RemoteFile).md5, md5('home'));
    assert.equal(remote.get('link.html')?.kind, 'file', 'an empty object written since is not taken for the redirect');
  });

  it('writtenSince compares whole seconds, and knows nothing without the manifest’s LastModified', () => {
    assert.equal(writtenSince(manifest(), second), false);
    assert.equal(writtenSince(manifest(), second + 999), false);
    assert.equal(writtenSince(manifest(), second + 1000), true);
    assert.equal(writtenSince({ ...manifest(), modified: undefined }, second + 5000), false);
  });
});

describe('headersFingerprint', () => {
  const base: ObjectHeaders = { ContentType: 'text/html', CacheControl: 'no-cache', Metadata: { team: 'web', a: '1' } };
  it('is equal for equal header sets, whatever their order', () => {
    assert.equal(
      headersFingerprint(base),
      headersFingerprint({ Metadata: { a: '1', team: 'web' }, CacheControl: 'no-cache', ContentType: 'text/html' }),
    );
  });
  it('differs when any header, value, metadata or the encoding changes', () => {
    const fingerprints = [
      headersFingerprint(base),
      headersFingerprint({ ...base, CacheControl: 'max-age=60' }),
      headersFingerprint({ ...base, ContentType: 'text/plain' }),
      headersFingerprint({ ...base, ContentLanguage: 'en' }),
      headersFingerprint({ ...base, Expires: new Date(0) }),
      headersFingerprint({ ...base, Metadata: { team: 'docs', a: '1' } }),
      headersFingerprint(base, 'gzip'),
    ];
    assert.equal(new Set(fingerprints).size, fingerprints.length);
  });
});

describe('the manifest in the bucket', () => {
  it('a no-op push and a no-op pull send LIST + 1 GET and no HEAD', async () => {
    const { root, bucket, first } = await pushedSite();
    assert.equal(first.requests.GET, 1, 'the manifest is read once (and is missing)');
    assert.ok((await listKeys(s3.client, bucket)).includes(MANIFEST));

    const noop = await copy(s3, 'push', root, bucket, withManifest);
    assert.deepEqual([noop.requests.LIST, noop.requests.GET, noop.requests.HEAD, noop.requests.total], [1, 1, 0, 2]);
    assert.equal(noop.result.plan.unchanged.length, 7);

    const mirror = await tempDir();
    const pull = await copy(s3, 'pull', mirror, bucket, withManifest);
    assert.equal(pull.requests.HEAD, 0, 'the redirects and the empty file are known from the manifest');
    const noopPull = await copy(s3, 'pull', mirror, bucket, withManifest);
    assert.deepEqual([noopPull.requests.LIST, noopPull.requests.GET, noopPull.requests.HEAD], [1, 1, 0]);
    assert.ok(!(await readdir(mirror)).includes('.s3-force-copy'), 'a pull never downloads the manifest');
  });

  it('without it, the same no-op push HEADs every zero-byte object, and manifest-key off sends no GET', async () => {
    const { root, bucket } = await pushedSite({});
    const noop = await copy(s3, 'push', root, bucket);
    assert.deepEqual([noop.requests.GET, noop.requests.HEAD], [0, 3]);
    assert.ok(!(await listKeys(s3.client, bucket)).includes(MANIFEST));
  });

  it('a rule change updates the headers in place with CopyObject, for the keys it affects only, sending no bytes', async () => {
    const { root, bucket } = await pushedSite();
    const headersFor = headersMatcher([], [{ pattern: '**/*.html', value: 'no-cache' }], contentTypeFor);
    const changed = await copy(s3, 'push', root, bucket, { ...withManifest, headersFor });
    assert.deepEqual(changed.result.plan.updates.map((u) => u.key).sort(), [
      'about.html',
      'index.html',
      'latest.html',
      'old/alias.html',
    ]);
    assert.deepEqual([changed.result.outcome.copied.length, changed.result.outcome.bytes], [0, 0]);
    // 4 CopyObject (PUT) and the manifest's PUT.
    assert.equal(changed.requests.PUT, 5);
    assert.equal((await headObject(s3.client, bucket, 'index.html')).CacheControl, 'no-cache');
    const redirect = await headObject(s3.client, bucket, 'latest.html');
    assert.deepEqual([redirect.CacheControl, redirect.WebsiteRedirectLocation], ['no-cache', '/index.html']);
    assert.equal((await headObject(s3.client, bucket, 'index.html')).Metadata?.md5, md5('home'), 'md5 sent again');
    assert.equal((await headObject(s3.client, bucket, 'assets/app.css')).CacheControl, undefined);

    const again = await copy(s3, 'push', root, bucket, { ...withManifest, headersFor });
    assert.deepEqual([again.result.plan.updates.length, again.requests.PUT, again.requests.HEAD], [0, 0, 0]);
  });

  it('an object overwritten behind its back with another body is found and uploaded again', async () => {
    const { root, bucket } = await pushedSite();
    await putObject(s3.client, bucket, 'about.html', 'tampr'); // same size, another ETag, no md5 metadata
    const run = await copy(s3, 'push', root, bucket, withManifest);
    assert.deepEqual(
      run.result.plan.copies.map((c) => c.key),
      ['about.html'],
    );
    assert.equal(
      await (
        await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: 'about.html' }))
      ).Body?.transformToString(),
      'about',
    );
  });

  it('a corrupt or missing manifest leaves the run correct', async () => {
    const { root, bucket } = await pushedSite();
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: MANIFEST, Body: 'not a manifest' }));
    await writeTree(root, { 'new.html': 'new' });
    const infos: string[] = [];
    const run = await copy(s3, 'push', root, bucket, {
      ...withManifest,
      reporter: {
        info: (m) => infos.push(m),
        debug: () => undefined,
        warn: () => undefined,
        group: (_n, work) => work(),
      },
    });
    assert.deepEqual(
      run.result.plan.copies.map((c) => c.key),
      ['new.html'],
    );
    assert.equal(run.requests.HEAD, 3, 'the zero-byte objects are HEADed again');
    assert.ok(
      infos.some((line) => /manifest .* is ignored: it is not a gzip/.test(line)),
      infos.join('\n'),
    );
    const rewritten = await copy(s3, 'push', root, bucket, withManifest);
    assert.equal(rewritten.requests.HEAD, 0, 'and the rewritten manifest is trusted again');
  });

  it('is never deleted as an extra, and a local file at its key is not pushed', async () => {
    const { root, bucket } = await pushedSite();
    await writeTree(root, { [MANIFEST]: 'a local file where the manifest is' });
    await writeTree(root, { 'new.html': 'n' });
    const run = await copy(s3, 'push', root, bucket, { ...withManifest, exclude: ['*.tmp'] });
    assert.deepEqual(
      run.result.plan.copies.map((c) => c.key),
      ['new.html'],
    );
    assert.deepEqual(run.result.plan.deletes, []);
    const stored = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: MANIFEST }));
    assert.ok(
      gunzipSync(await stored.Body!.transformToByteArray())
        .toString()
        .startsWith('{"format"'),
    );
    assert.ok((await listKeys(s3.client, bucket)).includes(MANIFEST));
  });

  it('force decides without it (no GET) and rewrites it', async () => {
    const { root, bucket } = await pushedSite();
    const forced = await copy(s3, 'push', root, bucket, { ...withManifest, force: true });
    assert.equal(forced.requests.GET, 0);
    assert.equal(forced.result.outcome.copied.length, 5);
    const after = await copy(s3, 'push', root, bucket, withManifest);
    assert.deepEqual([after.requests.GET, after.requests.HEAD, after.requests.PUT], [1, 0, 0]);
  });

  it('a rule change that touches every object is applied, not refused as an empty source', async () => {
    const { root, bucket } = await pushedSite();
    const headersFor = headersMatcher([], [{ pattern: '**', value: 'max-age=60' }], contentTypeFor);
    const run = await copy(s3, 'push', root, bucket, { ...withManifest, headersFor });
    assert.deepEqual([run.result.plan.updates.length, run.result.plan.unchanged.length], [7, 0]);
    assert.equal((await headObject(s3.client, bucket, 'assets/app.js')).CacheControl, 'max-age=60');
  });

  it('once it records LastModified, sees a redirect another tool pointed elsewhere (same size and ETag)', async () => {
    const { root, bucket } = await pushedSite();
    // A second write of the manifest records the LastModified of what the first one wrote.
    await writeTree(root, { 'new.html': 'new' });
    await copy(s3, 'push', root, bucket, withManifest);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // LastModified has second precision on some stores
    await putObject(s3.client, bucket, 'latest.html', '', { redirect: '/about.html' });
    const run = await copy(s3, 'push', root, bucket, withManifest);
    assert.deepEqual(
      run.result.plan.redirects.map((r) => [r.key, r.reason]),
      [['latest.html', 'target differs']],
    );
    assert.equal((await headObject(s3.client, bucket, 'latest.html')).WebsiteRedirectLocation, '/index.html');
  });

  it('is written by a no-op push to a bucket that has none, so the next no-op needs no HEAD', async () => {
    const { root, bucket } = await pushedSite({});
    const first = await copy(s3, 'push', root, bucket, withManifest);
    assert.deepEqual([first.result.outcome.copied.length, first.requests.HEAD, first.requests.PUT], [0, 3, 1]);
    const next = await copy(s3, 'push', root, bucket, withManifest);
    assert.deepEqual([next.requests.HEAD, next.requests.PUT], [0, 0]);
  });
});
