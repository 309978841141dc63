// The order of a push's writes: assets, then HTML, then redirects, then deletes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProxiedRequest } from '../../../support/s3-proxy.js';
import { useCountingProxy, writesIn } from '../../helpers/proxy.js';
import { headObject, seed, useS3 } from '../../helpers/s3.js';
import { tempDir } from '../../helpers/temp.js';
import { writeTree, type TreeSpec } from '../../helpers/tree.js';

const s3 = useS3();
const proxy = useCountingProxy(s3);
const { viaProxy } = proxy;

describe('deploy order', () => {
  it('push uploads assets, then HTML, then redirects, then deletes', async () => {
    const source = await tempDir();
    const spec: TreeSpec = {};
    // Names interleave in key order, so only deliberate ordering passes.
    for (let i = 0; i < 12; i += 1) {
      spec[`p${i}.css`] = `css ${i}`;
      spec[`p${i}.html`] = `html ${i}`;
      spec[`p${i}.htm`] = `htm ${i}`;
      spec[`p${i}.js`] = `js ${i}`;
    }
    for (let i = 0; i < 6; i += 1) {
      spec[`a-link${i}.html`] = { link: `p${i}.html` };
      spec[`z-link${i}.css`] = { link: `p${i}.css` };
    }
    await writeTree(source, spec);
    const redirects = new Set(Object.keys(spec).filter((key) => typeof spec[key] === 'object'));
    const bucket = await s3.bucket();
    await seed(s3.client, bucket, { 'a-stale.txt': 'x', 'p0.css': 'old', 'z-stale.html': 'x' });

    const run = await viaProxy('push', source, bucket, { concurrency: 8 });
    assert.equal(run.result.outcome.deleted.length, 2);
    const phaseOf = (request: ProxiedRequest): number => {
      if (request.kind === 'POST') {
        assert.match(request.query, /(^|&)delete(=|&|$)/);
        return 3;
      }
      const key = request.key.slice(`/${bucket}/`.length);
      if (redirects.has(key)) return 2;
      return /\.html?$/.test(key) ? 1 : 0;
    };
    const phases = writesIn(proxy.log()).map(phaseOf);
    assert.deepEqual(
      phases,
      [...phases].sort((a, b) => a - b),
      'assets < HTML < redirects < DeleteObjects',
    );
    assert.deepEqual(
      [0, 1, 2, 3].map((phase) => phases.filter((p) => p === phase).length),
      [24, 24, 12, 1],
    );
    // The keys taken for redirects really are redirect objects.
    for (const key of redirects) {
      const head = await headObject(s3.client, bucket, key);
      assert.ok(head.WebsiteRedirectLocation, key);
      assert.equal(head.ContentLength, 0);
    }
  });
});
