import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, rmdir, symlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { hashingStream, SMALL_FILE } from '../local/digest.js';
import { localPathForKey, someFolderOf, withPrefix } from '../model/keys.js';
import {
  ensureRealFolder,
  type FolderOptions,
  isRealFolderChain,
  lstatOrUndefined,
  moveIntoPlace,
  removeQuietly,
  tempPathBeside,
} from '../local/fs.js';
import { reportSkipped } from './archived.js';
import { largestFirst } from './deploy-order.js';
import { rootCause, tagged } from '../model/errors.js';
import type { Outcome } from '../model/outcome.js';
import { forEachBounded } from '../model/pool.js';
import type { FileCopy, PullPlan, RedirectCopy, Warning } from '../model/plan.js';
import type { RemoteFile } from '../model/entries.js';
import type { RemoteLocation } from '../bucket/list.js';
import { progressLogger, type Reporter } from '../model/reporter.js';
import type { TempFiles } from '../local/temp-files.js';
import { plural } from '../model/words.js';

/** A finished download or link that waits for a local folder at its path to be emptied by the deletes. */
interface BlockedPlacement {
  key: string;
  temp: string;
  finalPath: string;
}

export interface PullContext {
  root: string;
  remote: RemoteLocation;
  concurrency: number;
  delete: boolean;
  /** Local folders, deepest first, to prune once deletes are done. */
  folders: string[];
  /** Where downloads in flight register their temporary files. */
  tempFiles: TempFiles;
  /** Keys stored gzip-compressed (the `gzip` input): written as the original bytes, with or without md5 metadata. */
  gzip: (key: string) => boolean;
  reporter: Reporter;
}

/** What one apply keeps while it runs, besides what the caller passed. */
interface PullRun extends PullContext {
  /** Placements blocked by a local folder, finished after the deletes. */
  blocked: BlockedPlacement[];
  /** Folders this run has already made sure are real; saves an lstat per segment per file. */
  verifiedFolders: Set<string>;
}

/**
 * Applies a pull plan: downloads, then symlinks, then deletes, the deletes
 * only once every download and link has succeeded (then the few downloads a
 * local folder stood in the way of). Downloads land in a
 * temporary file beside their destination and are renamed into place only
 * after their md5 checks out, so an interrupted run leaves no partial file.
 */
export async function applyPull(plan: PullPlan, outcome: Outcome, context: PullContext): Promise<void> {
  const run: PullRun = { ...context, verifiedFolders: new Set(), blocked: [] };
  await mkdir(run.root, { recursive: true });
  try {
    await downloadAndLink(plan, outcome, run);
    await deleteFiles(plan, outcome, run);
  } finally {
    // Parked temporary files of a run that failed before placing them.
    for (const placement of run.blocked) {
      run.tempFiles.release(placement.temp);
      await removeQuietly(placement.temp);
    }
  }
}

async function downloadAndLink(plan: PullPlan, outcome: Outcome, context: PullRun): Promise<void> {
  const { reporter, concurrency } = context;
  if (plan.copies.length + plan.redirects.length === 0) return;
  const title = `Download ${plural(plan.copies.length, 'file')}, then make ${plural(plan.redirects.length, 'symlink')}`;
  await reporter.group(title, async () => {
    const tick = progressLogger(reporter, 'download', plan.copies.length + plan.redirects.length);
    const archived: { key: string; reason: string }[] = [];
    await forEachBounded(largestFirst(plan.copies), concurrency, async (copy) => {
      const warning = await tagged('download', copy.key, () => downloadFile(copy, context)).catch((error: unknown) => {
        // An archive tier the listing did not show (Intelligent-Tiering's, say): skipped as archived.
        if ((rootCause(error) as { name?: string }).name !== 'InvalidObjectState') throw error;
        archived.push({ key: copy.key, reason: 'in an archive tier (InvalidObjectState)' });
        return 'archived' as const;
      });
      if (warning === 'archived') return tick();
      if (warning !== undefined) {
        reporter.warn(warning.key, warning.message);
        outcome.warnings.push(warning);
      }
      reporter.debug(`downloaded ${copy.key} (${copy.reason})`);
      outcome.copied.push(copy);
      outcome.bytes += copy.entry.size;
      tick();
    });
    outcome.warnings.push(...reportSkipped(archived, context.remote, reporter));
    // Links are made one at a time: they are local and cheap.
    for (const redirect of plan.redirects) {
      await tagged('link', redirect.key, () => makeSymlink(redirect, context));
      reporter.debug(`linked ${redirect.key} -> ${redirect.target} (${redirect.reason})`);
      outcome.redirected.push(redirect);
      tick();
    }
  });
}

