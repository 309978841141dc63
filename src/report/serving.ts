/**
 * Whether what a push wrote will be served as meant: redirect objects work
 * only from a bucket's website endpoint with hosting on, and the website
 * endpoint cannot serve SSE-KMS objects. Pure: the facts come from the
 * bucket's website configuration (asked only when the push writes redirects)
 * and the CloudFront configs already read before the sync.
 */
import { enableHostingCommand, type WebsiteHosting } from '../bucket/website.js';
import type { ServedDistribution } from '../cdn/preflight.js';
import { plural } from './format.js';

export interface ServingFacts {
  bucket: string;
  /** Redirect objects the push writes (or, on a dry run, would write). */
  redirects: number;
  /** The bucket's hosting; undefined when it was not asked (no redirects). */
  hosting: WebsiteHosting | undefined;
  distributions: Pick<ServedDistribution, 'distributionId' | 'endpoint'>[];
  /** The `sse` input, if set. */
  sse: string | undefined;
  indexDocument: string;
}

export interface ServingVerdict {
  /** Each is one warning: something visitors will see go wrong. */
  warnings: string[];
  /** Log lines: what was found, or why it could not be. */
  notes: string[];
}

/** What the facts mean for visitors, worded with the fix. */
export function servingVerdict(facts: ServingFacts): ServingVerdict {
  return {
    warnings: [...hostingWarnings(facts), ...restOriginWarnings(facts), ...kmsWebsiteWarnings(facts)],
    notes: hostingNotes(facts),
  };
}

function hostingWarnings({ bucket, redirects, hosting, indexDocument }: ServingFacts): string[] {
  if (hosting?.state !== 'off' || redirects === 0) return [];
  return [
    `Bucket ${bucket} has no static website hosting, so the ${plural(redirects, 'redirect')} this push writes ` +
      'will not be served (S3 serves a redirect object only from the website endpoint of a bucket with hosting on). ' +
      `Turn hosting on: ${enableHostingCommand(bucket, indexDocument)}`,
  ];
}

function hostingNotes({ bucket, redirects, hosting }: ServingFacts): string[] {
  if (hosting === undefined) return [];
  const written = `the ${plural(redirects, 'redirect')} are written either way`;
  switch (hosting.state) {
    case 'on':
      return [`Bucket ${bucket} hosts a website: its website endpoint serves the redirects.`];
    case 'denied':
      return [
        `Could not check that bucket ${bucket} hosts a website, which redirects need: allow s3:GetBucketWebsite ` +
          `to have it checked (${written}).`,
      ];
    case 'unknown':
      return [`Could not check that bucket ${bucket} hosts a website (${hosting.reason}); ${written}.`];
    default:
      // 'off' is a warning; a store without the call has nothing to say.
      return [];
  }
}

function restOriginWarnings({ bucket, redirects, distributions }: ServingFacts): string[] {
  if (redirects === 0) return [];
  return distributions
    .filter((distribution) => distribution.endpoint === 'rest')
    .map(
      ({ distributionId }) =>
        `CloudFront distribution ${distributionId} reaches bucket ${bucket} through its REST endpoint, which serves ` +
        `the ${plural(redirects, 'redirect')} this push writes as empty pages. Make the bucket's website endpoint ` +
        '(BUCKET.s3-website-REGION.amazonaws.com, with hosting on) the origin, or set links: copy to upload copies ' +
        'instead of redirects.',
    );
}

function kmsWebsiteWarnings({ bucket, distributions, sse }: ServingFacts): string[] {
  if (sse === undefined || !sse.startsWith('aws:kms')) return [];
  return distributions
    .filter((distribution) => distribution.endpoint === 'website')
    .map(
      ({ distributionId }) =>
        `CloudFront distribution ${distributionId} reaches bucket ${bucket} through its website endpoint, which ` +
        `cannot serve objects encrypted with SSE-KMS (sse: ${sse}): visitors get errors. Use sse: AES256, or make ` +
        'the REST endpoint, with origin access control, the origin.',
    );
}
