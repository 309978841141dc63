import { someFolderOf } from '../model/keys.js';

/**
 * Fits a list of invalidation paths into a limit by replacing folders of them
 * with wildcards. Pure.
 *
 * CloudFront bills each path, and a wildcard (`/blog/*`) is one path however
 * much it covers; but it allows only 15 wildcard paths in progress per
 * distribution, so the result also keeps to at most `maxWildcards` of them.
 *
 * The greedy works bottom-up on the folder tree. A folder may be collapsed
 * once no folder below it still holds two or more paths; of those folders it
 * collapses the one whose wildcard saves the most paths (deepest first on
 * ties), or, when some of them alone brings the list within the limit, the
 * deepest such. So it climbs only as high as needed, `/*` at worst.
 *
 * A folder's own path without the slash (`/docs/guide`, from an index
 * document) goes with the folder: collapsing `/docs/guide/` then gives
 * `/docs/guide*`, which covers it too (and whatever else starts so, which is
 * harmless: it is only invalidated).
 */

/** CloudFront's quota of wildcard paths in progress at once per distribution. */
export const WILDCARD_LIMIT = 15;

/** Whether invalidating `output` also invalidates `path`. */
export function covers(output: string, path: string): boolean {
  if (output === path) return true;
  if (!output.endsWith('*')) return false;
  return stripStar(path).startsWith(output.slice(0, -1));
}

export function collapsePaths(paths: string[], maxPaths: number, maxWildcards: number = WILDCARD_LIMIT): string[] {
  if (!Number.isInteger(maxPaths) || maxPaths < 1) throw new RangeError('maxPaths must be a whole number ≥ 1');
  if (!Number.isInteger(maxWildcards) || maxWildcards < 1) {
    throw new RangeError('maxWildcards must be a whole number ≥ 1');
  }
  const unique = [...new Set(paths)].sort();
  for (const path of unique) {
    if (!path.startsWith('/')) throw new RangeError(`An invalidation path must start with /: ${path}`);
  }
  if (unique.length <= maxPaths && unique.filter(isWildcard).length <= maxWildcards) return unique;

  const tree = new Tree(unique);
  while (tree.root.count > maxPaths) tree.collapse(tree.pickToShrink(tree.root.count - maxPaths));
  while (tree.root.wildcards > maxWildcards) tree.collapse(tree.pickToMergeWildcards());
  return withoutCovered(tree.emit());
}

interface Folder {
  /** Ends with `/`. */
  path: string;
  depth: number;
  parent: Folder | undefined;
  children: Folder[];
  /** Paths directly in this folder (and its own path without the slash). */
  items: string[];
  /** The folder's own path without the slash is one of the items. */
  hasBare: boolean;
  collapsed: boolean;
  /** Paths (a collapsed folder being one) in this folder and below. */
  count: number;
  /** Of which wildcards. */
  wildcards: number;
  /**
   * Open children holding two or more paths. A folder is ready to collapse
   * when it holds two or more and none of its children does.
   */
  heavyChildren: number;
}

const isWildcard = (path: string): boolean => path.endsWith('*');
const stripStar = (path: string): string => (isWildcard(path) ? path.slice(0, -1) : path);
const folderOf = (path: string): string => path.slice(0, path.lastIndexOf('/') + 1);
const byPath = (a: Folder, b: Folder): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
/** Saves the most, then deepest, then first by name. */
const bySavings = (a: Folder, b: Folder): number => b.count - a.count || b.depth - a.depth || byPath(a, b);

class Tree {
  readonly root: Folder;
  /** Folders that were ready when added; checked again when taken. */
  private readonly ready = new Heap<Folder>(bySavings);

  constructor(paths: string[]) {
    const folders = new Map<string, Folder>();
    const folderAt = (path: string): Folder => {
      let folder = folders.get(path);
      if (folder === undefined) {
        const parent = path === '/' ? undefined : folderAt(folderOf(path.slice(0, -1)));
        folder = {
          path,
          depth: path.split('/').length - 2,
          parent,
          children: [],
          items: [],
          hasBare: false,
          collapsed: false,
          count: 0,
          wildcards: 0,
          heavyChildren: 0,
        };
        parent?.children.push(folder);
        folders.set(path, folder);
      }
      return folder;
    };
    this.root = folderAt('/');
    for (const path of paths) folderAt(folderOf(stripStar(path)));
    for (const path of paths) {
      const own = isWildcard(path) ? undefined : folders.get(`${path}/`);
      if (own !== undefined) own.hasBare = true;
      (own ?? folderAt(folderOf(stripStar(path)))).items.push(path);
    }
    // Deepest first, so that children are counted before their parents.
    const all = [...folders.values()].sort((a, b) => b.depth - a.depth);
    for (const folder of all) {
      folder.count += folder.items.length;
      folder.wildcards += folder.items.filter(isWildcard).length;
      if (folder.parent !== undefined) {
        folder.parent.count += folder.count;
        folder.parent.wildcards += folder.wildcards;
        if (folder.count >= 2) folder.parent.heavyChildren += 1;
      }
    }
    for (const folder of all) if (this.isReady(folder)) this.ready.push(folder);
  }

  private isOpen(folder: Folder): boolean {
    for (let f: Folder | undefined = folder; f !== undefined; f = f.parent) if (f.collapsed) return false;
    return true;
  }