async function deleteFiles(plan: PullPlan, outcome: Outcome, context: PullRun): Promise<void> {
  const { reporter } = context;

  // Before any delete: a folder in the way of a download must empty out
  // through the planned deletes alone, or the run fails here, deleting nothing.
  const deleting = new Set(plan.deletes.map((removal) => removal.key));
  for (const placement of context.blocked) {
    const kept = await firstEntryNotIn(placement.finalPath, placement.key, deleting);
    if (kept !== undefined) {
      throw new Error(
        `${placement.finalPath} is a folder locally that still holds files this run keeps (excluded or skipped names, such as ${kept}), so the bucket's ${placement.key} was not written there and nothing was deleted`,
      );
    }
  }

  if (context.delete && plan.deletes.length > 0) {
    await reporter.group(`Delete ${plural(plan.deletes.length, 'local file')}`, async () => {
      for (const removal of plan.deletes) {
        const target = localPathForKey(context.root, removal.key);
        // A file or link this run put where the key's folder was (its old
        // contents went with it) is never reached through: it may lead outside.
        if (!isRealFolderChain(context.root, path.dirname(target))) continue;
        const stats = lstatOrUndefined(target);
        // A folder here was made by a download that needed it; keep it.
        if (stats === undefined || stats.isDirectory()) continue;
        await tagged('delete', removal.key, () => unlink(target));
        outcome.deleted.push(removal);
        reporter.debug(`deleted ${removal.key}`);
      }
    });
  }
  // S3 has no folders: one left empty locally would not be in the bucket.
  if (context.delete) await pruneEmptyFolders(context.root, foldersToPrune(context.folders, plan));
  placeBlocked(context.blocked);
}

/**
 * Where the bucket has a file (or link) and the directory a folder, the new
 * entry goes in only after the deletes have emptied and pruned that folder.
 * A folder still holding what this run keeps (excluded or skipped names)
 * stays, and the run fails saying so.
 */
function placeBlocked(blocked: BlockedPlacement[]): void {
  for (const placement of blocked) {
    if (!moveIntoPlace(placement.temp, placement.finalPath)) {
      throw new Error(
        `${placement.finalPath} is a folder locally that still holds files this run keeps (excluded or skipped names), so the bucket's ${placement.key} was not written there`,
      );
    }
  }
}

/** The first key below a local folder (links not followed) that is not about to be deleted. */
async function firstEntryNotIn(folder: string, folderKey: string, deleting: Set<string>): Promise<string | undefined> {
  for (const dirent of await readdir(folder, { withFileTypes: true })) {
    const key = `${folderKey}/${dirent.name}`;
    if (dirent.isDirectory()) {
      const inner = await firstEntryNotIn(path.join(folder, dirent.name), key, deleting);
      if (inner !== undefined) return inner;
    } else if (!deleting.has(key)) {
      return key;
    }
  }
  return undefined;
}

/** What became of a temporary file: still this download's, moved into place, or parked for placeBlocked. */
type TempFate = 'pending' | 'placed' | 'parked';

