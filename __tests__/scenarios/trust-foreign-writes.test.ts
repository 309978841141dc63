// The manifest and another tool's writes: an object written after the
// manifest is never trusted, costs one HEAD, and is put back as the rules
// say; the run's own writes, made before its manifest (most often in the
// same second), are trusted with no HEAD.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { md5 } from '../helpers/md5.js';
import { copy, headObject, putObject, useS3, type CopyOverrides } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree, type TreeSpec } from '../helpers/tree.js';

const s3 = useS3();
const MANIFEST = '.s3-force-copy/manifest.json';
const withManifest: CopyOverrides = { manifestKey: MANIFEST };
const SITE: TreeSpec = {
  'index.html': 'home',
  'about.html': 'about',
  'assets/app.css': 'css',
  'latest.html': { link: 'index.html' },
};

async function pushedSite() {
  const root = await tempDir();
  await writeTree(root, SITE);
  const bucket = await s3.bucket();
  await copy(s3, 'push', root, bucket, withManifest);
  return { root, bucket };
}

/** LastModified has whole seconds here as on S3: a write after this is in a later second than any before. */
async function nextSecond(): Promise<void> {
  await sleep(1100);
}

/** The listed LastModified of every key, in whole seconds. */
async function modifiedSeconds(bucket: string): Promise<Map<string, number>> {
  const page = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket }));
  const seconds = new Map<string, number>();
  for (const object of page.Contents ?? []) {
    seconds.set(object.Key ?? '', Math.floor((object.LastModified?.getTime() ?? 0) / 1000));
  }
  return seconds;
}

const listingAndOneGet = (requests: { LIST: number; GET: number; HEAD: number; total: number }) => [
  requests.LIST,
  requests.GET,
  requests.HEAD,
  requests.total,
];

describe('objects written after the manifest', () => {
  it('the run’s own writes in the manifest’s second are trusted: a no-op push and pull cost the listing and one GET', async () => {
    // A small push writes its objects and its manifest within a second; try until one does.
    let pushed: { root: string; bucket: string } | undefined;
    for (let attempt = 0; attempt < 5 && pushed === undefined; attempt += 1) {
      const site = await pushedSite();
      const seconds = await modifiedSeconds(site.bucket);
      const manifestSecond = seconds.get(MANIFEST);
      if ([...seconds].some(([key, second]) => key !== MANIFEST && second === manifestSecond)) pushed = site;
    }
    assert.ok(pushed, 'a push wrote objects in the second of its manifest');
    const noop = await copy(s3, 'push', pushed.root, pushed.bucket, withManifest);
    assert.deepEqual(listingAndOneGet(noop.requests), [1, 1, 0, 2]);
    assert.equal(noop.result.plan.unchanged.length, 4);
    const mirror = await tempDir();
    await copy(s3, 'pull', mirror, pushed.bucket, withManifest);
    const noopPull = await copy(s3, 'pull', mirror, pushed.bucket, withManifest);
    assert.deepEqual(listingAndOneGet(noopPull.requests), [1, 1, 0, 2]);
  });

  it('a redirect another tool replaced with an empty object is restored by the next push, for one HEAD', async () => {
    const { root, bucket } = await pushedSite();
    await nextSecond();
    // Same size (0) and ETag (the empty body's) as the redirect the manifest recorded.
    await putObject(s3.client, bucket, 'latest.html', '');
    const run = await copy(s3, 'push', root, bucket, withManifest);
    assert.equal(run.requests.HEAD, 2, 'one HEAD of the object written since, one that the store kept the redirect');
    assert.deepEqual(
      run.result.plan.redirects.map((r) => [r.key, r.reason]),
      [['latest.html', 'replaces a file']],
    );
    assert.equal((await headObject(s3.client, bucket, 'latest.html')).WebsiteRedirectLocation, '/index.html');
    const after = await copy(s3, 'push', root, bucket, withManifest);
    assert.deepEqual(listingAndOneGet(after.requests), [1, 1, 0, 2]);
  });

  it('a file re-uploaded with the same bytes but no md5 metadata, or another Content-Type, gets the rules’ headers back', async () => {
    const { root, bucket } = await pushedSite();
    const pushedHead = await headObject(s3.client, bucket, 'about.html');
    await nextSecond();
    await putObject(s3.client, bucket, 'index.html', 'home');
    await s3.client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'about.html',
        Body: 'about',
        ContentType: 'text/plain',
        Metadata: { md5: md5('about') },
      }),
    );
    const run = await copy(s3, 'push', root, bucket, withManifest);
    assert.equal(run.requests.HEAD, 2, 'one HEAD per object written since the manifest');
    assert.deepEqual(run.result.plan.updates.map((u) => u.key).sort(), ['about.html', 'index.html']);
    assert.deepEqual([run.result.outcome.copied.length, run.requests.PUT], [0, 3], 'two CopyObject, the manifest');
    const index = await headObject(s3.client, bucket, 'index.html');
    assert.deepEqual([index.Metadata?.md5, index.ContentType], [md5('home'), pushedHead.ContentType]);
    assert.equal((await headObject(s3.client, bucket, 'about.html')).ContentType, pushedHead.ContentType);
    const after = await copy(s3, 'push', root, bucket, withManifest);
    assert.deepEqual(listingAndOneGet(after.requests), [1, 1, 0, 2]);
  });

  it('a rewrite that changes nothing costs one HEAD, once: the manifest is written again', async () => {
    const { root, bucket } = await pushedSite();
    const head = await headObject(s3.client, bucket, 'assets/app.css');
    await nextSecond();
    await s3.client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'assets/app.css',
        Body: 'css',
        ContentType: head.ContentType,
        Metadata: head.Metadata,
      }),
    );
    const run = await copy(s3, 'push', root, bucket, withManifest);
    assert.deepEqual([run.requests.HEAD, run.requests.PUT, run.result.plan.unchanged.length], [1, 1, 4]);
    const after = await copy(s3, 'push', root, bucket, withManifest);
    assert.deepEqual(listingAndOneGet(after.requests), [1, 1, 0, 2]);
  });
});
