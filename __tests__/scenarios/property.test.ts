/**
 * Property tests against a real s3rver: random small trees (awkward names,
 * nested folders, empty files, symlinks inside and outside the tree, chains,
 * dangling links, loops) are pushed and pulled back, edited on both sides and
 * mirrored again. The expected result is worked out from the file system
 * itself (realpath), not from the action's code.
 *
 * FC_SEED and FC_NUM_RUNS override the seed and the number of cases; on a
 * failure fast-check prints the seed and the shrunk counterexample.
 */
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readFile, readdir, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { LinkMode } from '../../src/model/link-tags.js';
import type { Warning } from '../../src/model/plan.js';
import { diskState } from '../helpers/fs-state.js';
import { actionClient, copy, listKeys, putObject, useS3, type CopyOverrides } from '../helpers/s3.js';
import { md5 } from '../helpers/md5.js';

const s3 = useS3();

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 300);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

// ---------------------------------------------------------------- generators

/** Characters for names: plain, URL-awkward, non-ASCII, and a backslash (a name the action must refuse). */
const NAME_CHARS = ['a', 'b', 'B', '0', ' ', '%', '+', '#', '?', '&', '=', "'", '~', '-', '.', 'é', 'ü', '日', '😀'];
const segment = fc
  .oneof(
    { weight: 30, arbitrary: fc.array(fc.constantFrom(...NAME_CHARS), { minLength: 1, maxLength: 5 }) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom('a', '\\'), { minLength: 1, maxLength: 3 }) },
  )
  .map((chars) => chars.join(''))
  // Not "." or "..". s3rver parses DeleteObjects XML with trimming and number
  // parsing on, so it would delete the wrong key for " a" or "00": avoid those.
  .filter((name) => name !== '.' && name !== '..' && name.trim() === name && !/^[0+\-. ]+$/.test(name));
const segments = fc.array(segment, { minLength: 1, maxLength: 3 });
const content = fc.oneof(fc.constant(''), fc.string({ maxLength: 16 }), fc.constantFrom('a', 'b', 'ab'));

type LinkSpec =
  | { to: 'entry'; index: number; absolute: boolean }
  | { to: 'folder'; index: number }
  | { to: 'outside' }
  | { to: 'dangling' }
  | { to: 'root' }
  | { to: 'self' };

const linkSpec: fc.Arbitrary<LinkSpec> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ to: fc.constant('entry' as const), index: fc.nat(), absolute: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ to: fc.constant('folder' as const), index: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ to: 'outside' as const }) },
  { weight: 1, arbitrary: fc.constant({ to: 'dangling' as const }) },
  { weight: 1, arbitrary: fc.constant({ to: 'root' as const }) },
  { weight: 1, arbitrary: fc.constant({ to: 'self' as const }) },
);

type NodeSpec = { file: string } | { link: LinkSpec };
const nodeSpec: fc.Arbitrary<NodeSpec> = fc.oneof(
  { weight: 2, arbitrary: content.map((file) => ({ file })) },
  { weight: 1, arbitrary: linkSpec.map((link) => ({ link })) },
);
const treeSpec = fc.array(fc.tuple(segments, nodeSpec), { minLength: 1, maxLength: 8 });

type Edit =
  | { op: 'rewrite'; index: number; content: string }
  | { op: 'sameSize'; index: number }
  | { op: 'delete'; index: number }
  | { op: 'add'; path: string[]; node: NodeSpec }
  | { op: 'toLink'; index: number; link: LinkSpec }
  | { op: 'toFile'; index: number; content: string }
  | { op: 'fileToFolder'; index: number; name: string; content: string }
  | { op: 'folderToFile'; index: number; content: string };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('rewrite' as const), index: fc.nat(), content }),
  fc.record({ op: fc.constant('sameSize' as const), index: fc.nat() }),
  fc.record({ op: fc.constant('delete' as const), index: fc.nat() }),
  fc.record({ op: fc.constant('add' as const), path: segments, node: nodeSpec }),
  fc.record({ op: fc.constant('toLink' as const), index: fc.nat(), link: linkSpec }),
  fc.record({ op: fc.constant('toFile' as const), index: fc.nat(), content }),
  fc.record({ op: fc.constant('fileToFolder' as const), index: fc.nat(), name: segment, content }),
  fc.record({ op: fc.constant('folderToFile' as const), index: fc.nat(), content }),
);

type MirrorEdit =
  | { op: 'rewrite'; index: number; content: string }
  | { op: 'sameSize'; index: number }
  | { op: 'delete'; index: number }
  | { op: 'junk'; path: string[]; content: string }
  | { op: 'junkFolder'; index: number }
  | { op: 'outsideLink'; path: string[] };

const mirrorEdit: fc.Arbitrary<MirrorEdit> = fc.oneof(
  fc.record({ op: fc.constant('rewrite' as const), index: fc.nat(), content }),
  fc.record({ op: fc.constant('sameSize' as const), index: fc.nat() }),
  fc.record({ op: fc.constant('delete' as const), index: fc.nat() }),
  fc.record({ op: fc.constant('junk' as const), path: segments, content }),
  fc.record({ op: fc.constant('junkFolder' as const), index: fc.nat() }),
  fc.record({ op: fc.constant('outsideLink' as const), path: segments }),
);

// ------------------------------------------------------------ building trees

