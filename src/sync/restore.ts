import { CopyObjectCommand, HeadObjectCommand, type HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import type { RemoteLocation } from '../bucket/list.js';
import type { ObjectVersion } from '../bucket/versions.js';
import { bareEtag, type RemoteEntry } from '../model/entries.js';
import { tagged } from '../model/errors.js';
import type { StorageSettings } from '../model/headers.js';
import { keysForRedirectLocation, withPrefix } from '../model/keys.js';
import { versionOf, type Outcome, type WrittenObject } from '../model/outcome.js';
import type { Plan, RedirectCopy } from '../model/plan.js';
import { forEachBounded } from '../model/pool.js';
import { progressLogger, type Reporter } from '../model/reporter.js';
import { plural } from '../model/words.js';
import { deleteObjects, deleteRequests } from './delete.js';
import { deployWaves } from './deploy-order.js';

/** A rollback's plan: the deploy's versions as the source, the bucket now as the destination. */
export type RollbackPlan = Plan<RemoteEntry, RemoteEntry>;

export interface RestoreContext {
  remote: RemoteLocation;
  concurrency: number;
  /** Encryption, ACL and storage class: a copy takes the bucket's defaults, not the source's, for these. */
  storage: StorageSettings;
  reporter: Reporter;
}

/** CopyObject copies at most 5 GiB in one request. */
export const COPY_LIMIT = 5 * 1024 ** 3;

/** What the apply restores from: the version of each key, and the headers of each redirect (from its HEAD). */
export interface Restoring {
  versions: ReadonlyMap<string, ObjectVersion>;
  redirects: ReadonlyMap<string, RedirectHeaders>;
}

/**
 * Restores the plan's versions by server-side copies, in deploy order
 * (assets, pages, then redirects), then deletes what the deploy did not
 * have. No file's bytes pass through the runner.
 */
export async function applyRestore(
  plan: RollbackPlan,
  restoring: Restoring,
  outcome: Outcome,
  context: RestoreContext,
): Promise<void> {
  const total = plan.copies.length + plan.redirects.length;
  if (total > 0) {
    const tick = progressLogger(context.reporter, 'restore', total);
    const title = `Restore ${plural(plan.copies.length, 'file')}, then ${plural(plan.redirects.length, 'redirect')}`;
    await context.reporter.group(title, async () => {
      for (const wave of deployWaves(plan.copies)) {
        await forEachBounded(wave, context.concurrency, async (copy) => {
          const version = restoring.versions.get(copy.key) as ObjectVersion;
          outcome.written.set(copy.key, await copyVersion(copy.key, version, context));
          outcome.copied.push(copy);
          tick();
        });
      }
      await forEachBounded(plan.redirects, context.concurrency, async (redirect) => {
        const version = restoring.versions.get(redirect.key) as ObjectVersion;
        const headers = restoring.redirects.get(redirect.key);
        outcome.written.set(redirect.key, await copyVersion(redirect.key, version, context, headers));
        outcome.redirected.push(redirect);
        tick();
      });
    });
  }
  await deleteObjects(plan.deletes, outcome, context);
}

/** Requests the apply sends: a copy each, and the delete batches. */
export function restoreRequestEstimate(plan: RollbackPlan): number {
  return plan.copies.length + plan.redirects.length + deleteRequests(plan.deletes.length);
}

/**
 * An empty version may be a redirect, and CopyObject does not carry
 * x-amz-website-redirect-location over (S3 drops it unless the request sets
 * it): a HEAD of each empty version to restore says, before any change.
 */
export async function inspectEmptyVersions(
  plan: RollbackPlan,
  { remote, concurrency }: Pick<RestoreContext, 'remote' | 'concurrency'>,
): Promise<Map<string, RedirectHeaders>> {
  const redirects = new Map<string, RedirectHeaders>();
  const empty = plan.copies.filter((copy) => copy.entry.size === 0);
  await forEachBounded(empty, concurrency, async (copy) => {
    const head = await tagged('inspect', copy.key, () =>
      remote.client.send(
        new HeadObjectCommand({
          Bucket: remote.bucket,
          Key: withPrefix(remote.prefix, copy.key),
          VersionId: copy.entry.version,
        }),
      ),
    );
    if (head.WebsiteRedirectLocation === undefined || head.WebsiteRedirectLocation === '') return;
    const { ContentType, CacheControl, ContentDisposition, ContentEncoding, ContentLanguage, Expires, Metadata } = head;
    const headers = {
      ContentType,
      CacheControl,
      ContentDisposition,
      ContentEncoding,
      ContentLanguage,
      Expires,
      Metadata,
    };
    redirects.set(copy.key, { ...headers, WebsiteRedirectLocation: head.WebsiteRedirectLocation });
  });
  return redirects;
}

/** The plan with the copies of redirect versions as redirects: the report counts and lists them so. */
export function withRedirects(
  plan: RollbackPlan,
  redirects: ReadonlyMap<string, RedirectHeaders>,
  prefix: string,
): RollbackPlan {
  if (redirects.size === 0) return plan;
  const restored: RedirectCopy[] = [];
  for (const copy of plan.copies) {
    const location = redirects.get(copy.key)?.WebsiteRedirectLocation;
    if (location === undefined) continue;
    const target = keysForRedirectLocation(prefix, location);
    const reason = copy.reason === 'new' ? 'new' : 'target differs';
    restored.push({
      key: copy.key,
      target: target.ok ? (target.candidates[0] ?? location) : location,
      location,
      reason,
    });
  }
  const copies = plan.copies.filter((copy) => !redirects.has(copy.key));
  return { ...plan, copies, redirects: [...plan.redirects, ...restored] };
}

/** The source of a copy: one version of the key. */
function copySource({ bucket, prefix }: RemoteLocation, key: string, version: string): string {
  const encoded = withPrefix(prefix, key).split('/').map(encodeURIComponent).join('/');
  return `${bucket}/${encoded}?versionId=${encodeURIComponent(version)}`;
}

/**
 * A copy of the version onto the key: with its headers and metadata
 * (MetadataDirective COPY), or for a redirect with every header sent
 * again, its location included (REPLACE).
 */
async function copyVersion(
  key: string,
  version: ObjectVersion,
  { remote, storage }: RestoreContext,
  headers?: RedirectHeaders,
): Promise<WrittenObject> {
  const response = await tagged(headers === undefined ? 'restore' : 'redirect', key, () =>
    remote.client.send(
      new CopyObjectCommand({
        ...storage,
        ...headers,
        Bucket: remote.bucket,
        Key: withPrefix(remote.prefix, key),
        CopySource: copySource(remote, key, version.id),
        MetadataDirective: headers === undefined ? 'COPY' : 'REPLACE',
      }),
    ),
  );
  const etag = bareEtag(response.CopyObjectResult?.ETag) ?? version.etag;
  const location = headers?.WebsiteRedirectLocation;
  return { size: version.size, etag, ...(location === undefined ? {} : { location }), ...versionOf(response) };
}

export type RedirectHeaders = Pick<
  HeadObjectCommandOutput,
  | 'ContentType'
  | 'CacheControl'
  | 'ContentDisposition'
  | 'ContentEncoding'
  | 'ContentLanguage'
  | 'Expires'
  | 'Metadata'
  | 'WebsiteRedirectLocation'
>;