/** Renames into place, or parks the finished temp file until the deletes are done. */
function placeOrPark(key: string, temp: string, finalPath: string, context: PullRun): TempFate {
  if (moveIntoPlace(temp, finalPath)) return 'placed';
  if (!context.delete) {
    throw new Error(`${finalPath} is a folder locally; it is kept because deletions are off`);
  }
  context.blocked.push({ key, temp, finalPath });
  return 'parked';
}

/**
 * A parked file is placeBlocked's from now on; a placed one is gone from the
 * temp name, so only a pending one (a failed download) is removed here.
 */
async function releaseTemp(temp: string, fate: TempFate, context: PullRun): Promise<void> {
  if (fate === 'parked') return;
  context.tempFiles.release(temp);
  if (fate === 'pending') await removeQuietly(temp);
}

async function downloadFile(copy: FileCopy<RemoteFile>, context: PullRun): Promise<Warning | undefined> {
  const { root, remote } = context;
  const finalPath = localPathForKey(root, copy.key);
  await ensureRealFolder(root, path.dirname(finalPath), folderOptions(context));
  const temp = tempPathBeside(finalPath);
  context.tempFiles.add(temp);
  let fate: TempFate = 'pending';
  try {
    const response = await remote.client.send(
      new GetObjectCommand({ Bucket: remote.bucket, Key: withPrefix(remote.prefix, copy.key) }),
    );
    const expected = response.Metadata?.md5?.toLowerCase() || undefined;
    // Ours (the md5 metadata) or named by the gzip globs; another tool's compressed file stays as stored.
    const gzipped = response.ContentEncoding?.toLowerCase() === 'gzip' && (context.gzip(copy.key) || !!expected);
    const body = { stream: response.Body as StreamingBody, size: copy.entry.size };
    await writeBody(copy.key, body, { temp, gzipped, expected }, context.tempFiles);
    fate = placeOrPark(copy.key, temp, finalPath, context);
    if (response.WebsiteRedirectLocation) {
      return {
        key: copy.key,
        message: `Downloaded as a file: the object redirects to ${response.WebsiteRedirectLocation} but has a body`,
      };
    }
    return undefined;
  } finally {
    await releaseTemp(temp, fate, context);
  }
}

type StreamingBody = NodeJS.ReadableStream & { transformToByteArray: () => Promise<Uint8Array> };

/** Where a body goes, whether it is stored gzip-encoded to be written decompressed, and the md5 metadata. */
interface BodyTarget {
  temp: string;
  gzipped: boolean;
  expected: string | undefined;
}

/** The md5 of a body as stored and, for a gzip body, decompressed (undefined when it does not decompress). */
interface BodyDigests {
  stored: string;
  original: string | undefined;
}

/**
 * Writes a response body to `temp` (which must not exist), as the original
 * bytes when it is stored gzip-encoded and its md5 metadata (if any) is the
 * original's, once its length is the listed size. Small bodies are taken whole
 * and written in one call, which costs far less than a stream per file;
 * large ones are streamed, never held in memory.
 */
async function writeBody(
  key: string,
  body: { stream: StreamingBody; size: number },
  target: BodyTarget,
  tempFiles: TempFiles,
): Promise<void> {
  if (body.size <= SMALL_FILE) {
    const received = await body.stream.transformToByteArray();
    checkLength(key, received.length, body.size);
    const original = target.gzipped ? gunzipOrUndefined(received) : undefined;
    const digests = { stored: md5Of(received), original: original && md5Of(original) };
    const form = formToWrite(key, digests, target.expected);
    writeFileSync(target.temp, form === 'original' ? (original as Buffer) : received, { flag: 'wx' });
    return;
  }
  const receiving = hashingStream();
  await pipeline([body.stream, receiving.stream, createWriteStream(target.temp, { flags: 'wx' })]);
  checkLength(key, receiving.bytes(), body.size);
  const stored = receiving.md5();
  if (target.gzipped) await decompressInPlace(key, target, stored, tempFiles);
  else formToWrite(key, { stored, original: undefined }, target.expected);
}