interface Layout {
  base: string;
  source: string;
  mirror: string;
  /** A file outside both trees that links may point to and nothing may change. */
  secret: string;
}

const SECRET = 'outside the tree';

/** Paths of the non-folder entries and of the folders under root, "/"-joined, sorted. */
async function listTree(root: string): Promise<{ entries: string[]; folders: string[] }> {
  const entries: string[] = [];
  const folders: string[] = [];
  async function walk(relative: string): Promise<void> {
    for (const name of (await readdir(path.join(root, relative))).sort()) {
      const child = relative === '' ? name : `${relative}/${name}`;
      if ((await lstat(path.join(root, child))).isDirectory()) {
        folders.push(child);
        await walk(child);
      } else entries.push(child);
    }
  }
  await walk('');
  return { entries: entries.sort(), folders: folders.sort() };
}

const absolute = (root: string, relative: string) => path.join(root, ...relative.split('/'));
const pick = <T>(items: T[], index: number): T | undefined =>
  items.length === 0 ? undefined : items[index % items.length];

/** True when nothing exists at `relative` and no file or link stands where one of its folders must be. */
async function isFree(root: string, relative: string[]): Promise<boolean> {
  let current = root;
  for (const [i, name] of relative.entries()) {
    current = path.join(current, name);
    const stats = await lstat(current).catch(() => undefined);
    if (stats === undefined) return true;
    if (i === relative.length - 1 || !stats.isDirectory()) return false;
  }
  return false;
}

async function makeLink(layout: Layout, root: string, at: string, spec: LinkSpec): Promise<void> {
  const linkPath = absolute(root, at);
  const folder = path.dirname(linkPath);
  let target: string;
  if (spec.to === 'outside') target = path.relative(folder, layout.secret);
  else if (spec.to === 'dangling') target = 'does-not-exist';
  else if (spec.to === 'root') target = path.relative(folder, root) || '.';
  else if (spec.to === 'self') target = path.basename(linkPath);
  else {
    const { entries, folders } = await listTree(root);
    const chosen = pick(
      (spec.to === 'folder' ? folders : entries).filter((candidate) => candidate !== at),
      spec.index,
    );
    if (chosen === undefined) target = 'does-not-exist';
    else if (spec.to === 'entry' && spec.absolute) target = absolute(root, chosen);
    else target = path.relative(folder, absolute(root, chosen)) || '.';
  }
  await mkdir(folder, { recursive: true });
  await symlink(target, linkPath);
}

async function place(layout: Layout, root: string, at: string[], node: NodeSpec): Promise<void> {
  if (!(await isFree(root, at))) return;
  const relative = at.join('/');
  if ('file' in node) {
    await mkdir(path.dirname(absolute(root, relative)), { recursive: true });
    await writeFile(absolute(root, relative), node.file);
  } else {
    await makeLink(layout, root, relative, node.link);
  }
}

async function buildSource(layout: Layout, spec: [string[], NodeSpec][]): Promise<void> {
  await mkdir(layout.source, { recursive: true });
  // Files first, so that links can point to any of them.
  for (const [at, node] of spec) if ('file' in node) await place(layout, layout.source, at, node);
  for (const [at, node] of spec) if ('link' in node) await place(layout, layout.source, at, node);
}

async function sameSizeRewrite(file: string): Promise<void> {
  const data = await readFile(file);
  await writeFile(
    file,
    data.map((byte) => byte ^ 1),
  );
}

async function applyEdit(layout: Layout, root: string, change: Edit): Promise<void> {
  const { entries, folders } = await listTree(root);
  const entry = 'index' in change ? pick(entries, change.index) : undefined;
  const entryPath = entry === undefined ? undefined : absolute(root, entry);
  const isFile = entryPath !== undefined && (await lstat(entryPath)).isFile();
  switch (change.op) {
    case 'rewrite':
      if (isFile) await writeFile(entryPath, change.content);
      return;
    case 'sameSize':
      if (isFile) await sameSizeRewrite(entryPath);
      return;
    case 'delete':
      if (entryPath !== undefined) await rm(entryPath);
      return;
    case 'add':
      await place(layout, root, change.path, change.node);
      return;
    case 'toLink':
      if (entry === undefined || entryPath === undefined) return;
      await rm(entryPath);
      await makeLink(layout, root, entry, change.link);
      return;
    case 'toFile':
      if (entryPath === undefined || isFile) return;
      await rm(entryPath);
      await writeFile(entryPath, change.content);
      return;
    case 'fileToFolder':
      if (entryPath === undefined) return;
      await rm(entryPath);
      await mkdir(entryPath);
      await writeFile(path.join(entryPath, change.name), change.content);
      return;
    case 'folderToFile': {
      const folder = pick(folders, change.index);
      if (folder === undefined) return;
      await rm(absolute(root, folder), { recursive: true });
      await writeFile(absolute(root, folder), change.content);
      return;
    }
  }
}

