import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, openSync, readFileSync } from 'node:fs';
import {
  AbortMultipartUploadCommand,
  CopyObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { LARGE_UPLOAD_SLOTS } from '../bucket/client.js';
import type { RemoteLocation } from '../bucket/list.js';
import { fileMd5, gzipBytes, hashingStream, PART_SIZE, SMALL_FILE } from '../local/digest.js';
import { bareEtag, EMPTY_MD5, type LinkCopy, type LocalFile, type StoresGzipped } from '../model/entries.js';
import { errorMessage, tagged } from '../model/errors.js';
import type { HeadersFor } from '../model/headers.js';
import { localPathForKey, s3Url, withPrefix } from '../model/keys.js';
import { folderTagMetadata, linkCopyMetadata } from '../model/link-tags.js';
import { versionOf, type Outcome, type WrittenObject } from '../model/outcome.js';
import type { FileCopy, PushPlan, RedirectCopy } from '../model/plan.js';
import { forEachBounded, forEachBoundedGroups } from '../model/pool.js';
import { bytesOf, progressLogger, type Reporter } from '../model/reporter.js';
import { plural } from '../model/words.js';
import { deleteObjects, deleteRequests } from './delete.js';
import { deployWaves, largestFirst } from './deploy-order.js';

export interface PushContext {
  root: string;
  remote: RemoteLocation;
  concurrency: number;
  /** The headers the rules give a key, for its file or its redirect object. */
  headersFor: HeadersFor;
  storesGzipped: StoresGzipped;
  reporter: Reporter;
}

/**
 * Applies a push plan in deploy order (deploy-order.ts), recording each finished
 * step in `outcome`. Any failure stops the run before the deletes.
 */
export async function applyPush(plan: PushPlan, outcome: Outcome, context: PushContext): Promise<void> {
  await uploadAndRedirect(plan, outcome, context);
  await checkRedirectsKept(outcome, context);
  await updateHeaders(plan, outcome, context);
  await deleteObjects(plan.deletes, outcome, context);
}

/**
 * Objects whose content is up to date but whose headers the rules now set
 * otherwise are copied onto themselves with every header and metadata field
 * sent again (md5 and redirect location included): no body is sent.
 */
async function updateHeaders(plan: PushPlan, outcome: Outcome, context: PushContext): Promise<void> {
  const { remote, reporter, headersFor } = context;
  if (plan.updates.length === 0) return;
  await reporter.group(`Update the headers of ${plural(plan.updates.length, 'object')}`, async () => {
    await forEachBounded(plan.updates, context.concurrency, async (update) => {
      const objectKey = withPrefix(remote.prefix, update.key);
      const { Metadata: metadata, ...headers } = headersFor(update.key);
      const redirect = update.entry.kind === 'redirect' ? update.entry : undefined;
      const file = update.entry.kind === 'file' ? update.entry : undefined;
      // The object's own md5, or the source's where another tool's write dropped the metadata.
      const md5 = file === undefined ? undefined : (file.md5 ?? update.md5);
      const response = await tagged('update', update.key, () =>
        remote.client.send(
          new CopyObjectCommand({
            ...headers,
            Bucket: remote.bucket,
            Key: objectKey,
            CopySource: `${remote.bucket}/${objectKey.split('/').map(encodeURIComponent).join('/')}`,
            MetadataDirective: 'REPLACE',
            Metadata: {
              ...metadata,
              ...(md5 === undefined ? {} : { md5 }),
              ...(redirect?.folder === undefined ? {} : folderTagMetadata(redirect.folder)),
            },
            ...(file?.encoding === undefined ? {} : { ContentEncoding: file.encoding }),
            ...(redirect === undefined ? {} : { WebsiteRedirectLocation: redirect.location }),
          }),
        ),
      );
      const etag = bareEtag(response.CopyObjectResult?.ETag) ?? update.entry.etag ?? '';
      outcome.written.set(update.key, {
        size: file?.size ?? 0,
        etag,
        ...versionOf(response),
        ...(md5 === undefined ? {} : { md5 }),
        ...(file?.encoding === undefined ? {} : { encoding: file.encoding }),
        ...(redirect === undefined ? {} : { location: redirect.location }),
        ...(redirect?.folder === undefined ? {} : { folder: redirect.folder }),
      });
      outcome.updated.push(update);
      reporter.debug(`updated ${update.key} (${update.reason})`);
    });
  });
}

/**
 * Some S3-compatible stores (Cloudflare R2, for one) accept a redirect's PUT
 * but keep no WebsiteRedirectLocation: the link becomes an empty file, and
 * every later push writes it again. One HEAD of a redirect just written tells.
 */
async function checkRedirectsKept(outcome: Outcome, { remote, reporter }: PushContext): Promise<void> {
  const written = outcome.redirected[0];
  if (written === undefined) return;
  const head = await tagged('inspect', written.key, () =>
    remote.client.send(new HeadObjectCommand({ Bucket: remote.bucket, Key: withPrefix(remote.prefix, written.key) })),
  );
  if (head.WebsiteRedirectLocation === written.location) return;
  const warning = {
    key: written.key,
    message:
      `${remote.endpointName ?? 'This store'} did not keep the redirect just written (x-amz-website-redirect-location ` +
      `came back ${head.WebsiteRedirectLocation === undefined ? 'missing' : `as ${head.WebsiteRedirectLocation}`}), so ` +
      `the ${plural(outcome.redirected.length, 'link')} pushed as redirects are empty files there, and every push writes them again. ` +
      'Use a store that keeps website redirects (AWS S3 does; see the README), or exclude the symlinks.',
  };
  reporter.warn(warning.key, warning.message);
  outcome.warnings.push(warning);
}

async function uploadAndRedirect(plan: PushPlan, outcome: Outcome, context: PushContext): Promise<void> {
  const { reporter, concurrency } = context;
  if (plan.copies.length + plan.redirects.length === 0) return;
  const links = plan.copies.filter((copy) => copy.entry.link !== undefined);
  const waves = deployWaves(plan.copies.filter((copy) => copy.entry.link === undefined));
  const title = `Upload ${plural(plan.copies.length, 'file')}, then ${plural(plan.redirects.length, 'redirect')}`;
  await reporter.group(title, async () => {
    const tick = progressLogger(reporter, 'upload', plan.copies.length + plan.redirects.length, bytesOf(plan.copies));
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
        outcome.written.set(copy.key, await tagged('upload', copy.key, () => uploadFile(copy, context)));
        reporter.debug(`uploaded ${copy.key} (${copy.reason})`);
        outcome.copied.push(copy);
        outcome.bytes += copy.entry.size;
        tick(copy.entry.size);
      });
    }
    // After the files they copy, which may have been uploaded just now; no byte is sent for them.
    await forEachBounded(links, concurrency, async (copy) => {
      outcome.written.set(copy.key, await tagged('update', copy.key, () => copyForLink(copy, outcome, context)));
      reporter.debug(`copied ${copy.entry.link?.target} to ${copy.key} (${copy.reason})`);
      outcome.copied.push(copy);
      tick();
    });
    await forEachBounded(plan.redirects, concurrency, async (redirect) => {
      outcome.written.set(redirect.key, await tagged('redirect', redirect.key, () => putRedirect(redirect, context)));
      reporter.debug(`redirected ${redirect.key} -> ${redirect.location} (${redirect.reason})`);
      outcome.redirected.push(redirect);
      tick();
    });
  });
}

