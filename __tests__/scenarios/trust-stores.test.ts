// What users trip on between stores and file systems: a store that drops
// redirects, a bucket in another region, and the round-trip facts (chains
// are flattened, empty folders are not kept).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startS3Proxy } from '../../support/s3-proxy.js';
import { actionClient, copy, headObject, useS3 } from '../helpers/s3.js';
import { tempDir } from '../helpers/temp.js';
import { writeTree } from '../helpers/tree.js';

const s3 = useS3();

describe('a store that drops website redirects', () => {
  it('is named after one HEAD of a redirect just written, with what to do', async () => {
    const root = await tempDir();
    await writeTree(root, {
      'index.html': 'home',
      'latest.html': { link: 'index.html' },
      'new.html': { link: 'index.html' },
    });
    const bucket = await s3.bucket();
    // As Cloudflare R2 does: the PUT succeeds, the location is not kept.
    const proxy = await startS3Proxy({
      upstream: s3.server.endpoint,
      fault: (request) =>
        request.method === 'HEAD' ? { dropResponseHeader: 'x-amz-website-redirect-location' } : undefined,
    });
    try {
      const run = await copy(s3, 'push', root, bucket, { endpoint: proxy.endpoint });
      assert.equal(run.requests.HEAD, 1, 'one HEAD, whatever the number of redirects');
      const warning = run.result.warnings.find((w) => /did not keep the redirect/.test(w.message));
      assert.ok(warning, JSON.stringify(run.result.warnings));
      assert.match(
        warning.message,
        /2 links pushed as redirects are empty files there, and every push writes them again/,
      );
      assert.match(warning.message, /Use a store that keeps website redirects/);
    } finally {
      await proxy.stop();
    }
  });

  it('costs no warning on a store that keeps them, and no HEAD when no redirect was written', async () => {
    const root = await tempDir();
    await writeTree(root, { 'index.html': 'home', 'latest.html': { link: 'index.html' } });
    const bucket = await s3.bucket();
    const first = await copy(s3, 'push', root, bucket);
    assert.deepEqual(first.result.warnings, []);
    assert.equal(first.requests.HEAD, 1);
    await writeTree(root, { 'about.html': 'about' });
    const second = await copy(s3, 'push', root, bucket);
    // The HEAD of the zero-byte object the bucket already had, and no check: no redirect was written.
    assert.deepEqual([second.result.outcome.redirected.length, second.requests.HEAD], [0, 1]);
  });
});

describe('a bucket in another region than the region input', () => {
  it('just works: the client follows the redirect to the bucket’s region', async () => {
    const signedFor: string[] = [];
    // Answers as S3 does a request signed for the wrong region: 301 with the bucket's region.
    const server = createServer((request, response) => {
      const region = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? '';
      signedFor.push(region);
      if (region !== 'eu-west-1') {
        response.writeHead(301, { 'x-amz-bucket-region': 'eu-west-1', 'content-type': 'application/xml' });
        response.end('<Error><Code>PermanentRedirect</Code><Message>Use the eu-west-1 endpoint.</Message></Error>');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/xml' });
      response.end(
        '<ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount></ListBucketResult>',
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    const client = actionClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const page = await client.send(new ListObjectsV2Command({ Bucket: 'far-away' }));
      assert.equal(page.KeyCount, 0);
      assert.deepEqual(signedFor, ['us-east-1', 'eu-west-1']);
    } finally {
      client.destroy();
      server.close();
    }
  });
});

describe('round-trip facts', () => {
  it('a chain of links is flattened on push: the redirect points at the final file, one 301', async () => {
    const root = await tempDir();
    await writeTree(root, {
      'page.html': 'p',
      'latest.html': { link: 'page.html' },
      'chain.html': { link: 'latest.html' },
    });
    const bucket = await s3.bucket();
    await copy(s3, 'push', root, bucket);
    assert.equal((await headObject(s3.client, bucket, 'chain.html')).WebsiteRedirectLocation, '/page.html');
  });

  it('empty folders are not kept: S3 has none, so a pull does not bring them back', async () => {
    const root = await tempDir();
    await writeTree(root, { 'index.html': 'home' });
    await mkdir(path.join(root, 'empty', 'deeper'), { recursive: true });
    const bucket = await s3.bucket();
    await copy(s3, 'push', root, bucket);
    const mirror = await tempDir();
    await copy(s3, 'pull', mirror, bucket);
    assert.deepEqual(await readdir(mirror), ['index.html']);
  });
});