async function applyMirrorEdit(layout: Layout, change: MirrorEdit): Promise<void> {
  const root = layout.mirror;
  const { entries } = await listTree(root);
  const entry = 'index' in change ? pick(entries, change.index) : undefined;
  const entryPath = entry === undefined ? undefined : absolute(root, entry);
  const isFile = entryPath !== undefined && (await lstat(entryPath)).isFile();
  switch (change.op) {
    case 'rewrite':
      if (isFile) await writeFile(entryPath, change.content);
      return;
    case 'sameSize':
      if (isFile) await sameSizeRewrite(entryPath);
      return;
    case 'delete':
      if (entryPath !== undefined) await rm(entryPath);
      return;
    case 'junk':
      await place(layout, root, change.path, { file: change.content });
      return;
    case 'junkFolder':
      // A folder (with a file in it) where the bucket has a file or a link.
      if (entryPath === undefined) return;
      await rm(entryPath);
      await mkdir(entryPath);
      await writeFile(path.join(entryPath, 'junk'), 'junk');
      return;
    case 'outsideLink':
      await place(layout, root, change.path, { link: { to: 'outside' } });
      return;
  }
}

// ------------------------------------------------------------------- oracle

/** What the bucket holds at a key: a file, or a redirect (one of a symlink to a folder, or not). */
type Held =
  | { md5: string }
  | { target: string; folder?: { link: string; target: string } }
  /** A copy for a symlink (`links: copy`), holding the target's bytes as they were. */
  | { target: string; folder?: { link: string; target: string }; copy: string };

interface Expected {
  /** key → what the bucket must hold there after a push. */
  entries: Map<string, Held>;
  /** Keys the push must skip with a warning. */
  skipped: string[];
}

const unsafeName = (key: string) => key.includes('\\');

/** A symlink to a folder inside the tree: its key and the key of the folder it finally reaches. */
interface FolderLinkAt {
  key: string;
  target: string;
}

/**
 * What a mirror of root must hold, decided by the file system: files, links
 * to files by the file they reach, and a symlink to a folder as a redirect
 * for each entry below its target (recursively), unless it leads back to
 * itself through the folder links inside its target.
 */
async function expectedFrom(root: string): Promise<Expected> {
  const realRoot = await realpath(root);
  const { entries } = await listTree(root);
  const held = new Map<string, Held | 'skipped'>();
  const folderLinks: FolderLinkAt[] = [];
  for (const key of entries) {
    const file = absolute(root, key);
    const stats = await lstat(file);
    const folder = unsafeName(key) || stats.isFile() ? undefined : await resolvedFolderKey(realRoot, file);
    if (folder !== undefined) folderLinks.push({ key, target: folder });
    else if (unsafeName(key)) held.set(key, 'skipped');
    else if (stats.isFile()) held.set(key, { md5: md5(await readFile(file)) });
    else {
      const target = await resolvedKey(realRoot, file);
      held.set(key, target === undefined || unsafeName(target) ? 'skipped' : { target });
    }
  }
  standInFolderLinks(held, folderLinks);
  const expected: Expected = { entries: new Map(), skipped: [] };
  for (const [key, value] of held) {
    if (value === 'skipped') expected.skipped.push(key);
    else expected.entries.set(key, value);
  }
  return expected;
}

/** Each folder link not on a loop of them gets, under its key, what its target holds, as redirects. */
function standInFolderLinks(held: Map<string, Held | 'skipped'>, links: FolderLinkAt[]): void {
  const inside = (link: FolderLinkAt) => links.filter((other) => other.key.startsWith(`${link.target}/`));
  const reachesItself = (link: FolderLinkAt): boolean => {
    const seen = new Set<string>();
    const next = inside(link);
    for (let current = next.pop(); current !== undefined; current = next.pop()) {
      if (current.key === link.key) return true;
      if (!seen.has(current.key)) next.push(...inside(current));
      seen.add(current.key);
    }
    return false;
  };
  const done = new Set<string>();
  const expand = (link: FolderLinkAt): void => {
    if (done.has(link.key)) return;
    done.add(link.key);
    if (reachesItself(link)) {
      held.set(link.key, 'skipped');
      return;
    }
    for (const inner of inside(link)) expand(inner);
    const folder = { link: link.key, target: link.target };
    for (const [key, value] of [...held]) {
      if (!key.startsWith(`${link.target}/`)) continue;
      const standIn = link.key + key.slice(link.target.length);
      if (value === 'skipped') held.set(standIn, 'skipped');
      else held.set(standIn, { target: 'md5' in value ? key : value.target, folder });
    }
  };
  for (const link of links) expand(link);
}

/** The key of the folder inside root (not root itself) that a link finally reaches, if any. */
async function resolvedFolderKey(realRoot: string, link: string): Promise<string | undefined> {
  const target = await realpath(link).catch(() => undefined);
  if (target === undefined || !(await stat(target)).isDirectory()) return undefined;
  const relative = path.relative(realRoot, target);
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return relative === '' || outside ? undefined : relative.split(path.sep).join('/');
}

/** The key of the regular file inside root that a link finally reaches, if any. */
async function resolvedKey(realRoot: string, link: string): Promise<string | undefined> {
  const target = await realpath(link).catch(() => undefined);
  if (target === undefined) return undefined;
  const relative = path.relative(realRoot, target);
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  if (relative === '' || outside) return undefined;
  if (!(await stat(target)).isFile()) return undefined;
  return relative.split(path.sep).join('/');
}

/**
 * What the bucket holds after a push, as the action documents it: the
 * source's safe entries, and, at and below keys the source skips, whatever
 * the bucket had before (the destination is left alone there).
 */
type Bucket = Map<string, Held>;

