/**
 * Which origin of a distribution serves the bucket, and its origin path.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';
import { originPathFor } from '../../../src/cdn/origin.js';

const BUCKET = 'my-site';

function config(origins: Partial<Origin>[], target?: string, groups?: DistributionConfig['OriginGroups']) {
  const items = origins.map((origin, i) => ({ Id: `o${i}`, DomainName: '', OriginPath: '', ...origin }));
  return {
    CallerReference: 'x',
    Comment: '',
    Enabled: true,
    Origins: { Quantity: items.length, Items: items },
    OriginGroups: groups,
    DefaultCacheBehavior: { TargetOriginId: target ?? items[0]?.Id, ViewerProtocolPolicy: 'allow-all' },
  } as DistributionConfig;
}

const one = (DomainName: string, OriginPath = '', bucket = BUCKET, endpoint?: string) =>
  originPathFor(config([{ DomainName, OriginPath }]), bucket, endpoint);

describe('originPathFor', () => {
  it('matches website endpoints, both spellings', () => {
    assert.deepEqual(one('my-site.s3-website-us-east-1.amazonaws.com', '/live'), {
      originId: 'o0',
      originPath: '/live',
    });
    assert.deepEqual(one('my-site.s3-website.eu-central-1.amazonaws.com'), { originId: 'o0', originPath: '' });
  });

  it('matches virtual-hosted REST endpoints', () => {
    for (const host of [
      'my-site.s3.amazonaws.com',
      'my-site.s3.eu-west-1.amazonaws.com',
      'my-site.s3-eu-west-1.amazonaws.com',
      'my-site.s3.dualstack.us-west-2.amazonaws.com',
      'my-site.s3.cn-north-1.amazonaws.com.cn',
    ]) {
      assert.deepEqual(one(host, '/v2'), { originId: 'o0', originPath: '/v2' }, host);
    }
  });

  it('matches host names whatever their case, and a trailing dot', () => {
    assert.deepEqual(one('My-Site.S3.Amazonaws.com.'), { originId: 'o0', originPath: '' });
  });

  it('matches dotted bucket names literally', () => {
    assert.deepEqual(one('www.example.com.s3.amazonaws.com', '', 'www.example.com'), {
      originId: 'o0',
      originPath: '',
    });
    // The dots are not wildcards.
    assert.equal(one('wwwXexample.com.s3.amazonaws.com', '', 'www.example.com'), undefined);
  });

  it('takes the bucket out of a path-style origin path', () => {
    assert.deepEqual(one('s3.us-east-1.amazonaws.com', '/my-site'), { originId: 'o0', originPath: '' });
    assert.deepEqual(one('s3.amazonaws.com', '/my-site/live'), { originId: 'o0', originPath: '/live' });
    assert.deepEqual(one('s3-us-west-2.amazonaws.com', '/my-site/a/b'), { originId: 'o0', originPath: '/a/b' });
    // Another bucket, or one whose name merely starts the same.
    assert.equal(one('s3.amazonaws.com', '/other'), undefined);
    assert.equal(one('s3.amazonaws.com', '/my-site-2/live'), undefined);
    assert.equal(one('s3.amazonaws.com', ''), undefined);
  });

  it('does not match other buckets or hosts', () => {
    assert.equal(one('other.s3.amazonaws.com'), undefined);
    assert.equal(one('x.my-site.s3.amazonaws.com'), undefined);
    assert.equal(one('my-site.s3.amazonaws.com.evil.example'), undefined);
    assert.equal(one('my-site.example.com'), undefined);
    assert.equal(originPathFor(config([]), BUCKET, undefined), undefined);
  });

  it('does not match an origin named like a CNAME-style bucket: only AWS S3 host names count', () => {
    assert.equal(one('www.example.com', '', 'www.example.com'), undefined);
  });

  it("matches an S3-compatible endpoint's host, virtual-hosted or path style, when the run names one", () => {
    const minio = 'https://minio.example.com:9000';
    assert.deepEqual(one('my-site.minio.example.com', '/live', BUCKET, minio), { originId: 'o0', originPath: '/live' });
    assert.deepEqual(one('minio.example.com', '/my-site/live', BUCKET, minio), { originId: 'o0', originPath: '/live' });
    assert.deepEqual(one('MINIO.example.com.', '/my-site', BUCKET, minio), { originId: 'o0', originPath: '' });
    // AWS names still count with an endpoint (a copy of the site served from AWS, say).
    assert.deepEqual(one('my-site.s3.amazonaws.com', '', BUCKET, minio), { originId: 'o0', originPath: '' });
    assert.equal(one('minio.example.com', '/other', BUCKET, minio), undefined);
    assert.equal(one('other.minio.example.com', '', BUCKET, minio), undefined);
    // Without the endpoint, that host is any other server.
    assert.equal(one('minio.example.com', '/my-site'), undefined);
    assert.equal(one('my-site.undefined'), undefined);
  });

  it('ignores a trailing slash on the origin path', () => {
    assert.deepEqual(one('my-site.s3.amazonaws.com', '/live/'), { originId: 'o0', originPath: '/live' });
  });

  it('prefers the origin of the default cache behaviour when several serve the bucket', () => {
    const origins = [
      { DomainName: 'my-site.s3.amazonaws.com', OriginPath: '/a' },
      { DomainName: 'other.s3.amazonaws.com' },
      { DomainName: 'my-site.s3-website-us-east-1.amazonaws.com', OriginPath: '/b' },
    ];
    assert.deepEqual(originPathFor(config(origins, 'o2'), BUCKET, undefined), { originId: 'o2', originPath: '/b' });
    // Otherwise the first that serves it.
    assert.deepEqual(originPathFor(config(origins, 'o1'), BUCKET, undefined), { originId: 'o0', originPath: '/a' });
  });

  it('follows a default cache behaviour that targets an origin group', () => {
    const origins = [
      { DomainName: 'my-site.s3.amazonaws.com', OriginPath: '/a' },
      { DomainName: 'my-site.s3.eu-west-1.amazonaws.com', OriginPath: '/b' },
    ];
    const groups = {
      Quantity: 1,
      Items: [
        {
          Id: 'group',
          FailoverCriteria: { StatusCodes: { Quantity: 1, Items: [500] } },
          Members: { Quantity: 1, Items: [{ OriginId: 'o1' }] },
        },
      ],
    };
    assert.deepEqual(originPathFor(config(origins, 'group', groups), BUCKET, undefined), {
      originId: 'o1',
      originPath: '/b',
    });
  });
});