  private isReady(folder: Folder): boolean {
    return folder.count >= 2 && folder.heavyChildren === 0 && this.isOpen(folder);
  }

  /** The next folder to collapse while there are `excess` paths too many. */
  pickToShrink(excess: number): Folder {
    for (;;) {
      const best = this.ready.peek();
      // Never empty while the root holds two or more paths; the root at worst.
      if (best === undefined) return this.root;
      if (!this.isReady(best)) {
        this.ready.pop();
        continue;
      }
      if (best.count - 1 < excess) return best;
      // Some ready folder is enough on its own: the deepest such.
      const enough = this.ready.items().filter((folder) => folder.count - 1 >= excess && this.isReady(folder));
      enough.sort((a, b) => b.depth - a.depth || a.count - b.count || byPath(a, b));
      return enough[0] ?? best;
    }
  }

  /** The deepest open folder that merges two or more wildcards into one. */
  pickToMergeWildcards(): Folder {
    let pick = this.root;
    const visit = (folder: Folder): void => {
      if (folder.collapsed || folder.wildcards < 2) return;
      if (
        folder.depth > pick.depth ||
        (folder.depth === pick.depth && (folder.wildcards > pick.wildcards || byPath(folder, pick) < 0))
      ) {
        pick = folder;
      }
      for (const child of folder.children) visit(child);
    };
    visit(this.root);
    return pick;
  }

  collapse(folder: Folder): void {
    if (folder.collapsed) return;
    const lostCount = folder.count - 1;
    const lostWildcards = folder.wildcards - 1;
    let childLeftHeavy = folder.count >= 2;
    folder.collapsed = true;
    folder.count = 1;
    folder.wildcards = 1;
    for (let parent = folder.parent; parent !== undefined; parent = parent.parent) {
      if (childLeftHeavy) parent.heavyChildren -= 1;
      const wasHeavy = parent.count >= 2;
      parent.count -= lostCount;
      parent.wildcards -= lostWildcards;
      childLeftHeavy = wasHeavy && parent.count < 2;
      if (this.isReady(parent)) this.ready.push(parent);
    }
  }

  emit(): string[] {
    const out: string[] = [];
    const visit = (folder: Folder): void => {
      if (folder.collapsed) {
        out.push(folder.hasBare ? `${folder.path.slice(0, -1)}*` : `${folder.path}*`);
        return;
      }
      out.push(...folder.items);
      for (const child of folder.children) visit(child);
    };
    visit(this.root);
    return out;
  }
}

/** Drops what another path of the list already invalidates. */
function withoutCovered(paths: string[]): string[] {
  const unique = [...new Set(paths)].sort();
  const wildcards = unique.filter(isWildcard);
  return unique.filter((path) => !wildcards.some((wildcard) => wildcard !== path && covers(wildcard, path)));
}

/** A binary heap; `before(a, b) < 0` puts a nearer the top. */
class Heap<T> {
  private readonly heap: T[] = [];

  constructor(private readonly before: (a: T, b: T) => number) {}

  items(): readonly T[] {
    return this.heap;
  }

  peek(): T | undefined {
    return this.heap[0];
  }

  push(item: T): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (this.before(heap[i] as T, heap[up] as T) >= 0) break;
      [heap[i], heap[up]] = [heap[up] as T, heap[i] as T];
      i = up;
    }
  }

  pop(): T | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < heap.length && this.before(heap[left] as T, heap[best] as T) < 0) best = left;
        if (right < heap.length && this.before(heap[right] as T, heap[best] as T) < 0) best = right;
        if (best === i) break;
        [heap[i], heap[best]] = [heap[best] as T, heap[i] as T];
        i = best;
      }
    }
    return top;
  }
}

/**
 * Replaces with one wildcard the changed paths of each folder whose objects
 * all changed, the highest such folder at or below `root`: a full rebuild
 * becomes `/*`, a rewritten section `/blog/*`, and no object that did not
 * change is invalidated with them. `universe` holds the viewer paths of
 * every object under `root` the run knows of, changed ones included.
 */
export function wildcardWholeFolders(changed: string[], universe: string[], root: string): string[] {
  const changedSet = new Set(changed);
  const holdsUnchanged = new Set<string>();
  for (const path of universe) {
    if (changedSet.has(path)) continue;
    for (const folder of foldersAbove(path, root)) holdsUnchanged.add(folder);
  }
  const result: string[] = [];
  const taken = new Set<string>();
  for (const path of [...changedSet].sort()) {
    const folder = foldersAbove(path, root).find((candidate) => !holdsUnchanged.has(candidate));
    if (folder === undefined) result.push(path);
    else if (!taken.has(folder)) {
      taken.add(folder);
      result.push(`${folder}*`);
    }
  }
  // A folder taken whole covers what was kept for a deeper one.
  return result.filter((path) => !result.some((other) => other !== path && covers(other, path)));
}

/** The folders at or below `root` that hold `path`, root first; a path ending in `/` is in its own folder. */
function foldersAbove(path: string, root: string): string[] {
  if (root === '' || !path.startsWith(root)) return [];
  const folders: string[] = [];
  someFolderOf(path, (folder) => {
    if (folder.length >= root.length - 1) folders.push(`${folder}/`);
    return false;
  });
  return folders;
}