function bucketAfterPush(previous: Bucket, source: Expected, links: LinkMode): Bucket {
  const next: Bucket = new Map(source.entries);
  for (const [key, value] of next) {
    const target = 'target' in value && links === 'copy' ? next.get(value.target) : undefined;
    if (target !== undefined && 'md5' in target) next.set(key, { ...value, copy: target.md5 });
  }
  for (const key of source.skipped) {
    const kept = previous.get(key);
    if (kept !== undefined) next.set(key, kept);
  }
  // Keys below a skipped name (a link to a folder, say) are left alone too.
  for (const [key, kept] of previous) {
    if (source.skipped.some((skipped) => key.startsWith(`${skipped}/`))) next.set(key, kept);
  }
  return next;
}

/**
 * The bucket as a pull reads it: a copy for a symlink is that symlink when
 * its target is a file in the bucket holding the same bytes, and a file of
 * its own otherwise (another tool rewrote the target since the copy).
 */
function pulledView(bucket: Bucket): Bucket {
  const view: Bucket = new Map();
  for (const [key, value] of bucket) {
    if (!('copy' in value)) {
      view.set(key, value);
      continue;
    }
    const { copy, ...link } = value;
    view.set(key, bytesOf(bucket.get(value.target)) === copy ? link : { md5: copy });
  }
  return view;
}

/** Copies for symlinks whose target is a file in the bucket holding other bytes now. */
function staleCopies(bucket: Bucket): string[] {
  return [...bucket].flatMap(([key, value]) => {
    if (!('copy' in value)) return [];
    const bytes = bytesOf(bucket.get(value.target));
    return bytes === undefined || bytes === value.copy ? [] : [key];
  });
}

/** The md5 of what a file, or a copy for a symlink, holds; undefined for a redirect or nothing. */
function bytesOf(held: Held | undefined): string | undefined {
  if (held === undefined) return undefined;
  return 'md5' in held ? held.md5 : 'copy' in held ? held.copy : undefined;
}

/**
 * The symlinks to folders a pull makes as one link each: those whose tagged
 * redirects are exactly one for each object below the target, leading where
 * it leads, with nothing else below the link.
 */
function wholeFolderLinks(bucket: Bucket): Map<string, string> {
  const groups = new Map<string, { targets: Set<string>; tagged: number }>();
  for (const value of bucket.values()) {
    if (!('target' in value) || value.folder === undefined) continue;
    const group = groups.get(value.folder.link) ?? { targets: new Set(), tagged: 0 };
    group.targets.add(value.folder.target);
    group.tagged += 1;
    groups.set(value.folder.link, group);
  }
  const whole = new Map<string, string>();
  for (const [link, { targets, tagged }] of groups) {
    const [target] = [...targets];
    if (targets.size !== 1 || target === undefined) continue;
    if (link.startsWith(`${target}/`) || target.startsWith(`${link}/`)) continue;
    let matched = 0;
    let exact = true;
    for (const [key, value] of bucket) {
      if (!key.startsWith(`${target}/`)) continue;
      const standIn = bucket.get(link + key.slice(target.length));
      const leads = 'md5' in value ? key : value.target;
      if (standIn === undefined || !('target' in standIn) || standIn.folder?.link !== link || standIn.target !== leads)
        exact = false;
      matched += 1;
    }
    const below = [...bucket.keys()].filter((key) => key.startsWith(`${link}/`)).length;
    if (exact && matched === tagged && matched === below) whole.set(link, target);
  }
  return whole;
}

/**
 * The symlinks to folders whose tagged redirects a pull cannot take as one
 * link (a push that skips the link keeps them as they were): a pull warns
 * once for each, at `link/`, and makes a symlink per object.
 */
function brokenFolderLinks(bucket: Bucket): string[] {
  const tagged = new Set<string>();
  for (const value of bucket.values())
    if ('target' in value && value.folder !== undefined) tagged.add(value.folder.link);
  const whole = wholeFolderLinks(bucket);
  return [...tagged].filter((link) => !whole.has(link)).map((link) => `${link}/`);
}

/** The file a redirect finally reaches in the bucket, or undefined when it reaches none. */
function finalTarget(bucket: Bucket, key: string): string | undefined {
  let current = key;
  for (let hops = 0; hops <= bucket.size; hops += 1) {
    const value = bucket.get(current);
    if (value === undefined) return undefined;
    if ('md5' in value) return current;
    current = value.target;
  }
  return undefined;
}

/**
 * The whole symlinks to folders a pull makes: a pull makes one from the
 * redirects it makes, and it skips those that reach no file, so a link whose
 * redirects all lead nowhere is, like a link to an empty folder, not made.
 */
function madeFolderLinks(bucket: Bucket): Map<string, string> {
  const whole = wholeFolderLinks(bucket);
  for (const link of whole.keys()) {
    const below = [...bucket.keys()].filter((key) => key.startsWith(`${link}/`));
    if (!below.some((key) => finalTarget(bucket, key) !== undefined)) whole.delete(link);
  }
  return whole;
}

