/**
 * Which origin of a CloudFront distribution serves a bucket, and under which
 * origin path. Pure.
 *
 * Only AWS S3 host names are recognised: website endpoints
 * (`BUCKET.s3-website-REGION.amazonaws.com`, `BUCKET.s3-website.REGION…`),
 * virtual-hosted REST endpoints (`BUCKET.s3.amazonaws.com`,
 * `BUCKET.s3.REGION…`, `BUCKET.s3-REGION…`, `BUCKET.s3.dualstack.REGION…`)
 * and path-style REST endpoints (`s3.REGION.amazonaws.com`,
 * `s3.amazonaws.com`) with an origin path of `/BUCKET…`. China's
 * `amazonaws.com.cn` is accepted too.
 *
 * With an S3-compatible `endpoint`, its host counts the same way: as
 * `BUCKET.HOST` (virtual-hosted) or as `HOST` with an origin path of
 * `/BUCKET…` (path style).
 *
 * An origin whose domain is the bucket name itself (a CNAME-style bucket
 * such as `www.example.com` reached through a custom domain) is NOT matched:
 * that host name may as well be any other server, and mapping keys onto it
 * would guess. The caller then refuses the distribution.
 */
import type { DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';

export interface BucketOrigin {
  originId: string;
  /** The origin path as a key prefix: '' or `/live`, never ending in `/`. */
  originPath: string;
}

/**
 * Which kind of endpoint an origin reaches: S3 serves redirect objects, and
 * only them, from the website endpoint; and only the REST endpoint serves
 * SSE-KMS objects.
 */
export type OriginEndpoint = 'website' | 'rest';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const REGION = '[a-z0-9-]+';
const AWS_DOMAIN = 'amazonaws\\.com(?:\\.cn)?';

function virtualHosted(bucket: string): RegExp {
  const b = escape(bucket.toLowerCase());
  return new RegExp(
    `^${b}\\.(?:` +
      [
        `s3-website-${REGION}`,
        `s3-website\\.${REGION}`,
        's3',
        `s3\\.${REGION}`,
        `s3-${REGION}`,
        `s3\\.dualstack\\.${REGION}`,
      ].join('|') +
      `)\\.${AWS_DOMAIN}$`,
  );
}

const WEBSITE_HOST = new RegExp(`\\.s3-website[.-]${REGION}\\.${AWS_DOMAIN}$`);

const PATH_STYLE = new RegExp(`^s3(?:[.-]${REGION}|\\.dualstack\\.${REGION})?\\.${AWS_DOMAIN}$`);

function host(origin: Origin): string {
  return (origin.DomainName ?? '').trim().toLowerCase().replace(/\.$/, '');
}

const trimPath = (path: string | undefined): string => (path ?? '').replace(/\/+$/, '');

/** The origin path this origin uses for the bucket, or undefined if it does not serve it. */
function servesBucket(origin: Origin, bucket: string, endpointHost: string | undefined): string | undefined {
  const name = host(origin);
  const originPath = trimPath(origin.OriginPath);
  const onEndpoint = endpointHost !== undefined;
  if (virtualHosted(bucket).test(name) || (onEndpoint && name === `${bucket.toLowerCase()}.${endpointHost}`)) {
    return originPath;
  }
  if (PATH_STYLE.test(name) || (onEndpoint && name === endpointHost)) {
    // Path style: the origin path starts with the bucket, which is not part of any key.
    const bucketPart = `/${bucket}`;
    if (originPath === bucketPart) return '';
    if (originPath.startsWith(`${bucketPart}/`)) return originPath.slice(bucketPart.length);
  }
  return undefined;
}

/** The host name of an S3-compatible endpoint URL, as an origin would name it. */
function hostOf(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  try {
    return new URL(endpoint).hostname.toLowerCase().replace(/\.$/, '') || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The origin serving `bucket` (on AWS, or on `endpoint` when the run names
 * one), preferring the one the default cache behaviour sends requests to
 * (directly or as a member of its origin group) when several do. Undefined
 * when none does.
 */
export function originPathFor(
  config: DistributionConfig,
  bucket: string,
  endpoint: string | undefined,
): BucketOrigin | undefined {
  const endpointHost = hostOf(endpoint);
  const matches: BucketOrigin[] = [];
  for (const origin of config.Origins?.Items ?? []) {
    const originPath = servesBucket(origin, bucket, endpointHost);
    if (originPath !== undefined && origin.Id !== undefined) matches.push({ originId: origin.Id, originPath });
  }
  if (matches.length <= 1) return matches[0];

  const target = config.DefaultCacheBehavior?.TargetOriginId;
  const group = config.OriginGroups?.Items?.find((candidate) => candidate.Id === target);
  const preferred = new Set<string | undefined>([
    target,
    ...(group?.Members?.Items ?? []).map((member) => member.OriginId),
  ]);
  return matches.find((match) => preferred.has(match.originId)) ?? matches[0];
}

/** The kind of endpoint the origin `originId` of a distribution reaches. */
export function originEndpoint(config: DistributionConfig, originId: string): OriginEndpoint {
  const origin = config.Origins?.Items?.find((candidate) => candidate.Id === originId);
  return origin !== undefined && WEBSITE_HOST.test(host(origin)) ? 'website' : 'rest';
}
