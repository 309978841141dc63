import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, openSync, readFileSync } from 'node:fs';
import { AbortMultipartUploadCommand, DeleteObjectsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { deployWaves, largestFirst } from './apply-order.js';
import { fileMd5, hashingStream, PART_SIZE, SMALL_FILE } from './digest.js';
import { errorMessage, OperationError, tagged } from './errors.js';
import { localPathForKey, stripPrefix, withPrefix } from './keys.js';
import type { Outcome } from './outcome.js';
import { forEachBounded, forEachBoundedGroups } from './parallel.js';
import type { FileCopy, Plan, RedirectCopy, Removal } from './plan.js';
import type { RemoteLocation } from './remote-list.js';
import { progressLogger, type Reporter } from './reporter.js';
import { plural } from './words.js';

export interface PushContext {
  root: string;
  remote: RemoteLocation;
  concurrency: number;
  contentType: (key: string) => string;
  cacheControl: (key: string) => string | undefined;
  reporter: Reporter;
}

const DELETE_BATCH = 1000;
/**
 * Multipart uploads in flight at once, whatever the concurrency: each holds up
 * to three 8 MiB parts in memory, so 4 slots keep a push under ~100 MiB of part
 * buffers while the small files go on at full concurrency.
 */
export const LARGE_UPLOAD_SLOTS = 4;

/**
 * Applies a push plan in the order of apply-order.ts, recording each finished
 * step in `outcome`. Any failure stops the run before the deletes.
 */
export async function applyPush(plan: Plan, outcome: Outcome, context: PushContext): Promise<void> {
  await uploadAndRedirect(plan, outcome, context);
  await deleteObjects(plan, outcome, context);
}

async function uploadAndRedirect(plan: Plan, outcome: Outcome, context: PushContext): Promise<void> {
  const { reporter, concurrency } = context;
  if (plan.copies.length + plan.redirects.length === 0) return;
  const waves = deployWaves(plan.copies);
  const title = `Upload ${plural(plan.copies.length, 'file')}, then ${plural(plan.redirects.length, 'redirect')}`;
  await reporter.group(title, async () => {
    const tick = progressLogger(reporter, 'upload', plan.copies.length + plan.redirects.length);
    for (const wave of waves) {
      // Large files have slots of their own and start first, so they run
      // alongside the small files instead of trailing the wave, and never
      // hold a small file's slot while they wait for one.
      const large = largestFirst(wave.filter((copy) => copy.entry.size > SMALL_FILE));
      const small = wave.filter((copy) => copy.entry.size <= SMALL_FILE);
      const groups = [
        { items: large, concurrency: LARGE_UPLOAD_SLOTS },
        { items: small, concurrency },
      ];
      await forEachBoundedGroups(groups, async (copy) => {
        await tagged('upload', copy.key, () => uploadFile(copy, context));
        reporter.debug(`uploaded ${copy.key} (${copy.reason})`);
        outcome.copied.push(copy);
        outcome.bytes += copy.entry.size;
        tick();
      });
    }
    await forEachBounded(plan.redirects, concurrency, async (redirect) => {
      await tagged('redirect', redirect.key, () => putRedirect(redirect, context));
      reporter.debug(`redirected ${redirect.key} -> ${redirect.location} (${redirect.reason})`);
      outcome.redirected.push(redirect);
      tick();
    });
  });
}

async function deleteObjects(plan: Plan, outcome: Outcome, context: PushContext): Promise<void> {
  if (plan.deletes.length === 0) return;
  await context.reporter.group(`Delete ${plural(plan.deletes.length, 'object')}`, async () => {
    // One batch at a time: each already carries 1000 keys, and S3 throttles
    // writes per prefix (s3rver even fails concurrent batches in one folder).
    for (let i = 0; i < plan.deletes.length; i += DELETE_BATCH) {
      await deleteBatch(plan.deletes.slice(i, i + DELETE_BATCH), outcome, context);
    }
  });
}

async function uploadFile(copy: FileCopy, { root, remote, contentType, cacheControl, reporter }: PushContext) {
  const filePath = localPathForKey(root, copy.key);
  const params = {
    Bucket: remote.bucket,
    Key: withPrefix(remote.prefix, copy.key),
    ContentType: contentType(copy.key),
    CacheControl: cacheControl(copy.key),
  };
  if (copy.entry.size <= SMALL_FILE) {
    // One read, hashed and sent as is, so the md5 metadata always describes
    // the bytes sent, and Content-MD5 has S3 refuse them if they arrive
    // otherwise. A synchronous read is the cheap way for small files (see
    // SMALL_FILE); O_NOFOLLOW refuses a symlink swapped in since the scan.
    const body = readNoFollow(filePath);
    const md5 = createHash('md5').update(body).digest();
    await remote.client.send(
      new PutObjectCommand({
        ...params,
        Metadata: { md5: md5.toString('hex') },
        Body: body,
        ContentLength: body.length,
        ContentMD5: md5.toString('base64'),
      }),
    );
    return;
  }
  // The metadata goes out before the first part, so a large file is hashed
  // first if the comparison did not need its md5; the bytes sent are hashed
  // again on the way and checked against it.
  const md5 = copy.entry.md5 ?? (await fileMd5(filePath, copy.entry.size));
  const hashing = hashingStream();
  const source = createReadStream(filePath, { fd: openNoFollow(filePath) });
  const upload = new Upload({
    client: remote.client,
    partSize: PART_SIZE,
    queueSize: 2,
    // The abort is done below: lib-storage's own lets a failed abort take the
    // place of the error that caused it.
    leavePartsOnError: true,
    params: { ...params, Metadata: { md5 }, Body: source.pipe(hashing.stream) },
  });
  try {
    await upload.done();
  } catch (error) {
    if (upload.uploadId !== undefined) await abortUpload(remote, copy.key, upload.uploadId, reporter);
    throw error;
  } finally {
    // An upload that fails before reading to the end leaves the file open.
    source.destroy();
  }
  const sent = hashing.md5();
  if (sent !== md5) {
    throw new Error(
      `${copy.key} changed while it was uploaded (md5 ${sent}, hashed as ${md5}); its object may be stale, run again`,
    );
  }
}

/**
 * Stored parts of an unfinished multipart upload are billed until they are
 * removed, so a failed upload is aborted; if that fails too, the run's error
 * stays the one that caused it and the leftover is named in a warning.
 */
async function abortUpload(remote: RemoteLocation, key: string, uploadId: string, reporter: Reporter) {
  const objectKey = withPrefix(remote.prefix, key);
  try {
    await remote.client.send(
      new AbortMultipartUploadCommand({ Bucket: remote.bucket, Key: objectKey, UploadId: uploadId }),
    );
  } catch (abortError) {
    // Gone already: an earlier attempt of this abort succeeded, or the upload completed after all.
    if ((abortError as { name?: string }).name === 'NoSuchUpload') return;
    reporter.warn(
      key,
      `Could not abort its unfinished multipart upload (${errorMessage(abortError)}): its parts stay stored, ` +
        `and billed, until an AbortMultipartUpload of upload ${uploadId} on s3://${remote.bucket}/${objectKey} ` +
        'or a lifecycle rule removes them',
    );
  }
}

/** Opens a file for reading, refusing to follow a symlink (where the platform can). */
function openNoFollow(filePath: string): number {
  return openSync(filePath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
}

/** readFileSync leaves a descriptor it was given open, so this closes it. */
function readNoFollow(filePath: string): Buffer {
  const fd = openNoFollow(filePath);
  try {
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function putRedirect(redirect: RedirectCopy, { remote }: PushContext) {
  await remote.client.send(
    new PutObjectCommand({
      Bucket: remote.bucket,
      Key: withPrefix(remote.prefix, redirect.key),
      Body: '',
      // Without an explicit length the SDK warns about a stream of unknown length.
      ContentLength: 0,
      WebsiteRedirectLocation: redirect.location,
    }),
  );
}

/**
 * One DeleteObjects. S3 answers 200 even when it refuses some keys, listing
 * them as errors: the others are gone, and are recorded as deleted.
 */
async function deleteBatch(batch: Removal[], outcome: Outcome, { remote }: PushContext): Promise<void> {
  const first = batch[0] as Removal;
  const response = await tagged('delete', first.key, () =>
    remote.client.send(
      new DeleteObjectsCommand({
        Bucket: remote.bucket,
        Delete: { Quiet: true, Objects: batch.map((removal) => ({ Key: withPrefix(remote.prefix, removal.key) })) },
      }),
    ),
  );
  const errors = response.Errors ?? [];
  const refused = new Set(errors.map((error) => error.Key));
  outcome.deleted.push(...batch.filter((removal) => !refused.has(withPrefix(remote.prefix, removal.key))));
  if (errors.length === 0) return;
  const named = errors
    .slice(0, 10)
    .map((error) => `${error.Key ?? '?'} (${error.Code ?? 'error'}: ${error.Message ?? ''})`)
    .join(', ');
  const more = errors.length > 10 ? ` and ${errors.length - 10} more` : '';
  const refusal = Object.assign(
    new Error(`S3 refused to delete ${errors.length} of ${batch.length} objects: ${named}${more}`),
    { name: errors[0]?.Code ?? 'DeleteRefused' },
  );
  const key = errors[0]?.Key ?? withPrefix(remote.prefix, first.key);
  throw new OperationError('delete', stripPrefix(remote.prefix, key) ?? key, refusal);
}

/** Requests a push plan will send, so the budget can be checked up front. */
export function pushRequestEstimate(plan: Plan): number {
  let requests = plan.redirects.length + Math.ceil(plan.deletes.length / DELETE_BATCH);
  for (const copy of plan.copies) {
    // Create + parts + complete for multipart uploads, one PUT otherwise.
    requests += copy.entry.size > PART_SIZE ? Math.ceil(copy.entry.size / PART_SIZE) + 2 : 1;
  }
  return requests;
}