/** What a pull of the bucket must give, described like mirrorContents does. */
function pullOf(bucket: Bucket): Record<string, string> {
  const entries: Record<string, string> = {};
  const whole = madeFolderLinks(bucket);
  for (const [link, target] of whole) entries[link] = `folder -> ${target}`;
  for (const key of [...bucket.keys()].sort()) {
    if (someFolderIn(key, whole)) continue;
    const value = bucket.get(key) as Held;
    entries[key] = 'md5' in value ? `md5 ${value.md5}` : `link -> ${finalTarget(bucket, key) ?? '(unsafe)'}`;
  }
  return entries;
}

function someFolderIn(key: string, folders: Map<string, string>): boolean {
  return [...folders.keys()].some((folder) => key.startsWith(`${folder}/`));
}

/**
 * Redirects the bucket keeps (at keys the source skips) whose target is no
 * longer a file in the bucket. A pull skips them with a warning rather than
 * make a dangling link.
 */
function danglingRedirects(bucket: Bucket): string[] {
  return [...bucket.keys()].filter((key) => {
    const value = bucket.get(key);
    return value !== undefined && 'target' in value && finalTarget(bucket, key) === undefined;
  });
}

/** A mirror as the oracle describes it, plus its folders. */
async function mirrorContents(root: string): Promise<{ entries: Record<string, string>; folders: string[] }> {
  const realRoot = await realpath(root);
  const { entries, folders } = await listTree(root);
  const result: Record<string, string> = {};
  for (const key of entries) {
    const file = absolute(root, key);
    const folder = await resolvedFolderKey(realRoot, file);
    if ((await lstat(file)).isFile()) result[key] = `md5 ${md5(await readFile(file))}`;
    else if (folder !== undefined) result[key] = `folder -> ${folder}`;
    else result[key] = `link -> ${(await resolvedKey(realRoot, file)) ?? '(unsafe)'}`;
  }
  return { entries: result, folders };
}

function foldersOf(keys: string[]): string[] {
  const folders = new Set<string>();
  for (const key of keys) {
    const parts = key.split('/');
    for (let i = 1; i < parts.length; i += 1) folders.add(parts.slice(0, i).join('/'));
  }
  return [...folders].sort();
}

/** Warned keys, leaving out the case/normalisation collision notes (not a skip). */
function skippedKeys(warnings: Warning[]): string[] {
  return [...new Set(warnings.filter((w) => !w.message.startsWith('Same name as')).map((w) => w.key))].sort();
}

// --------------------------------------------------------------- the runs

/** How many cases saw each situation, printed as a diagnostic so a weak generator shows. */
const seen: Record<string, number> = {};
const saw = (what: string, happened = true) => {
  if (happened) seen[what] = (seen[what] ?? 0) + 1;
};

// The action's own client, which retries: s3rver answers InternalError when
// one DeleteObjects batch empties a folder twice over (a race in its store).
const RUN: CopyOverrides = { allowEmpty: true, concurrency: 4, createClient: actionClient };

interface Case {
  layout: Layout;
  bucket: string;
  prefix: string;
  /** Runs with the deploy manifest, or without (today's behaviour exactly). */
  manifest: boolean;
  /** The model of the bucket after the last push. */
  model: Bucket;
  /** How this round's pushes store symlinks. */
  links: LinkMode;
}

const MANIFEST_KEY = '.s3-force-copy/manifest.json';
const runOf = (current: Case): CopyOverrides => ({
  ...RUN,
  prefix: current.prefix,
  ...(current.manifest ? { manifestKey: MANIFEST_KEY } : {}),
  links: current.links,
});

/**
 * Another tool writes other bytes (and no md5 metadata) over files the last
 * push wrote: a manifest entry for them must not be trusted any more.
 */
async function writeForeign(current: Case, picks: number[]): Promise<void> {
  const files = [...current.model]
    .filter(([, value]) => 'md5' in value)
    .map(([key]) => key)
    .sort();
  if (files.length === 0) return;
  for (const [n, pick] of picks.entries()) {
    const key = files[pick % files.length] as string;
    const body = `written by another tool ${n}`;
    await putObject(s3.client, current.bucket, current.prefix === '' ? key : `${current.prefix}/${key}`, body);
    current.model.set(key, { md5: md5(body) });
    saw('another tool overwrote a file');
  }
}