/**
 * A symlink under `links: copy`: CopyObject from its target's key, with the
 * link key's own headers, the md5 and the metadata naming the symlink.
 */
async function copyForLink(copy: FileCopy<LocalFile>, outcome: Outcome, context: PushContext): Promise<WrittenObject> {
  const { remote, headersFor, root } = context;
  const link = copy.entry.link as LinkCopy;
  const md5 =
    copy.entry.md5 ??
    outcome.written.get(link.target)?.md5 ??
    (await fileMd5(localPathForKey(root, link.target), copy.entry.size));
  const { Metadata: metadata, ...headers } = headersFor(copy.key);
  const source = withPrefix(remote.prefix, link.target);
  const object: ObjectToPut = {
    params: { Bucket: remote.bucket, Key: withPrefix(remote.prefix, copy.key), ...headers },
    metadata: { ...metadata, ...linkCopyMetadata(link) },
    filePath: localPathForKey(root, link.target),
  };
  let response;
  try {
    response = await remote.client.send(
      new CopyObjectCommand({
        ...object.params,
        CopySource: `${remote.bucket}/${source.split('/').map(encodeURIComponent).join('/')}`,
        MetadataDirective: 'REPLACE',
        Metadata: { ...object.metadata, md5 },
      }),
    );
  } catch (error) {
    // The target is in the bucket; a store that misreads an encoded copy source (s3rver with "&", "?" or "+") gets the bytes.
    if ((error as { name?: string }).name !== 'NoSuchKey') throw error;
    const written =
      copy.entry.size <= SMALL_FILE ? await putSmall(object, remote) : await uploadInParts(copy, object, context);
    return { ...written, link };
  }
  const etag = bareEtag(response.CopyObjectResult?.ETag) ?? md5;
  return { size: copy.entry.size, etag, md5, link, ...versionOf(response) };
}

/** Uploads one file; returns what the bucket now holds at its key. */
async function uploadFile(copy: FileCopy<LocalFile>, context: PushContext): Promise<WrittenObject> {
  const { root, remote, headersFor, storesGzipped } = context;
  const filePath = localPathForKey(root, copy.key);
  const { Metadata: metadata, ...headers } = headersFor(copy.key);
  const object: ObjectToPut = {
    params: { Bucket: remote.bucket, Key: withPrefix(remote.prefix, copy.key), ...headers },
    metadata,
    filePath,
  };
  if (storesGzipped(copy.key, copy.entry.size)) return putGzipped(object, remote);
  if (copy.entry.size <= SMALL_FILE) return putSmall(object, remote);
  return uploadInParts(copy, object, context);
}

