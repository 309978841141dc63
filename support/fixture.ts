/**
 * Deterministic static-site-like trees for benchmarks and tests: the same
 * seed always yields the same paths, bytes and symlinks, so every tool in a
 * benchmark works on an identical site.
 */
import { lstat, mkdir, readdir, readlink, rm, symlink, utimes, lutimes, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface SiteFixtureOptions {
  /** Ordinary small files (300 B – 30 KB); big files and symlinks come on top. */
  files?: number;
  bigFiles?: number;
  bigFileBytes?: number;
  symlinks?: number;
  seed?: number;
}

export interface SiteFixture {
  /** Relative POSIX paths of regular files, big ones included. */
  files: string[];
  /** Relative POSIX paths of the links and their (relative) targets. */
  symlinks: { path: string; target: string }[];
  bytes: number;
}

export interface MutateResult {
  changed: string[];
  deleted: string[];
}

const MIB = 1024 * 1024;
const MIN_SIZE = 300;
const MAX_SIZE = 30 * 1024;

// Weighted roughly like a built documentation/blog site.
const EXTENSIONS: [ext: string, weight: number][] = [
  ['html', 35],
  ['css', 8],
  ['js', 12],
  ['svg', 8],
  ['png', 17],
  ['json', 8],
  ['txt', 12],
];

const WORDS = (
  'about api assets blog build cache chapter config data docs example feature ' +
  'guide help image index intro layout manual news notes page post reference ' +
  'release section setup static style theme topic tutorial update usage widget'
).split(' ');

/** mulberry32: tiny, fast, good enough for fixtures. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function makeSiteFixture(dir: string, options: SiteFixtureOptions = {}): Promise<SiteFixture> {
  const { files = 2000, bigFiles = 2, bigFileBytes = 12 * MIB, symlinks = 20, seed = 1 } = options;
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

  const folders = makeFolders(random, Math.max(4, Math.round(files / 15)));
  const result: SiteFixture = { files: [], symlinks: [], bytes: 0 };
  const write = async (relative: string, content: Buffer): Promise<void> => {
    const target = path.join(dir, ...relative.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
    result.files.push(relative);
    result.bytes += content.length;
  };

  for (let i = 0; i < files; i += 1) {
    const ext = i === 0 ? 'html' : weightedExtension(random());
    const folder = i === 0 ? '' : pick(folders);
    const name = i === 0 ? 'index.html' : `${pick(WORDS)}-${i}.${ext}`;
    // Log-uniform sizes: many small files, a tail of larger ones.
    const size = Math.round(MIN_SIZE * Math.exp(random() * Math.log(MAX_SIZE / MIN_SIZE)));
    await write(joinPosix(folder, name), fileContent(random, ext, size));
  }
  for (let i = 1; i <= bigFiles; i += 1) {
    await write(`downloads/bundle-${i}.bin`, randomBytes(random, bigFileBytes));
  }

  const pages = result.files.filter((file) => file.endsWith('.html'));
  for (let i = 0; i < symlinks && pages.length > 0; i += 1) {
    const target = pick(pages);
    // Half the links sit next to their target, half elsewhere (`../x/y.html`).
    const folder = i % 2 === 0 ? path.posix.dirname(target) : pick(folders);
    const linkPath = joinPosix(folder === '.' ? '' : folder, `alias-${i}.html`);
    const linkTarget = path.posix.relative(path.posix.dirname(linkPath), target);
    const absolute = path.join(dir, ...linkPath.split('/'));
    await mkdir(path.dirname(absolute), { recursive: true });
    await symlink(linkTarget, absolute);
    result.symlinks.push({ path: linkPath, target: linkTarget });
  }
  return result;
}

/** Sets every file's, link's and folder's mtime to now, as a fresh CI checkout does. */
export async function touchAll(dir: string): Promise<void> {
  const now = new Date();
  for (const entry of await walk(dir)) {
    const absolute = path.join(dir, ...entry.path.split('/'));
    if (entry.type === 'symlink') await lutimes(absolute, now, now);
    else await utimes(absolute, now, now);
  }
  await utimes(dir, now, now);
}

/**
 * Rewrites about `fraction` of the regular files (half keep their size, so a
 * size-only comparison would miss them) and deletes about as many others.
 * Files that a symlink points to are never deleted, so no link dangles.
 */
export async function mutate(dir: string, fraction = 0.01, seed = 2): Promise<MutateResult> {
  const random = createRandom(seed);
  const entries = await walk(dir);
  const regular = entries.filter((e) => e.type === 'file').map((e) => e.path);
  const linkTargets = new Set<string>();
  for (const entry of entries.filter((e) => e.type === 'symlink')) {
    const target = await readlink(path.join(dir, ...entry.path.split('/')));
    linkTargets.add(path.posix.join(path.posix.dirname(entry.path), target));
  }

  const count = Math.max(1, Math.round(regular.length * fraction));
  const shuffled = shuffle(regular, random);
  const changed = shuffled.slice(0, count);
  const deleted = shuffled
    .slice(count)
    .filter((file) => !linkTargets.has(file))
    .slice(0, count);

  for (const [i, file] of changed.entries()) {
    const absolute = path.join(dir, ...file.split('/'));
    const { size } = await lstat(absolute);
    const newSize = i % 2 === 0 ? size : size + 1 + Math.floor(random() * 512);
    await writeFile(absolute, fileContent(random, path.posix.extname(file).slice(1), newSize));
  }
  for (const file of deleted) await rm(path.join(dir, ...file.split('/')));
  return { changed, deleted };
}

export interface TreeEntry {
  /** Relative POSIX path. */
  path: string;
  type: 'file' | 'symlink' | 'dir';
}

/** Every entry below `dir`, sorted, without following symlinks. */
export async function walk(dir: string, prefix = ''): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  const entries = await readdir(path.join(dir, ...prefix.split('/').filter(Boolean)), {
    withFileTypes: true,
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const relative = joinPosix(prefix, entry.name);
    if (entry.isSymbolicLink()) out.push({ path: relative, type: 'symlink' });
    else if (entry.isDirectory()) {
      out.push({ path: relative, type: 'dir' });
      out.push(...(await walk(dir, relative)));
    } else if (entry.isFile()) out.push({ path: relative, type: 'file' });
  }
  return out;
}

function makeFolders(random: () => number, count: number): string[] {
  const folders = ['assets', 'assets/css', 'assets/js', 'assets/img', 'blog', 'docs'];
  while (folders.length < count) {
    const parent = folders[Math.floor(random() * folders.length)] as string;
    if (parent.split('/').length >= 5) continue;
    const word = WORDS[Math.floor(random() * WORDS.length)] as string;
    folders.push(`${parent}/${word}-${folders.length}`);
  }
  return folders.slice(0, Math.max(count, 1));
}

function weightedExtension(r: number): string {
  const total = EXTENSIONS.reduce((sum, [, weight]) => sum + weight, 0);
  let left = r * total;
  for (const [ext, weight] of EXTENSIONS) {
    left -= weight;
    if (left < 0) return ext;
  }
  return 'txt';
}

function fileContent(random: () => number, ext: string, size: number): Buffer {
  if (ext === 'png') {
    const bytes = randomBytes(random, size);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
    return bytes;
  }
  const parts: string[] = [];
  let length = 0;
  while (length < size) {
    const word = WORDS[Math.floor(random() * WORDS.length)] as string;
    const separator = random() < 0.1 ? '\n' : ' ';
    parts.push(word, separator);
    length += word.length + 1;
  }
  return Buffer.from(parts.join('').slice(0, size), 'utf8');
}

function randomBytes(random: () => number, size: number): Buffer {
  const buffer = Buffer.alloc(size);
  let offset = 0;
  for (; offset + 4 <= size; offset += 4) buffer.writeUInt32LE((random() * 4294967296) >>> 0, offset);
  for (; offset < size; offset += 1) buffer[offset] = Math.floor(random() * 256);
  return buffer;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

function joinPosix(folder: string, name: string): string {
  return folder ? `${folder}/${name}` : name;
}