async function pushAndPull(current: Case): Promise<void> {
  const { layout, bucket } = current;
  const expected = await expectedFrom(layout.source);
  const pushed = await copy(s3, 'push', layout.source, bucket, runOf(current));
  assert.deepEqual(skippedKeys(pushed.result.warnings), [...expected.skipped].sort(), 'every unsafe entry is warned');
  current.model = bucketAfterPush(current.model, expected, current.links);
  saw('push copied links', current.links === 'copy' && pushed.result.outcome.copied.some((c) => 'link' in c.entry));
  saw('push uploaded files', pushed.result.outcome.copied.length > 0);
  saw('push wrote redirects', pushed.result.outcome.redirected.length > 0);
  saw(
    'push wrote a folder link',
    pushed.result.outcome.redirected.some((redirect) => redirect.folder !== undefined),
  );
  saw('push deleted objects', pushed.result.outcome.deleted.length > 0);
  saw('push skipped entries', expected.skipped.length > 0);
  saw(
    'push skipped an entry the bucket kept',
    expected.skipped.some((key) => current.model.has(key)),
  );

  // Local names that are not safe keys are left alone by a pull, with a warning.
  const kept = await lstat(layout.mirror).then(
    async () => (await listTree(layout.mirror)).entries.filter(unsafeName),
    () => [],
  );
  const pulled = await copy(s3, 'pull', layout.mirror, bucket, runOf(current));
  // Redirects kept at skipped keys may lead nowhere now: a pull skips them, with a warning.
  const view = pulledView(current.model);
  const dangling = danglingRedirects(view);
  assert.deepEqual(
    skippedKeys(pulled.result.warnings),
    [...new Set([...kept, ...dangling, ...brokenFolderLinks(view)])].sort(),
    'only local names that are not keys, redirects to nothing and broken folder links are warned',
  );
  saw('pull split a folder link', brokenFolderLinks(view).length > 0);
  saw('pull took a copy its target no longer matches for a file', staleCopies(current.model).length > 0);
  saw('pull skipped a redirect to nothing', dangling.length > 0);
  saw('pull downloaded files', pulled.result.outcome.copied.length > 0);
  saw('pull made links', pulled.result.outcome.redirected.length > 0);
  saw('pull deleted local files', pulled.result.outcome.deleted.length > 0);
  saw('pull kept a local name that is not a key', kept.length > 0);
  saw(
    'pull replaced a same-size file',
    pulled.result.plan.copies.some((copy) => copy.reason === 'md5 differs'),
  );
  const mirrored = await mirrorContents(layout.mirror);
  const wanted = pullOf(view);
  saw(
    'pull made a folder link',
    Object.values(wanted).some((value) => value.startsWith('folder -> ')),
  );
  for (const key of dangling) delete wanted[key];
  // Whatever the mirror has at a skipped key, or below it, is left alone.
  const atOrBelow = (key: string) => dangling.some((skipped) => key === skipped || key.startsWith(`${skipped}/`));
  const leftAlone = [...kept, ...Object.keys(mirrored.entries).filter(atOrBelow)];
  for (const key of leftAlone) delete mirrored.entries[key];
  assert.deepEqual(mirrored.entries, wanted, 'the pulled tree is the bucket, which is the pushed tree');
  assert.deepEqual(
    mirrored.folders,
    foldersOf([...Object.keys(wanted), ...leftAlone]),
    'no folder beyond those needed',
  );
  assert.equal(await readFile(layout.secret, 'utf8'), SECRET, 'nothing outside the tree was touched');
}

async function assertQuiet(current: Case): Promise<void> {
  const { layout, bucket } = current;
  const push = await copy(s3, 'push', layout.source, bucket, runOf(current));
  assert.deepEqual(
    [push.requests.PUT, push.requests.POST, push.requests.DELETE],
    [0, 0, 0],
    'a second push writes nothing',
  );
  const before = await diskState(layout.mirror, { identity: true });
  const pull = await copy(s3, 'pull', layout.mirror, bucket, runOf(current));
  // The manifest's own GET is the one read a quiet pull may make.
  const gets = current.manifest ? 1 : 0;
  assert.deepEqual([pull.requests.GET, pull.requests.PUT, pull.requests.POST, pull.requests.DELETE], [gets, 0, 0, 0]);
  if (current.manifest) assert.equal(push.requests.HEAD + pull.requests.HEAD, 0, 'with a manifest, no HEAD at all');
  assert.deepEqual([pull.result.outcome.copied.length, pull.result.outcome.deleted.length], [0, 0]);
  assert.equal(pull.result.outcome.redirected.length, 0, 'a second pull makes no link');
  const after = await diskState(layout.mirror, { identity: true });
  assert.deepEqual(after, before, 'a second pull writes nothing');
}

async function newLayout(): Promise<Layout> {
  const base = await mkdtemp(path.join(tmpdir(), 'sfc-prop-'));
  const layout = {
    base,
    source: path.join(base, 'src'),
    mirror: path.join(base, 'mirror'),
    secret: path.join(base, 'outside', 'secret.txt'),
  };
  await mkdir(path.dirname(layout.secret));
  await writeFile(layout.secret, SECRET);
  return layout;
}