function checkLength(key: string, bytes: number, size: number): void {
  if (bytes === size) return;
  throw new Error(
    `Downloaded ${key} has ${bytes} bytes where the listing said ${size}; the local file was left as it was`,
  );
}

/**
 * A large gzip body was written as stored; it is decompressed beside it and
 * takes its place when the original is what the metadata describes.
 */
async function decompressInPlace(key: string, target: BodyTarget, stored: string, tempFiles: TempFiles): Promise<void> {
  const decompressed = tempPathBeside(target.temp);
  tempFiles.add(decompressed);
  try {
    const writing = hashingStream();
    let original: string | undefined;
    try {
      await pipeline([
        createReadStream(target.temp),
        createGunzip(),
        writing.stream,
        createWriteStream(decompressed, { flags: 'wx' }),
      ]);
      original = writing.md5();
    } catch {
      original = undefined;
    }
    if (formToWrite(key, { stored, original }, target.expected) === 'original') renameSync(decompressed, target.temp);
  } finally {
    tempFiles.release(decompressed);
    await removeQuietly(decompressed);
  }
}

/**
 * Which form of a body to write: the original where it decompresses and the
 * md5 metadata is the original's (or there is none), the bytes as stored
 * where the metadata describes those. A body that is neither is not what its
 * metadata says, and downloading it again would fetch the same bytes.
 */
function formToWrite(key: string, digests: BodyDigests, expected: string | undefined): 'stored' | 'original' {
  const { stored, original } = digests;
  if (original !== undefined && (expected === undefined || expected === original)) return 'original';
  if (expected === undefined || expected === stored) return 'stored';
  throw new Error(
    `Downloaded ${key} has md5 ${stored}${original === undefined ? '' : ` (${original} decompressed)`} but its metadata says ${expected}; ` +
      'the local file was left as it was. The object is not what its metadata says, and a re-run downloads the same bytes: ' +
      'push it again from its source, or add it to exclude',
  );
}

function gunzipOrUndefined(bytes: Uint8Array): Buffer | undefined {
  try {
    return gunzipSync(bytes);
  } catch {
    return undefined;
  }
}

function md5Of(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

function folderOptions(context: PullRun): FolderOptions {
  return { verified: context.verifiedFolders, mayRemoveFiles: context.delete };
}

async function makeSymlink(redirect: RedirectCopy, context: PullRun): Promise<void> {
  const { root } = context;
  const linkPath = localPathForKey(root, redirect.key);
  const targetPath = localPathForKey(root, redirect.target);
  await ensureRealFolder(root, path.dirname(linkPath), folderOptions(context));
  const temp = tempPathBeside(linkPath);
  context.tempFiles.add(temp);
  let fate: TempFate = 'pending';
  try {
    await symlink(path.relative(path.dirname(linkPath), targetPath), temp);
    fate = placeOrPark(redirect.key, temp, linkPath, context);
  } finally {
    await releaseTemp(temp, fate, context);
  }
}

/**
 * Folders that may be empty now: all of them after a delete, otherwise only
 * those that held nothing to begin with (a no-op run then costs no rmdir).
 */
function foldersToPrune(folders: string[], plan: PullPlan): string[] {
  if (plan.deletes.length > 0) return folders;
  const holding = new Set<string>();
  for (const key of [...plan.unchanged, ...plan.copies.map((c) => c.key), ...plan.redirects.map((r) => r.key)]) {
    someFolderOf(key, (folder) => {
      holding.add(folder.split('/').join(path.sep));
      return false;
    });
  }
  return folders.filter((folder) => !holding.has(folder));
}

async function pruneEmptyFolders(root: string, folders: string[]): Promise<void> {
  for (const folder of folders) {
    if (!isRealFolderChain(root, path.join(root, folder))) continue;
    try {
      await rmdir(path.join(root, folder));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'ENOENT' && code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
    }
  }
}