/** Where and how one file is stored: the request's fields, its metadata (md5 aside), and the file to read. */
interface ObjectToPut {
  params: Omit<PutObjectCommandInput, 'Metadata' | 'Body'>;
  metadata: Record<string, string>;
  filePath: string;
}

/**
 * The md5 metadata stays the original's, so change detection does not
 * depend on the compressor; Content-MD5 guards the compressed bytes sent.
 */
async function putGzipped({ params, metadata, filePath }: ObjectToPut, remote: RemoteLocation): Promise<WrittenObject> {
  const original = readNoFollow(filePath);
  const body = gzipBytes(original);
  const md5 = createHash('md5').update(original).digest('hex');
  const sent = createHash('md5').update(body).digest();
  const response = await remote.client.send(
    new PutObjectCommand({
      ...params,
      ContentEncoding: 'gzip',
      Metadata: { ...metadata, md5 },
      Body: body,
      ContentLength: body.length,
      ContentMD5: sent.toString('base64'),
    }),
  );
  const etag = bareEtag(response.ETag) ?? sent.toString('hex');
  return { size: body.length, etag, md5, encoding: 'gzip', ...versionOf(response) };
}

/**
 * One read, hashed and sent as is, so the md5 metadata always describes the
 * bytes sent, and Content-MD5 has S3 refuse them if they arrive otherwise
 * (ADR 0005). O_NOFOLLOW refuses a symlink swapped in since the scan.
 */
async function putSmall({ params, metadata, filePath }: ObjectToPut, remote: RemoteLocation): Promise<WrittenObject> {
  const body = readNoFollow(filePath);
  const md5 = createHash('md5').update(body).digest();
  const response = await remote.client.send(
    new PutObjectCommand({
      ...params,
      Metadata: { ...metadata, md5: md5.toString('hex') },
      Body: body,
      ContentLength: body.length,
      ContentMD5: md5.toString('base64'),
    }),
  );
  const etag = bareEtag(response.ETag) ?? md5.toString('hex');
  return { size: body.length, etag, md5: md5.toString('hex'), ...versionOf(response) };
}

/**
 * The metadata goes out before the first part, so a large file is hashed
 * first if the comparison did not need its md5; the bytes sent are hashed
 * again on the way and checked against it.
 */
async function uploadInParts(
  copy: FileCopy<LocalFile>,
  { params, metadata, filePath }: ObjectToPut,
  { remote, reporter }: PushContext,
): Promise<WrittenObject> {
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
    params: { ...params, Metadata: { ...metadata, md5 }, Body: source.pipe(hashing.stream) },
  });
  let etag: string | undefined;
  let version: { version?: string } | undefined;
  try {
    const done = await upload.done();
    etag = bareEtag(done.ETag);
    version = versionOf(done);
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
  return { size: hashing.bytes(), etag: etag ?? copy.entry.multipartEtag ?? md5, md5, ...(version ?? {}) };
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
        `and billed, until an AbortMultipartUpload of upload ${uploadId} on ${s3Url(remote.bucket, remote.prefix, key)} ` +
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

/**
 * A redirect object carries its key's headers too: a CDN caches a 301 as its
 * Cache-Control says. One of a symlink to a folder names it, for a pull to make it again.
 */
async function putRedirect(redirect: RedirectCopy, { remote, headersFor }: PushContext): Promise<WrittenObject> {
  const { Metadata: metadata, ...headers } = headersFor(redirect.key);
  const { folder } = redirect;
  const response = await remote.client.send(
    new PutObjectCommand({
      ...headers,
      Metadata: folder === undefined ? metadata : { ...metadata, ...folderTagMetadata(folder) },
      Bucket: remote.bucket,
      Key: withPrefix(remote.prefix, redirect.key),
      Body: '',
      // Without an explicit length the SDK warns about a stream of unknown length.
      ContentLength: 0,
      WebsiteRedirectLocation: redirect.location,
    }),
  );
  const written = {
    size: 0,
    etag: bareEtag(response.ETag) ?? EMPTY_MD5,
    location: redirect.location,
    ...versionOf(response),
  };
  return folder === undefined ? written : { ...written, folder };
}

/** Requests a push plan will send, so the budget can be checked up front. */
export function pushRequestEstimate(plan: PushPlan, storesGzipped: StoresGzipped = () => false): number {
  // The redirects, one HEAD to check the store kept them, the header updates and the delete batches.
  let requests =
    plan.redirects.length +
    Math.min(plan.redirects.length, 1) +
    plan.updates.length +
    deleteRequests(plan.deletes.length);
  for (const copy of plan.copies) {
    // Create + parts + complete for multipart uploads, one PUT (or CopyObject for a link) otherwise.
    const multipart =
      copy.entry.size > PART_SIZE && !storesGzipped(copy.key, copy.entry.size) && copy.entry.link === undefined;
    requests += multipart ? Math.ceil(copy.entry.size / PART_SIZE) + 2 : 1;
  }
  return requests;
}