describe('property: push and pull mirror random trees', () => {
  it(`round-trips, converges after edits on both sides, and re-runs are quiet (${NUM_RUNS} cases)`, async (t) => {
    await fc.assert(
      fc.asyncProperty(
        treeSpec,
        fc.array(edit, { maxLength: 4 }),
        fc.array(mirrorEdit, { maxLength: 3 }),
        fc.constantFrom('', 'site', 'deep/er prefix'),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 2 }),
        fc.constantFrom<LinkMode>('redirect', 'copy'),
        fc.constantFrom<LinkMode>('redirect', 'copy'),
        async (spec, edits, mirrorEdits, prefix, manifest, foreign, links, linksAfter) => {
          const layout = await newLayout();
          try {
            const current: Case = { layout, bucket: await s3.bucket(), prefix, manifest, model: new Map(), links };
            await buildSource(layout, spec);
            await pushAndPull(current);

            await writeForeign(current, foreign);
            for (const change of edits) await applyEdit(layout, layout.source, change);
            for (const change of mirrorEdits) await applyMirrorEdit(layout, change);
            // The second round may switch how links are stored: every link object is converted.
            current.links = linksAfter;
            await pushAndPull(current);
            await assertQuiet(current);
          } finally {
            await rm(layout.base, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: NUM_RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
    for (const [what, cases] of Object.entries(seen).sort()) t.diagnostic(`${what}: ${cases} rounds`);
    for (const what of [
      'push wrote redirects',
      'push wrote a folder link',
      'push copied links',
      'push skipped entries',
      'pull deleted local files',
    ]) {
      assert.ok((seen[what] ?? 0) > 0, `the generator never produced: ${what}`);
    }
  });
});

describe('regressions the property test found', () => {
  it('a link to a folder whose redirects all lead nowhere is not made by a pull', async () => {
    // Seed -1015443378: the file "~a", which "a/a" linked to, became a link
    // to the folder "a", so "a/a" leads back into itself. The push skips
    // "a/a" and "aa/a" (below "aa -> a") and keeps their redirects to "~a",
    // which it deletes; the pull skips both as redirects to nothing, so it
    // makes no "aa", as for a link to a folder that holds no files.
    const layout = await newLayout();
    try {
      const source = await mkdirp(path.join(layout.source, 'a'));
      await writeFile(path.join(layout.source, '~a'), '');
      await symlink(path.join('..', '~a'), path.join(source, 'a'));
      await symlink('a', path.join(layout.source, 'aa'));
      const current: Case = {
        layout,
        bucket: await s3.bucket(),
        prefix: '',
        manifest: false,
        model: new Map(),
        links: 'redirect',
      };
      await pushAndPull(current);
      await rm(path.join(layout.source, '~a'));
      await symlink('a', path.join(layout.source, '~a'));
      await pushAndPull(current);
      await assertQuiet(current);

      const pulled = await copy(s3, 'pull', layout.mirror, current.bucket, runOf(current));
      assert.deepEqual(skippedKeys(pulled.result.warnings), ['a/a', 'aa/a']);
      assert.deepEqual(await listKeys(s3.client, current.bucket), ['a/a', 'aa/a']);
      assert.equal(await lstat(path.join(layout.mirror, 'aa')).catch(() => undefined), undefined);
    } finally {
      await rm(layout.base, { recursive: true, force: true });
    }
  });

  it('a link to a file whose name is not a safe key is skipped with a warning, not pushed as a redirect', async () => {
    const layout = await newLayout();
    try {
      await writeFile(path.join(await mkdirp(layout.source), 'bad\\name.html'), 'x');
      await writeFile(path.join(layout.source, 'ok.txt'), 'ok');
      await symlink('bad\\name.html', path.join(layout.source, 'link.html'));
      const bucket = await s3.bucket();
      const run = await copy(s3, 'push', layout.source, bucket);
      assert.deepEqual(skippedKeys(run.result.warnings), ['bad\\name.html', 'link.html']);
      assert.match(
        run.result.warnings.find((w) => w.key === 'link.html')?.message ?? '',
        /target's name is not a safe key: it contains a backslash/,
      );
      assert.deepEqual(await listKeys(s3.client, bucket), ['ok.txt']);
    } finally {
      await rm(layout.base, { recursive: true, force: true });
    }
  });

  it('a chain of redirects is pulled once, and one that ends nowhere is skipped with a warning', async () => {
    // Seed 110518376: a push skipped "?" (now a link to a folder) and kept its
    // old redirect to "~", which the same push made a redirect to "a". The
    // scan records the local "?" by the file it reaches (a), so comparing by
    // the first hop (~) relinked it on every pull.
    const layout = await newLayout();
    try {
      const mirror = await mkdirp(layout.mirror);
      const bucket = await s3.bucket();
      await putObject(s3.client, bucket, 'a', '');
      await putObject(s3.client, bucket, '~', '', { redirect: '/a' });
      await putObject(s3.client, bucket, '?', '', { redirect: '/~' });
      await putObject(s3.client, bucket, 'gone-1', '', { redirect: '/gone-2' });
      await putObject(s3.client, bucket, 'gone-2', '', { redirect: '/missing' });

      const first = await copy(s3, 'pull', mirror, bucket);
      assert.equal(first.result.outcome.redirected.length, 2);
      assert.deepEqual(skippedKeys(first.result.warnings), ['gone-1', 'gone-2']);
      assert.match(
        first.result.warnings.find((w) => w.key === 'gone-1')?.message ?? '',
        /leads through gone-2 to missing, which is not in the source/,
      );
      assert.equal(await realpath(path.join(mirror, '?')), await realpath(path.join(mirror, 'a')));
      const again = await copy(s3, 'pull', mirror, bucket);
      assert.equal(again.result.outcome.redirected.length, 0, 'a second pull makes no link');
    } finally {
      await rm(layout.base, { recursive: true, force: true });
    }
  });

  it('a redirect turned into a copy (links: copy) pulls back as a link, without the manifest', async () => {
    // Seed -1219177913: the copy over the old redirect object kept the
    // redirect's ETag on s3rver (support/s3rver-process.cjs says why), so the
    // pull, which tells copies by the ETag they share with their target, made a file.
    const layout = await newLayout();
    try {
      await writeFile(path.join(await mkdirp(layout.source), 'a'), 'a');
      await symlink('a', path.join(layout.source, 'B'));
      const bucket = await s3.bucket();
      await copy(s3, 'push', layout.source, bucket, { links: 'redirect' });
      const switched = await copy(s3, 'push', layout.source, bucket, { links: 'copy' });
      assert.deepEqual(
        switched.result.plan.copies.map((c) => [c.key, c.reason]),
        [['B', 'replaces a redirect']],
      );

      const pulled = await copy(s3, 'pull', layout.mirror, bucket);
      assert.deepEqual(
        pulled.result.outcome.redirected.map((r) => r.key),
        ['B'],
      );
      assert.deepEqual(await diskState(layout.mirror), { B: 'link -> a', a: `md5 ${md5('a')}` });
    } finally {
      await rm(layout.base, { recursive: true, force: true });
    }
  });

  it('a copy (links: copy) whose target another tool rewrote pulls back as a file of its own bytes', async () => {
    // Seed -1701995905: the bucket kept a copy "-a" of " " (a later push
    // skipped its key) whose target "a" another tool had rewritten. The pull
    // made "-a" a file without the manifest, as no other object shared its
    // ETag, but a link to "a" with it, or when another file held " ". A copy
    // that no longer holds its target's bytes is a file: a link would change them.
    for (const manifestKey of [undefined, MANIFEST_KEY]) {
      const layout = await newLayout();
      try {
        const source = await mkdirp(layout.source);
        await writeFile(path.join(source, 'a'), ' ');
        await writeFile(path.join(source, 'same bytes'), ' ');
        await symlink('a', path.join(source, '-a'));
        await symlink('same bytes', path.join(source, 'fresh'));
        const bucket = await s3.bucket();
        const run = { links: 'copy' as const, ...(manifestKey === undefined ? {} : { manifestKey }) };
        await copy(s3, 'push', source, bucket, run);
        await putObject(s3.client, bucket, 'a', 'written by another tool');

        const pulled = await copy(s3, 'pull', layout.mirror, bucket, run);
        const state = await diskState(layout.mirror);
        const label = `manifest: ${manifestKey ?? 'none'}`;
        assert.deepEqual(
          state,
          {
            '-a': `md5 ${md5(' ')}`,
            a: `md5 ${md5('written by another tool')}`,
            fresh: 'link -> same bytes',
            'same bytes': `md5 ${md5(' ')}`,
          },
          label,
        );
        assert.deepEqual(
          pulled.result.outcome.redirected.map((r) => r.key),
          ['fresh'],
          label,
        );
        const again = await copy(s3, 'pull', layout.mirror, bucket, run);
        assert.deepEqual([again.result.outcome.copied.length, again.result.outcome.redirected.length], [0, 0], label);
        assert.deepEqual(await diskState(layout.mirror), state, 'a second pull changes nothing');
      } finally {
        await rm(layout.base, { recursive: true, force: true });
      }
    }
  });

  it('a skipped redirect to a folder leaves the local link of that name, and what is below it, alone', async () => {
    // Seed 7: the bucket kept a redirect (~ -> d) whose target became a folder, and the mirror's ~ became a
    // symlink to that folder. The pull skips ~ with a warning, but used to delete ~/a and unlink ~.
    const layout = await newLayout();
    try {
      const mirror = await mkdirp(path.join(layout.mirror, 'd'));
      await writeFile(path.join(mirror, 'a'), 'x');
      await symlink('d', path.join(layout.mirror, '~'));
      const bucket = await s3.bucket();
      await putObject(s3.client, bucket, 'd/a', 'x');
      await putObject(s3.client, bucket, '~', '', { redirect: '/d' });

      const run = await copy(s3, 'pull', layout.mirror, bucket);
      assert.deepEqual(skippedKeys(run.result.warnings), ['~']);
      assert.deepEqual([run.result.plan.deletes.length, run.result.outcome.deleted.length], [0, 0]);
      assert.equal((await lstat(path.join(layout.mirror, '~'))).isSymbolicLink(), true, 'the link is left alone');
      const again = await copy(s3, 'pull', layout.mirror, bucket);
      assert.deepEqual([again.result.outcome.deleted.length, again.result.outcome.copied.length], [0, 0]);
    } finally {
      await rm(layout.base, { recursive: true, force: true });
    }
  });

  it('a pull keeps local files whose names are not safe keys, with a warning, instead of failing', async () => {
    const layout = await newLayout();
    try {
      const mirror = await mkdirp(layout.mirror);
      await writeFile(path.join(mirror, 'a.txt'), 'old');
      await writeFile(path.join(mirror, 'odd\\name'), 'junk');
      await mkdir(path.join(mirror, 'dir\\x'));
      await writeFile(path.join(mirror, 'dir\\x', 'f'), 'junk');
      const bucket = await s3.bucket();
      await putObject(s3.client, bucket, 'a.txt', 'new');

      const run = await copy(s3, 'pull', mirror, bucket);
      assert.deepEqual(skippedKeys(run.result.warnings), ['dir\\x/f', 'odd\\name']);
      assert.equal(await readFile(path.join(mirror, 'a.txt'), 'utf8'), 'new');
      assert.equal(await readFile(path.join(mirror, 'odd\\name'), 'utf8'), 'junk');
      assert.equal(await readFile(path.join(mirror, 'dir\\x', 'f'), 'utf8'), 'junk');
      const again = await copy(s3, 'pull', mirror, bucket);
      assert.deepEqual([again.requests.GET, again.result.outcome.deleted.length], [0, 0]);
    } finally {
      await rm(layout.base, { recursive: true, force: true });
    }
  });
});

async function mkdirp(folder: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  return folder;
}
