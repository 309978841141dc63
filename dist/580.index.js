export const id = 580;
export const ids = [580];
export const modules = {

/***/ 6580:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 21 modules
var github = __webpack_require__(157);
;// CONCATENATED MODULE: ./src/local/temp-files.ts

/**
 * The temporary files of a pull's downloads in flight. The process owner
 * removes them when the job is cancelled, so no partial download is left.
 */
class TempFiles {
    inFlight = new Set();
    add(temp) {
        this.inFlight.add(temp);
    }
    /** The file is no longer this registry's: placed, or removed by the caller. */
    release(temp) {
        this.inFlight.delete(temp);
    }
    /** Synchronous, for a process that is about to exit. */
    removeAll() {
        for (const temp of this.inFlight) {
            try {
                (0,external_node_fs_.rmSync)(temp, { force: true });
            }
            catch {
                // Best effort: the run is going away.
            }
        }
        this.inFlight.clear();
    }
}

;// CONCATENATED MODULE: ./src/model/errors.ts
/**
 * The errors the core raises on purpose. Each message is a sentence for the
 * user; the report adds what to do next where the cause is outside the run.
 */
/** A guard refused the run before anything changed. */
class RefusedError extends Error {
    name = 'RefusedError';
}
/** The request budget would be, or was, passed. */
class RequestLimitError extends Error {
    needed;
    limit;
    name = 'RequestLimitError';
    constructor(message, needed, limit) {
        super(message);
        this.needed = needed;
        this.limit = limit;
    }
}
/**
 * A failure while listing, inspecting or applying, with the key and
 * operation it happened on. The message stays the cause's own.
 */
class OperationError extends Error {
    operation;
    key;
    cause;
    name = 'OperationError';
    constructor(operation, key, cause) {
        super(errorMessage(cause));
        this.operation = operation;
        this.key = key;
        this.cause = cause;
    }
}
/** Runs `work`, tagging what it throws with the operation and key (a tag already there wins). */
async function tagged(operation, key, work) {
    try {
        return await work();
    }
    catch (error) {
        if (error instanceof OperationError || error instanceof RequestLimitError)
            throw error;
        throw new OperationError(operation, key, error);
    }
}
/** The error behind a tag. */
function rootCause(error) {
    return error instanceof OperationError ? error.cause : error;
}
/** One sentence for anything thrown, including the SDK's service errors. */
function errorMessage(error) {
    if (error instanceof Error) {
        const named = error;
        return named.message || named.Code || named.name;
    }
    return String(error);
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/model/keys.ts

/**
 * Path and key safety. Every place that turns a key into a local path, or a
 * local path into a key or a redirect location, goes through this module, so
 * the rules live in one spot.
 */
const MAX_SEGMENT_BYTES = 255;
const MAX_KEY_BYTES = 1024;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const DRIVE_LETTER = /^[A-Za-z]:$/;
// Characters Windows refuses in file names; a pull on a Windows runner would
// fail half-way, so such keys are refused up front on that platform.
const WINDOWS_RESERVED = /[<>:"|?*]/;
/**
 * Why a key (relative to the prefix) cannot be mirrored as a local path, or
 * undefined when it can.
 */
function unsafeKeyReason(key, platform = process.platform) {
    if (key === '')
        return 'the key is empty';
    if (key.endsWith('/'))
        return 'it is a folder placeholder';
    if (key.startsWith('/'))
        return 'it starts with "/"';
    if (key.includes('\\'))
        return 'it contains a backslash';
    if (CONTROL_CHARACTERS.test(key))
        return 'it contains a control character';
    // UTF-8 takes at most 3 bytes per UTF-16 unit: a short key needs no byte count.
    const short = key.length * 3 <= MAX_SEGMENT_BYTES;
    if (!short && Buffer.byteLength(key) > MAX_KEY_BYTES)
        return `it is longer than ${MAX_KEY_BYTES} bytes`;
    const segments = key.split('/');
    for (const segment of segments) {
        if (segment === '')
            return 'it has an empty path segment ("//")';
        if (segment === '.' || segment === '..')
            return `it has a "${segment}" path segment`;
        if (!short && Buffer.byteLength(segment) > MAX_SEGMENT_BYTES)
            return `a path segment is longer than ${MAX_SEGMENT_BYTES} bytes`;
        if (platform === 'win32' && WINDOWS_RESERVED.test(segment))
            return 'it contains a character Windows does not allow in file names';
    }
    if (DRIVE_LETTER.test(segments[0] ?? ''))
        return 'it starts with a drive letter';
    return undefined;
}
/** The key for a path relative to the directory, whatever the OS separator. */
function keyFromRelativePath(relativePath) {
    return (external_node_path_default()).sep === '/' ? relativePath : relativePath.split((external_node_path_default()).sep).join('/');
}
/**
 * The local path for a key. Callers have already skipped unsafe keys; this
 * checks again because it is the last line of defence before the disk.
 */
function localPathForKey(root, key) {
    const unsafe = unsafeKeyReason(key);
    const resolved = external_node_path_default().resolve(root, ...key.split('/'));
    if (unsafe !== undefined || !isInside(root, resolved) || resolved === external_node_path_default().resolve(root)) {
        throw new Error(`Refusing to touch ${JSON.stringify(key)} under ${root}: ${unsafe ?? 'it is outside'}`);
    }
    return resolved;
}
/** True when candidate is root or lies below it. Both must be absolute. */
function isInside(root, candidate) {
    const relative = external_node_path_default().relative(root, candidate);
    return relative === '' || (!relative.startsWith('..' + (external_node_path_default()).sep) && relative !== '..' && !external_node_path_default().isAbsolute(relative));
}
/** Joins the bucket prefix and a key relative to it. */
function withPrefix(prefix, key) {
    return prefix === '' ? key : `${prefix}/${key}`;
}
/**
 * The WebsiteRedirectLocation for a redirect to `targetKey` (relative to the
 * prefix). Each segment is percent-encoded: the location is sent as an HTTP
 * header (ASCII only) and served as a Location URL, where " ", "#", "?" and
 * "%" would otherwise change its meaning.
 */
function redirectLocationForKey(prefix, targetKey) {
    return '/' + withPrefix(prefix, targetKey).split('/').map(encodeURIComponent).join('/');
}
/**
 * The keys (relative to the prefix) that a redirect location may point to,
 * most likely first. Locations written by this action are percent-encoded;
 * those written by the original Python script are raw. Both are accepted and
 * the planner picks the one that exists in the bucket.
 */
function keysForRedirectLocation(prefix, location) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(location) || location.startsWith('//')) {
        return { ok: false, reason: `it points to a full URL (${location})` };
    }
    if (!location.startsWith('/')) {
        return { ok: false, reason: `its location "${location}" is not a path in the bucket` };
    }
    const raw = location.slice(1);
    const candidates = [];
    try {
        candidates.push(decodeURIComponent(raw));
    }
    catch {
        // Not valid percent-encoding: only the raw reading remains.
    }
    if (!candidates.includes(raw))
        candidates.push(raw);
    const scoped = [];
    for (const candidate of candidates) {
        const relative = stripPrefix(prefix, candidate);
        if (relative === undefined)
            continue;
        if (unsafeKeyReason(relative) === undefined)
            scoped.push(relative);
    }
    if (scoped.length === 0) {
        const outside = candidates.every((c) => stripPrefix(prefix, c) === undefined);
        return {
            ok: false,
            reason: outside
                ? `its location "${location}" is outside the prefix "${prefix}"`
                : `its location "${location}" does not name a file inside the directory`,
        };
    }
    return { ok: true, candidates: scoped };
}
/** The key relative to the prefix, or undefined when it is not under it. */
function stripPrefix(prefix, key) {
    if (prefix === '')
        return key;
    return key.startsWith(prefix + '/') ? key.slice(prefix.length + 1) : undefined;
}
/** Normalises the `prefix` input: no leading or trailing slashes. */
function normalisePrefix(prefix) {
    return prefix.replace(/^\/+|\/+$/g, '');
}
/** How messages name a place in a bucket: `s3://bucket/prefix`, or with a key below the prefix. */
function s3Url(bucket, prefix, key) {
    return `s3://${bucket}/${key === undefined ? prefix : withPrefix(prefix, key)}`;
}
/** Whether the key is a web page (`.html` or `.htm`): deployed after its assets, linked to where a browser shows it. */
function isPage(key) {
    return /\.html?$/i.test(key);
}
/** Whether `test` holds for a folder the key lies in ("a", then "a/b" for "a/b/c"), top folder first. */
function someFolderOf(key, test) {
    for (let slash = key.indexOf('/'); slash !== -1; slash = key.indexOf('/', slash + 1)) {
        if (test(key.slice(0, slash)))
            return true;
    }
    return false;
}
/** someFolderOf from the deepest folder up: a walk that stops at a folder seen before skips those above it. */
function someFolderOfUpwards(key, test) {
    for (let slash = key.lastIndexOf('/'); slash !== -1; slash = key.lastIndexOf('/', slash - 1)) {
        if (test(key.slice(0, slash)))
            return true;
    }
    return false;
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var dist_cjs = __webpack_require__(3711);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-cloudfront/dist-cjs/index.js
var client_cloudfront_dist_cjs = __webpack_require__(3169);
;// CONCATENATED MODULE: ./src/cdn/collapse.ts

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
const WILDCARD_LIMIT = 15;
/** Whether invalidating `output` also invalidates `path`. */
function covers(output, path) {
    if (output === path)
        return true;
    if (!output.endsWith('*'))
        return false;
    return stripStar(path).startsWith(output.slice(0, -1));
}
function collapsePaths(paths, maxPaths, maxWildcards = WILDCARD_LIMIT) {
    if (!Number.isInteger(maxPaths) || maxPaths < 1)
        throw new RangeError('maxPaths must be a whole number ≥ 1');
    if (!Number.isInteger(maxWildcards) || maxWildcards < 1) {
        throw new RangeError('maxWildcards must be a whole number ≥ 1');
    }
    const unique = [...new Set(paths)].sort();
    for (const path of unique) {
        if (!path.startsWith('/'))
            throw new RangeError(`An invalidation path must start with /: ${path}`);
    }
    if (unique.length <= maxPaths && unique.filter(isWildcard).length <= maxWildcards)
        return unique;
    const tree = new Tree(unique);
    while (tree.root.count > maxPaths)
        tree.collapse(tree.pickToShrink(tree.root.count - maxPaths));
    while (tree.root.wildcards > maxWildcards)
        tree.collapse(tree.pickToMergeWildcards());
    return withoutCovered(tree.emit());
}
const isWildcard = (path) => path.endsWith('*');
const stripStar = (path) => (isWildcard(path) ? path.slice(0, -1) : path);
const folderOf = (path) => path.slice(0, path.lastIndexOf('/') + 1);
const byPath = (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
/** Saves the most, then deepest, then first by name. */
const bySavings = (a, b) => b.count - a.count || b.depth - a.depth || byPath(a, b);
class Tree {
    root;
    /** Folders that were ready when added; checked again when taken. */
    ready = new Heap(bySavings);
    constructor(paths) {
        const folders = new Map();
        const folderAt = (path) => {
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
        for (const path of paths)
            folderAt(folderOf(stripStar(path)));
        for (const path of paths) {
            const own = isWildcard(path) ? undefined : folders.get(`${path}/`);
            if (own !== undefined)
                own.hasBare = true;
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
                if (folder.count >= 2)
                    folder.parent.heavyChildren += 1;
            }
        }
        for (const folder of all)
            if (this.isReady(folder))
                this.ready.push(folder);
    }
    isOpen(folder) {
        for (let f = folder; f !== undefined; f = f.parent)
            if (f.collapsed)
                return false;
        return true;
    }
    isReady(folder) {
        return folder.count >= 2 && folder.heavyChildren === 0 && this.isOpen(folder);
    }
    /** The next folder to collapse while there are `excess` paths too many. */
    pickToShrink(excess) {
        for (;;) {
            const best = this.ready.peek();
            // Never empty while the root holds two or more paths; the root at worst.
            if (best === undefined)
                return this.root;
            if (!this.isReady(best)) {
                this.ready.pop();
                continue;
            }
            if (best.count - 1 < excess)
                return best;
            // Some ready folder is enough on its own: the deepest such.
            const enough = this.ready.items().filter((folder) => folder.count - 1 >= excess && this.isReady(folder));
            enough.sort((a, b) => b.depth - a.depth || a.count - b.count || byPath(a, b));
            return enough[0] ?? best;
        }
    }
    /** The deepest open folder that merges two or more wildcards into one. */
    pickToMergeWildcards() {
        let pick = this.root;
        const visit = (folder) => {
            if (folder.collapsed || folder.wildcards < 2)
                return;
            if (folder.depth > pick.depth ||
                (folder.depth === pick.depth && (folder.wildcards > pick.wildcards || byPath(folder, pick) < 0))) {
                pick = folder;
            }
            for (const child of folder.children)
                visit(child);
        };
        visit(this.root);
        return pick;
    }
    collapse(folder) {
        if (folder.collapsed)
            return;
        const lostCount = folder.count - 1;
        const lostWildcards = folder.wildcards - 1;
        let childLeftHeavy = folder.count >= 2;
        folder.collapsed = true;
        folder.count = 1;
        folder.wildcards = 1;
        for (let parent = folder.parent; parent !== undefined; parent = parent.parent) {
            if (childLeftHeavy)
                parent.heavyChildren -= 1;
            const wasHeavy = parent.count >= 2;
            parent.count -= lostCount;
            parent.wildcards -= lostWildcards;
            childLeftHeavy = wasHeavy && parent.count < 2;
            if (this.isReady(parent))
                this.ready.push(parent);
        }
    }
    emit() {
        const out = [];
        const visit = (folder) => {
            if (folder.collapsed) {
                out.push(folder.hasBare ? `${folder.path.slice(0, -1)}*` : `${folder.path}*`);
                return;
            }
            out.push(...folder.items);
            for (const child of folder.children)
                visit(child);
        };
        visit(this.root);
        return out;
    }
}
/** Drops what another path of the list already invalidates. */
function withoutCovered(paths) {
    const unique = [...new Set(paths)].sort();
    const wildcards = unique.filter(isWildcard);
    return unique.filter((path) => !wildcards.some((wildcard) => wildcard !== path && covers(wildcard, path)));
}
/** A binary heap; `before(a, b) < 0` puts a nearer the top. */
class Heap {
    before;
    heap = [];
    constructor(before) {
        this.before = before;
    }
    items() {
        return this.heap;
    }
    peek() {
        return this.heap[0];
    }
    push(item) {
        const heap = this.heap;
        heap.push(item);
        let i = heap.length - 1;
        while (i > 0) {
            const up = (i - 1) >> 1;
            if (this.before(heap[i], heap[up]) >= 0)
                break;
            [heap[i], heap[up]] = [heap[up], heap[i]];
            i = up;
        }
    }
    pop() {
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
                if (left < heap.length && this.before(heap[left], heap[best]) < 0)
                    best = left;
                if (right < heap.length && this.before(heap[right], heap[best]) < 0)
                    best = right;
                if (best === i)
                    break;
                [heap[i], heap[best]] = [heap[best], heap[i]];
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
function wildcardWholeFolders(changed, universe, root) {
    const changedSet = new Set(changed);
    const holdsUnchanged = new Set();
    for (const path of universe) {
        if (changedSet.has(path))
            continue;
        for (const folder of foldersAbove(path, root))
            holdsUnchanged.add(folder);
    }
    const result = [];
    const taken = new Set();
    for (const path of [...changedSet].sort()) {
        const folder = foldersAbove(path, root).find((candidate) => !holdsUnchanged.has(candidate));
        if (folder === undefined)
            result.push(path);
        else if (!taken.has(folder)) {
            taken.add(folder);
            result.push(`${folder}*`);
        }
    }
    // A folder taken whole covers what was kept for a deeper one.
    return result.filter((path) => !result.some((other) => other !== path && covers(other, path)));
}
/** The folders at or below `root` that hold `path`, root first; a path ending in `/` is in its own folder. */
function foldersAbove(path, root) {
    if (root === '' || !path.startsWith(root))
        return [];
    const folders = [];
    someFolderOf(path, (folder) => {
        if (folder.length >= root.length - 1)
            folders.push(`${folder}/`);
        return false;
    });
    return folders;
}

;// CONCATENATED MODULE: ./src/cdn/paths.ts
/**
 * From object keys to the viewer paths CloudFront caches them under. Pure.
 *
 * Encoding follows CloudFront's rule for invalidation paths: URL-encode
 * non-ASCII characters and the characters RFC 1738 calls unsafe, and nothing
 * else, or the path no longer matches what viewers requested. On top of that,
 * characters that would change the path's meaning are encoded too: `?` (would
 * start a query string), `*` (a wildcard) and `%` (would start an escape).
 */
// Kept as they are: RFC 3986 unreserved characters except `~` (which RFC
// 1738 calls unsafe and CloudFront rejects unencoded), the path separator,
// and the sub-delimiters and `:` `@` that neither RFC asks to encode.
const KEPT = /[A-Za-z0-9\-._/!$&'()+,;=:@]/;
/** Percent-encodes a key (or key path) for an invalidation path; `/` stays. */
function encodeInvalidationPath(path) {
    let out = '';
    for (const char of path) {
        if (KEPT.test(char)) {
            out += char;
            continue;
        }
        for (const byte of Buffer.from(char, 'utf8'))
            out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return out;
}
/**
 * The viewer paths that may hold a cached copy of an object, for a key
 * relative to what the distribution serves (`docs/guide/index.html`): the
 * object itself and, for an index document, its folder with and without the
 * trailing slash. The root index gives `/index.html` and `/`.
 */
function urlPathsForKey(prefixedKey, indexDocument) {
    const key = prefixedKey.replace(/^\/+/, '');
    const paths = [`/${encodeInvalidationPath(key)}`];
    if (indexDocument === '')
        return paths;
    if (key === indexDocument) {
        paths.push('/');
    }
    else if (key.endsWith(`/${indexDocument}`)) {
        const folder = encodeInvalidationPath(key.slice(0, -indexDocument.length));
        paths.push(`/${folder}`, `/${folder.slice(0, -1)}`);
    }
    return paths;
}
/**
 * The key relative to what the distribution serves, for a key relative to the
 * run's prefix: CloudFront asks the origin for ORIGIN_PATH + viewer path, so
 * the object `prefix/key` is seen at `prefix/key` less the origin path.
 * Undefined when the object is outside the origin path: that distribution
 * never serves it.
 */
function mapThroughOriginPath(key, prefix, originPath) {
    const trimmedPrefix = prefix.replace(/^\/+|\/+$/g, '');
    const objectKey = trimmedPrefix === '' ? key : `${trimmedPrefix}/${key}`;
    const base = originPath.replace(/^\/+|\/+$/g, '');
    if (base === '')
        return objectKey;
    if (!objectKey.startsWith(`${base}/`))
        return undefined;
    const viewerKey = objectKey.slice(base.length + 1);
    return viewerKey === '' ? undefined : viewerKey;
}

;// CONCATENATED MODULE: ./src/cdn/retry.ts
/**
 * How every CloudFront request of a run is retried on top of the SDK's own
 * attempts, and how its errors are told apart. Shared by the check before the
 * sync and the invalidation after it.
 */
/** Our retries on top of the SDK's: TooManyInvalidationsInProgress and throttling. */
const RETRY_ATTEMPTS = 5;
const RETRY_FIRST_DELAY_MS = 2_000;
/** Retrying one command stops once this much time has gone by. */
const RETRY_BOUND_MS = 60_000;
const realSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const THROTTLING = new Set([
    'Throttling',
    'ThrottlingException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
]);
function isAccessDenied(error) {
    const { name, $metadata } = (error ?? {});
    return name === 'AccessDenied' || name === 'AccessDeniedException' || $metadata?.httpStatusCode === 403;
}
function isRetryable(error) {
    const { name, $metadata } = (error ?? {});
    if (name === 'RequestLimitError')
        return false;
    if (name === 'TooManyInvalidationsInProgress' || (name !== undefined && THROTTLING.has(name)))
        return true;
    return $metadata?.httpStatusCode === 429 || $metadata?.httpStatusCode === 503;
}
/**
 * Runs `send` up to RETRY_ATTEMPTS times, with exponential backoff, while it
 * fails with a retryable error and RETRY_BOUND_MS has not gone by.
 */
async function withRetries(sleep, send) {
    const started = Date.now();
    let slept = 0;
    let delay = RETRY_FIRST_DELAY_MS;
    for (let attempt = 1;; attempt++) {
        try {
            return await send();
        }
        catch (error) {
            const elapsed = Math.max(Date.now() - started, slept);
            if (attempt >= RETRY_ATTEMPTS || !isRetryable(error) || elapsed + delay > RETRY_BOUND_MS)
                throw error;
            await sleep(delay);
            slept += delay;
            delay *= 2;
        }
    }
}

;// CONCATENATED MODULE: ./src/cdn/invalidate.ts
/**
 * Invalidates, in one or more CloudFront distributions, the viewer paths of
 * the objects a push changed, through the origin the check before the sync
 * found (src/cdn/preflight.ts). Never throws for a CloudFront error: the
 * deploy has happened, so each distribution ends with a status, and problems
 * become warnings.
 *
 * Every request goes through the given client, so a request budget attached
 * to it counts each attempt, the SDK's retries and ours included.
 */






// 1,000 paths a month are free per account, then $0.005 each: 30 a push keeps one push a day free
// all month even when every push hits the cap (≤ $0.15 a push past it), far below 3,000 in progress.
const DEFAULT_MAX_PATHS = 30;
/** How long `wait` waits by default for an invalidation to complete. */
const DEFAULT_WAIT_TIMEOUT_MS = 10 * 60_000;
const POLL_FIRST_DELAY_MS = 2_000;
const POLL_MAX_DELAY_MS = 30_000;
/** Distribution IDs from an input: one or more, newline- or comma-separated. */
function parseDistributionIds(text) {
    const ids = text
        .split(/[\n,]/)
        .map((id) => id.trim())
        .filter((id) => id !== '');
    return [...new Set(ids)];
}
/**
 * The outputs' values: the invalidations created, and the paths they sent;
 * on a dry run, the paths that would be sent (the `dry-run` output says so),
 * and where CloudFront refused an invalidation, the paths it was meant to
 * send, for a user to send by hand (the warning says so).
 */
function invalidationOutputs(result) {
    return {
        invalidationIds: result.distributions.flatMap((d) => (d.invalidationId === undefined ? [] : [d.invalidationId])),
        invalidatedPaths: [...new Set(result.distributions.flatMap((d) => d.paths))].sort(),
    };
}
async function invalidateCdn(request) {
    const distributions = [];
    for (const served of request.distributions) {
        if (request.keys.length === 0) {
            distributions.push({
                distributionId: served.distributionId,
                paths: [],
                billablePaths: 0,
                status: 'nothing to invalidate',
                warnings: [],
            });
        }
        else {
            distributions.push(await invalidateOne(request, served));
        }
    }
    return { distributions, warnings: distributions.flatMap((d) => d.warnings) };
}
/** The changed paths, with every folder whose objects all changed as one wildcard. */
function wholeFolders(request, originPath, changed) {
    if (request.allKeys === undefined)
        return changed;
    // The folder the prefix is seen at: nothing above it is the run's to judge.
    const probe = mapThroughOriginPath('-', request.prefix, originPath);
    if (probe === undefined)
        return changed;
    const root = `/${encodeInvalidationPath(probe.slice(0, -1))}`;
    const universe = [];
    for (const key of request.allKeys) {
        const viewerKey = mapThroughOriginPath(key, request.prefix, originPath);
        if (viewerKey !== undefined)
            universe.push(...urlPathsForKey(viewerKey, request.indexDocument));
    }
    return wildcardWholeFolders(changed, universe, root);
}
async function invalidateOne(request, { distributionId, originPath }) {
    const sleep = request.sleep ?? realSleep;
    const warnings = [];
    const result = (fields) => ({
        distributionId,
        ...fields,
        warnings,
    });
    const paths = pathsToInvalidate(request, distributionId, originPath, warnings);
    if (paths.length === 0)
        return result({ paths, billablePaths: 0, status: 'nothing to invalidate' });
    if (request.dryRun)
        return result({ paths, billablePaths: paths.length, status: 'dry run' });
    const created = await createInvalidation(request, sleep, distributionId, paths, warnings);
    if (created === undefined)
        return result({ paths, billablePaths: 0, status: 'failed' });
    const { invalidationId } = created;
    let status = created.status;
    if (request.wait && status !== 'Completed') {
        status = await waitForCompletion(request, sleep, distributionId, invalidationId, warnings);
    }
    return result({ invalidationId, paths, billablePaths: paths.length, status });
}
/** The viewer paths of the changed keys the distribution serves, fitted into maxPaths. */
function pathsToInvalidate(request, distributionId, originPath, warnings) {
    const viewerKeys = [];
    const outside = [];
    for (const key of request.keys) {
        const viewerKey = mapThroughOriginPath(key, request.prefix, originPath);
        if (viewerKey === undefined)
            outside.push(key);
        else
            viewerKeys.push(viewerKey);
    }
    const [example] = outside;
    if (example !== undefined) {
        warnings.push(`${outside.length} changed object(s) are outside origin path ${originPath} of distribution ${distributionId}, ` +
            `which never serves them, and were not invalidated there (for example ${withPrefix(request.prefix, example)}).`);
    }
    const changedPaths = viewerKeys.flatMap((key) => urlPathsForKey(key, request.indexDocument));
    return collapsePaths(wholeFolders(request, originPath, changedPaths), request.maxPaths);
}
/** Creates the invalidation; undefined (with a warning) when CloudFront refused it. */
async function createInvalidation(request, sleep, distributionId, paths, warnings) {
    // One reference for all attempts: a retry of a request that did reach
    // CloudFront returns that invalidation instead of creating (and billing) another.
    const callerReference = `s3-force-copy ${new Date().toISOString()} ${(0,external_node_crypto_.randomUUID)()}`;
    try {
        const output = await withRetries(sleep, () => request.client.send(new client_cloudfront_dist_cjs/* CreateInvalidationCommand */.Yo6({
            DistributionId: distributionId,
            InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: paths } },
        })));
        return { invalidationId: output.Invalidation?.Id ?? '', status: statusOf(output.Invalidation?.Status) };
    }
    catch (error) {
        // The deploy has happened: say what is still cached, so it can be sent by hand.
        const failure = describeFailure(error, distributionId, 'CreateInvalidation').replace(/(?<![.!?])$/, '.');
        warnings.push(`${failure} Not invalidated: ${paths.length} path(s), listed in the invalidated-paths output.`);
        return undefined;
    }
}
async function waitForCompletion(request, sleep, distributionId, invalidationId, warnings) {
    const started = Date.now();
    let slept = 0;
    let delay = POLL_FIRST_DELAY_MS;
    for (;;) {
        // Sleep time counts even when a fake sleep takes none, so the wait ends either way.
        const remaining = request.waitTimeoutMs - Math.max(Date.now() - started, slept);
        if (remaining <= 0) {
            warnings.push(`Invalidation ${invalidationId} of distribution ${distributionId} was still in progress after ` +
                `${Math.round(request.waitTimeoutMs / 1000)} s; stopped waiting (it goes on in CloudFront).`);
            return 'InProgress';
        }
        const pause = Math.min(delay, remaining);
        await sleep(pause);
        slept += pause;
        delay = Math.min(delay * 2, POLL_MAX_DELAY_MS);
        try {
            const output = await withRetries(sleep, () => request.client.send(new client_cloudfront_dist_cjs/* GetInvalidationCommand */.Wwh({ DistributionId: distributionId, Id: invalidationId })));
            if (statusOf(output.Invalidation?.Status) === 'Completed')
                return 'Completed';
        }
        catch (error) {
            warnings.push(`${describeFailure(error, distributionId, 'GetInvalidation')} Invalidation ${invalidationId} was created; ` +
                'stopped waiting for it.');
            return 'InProgress';
        }
    }
}
/** CloudFront says `Completed` or `InProgress` (moto says `COMPLETED`). */
function statusOf(status) {
    return status?.toLowerCase() === 'completed' ? 'Completed' : 'InProgress';
}
const IAM_ACTIONS = {
    CreateInvalidation: 'cloudfront:CreateInvalidation',
    GetInvalidation: 'cloudfront:GetInvalidation',
};
function describeFailure(error, distributionId, operation) {
    const { name = 'Error', message = String(error) } = (error ?? {});
    if (name === 'RequestLimitError')
        return `Distribution ${distributionId}: ${operation} not sent. ${message}`;
    if (isAccessDenied(error)) {
        const action = IAM_ACTIONS[operation];
        return (`Distribution ${distributionId}: access denied to ${action} (${message}). ` +
            `Allow ${action} on arn:aws:cloudfront::ACCOUNT_ID:distribution/${distributionId} for the credentials this job uses.`);
    }
    if (name === 'NoSuchDistribution') {
        return `Distribution ${distributionId} does not exist, or not in the account of these credentials (${message}).`;
    }
    const tail = name === 'TooManyInvalidationsInProgress' || THROTTLING.has(name) ? ` (gave up after retrying)` : '';
    return `Distribution ${distributionId}: ${operation} failed${tail}: ${name}: ${message}`;
}

// EXTERNAL MODULE: ./node_modules/picomatch/index.js
var picomatch = __webpack_require__(4006);
var picomatch_default = /*#__PURE__*/__webpack_require__.n(picomatch);
;// CONCATENATED MODULE: ./src/settings/rules.ts


/** Always excluded: macOS Finder litter, never part of a site. */
const DEFAULT_EXCLUDES = ['.DS_Store', '._*'];
const GLOB_OPTIONS = { dot: true };
/** A pattern without a slash matches the name at any depth, as in .gitignore. */
function anyDepth(pattern) {
    return pattern.includes('/') ? pattern : `**/${pattern}`;
}
/** A predicate for keys matching any of the exclude globs (plus the defaults). */
function excludeMatcher(patterns) {
    const matches = picomatch_default()([...DEFAULT_EXCLUDES, ...patterns].map(anyDepth), GLOB_OPTIONS);
    // The local scan skips a matching folder whole, so keys below a matching
    // folder are excluded too, or the bucket side would delete or fetch them.
    return (key) => {
        // Neither default matches a name without these, so most keys of a large
        // tree skip the globs, which are slow next to a substring test.
        if (patterns.length === 0 && !key.includes('.DS_Store') && !key.includes('._'))
            return false;
        return someFolderOf(key, matches) || matches(key);
    };
}
/** A predicate for keys matching any of the globs (the `gzip` input), with no defaults. */
function keyMatcher(patterns) {
    if (patterns.length === 0)
        return () => false;
    return picomatch_default()(patterns.map(anyDepth), GLOB_OPTIONS);
}
/** Parses "glob: value" lines. */
function parseCacheControlRules(lines, fail) {
    return lines.map((line) => {
        const colon = line.indexOf(':');
        const pattern = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (colon <= 0 || pattern === '' || value === '') {
            throw fail(`Each cache-control line must be "glob: value", such as "**/*.html: no-cache"; got "${line}".`);
        }
        return { pattern, value };
    });
}
/** The headers a rule may set, by their lower-case HTTP name. */
const SETTABLE_HEADERS = {
    'cache-control': 'CacheControl',
    'content-type': 'ContentType',
    'content-disposition': 'ContentDisposition',
    'content-language': 'ContentLanguage',
    'content-encoding': 'ContentEncoding',
    expires: 'Expires',
};
/** Metadata the action writes itself, so no rule may set it. */
const RESERVED_METADATA = new Set(['md5']);
/** Parses "glob: Header-Name: value" lines; a header outside the supported set is refused. */
function parseHeaderRules(lines, fail) {
    return lines.map((line) => {
        const match = /^([^:]+):\s*([A-Za-z0-9-]+)\s*:\s*(.+)$/.exec(line);
        const pattern = match?.[1]?.trim() ?? '';
        const name = (match?.[2] ?? '').toLowerCase();
        const value = match?.[3]?.trim() ?? '';
        if (match === null || pattern === '' || value === '') {
            throw fail(`Each headers line must be "glob: Header-Name: value", such as "**/*.json: Content-Type: application/json"; got "${line}".`);
        }
        if (name.startsWith('x-amz-meta-')) {
            const key = name.slice('x-amz-meta-'.length);
            if (key === '' || RESERVED_METADATA.has(key)) {
                throw fail(`The headers line "${line}" sets ${name}, which the action writes itself.`);
            }
            return { pattern, header: name, value };
        }
        const header = SETTABLE_HEADERS[name];
        if (header === undefined) {
            throw fail(`The headers line "${line}" sets ${match[2]}, which is not one the action can set: use Cache-Control, Content-Type, Content-Disposition, Content-Language, Content-Encoding, Expires or x-amz-meta-*.`);
        }
        if (header === 'Expires' && Number.isNaN(Date.parse(value))) {
            throw fail(`The headers line "${line}" needs an HTTP date for Expires, such as "Wed, 21 Oct 2026 07:28:00 GMT".`);
        }
        return { pattern, header, value };
    });
}
/**
 * The headers for each key: for each header, the first rule whose glob
 * matches; the `headers` rules first, then the `cache-control` shorthand;
 * Content-Type from the name when no rule gives one.
 */
function headersMatcher(headerRules, cacheControlRules, contentType) {
    const rules = [
        ...headerRules,
        ...cacheControlRules.map((rule) => ({ pattern: rule.pattern, header: 'CacheControl', value: rule.value })),
    ].map((rule) => ({ ...rule, test: picomatch_default()(anyDepth(rule.pattern), GLOB_OPTIONS) }));
    return (key) => {
        const headers = { ContentType: '', Metadata: {} };
        const set = new Set();
        for (const rule of rules) {
            if (set.has(rule.header) || !rule.test(key))
                continue;
            set.add(rule.header);
            if (rule.header.startsWith('x-amz-meta-'))
                headers.Metadata[rule.header.slice('x-amz-meta-'.length)] = rule.value;
            else if (rule.header === 'Expires')
                headers.Expires = new Date(rule.value);
            else
                headers[rule.header] = rule.value;
        }
        if (!set.has('ContentType'))
            headers.ContentType = contentType(key);
        return headers;
    };
}

;// CONCATENATED MODULE: ./src/settings/inputs.ts






/** CloudFront takes at most 3,000 paths in one invalidation. */
const MAX_PATHS_PER_INVALIDATION = 3000;
/**
 * Enough requests in flight to keep a runner busy at S3's usual latency; more
 * gain nothing and, under throttling (503 SlowDown), exhaust the SDK's retries.
 */
const DEFAULT_CONCURRENCY = 64;
/**
 * The most objects a push deletes when max-delete is empty: what hugo deploy
 * and s3deploy use. A wrong directory or prefix would otherwise delete
 * the live site; the half limit (limitToHalf) guards a site smaller than this.
 * A pull has no default limit: a mirror folder is cheap to rebuild.
 */
const DEFAULT_PUSH_MAX_DELETE = 256;
/** Where the deploy manifest lives, relative to the prefix. */
const DEFAULT_MANIFEST_KEY = '.s3-force-copy/manifest.json';
class InputError extends Error {
    name = 'InputError';
}
/**
 * Reads and validates every input; the first problem throws one clear sentence.
 * `maskSecret` hides a secret in the runner's log; the command line, which has no runner, passes its own.
 */
function readSettings(env = process.env, maskSecret = core/* setSecret */.Pq) {
    // Secrets first, so nothing below can log them unmasked.
    const { credentials, githubToken } = readSecrets(maskSecret);
    const target = readTarget(env);
    const endpoint = httpUrl('endpoint', core/* getInput */.V4('endpoint'));
    const checksums = readChecksums(endpoint);
    const siteUrl = httpUrl('site-url', core/* getInput */.V4('site-url'));
    const indexDocument = readIndexDocument();
    const cloudfrontDistributionIds = distributionIds(core/* getInput */.V4('cloudfront-distribution-id'));
    const manifestKey = readManifestKey(env);
    const prefix = safePrefix(core/* getInput */.V4('prefix'));
    const storage = readStorage(target.direction);
    const expectedBucketOwner = readExpectedBucketOwner();
    return {
        ...target,
        prefix,
        ...readConnection(env),
        endpoint,
        credentials,
        ...readRules(),
        manifestKey,
        ...readSafeguards(target.direction),
        checksums,
        cloudfrontDistributionIds,
        cloudfrontMaxPaths: wholeNumber('cloudfront-max-paths', DEFAULT_MAX_PATHS, 1, MAX_PATHS_PER_INVALIDATION),
        cloudfrontWait: flag('cloudfront-wait', false),
        indexDocument,
        prComment: flag('pr-comment', false),
        githubToken,
        siteUrl,
        lock: flag('lock', true),
        lockWait: wholeNumber('lock-wait', 600, 0, 6 * 3600),
        keepDeploys: wholeNumber('keep-deploys', 20, 1, 1000),
        deployId: readDeployId(target.direction),
        storage,
        expectedBucketOwner,
    };
}
const SSE_VALUES = ['AES256', 'aws:kms', 'aws:kms:dsse'];
/** sse, sse-kms-key-id, sse-bucket-key, acl and storage-class; each empty leaves the bucket's default. */
function readStorage(direction) {
    const sse = core/* getInput */.V4('sse');
    const keyId = core/* getInput */.V4('sse-kms-key-id');
    const acl = core/* getInput */.V4('acl');
    const storageClass = core/* getInput */.V4('storage-class');
    if (sse !== '' && !SSE_VALUES.includes(sse)) {
        throw new InputError(`The sse input must be AES256, aws:kms or aws:kms:dsse, not "${sse}".`);
    }
    if (keyId !== '' && !sse.startsWith('aws:kms')) {
        throw new InputError('The sse-kms-key-id input needs sse set to aws:kms or aws:kms:dsse.');
    }
    if (acl !== '' && !Object.values(dist_cjs.ObjectCannedACL).includes(acl)) {
        throw new InputError(`The acl input must be a canned ACL such as private or public-read, not "${acl}".`);
    }
    if (storageClass !== '' && !Object.values(dist_cjs.StorageClass).includes(storageClass)) {
        throw new InputError(`The storage-class input must be an S3 storage class such as STANDARD_IA, not "${storageClass}".`);
    }
    if (storageClass !== '' && direction !== 'push' && direction !== 'rollback') {
        throw new InputError(`The storage-class input applies to what a push or rollback writes; remove it from this ${direction}.`);
    }
    const bucketKey = core/* getInput */.V4('sse-bucket-key') === '' ? undefined : flag('sse-bucket-key', false);
    return {
        ...(sse === '' ? {} : { ServerSideEncryption: sse }),
        ...(keyId === '' ? {} : { SSEKMSKeyId: keyId }),
        ...(bucketKey === undefined ? {} : { BucketKeyEnabled: bucketKey }),
        ...(acl === '' ? {} : { ACL: acl }),
        ...(storageClass === '' ? {} : { StorageClass: storageClass }),
    };
}
/** A 12-digit AWS account ID, or undefined when empty. */
function readExpectedBucketOwner() {
    const owner = core/* getInput */.V4('expected-bucket-owner');
    if (owner === '')
        return undefined;
    if (!/^\d{12}$/.test(owner)) {
        throw new InputError(`The expected-bucket-owner input must be a 12-digit AWS account ID, not "${owner}".`);
    }
    return owner;
}
/** The AWS credentials (undefined for the default chain) and the GitHub token, each masked in the log. */
function readSecrets(maskSecret) {
    const accessKeyId = core/* getInput */.V4('aws-access-key-id');
    const secretAccessKey = core/* getInput */.V4('aws-secret-access-key');
    const sessionToken = core/* getInput */.V4('aws-session-token');
    const githubToken = core/* getInput */.V4('github-token');
    for (const secret of [accessKeyId, secretAccessKey, sessionToken, githubToken])
        if (secret)
            maskSecret(secret);
    if ((accessKeyId === '') !== (secretAccessKey === '')) {
        throw new InputError('Set both aws-access-key-id and aws-secret-access-key, or neither to use the default credentials.');
    }
    if (sessionToken !== '' && accessKeyId === '') {
        throw new InputError('The aws-session-token input needs aws-access-key-id and aws-secret-access-key as well.');
    }
    const credentials = accessKeyId === '' ? undefined : { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
    return { credentials, githubToken };
}
/** What the run does, and the directory and bucket it does it between. */
function readTarget(env) {
    const direction = required('direction');
    if (direction !== 'push' && direction !== 'pull' && direction !== 'remove' && direction !== 'rollback') {
        throw new InputError(`The direction input must be "push", "pull", "remove" or "rollback", not "${direction}".`);
    }
    // remove and rollback touch only the bucket.
    const bucketOnly = direction === 'remove' || direction === 'rollback';
    const directoryInput = bucketOnly ? core/* getInput */.V4('directory') : required('directory');
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const bucket = required('bucket');
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/.test(bucket)) {
        throw new InputError(`The bucket input must be a bucket name such as "my-site", not "${bucket}".`);
    }
    const directory = directoryInput === '' ? '' : external_node_path_default().resolve(workspace, directoryInput);
    return { direction, directory, directoryInput, bucket };
}
/** An optional http(s) URL input: undefined when empty. */
function httpUrl(name, raw) {
    if (raw === '')
        return undefined;
    if (!/^https?:\/\/[^\s/]+/.test(raw)) {
        throw new InputError(`The ${name} input must be an http:// or https:// URL, not "${raw}".`);
    }
    return raw;
}
/** `auto` means every checksum the SDK can send on AWS, only the required ones on another store, which may lack the rest. */
function readChecksums(endpoint) {
    const checksums = core/* getInput */.V4('request-checksums') || 'auto';
    if (!['auto', 'when-supported', 'when-required'].includes(checksums)) {
        throw new InputError(`The request-checksums input must be auto, when-supported or when-required, not "${checksums}".`);
    }
    if (checksums !== 'auto')
        return checksums;
    return endpoint === undefined ? 'when-supported' : 'when-required';
}
function readIndexDocument() {
    const indexDocument = core/* getInput */.V4('index-document') || 'index.html';
    if (indexDocument.includes('/') || unsafeKeyReason(indexDocument) !== undefined) {
        throw new InputError(`The index-document input must be a file name such as "index.html", not "${indexDocument}".`);
    }
    return indexDocument;
}
/** The manifest's key relative to the prefix, or undefined when the input turns it off. */
function readManifestKey(env) {
    // Empty turns the manifest off; a value the input never had means the default.
    const manifestInput = env['INPUT_MANIFEST-KEY'] === undefined && process.env['INPUT_MANIFEST-KEY'] === undefined
        ? DEFAULT_MANIFEST_KEY
        : core/* getInput */.V4('manifest-key');
    const manifestKey = manifestInput === '' ? undefined : normalisePrefix(manifestInput);
    if (manifestKey !== undefined && unsafeKeyReason(manifestKey) !== undefined) {
        throw new InputError(`The manifest-key input "${manifestInput}" cannot be used: ${unsafeKeyReason(manifestKey)}.`);
    }
    return manifestKey;
}
/** How the run talks to S3, the endpoint and credentials aside. */
function readConnection(env) {
    return {
        requestLimit: wholeNumber('request-limit', 1_000_000, 1),
        region: core/* getInput */.V4('region') || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
        forcePathStyle: flag('force-path-style', false),
        concurrency: wholeNumber('concurrency', DEFAULT_CONCURRENCY, 1, 256),
    };
}
/** Which keys the run skips, and the headers and encoding it gives the others. */
function readRules() {
    return {
        exclude: lines('exclude'),
        cacheControl: parseCacheControlRules(lines('cache-control'), inputError),
        headers: parseHeaderRules(lines('headers'), inputError),
        gzip: lines('gzip'),
        links: linkMode(),
    };
}
function linkMode() {
    const raw = core/* getInput */.V4('links');
    if (raw === '' || raw === 'redirect' || raw === 'copy')
        return raw === '' ? 'redirect' : raw;
    throw new InputError(`The links input must be redirect or copy, not "${raw}".`);
}
/** What the run may change: dry run, deletion and its limit, an empty source, forced copies. */
function readSafeguards(direction) {
    return {
        dryRun: flag('dry-run', false),
        delete: flag('delete', true),
        maxDelete: readMaxDelete(direction),
        limitToHalf: (direction === 'push' || direction === 'rollback') && core/* getInput */.V4('max-delete') === '',
        allowEmpty: flag('allow-empty', false),
        force: flag('force', false),
    };
}
/** A deploy's id as the deploy-id output gives it; only a rollback reads it. */
function readDeployId(direction) {
    const id = core/* getInput */.V4('deploy-id');
    if (id === '')
        return undefined;
    if (direction !== 'rollback') {
        throw new InputError(`The deploy-id input names the deploy a rollback restores; remove it from this ${direction}.`);
    }
    if (!/^[0-9A-Za-z][0-9A-Za-z_-]{0,99}$/.test(id)) {
        throw new InputError(`The deploy-id input must be a deploy's id such as 20261206T191800123Z-0123456, not "${id}".`);
    }
    return id;
}
function readMaxDelete(direction) {
    if (core/* getInput */.V4('max-delete') !== '')
        return wholeNumber('max-delete', 0, 0);
    return direction === 'push' || direction === 'rollback' ? DEFAULT_PUSH_MAX_DELETE : undefined;
}
function inputError(message) {
    return new InputError(message);
}
/** One or more IDs, newline- or comma-separated; each as CloudFront spells them (upper-case letters and digits). */
function distributionIds(raw) {
    const ids = parseDistributionIds(raw);
    for (const id of ids) {
        if (!/^[A-Z0-9]{6,32}$/.test(id)) {
            throw new InputError(`The cloudfront-distribution-id input must list IDs such as "E2QWRUHAPOMQZL", not "${id}".`);
        }
    }
    return ids;
}
/** The prefix without its outer slashes, refusing what could never be part of a safe key. */
function safePrefix(raw) {
    const prefix = normalisePrefix(raw);
    const unsafe = prefix === '' ? undefined : unsafeKeyReason(prefix);
    if (unsafe !== undefined)
        throw new InputError(`The prefix input "${raw}" cannot be used: ${unsafe}.`);
    return prefix;
}
function required(name) {
    const value = core/* getInput */.V4(name);
    if (value === '')
        throw new InputError(`The ${name} input is required.`);
    return value;
}
function wholeNumber(name, fallback, min, max = Number.MAX_SAFE_INTEGER) {
    const raw = core/* getInput */.V4(name);
    if (raw === '')
        return fallback;
    const value = Number(raw.replace(/_/g, ''));
    if (!/^\d[\d_]*$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
        const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
        throw new InputError(`The ${name} input must be a whole number ${range}, not "${raw}".`);
    }
    return value;
}
function flag(name, fallback) {
    const raw = core/* getInput */.V4(name);
    if (raw === '')
        return fallback;
    if (raw.toLowerCase() === 'true')
        return true;
    if (raw.toLowerCase() === 'false')
        return false;
    throw new InputError(`The ${name} input must be true or false, not "${raw}".`);
}
function lines(name) {
    return core/* getInput */.V4(name)
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#'));
}

;// CONCATENATED MODULE: ./src/report/failure.ts



const CREDENTIAL_ERRORS = new Set([
    'InvalidAccessKeyId',
    'SignatureDoesNotMatch',
    'InvalidToken',
    'ExpiredToken',
    'TokenRefreshRequired',
]);
/** The IAM action each operation needs (a HEAD needs s3:GetObject). */
const IAM_ACTION = {
    list: 's3:ListBucket',
    inspect: 's3:GetObject',
    download: 's3:GetObject',
    upload: 's3:PutObject',
    redirect: 's3:PutObject',
    update: 's3:GetObject and s3:PutObject',
    restore: 's3:GetObjectVersion and s3:PutObject',
    delete: 's3:DeleteObject',
    link: 's3:GetObject',
};
/** "upload index.html": the operation and key a failure stopped at, if it was on one key. */
function stoppedAt(error) {
    return error instanceof OperationError ? `${error.operation} ${error.key}` : undefined;
}
/** One sentence that says what failed and what to change. */
function failure_describeFailure(error, { settings, requestsSucceeded }) {
    if (error instanceof InputError || error instanceof RefusedError || error instanceof RequestLimitError) {
        return error.message;
    }
    const tag = error instanceof OperationError ? error : undefined;
    const cause = tag ? tag.cause : error;
    const name = cause?.name ?? '';
    const where = settings ? s3Url(settings.bucket, '') : 'the bucket';
    const endpoint = settings?.endpoint ?? 'AWS';
    const object = tag && settings ? objectName(settings, tag) : where;
    if (cause instanceof RequestLimitError)
        return cause.message;
    if (name === 'NotFound' || name === 'NoSuchKey') {
        return `${object} disappeared while this run was reading it (another process is writing to the bucket?); run again.`;
    }
    if (name === 'NoSuchBucket')
        return `The bucket ${where} does not exist (endpoint: ${endpoint}).`;
    if (CREDENTIAL_ERRORS.has(name)) {
        if (tag && requestsSucceeded > 0)
            return oneRequestRefused(name, tag, object, requestsSucceeded);
        return `S3 refused the credentials (${name}): check aws-access-key-id and aws-secret-access-key, or the role set up by aws-actions/configure-aws-credentials.`;
    }
    const advice = productionBucketAdvice(name, errorMessage(cause), tag, settings);
    if (advice !== undefined)
        return advice;
    if (name === 'AccessDenied' || name === 'Forbidden') {
        if (tag) {
            const action = IAM_ACTION[tag.operation];
            const resource = tag.operation === 'list' ? `arn:aws:s3:::${settings?.bucket ?? 'BUCKET'}` : `${object}`;
            return `S3 denied ${action} on ${resource} (${name}): allow ${action} there in the policy of the role or user this run uses.`;
        }
        return `S3 denied access to ${where} (${name}): the credentials lack permission for this bucket.`;
    }
    if (name === 'CredentialsProviderError') {
        return 'No AWS credentials were found: set aws-access-key-id and aws-secret-access-key, or run aws-actions/configure-aws-credentials before this step.';
    }
    const code = cause?.code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT') {
        return `Could not reach S3 at ${endpoint} (${code}).`;
    }
    const message = errorMessage(cause);
    return tag && !message.includes(tag.key) ? `${tag.operation} ${object} failed: ${message}` : message;
}
/** The writes whose denial a bucket policy that requires encryption explains. */
const WRITES = new Set(['upload', 'redirect', 'update', 'restore']);
/**
 * Refusals that the sse, acl and expected-bucket-owner inputs explain: ACLs
 * disabled on the bucket, a KMS key the role may not use, a bucket policy
 * that requires encryption, or a bucket another account owns.
 */
function productionBucketAdvice(name, message, tag, settings) {
    const where = settings ? `s3://${settings.bucket}` : 'the bucket';
    if (name === 'AccessControlListNotSupported') {
        return `The bucket ${where} has ACLs disabled (Object Ownership: bucket owner enforced), so it refuses the acl input: remove acl.`;
    }
    if (name !== 'AccessDenied' && name !== 'Forbidden' && !name.startsWith('KMS.'))
        return undefined;
    const kmsAction = /kms:(GenerateDataKey|Decrypt|Encrypt)\w*/.exec(message)?.[0];
    if (kmsAction !== undefined || name.startsWith('KMS.')) {
        const action = kmsAction ?? (tag?.operation === 'download' ? 'kms:Decrypt' : 'kms:GenerateDataKey');
        const key = /arn:aws:kms:[^\s"',]+/.exec(message)?.[0] ?? settings?.storage.SSEKMSKeyId ?? "the bucket's default KMS key";
        return `KMS denied ${action} on ${key} (${name}): allow ${action} on that key in its key policy and in the policy of the role or user this run uses.`;
    }
    const owner = settings?.expectedBucketOwner;
    if (owner !== undefined) {
        return `S3 denied the request to ${where} (${name}): either the bucket is not owned by account ${owner} (the expected-bucket-owner input), or the credentials lack permission for it; check expected-bucket-owner first.`;
    }
    if (tag && settings && WRITES.has(tag.operation) && settings.storage.ServerSideEncryption === undefined) {
        const action = IAM_ACTION[tag.operation];
        return `S3 denied ${action} on ${objectName(settings, tag)} (${name}): allow ${action} there in the policy of the role or user this run uses; bucket policies also often require encryption, so set sse (AES256 or aws:kms) if this one does.`;
    }
    return undefined;
}
function objectName(settings, tag) {
    return s3Url(settings.bucket, settings.prefix, tag.key);
}
function oneRequestRefused(name, tag, object, succeeded) {
    const before = `after ${succeeded} ${succeeded === 1 ? 'request' : 'requests'} had succeeded, so the credentials work`;
    if (name === 'ExpiredToken' || name === 'TokenRefreshRequired') {
        return `S3 refused the request to ${tag.operation} ${object} (${name}) ${before}: the session expired during the run. Re-run it, or give the role a longer session (role-duration-seconds).`;
    }
    return `S3 refused the request to ${tag.operation} ${object} (${name}) ${before}, but not for this request: a proxy or store that changes the request on the way (its key, headers or body) is the usual cause. Re-run it; if it fails again on the same key, report the key's name.`;
}

;// CONCATENATED MODULE: ./src/report/warnings.ts
/**
 * The run's warnings, printed and counted in one place, so that the
 * `warnings` output and the summary's count agree with the log: entries
 * skipped, CloudFront, the pull-request comment and the runner's files alike.
 * The printer is injected because only a few files may import @actions/core.
 */
class Warnings {
    print;
    printed = 0;
    constructor(print) {
        this.print = print;
    }
    /** `count`: how many warnings one printed line stands for (archived objects skipped, say). */
    warn(message, title, count = 1) {
        this.printed += count;
        this.print(message, title);
    }
    get count() {
        return this.printed;
    }
}

;// CONCATENATED MODULE: ./src/model/outcome.ts
function emptyOutcome() {
    return { copied: [], redirected: [], updated: [], deleted: [], bytes: 0, warnings: [], written: new Map() };
}
/** How many changes the apply made: copies, redirects, header updates and deletions. */
function changedCount(outcome) {
    return outcome.copied.length + outcome.redirected.length + outcome.updated.length + outcome.deleted.length;
}
/** The version a write made, where the bucket is versioned ("null" is the id of a write while it was not). */
function versionOf(response) {
    const id = response.VersionId;
    return id === undefined || id === '' || id === 'null' ? {} : { version: id };
}

;// CONCATENATED MODULE: ./src/sync/deploy-order.ts

/*
 * The order a push applies its plan in, so a visitor never gets a broken
 * page: assets, then HTML pages (which refer to assets), then redirects, and
 * the deletes only after every write has succeeded.
 */
/** Assets first, HTML pages second. */
function deployWaves(copies) {
    return [copies.filter((copy) => !isPage(copy.key)), copies.filter((copy) => isPage(copy.key))];
}
/** The copies in the order a push sends them, and the report lists them in. */
function deployOrder(copies) {
    return deployWaves(copies).flat();
}
/**
 * Largest first: a big transfer started last runs on alone after the small
 * ones are done (on push it also holds back the next wave), while started
 * first it overlaps them.
 */
function largestFirst(copies) {
    return [...copies].sort((a, b) => b.entry.size - a.entry.size);
}

;// CONCATENATED MODULE: ./src/model/words.ts
/** "1 file", "2 files", "1,234 files": words agree with numbers, thousands separated the same way everywhere. */
function plural(count, one, many = `${one}s`) {
    return `${thousands(count)} ${count === 1 ? one : many}`;
}
function thousands(value) {
    return value.toLocaleString('en-US');
}

;// CONCATENATED MODULE: ./src/report/outputs.ts



function countsOf(result, requests, warnings) {
    const push = result.direction === 'push';
    const { plan, outcome } = result;
    const copied = result.dryRun ? plan.copies.length : outcome.copied.length;
    return {
        uploaded: push ? copied : 0,
        downloaded: push ? 0 : copied,
        redirected: result.dryRun ? plan.redirects.length : outcome.redirected.length,
        updated: result.dryRun ? plan.updates.length : outcome.updated.length,
        skipped: plan.unchanged.length,
        deleted: result.dryRun ? plan.deletes.length : outcome.deleted.length,
        warnings,
        requests,
        bytes: result.dryRun ? plan.copies.reduce((sum, copy) => sum + copy.entry.size, 0) : outcome.bytes,
    };
}
/** Keys in the changed-keys output. */
const CHANGED_KEYS_CAP = 1000;
/**
 * What changed, in apply order: the plan's on a dry run, otherwise only the
 * work that was done (all of it, or what a failed run finished).
 */
function changesOf(result) {
    const push = result.direction === 'push';
    const source = result.dryRun ? result.plan : undefined;
    const planned = deployOrder(result.plan.copies);
    const copies = source === undefined ? inPlanOrder(planned, result.outcome.copied) : planned;
    const redirects = source?.redirects ?? inPlanOrder(result.plan.redirects, result.outcome.redirected);
    const deletes = source?.deletes ?? result.outcome.deleted;
    const updates = source?.updates ?? inPlanOrder(result.plan.updates, result.outcome.updated);
    return [
        ...copies.map((copy) => ({ key: copy.key, action: push ? 'uploaded' : 'downloaded', reason: copy.reason })),
        ...redirects.map((r) => ({
            key: r.key,
            action: push ? 'redirected' : 'linked',
            reason: r.reason,
            target: r.target,
            ...(r.folder === undefined ? {} : { folder: r.folder }),
        })),
        ...updates.map((u) => ({ key: u.key, action: 'updated', reason: u.reason })),
        ...deletes.map((d) => ({ key: d.key, action: 'deleted', reason: 'not in the source' })),
    ];
}
/** The done items in the plan's order (they finish in whatever order the transfers end). */
function inPlanOrder(planned, done) {
    const finished = new Set(done);
    return planned.filter((item) => finished.has(item));
}
/** The changed-keys output: the first keys, in apply order. */
function changedKeys(changes) {
    return changes.slice(0, CHANGED_KEYS_CAP).map((change) => change.key);
}
/**
 * Where a failed run left the destination, in one line: "uploaded 6 of 11
 * files; nothing was deleted; re-run to finish".
 */
function destinationState(result) {
    const push = result.direction === 'push';
    const { plan, outcome } = result;
    const parts = [];
    if (plan.copies.length > 0) {
        parts.push(`${push ? 'uploaded' : 'downloaded'} ${outcome.copied.length} of ${plural(plan.copies.length, 'file')}`);
    }
    if (plan.redirects.length > 0) {
        parts.push(push
            ? `wrote ${outcome.redirected.length} of ${plural(plan.redirects.length, 'redirect')}`
            : `made ${outcome.redirected.length} of ${plural(plan.redirects.length, 'symlink')}`);
    }
    if (plan.updates.length > 0) {
        parts.push(`updated the headers of ${outcome.updated.length} of ${plural(plan.updates.length, 'object')}`);
    }
    if (plan.deletes.length > 0) {
        parts.push(outcome.deleted.length === 0
            ? 'nothing was deleted'
            : `deleted ${outcome.deleted.length} of ${plural(plan.deletes.length, push ? 'object' : 'file')}`);
    }
    if (changedCount(outcome) === 0)
        parts.unshift('nothing was changed');
    parts.push('re-run to finish (a re-run sends only what is still missing)');
    return parts.join('; ');
}
/** The change as done, or as planned on a dry run: "uploaded", or "upload". */
function changeVerb(action, dryRun) {
    if (!dryRun)
        return action;
    const planned = {
        uploaded: 'upload',
        downloaded: 'download',
        redirected: 'redirect',
        linked: 'link',
        updated: 'update',
        deleted: 'delete',
    };
    return planned[action];
}

;// CONCATENATED MODULE: ./src/pr/site-links.ts
/**
 * Public URLs of the objects a run wrote, for links in a pull request
 * comment. `siteUrl` is where the run's prefix is served (for a preview,
 * `https://previews.example.com/pr-7`); keys are relative to the prefix, so
 * the prefix is never added here.
 */
/**
 * The URL at which `key` is served under `siteUrl`. An index document links
 * to its folder (`docs/index.html` → `…/docs/`, `index.html` → `…/`); every
 * other key links to itself. Each path segment is percent-encoded, `(`, `)`,
 * `'`, `!` and `*` included, so the URL is safe as a Markdown link target.
 */
function pageUrl(siteUrl, key, indexDocument = 'index.html') {
    const base = siteUrl.replace(/\/+$/, '');
    const segments = key.split('/');
    if (indexDocument !== '' && segments[segments.length - 1] === indexDocument)
        segments[segments.length - 1] = '';
    return `${base}/${segments.map(encodeSegment).join('/')}`;
}
/**
 * encodeURIComponent, plus the characters it leaves alone that RFC 3986
 * reserves. A lone surrogate (which encodeURIComponent throws on) becomes
 * U+FFFD.
 */
function encodeSegment(segment) {
    return encodeURIComponent(segment.replace(LONE_SURROGATE, '\uFFFD')).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

;// CONCATENATED MODULE: ./src/pr/comment.ts
/**
 * The pull request comment: a deploy plan (dry run), what a run published,
 * or how it failed, as GitHub-flavoured Markdown.
 *
 * Keys, warnings and error texts come from users and buckets. None of them
 * may render as HTML or Markdown, ping anyone or link an issue: keys are
 * shown in code spans (whose content GitHub renders literally and never
 * scans for mentions or references), free text is escaped and has its `@`
 * and `#` broken with a zero-width space, and link targets are
 * percent-encoded.
 */




/** Keys listed in each of the changes and deletions sections. */
const COMMENT_KEY_CAP = 50;
/** Warnings listed. */
const COMMENT_WARNING_CAP = 20;
/** GitHub refuses a comment body longer than this. */
const COMMENT_MAX_CHARS = 65_536;
/** Characters of a key shown in a code span (the link still has the whole key). */
const KEY_DISPLAY_CAP = 200;
/** Characters of a failure message, state or warning shown. */
const TEXT_DISPLAY_CAP = 1_000;
/** Longer site or run URLs are not linked. */
const URL_CAP = 2_000;
/** Room kept free under COMMENT_MAX_CHARS. */
const SAFETY_MARGIN = 512;
/**
 * The hidden HTML comment that marks the comment a bucket and prefix own, so
 * that the next run updates it rather than adding another. `&`, `<`, `>` and
 * `--` are replaced, so neither can close the comment early, and no two
 * locations share a marker.
 */
function commentMarker(bucket, prefix) {
    const safe = (text) => text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/--/g, '-&#45;')
        .replace(/[\r\n]/g, (char) => (char === '\n' ? '&#10;' : '&#13;'));
    return `<!-- s3-force-copy: ${safe(s3Url(bucket, prefix))} -->`;
}
function renderComment(facts) {
    const siteUrl = facts.siteUrl && safeUrl(facts.siteUrl) ? facts.siteUrl : undefined;
    const indexDocument = facts.indexDocument ?? 'index.html';
    const head = commentHead(facts, siteUrl, indexDocument);
    const sections = [
        changesSection(facts, siteUrl, indexDocument),
        deletionsSection(facts),
        warningsSection(facts.warnings),
    ].filter((section) => section.total > 0);
    return fitBody(head, sections, ['---', footer(facts)]);
}
/** Everything above the lists: marker, heading, site link, failure, counts. */
function commentHead(facts, siteUrl, indexDocument) {
    const head = [
        commentMarker(facts.bucket, facts.prefix),
        `### ${heading(facts, codeSpan(displayKey(s3Url(facts.bucket, facts.prefix))))}`,
        '',
    ];
    const site = siteUrl === undefined ? undefined : safeUrl(pageUrl(siteUrl, '', indexDocument));
    if (site !== undefined)
        head.push(`**Site:** ${comment_link(codeSpan(site), site)}`, '');
    if (facts.failure)
        head.push(...failureCallout(facts.failure, facts.dryRun));
    head.push(...countsTable(facts), '');
    if (!facts.failure && facts.changes.length === 0 && totalChanged(facts) === 0) {
        head.push(facts.dryRun ? 'Nothing to change: the destination already matches.' : 'Nothing changed.', '');
    }
    return head;
}
function failureCallout(failure, dryRun) {
    return [
        '> [!WARNING]',
        `> **${dryRun ? 'The plan could not be made' : 'The run failed'}:** ${escapeText(clip(failure.message, TEXT_DISPLAY_CAP))}`,
        '>',
        `> ${escapeText(clip(failure.state, TEXT_DISPLAY_CAP))}`,
        '',
    ];
}
/** The keys written, each linked to its page when the site's URL is known. */
function changesSection(facts, siteUrl, indexDocument) {
    const changes = facts.changes.filter((change) => change.action !== 'deleted');
    return {
        title: `${facts.dryRun ? 'Changes to make' : 'Changed'} (${plural(changes.length, 'key')})`,
        total: changes.length,
        lines: changes.slice(0, COMMENT_KEY_CAP).map((change) => {
            const url = siteUrl === undefined ? undefined : safeUrl(pageUrl(siteUrl, change.key, indexDocument));
            const shown = codeSpan(displayKey(change.key));
            return `- ${changeVerb(change.action, facts.dryRun)} ${url === undefined ? shown : comment_link(shown, url)}`;
        }),
    };
}
/** The keys deleted, never linked: they are gone. */
function deletionsSection(facts) {
    const deletes = facts.changes.filter((change) => change.action === 'deleted');
    return {
        title: `${facts.dryRun ? 'To delete' : 'Deleted'} (${plural(deletes.length, facts.direction === 'push' ? 'object' : 'file')})`,
        total: deletes.length,
        lines: deletes.slice(0, COMMENT_KEY_CAP).map((change) => `- ${codeSpan(displayKey(change.key))}`),
    };
}
function warningsSection(warnings) {
    return {
        title: `Warnings (${thousands(warnings.length)})`,
        total: warnings.length,
        lines: warnings
            .slice(0, COMMENT_WARNING_CAP)
            .map((w) => w.key === ''
            ? `- ${escapeText(clip(w.message, TEXT_DISPLAY_CAP))}`
            : `- ${codeSpan(displayKey(w.key))}: ${escapeText(clip(w.message, TEXT_DISPLAY_CAP))}`),
    };
}
/** The body under GitHub's limit: as much of each section as fits between head and tail. */
function fitBody(head, sections, tail) {
    const fixed = [...head, ...tail].join('\n').length + 1;
    const rendered = renderSections(sections, COMMENT_MAX_CHARS - SAFETY_MARGIN - fixed);
    const body = [...head, ...rendered, ...tail].join('\n') + '\n';
    if (body.length < COMMENT_MAX_CHARS)
        return body;
    // Unreachable with the caps above; never cut a line in half, which could
    // open a code span and let what follows render.
    return [...head, '_The lists were too long to show._', '', ...tail].join('\n') + '\n';
}
/**
 * The sections within `budget` characters. Each gets an equal share of what
 * is left, the smallest first, so a long list of changes cannot push the
 * deletions out; an item that does not fit is counted in "and N more".
 */
function renderSections(sections, budget) {
    const sizes = sections.map((section) => sectionSize(section.title, section.lines, section.total));
    const allowance = new Map();
    let left = budget;
    const bySize = sections
        .map((section, index) => ({ section, size: sizes[index] ?? 0 }))
        .sort((a, b) => a.size - b.size);
    bySize.forEach(({ section, size }, index) => {
        const share = Math.min(size, Math.floor(left / (bySize.length - index)));
        allowance.set(section, share);
        left -= share;
    });
    const out = [];
    for (const section of sections) {
        const room = allowance.get(section) ?? 0;
        // The most items that fit with the "and N more" line, when there is one.
        let count = -1;
        for (let k = 0; k <= section.lines.length; k += 1) {
            if (sectionSize(section.title, section.lines.slice(0, k), section.total) <= room)
                count = k;
        }
        if (count === -1)
            continue;
        const shown = section.lines.slice(0, count);
        out.push(`#### ${section.title}`, '', ...shown);
        const more = section.total - shown.length;
        if (more > 0)
            out.push(`- … and ${thousands(more)} more`);
        out.push('');
    }
    return out;
}
/** Characters the section takes, with its "and N more" line. */
function sectionSize(title, shown, total) {
    const more = total > shown.length ? `- … and ${thousands(total - shown.length)} more\n`.length : 0;
    return `#### ${title}\n\n`.length + shown.reduce((sum, line) => sum + line.length + 1, 0) + more + 1;
}
function heading(facts, location) {
    if (facts.direction === 'push') {
        if (facts.failure)
            return facts.dryRun ? `Deploy plan for ${location} failed` : `Deploy to ${location} failed`;
        return facts.dryRun ? `Deploy plan: what merging will publish to ${location}` : `Published to ${location}`;
    }
    if (facts.failure)
        return facts.dryRun ? `Pull plan for ${location} failed` : `Pull from ${location} failed`;
    return facts.dryRun ? `Pull plan: what a pull from ${location} will download` : `Pulled from ${location}`;
}
function countsTable(facts) {
    const { copied, redirected, updated, unchanged, deleted } = facts.counts;
    const push = facts.direction === 'push';
    const planned = facts.dryRun;
    const rows = [
        [
            push ? (planned ? 'To upload' : 'Uploaded') : planned ? 'To download' : 'Downloaded',
            plural(copied, 'file'),
            copied,
        ],
        [
            push ? (planned ? 'Redirects to write' : 'Redirects written') : planned ? 'Symlinks to make' : 'Symlinks made',
            plural(redirected, push ? 'redirect' : 'symlink'),
            redirected,
        ],
        [planned ? 'Headers to update' : 'Headers updated', plural(updated, 'object'), updated],
        [planned ? 'To delete' : 'Deleted', plural(deleted, push ? 'object' : 'file'), deleted],
        ['Unchanged', plural(unchanged, 'key'), unchanged],
    ];
    // The first row always; the others only where there is something to count.
    const shown = rows.filter(([, , count], index) => index === 0 || count > 0);
    return ['| | Count |', '| --- | ---: |', ...shown.map(([label, text]) => `| ${label} | ${text} |`)];
}
function totalChanged(facts) {
    const { copied, redirected, updated, deleted } = facts.counts;
    return copied + redirected + updated + deleted;
}
function footer(facts) {
    const parts = [];
    const commit = facts.commit?.trim();
    if (commit) {
        const short = codeSpan(clip(commit, 7, ''));
        const server = safeUrl(facts.serverUrl || 'https://github.com');
        const repository = facts.repository?.split('/');
        const target = /^[0-9a-f]{7,64}$/i.test(commit) && server && repository?.length === 2 && repository.every(Boolean)
            ? safeUrl(`${server.replace(/\/+$/, '')}/${repository.map(encodeSegment).join('/')}/commit/${commit}`)
            : undefined;
        parts.push(`Commit ${target === undefined ? short : comment_link(short, target)}`);
    }
    parts.push(formatWhen(facts.when));
    const run = facts.runUrl ? safeUrl(facts.runUrl) : undefined;
    if (run !== undefined)
        parts.push(comment_link('workflow run', run));
    return `<sub>${parts.join(' · ')}</sub>`;
}
/** e.g. 2026-12-01 19:44 UTC */
function formatWhen(when) {
    if (Number.isNaN(when.getTime()))
        return 'at an unknown time';
    return `${when.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
function comment_link(text, url) {
    return `[${text}](${url})`;
}
/**
 * The URL as a Markdown link target, or undefined when it is not http(s) or
 * too long. Whitespace, `<`, `>`, quotes and backticks come out
 * percent-encoded by URL; `(`, `)` are encoded here, so the target cannot
 * end early.
 */
function safeUrl(url) {
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        return undefined;
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
        return undefined;
    const href = parsed.href.replace(/[()\s<>"'`\\]/g, (char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
    return href.length > URL_CAP ? undefined : href;
}
/**
 * Text as an inline code span, shown literally: the fence is one backtick
 * longer than the longest run inside, and padded with a space at either
 * end when the text starts or ends with a backtick (or starts and ends with
 * a space, which CommonMark would otherwise strip). Line breaks and other
 * control or bidirectional-override characters are shown as escapes: a line
 * break could end the list item or quote the span is in.
 */
function codeSpan(text) {
    const visible = visibleControls(text);
    if (visible === '')
        return '*(empty)*';
    const longest = Math.max(0, ...Array.from(visible.matchAll(/`+/g), (run) => run[0].length));
    const fence = '`'.repeat(longest + 1);
    const pad = visible.startsWith('`') ||
        visible.endsWith('`') ||
        (visible.startsWith(' ') && visible.endsWith(' ') && visible.trim() !== '');
    return pad ? `${fence} ${visible} ${fence}` : `${fence}${visible}${fence}`;
}
/**
 * Free text with Markdown and HTML taken literally: the characters that
 * could start markup are backslash-escaped, `@` and `#` get a zero-width
 * space after them (GitHub finds mentions and issue references in the
 * rendered text, so an escape would not stop them), and line breaks become
 * spaces.
 */
function escapeText(text) {
    return visibleControls(text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' '))
        .replace(/[\\`*_[\]<>&#|~$]/g, (char) => `\\${char}`)
        .replace(/[@#]/g, (char) => `${char}\u200b`)
        .replace(/\b(GH)-(?=\d)/gi, '$1-\u200b');
}
/** Keys longer than KEY_DISPLAY_CAP characters are shown cut, with an ellipsis. */
function displayKey(key) {
    return clip(key, KEY_DISPLAY_CAP);
}
/** The first `cap` code points of the text (never half a surrogate pair), then `ellipsis` if cut. */
function clip(text, cap, ellipsis = '…') {
    if (text.length <= cap)
        return text;
    const points = Array.from(text);
    return points.length <= cap ? text : points.slice(0, cap).join('') + ellipsis;
}
/** Control, bidirectional-control and lone-surrogate characters as visible escapes (`\n`, `\u202e`). */
function visibleControls(text) {
    return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (char) => {
        const named = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
        return named[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    });
}

;// CONCATENATED MODULE: ./src/pr/publish-comment.ts
/**
 * Puts the run's comment on its pull request: updates the comment an earlier
 * run left (found by its marker) or adds one. A comment is a courtesy, not
 * the deploy: no answer from GitHub makes this throw; a refusal comes back
 * as a warning for the caller to log.
 */


async function upsertComment(options) {
    const { owner, repo, number, marker, body } = options;
    const where = `pull request #${number} in ${owner}/${repo}`;
    if (!options.token) {
        return { outcome: 'refused', warning: `No GitHub token, so no comment was put on ${where}: set github-token.` };
    }
    if (!body.startsWith(marker)) {
        return { outcome: 'refused', warning: 'The comment body does not start with its marker, so it was not posted.' };
    }
    if (body.length > COMMENT_MAX_CHARS) {
        return {
            outcome: 'refused',
            warning: `The comment is ${body.length} characters, more than GitHub's ${COMMENT_MAX_CHARS}, so it was not posted.`,
        };
    }
    let octokit;
    try {
        octokit = (0,github/* getOctokit */.Q)(options.token, { baseUrl: apiUrlOf(options.apiUrl) });
    }
    catch (error) {
        return refused('set up the GitHub client for', where, error);
    }
    let existing;
    try {
        // Pages of 100, stopping at the page that has the marker.
        const found = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 100 }, (response, done) => {
            const hit = response.data.find((comment) => comment.body?.startsWith(marker));
            if (hit)
                done();
            return hit ? [hit] : [];
        });
        existing = found[0];
    }
    catch (error) {
        return refused('read the comments of', where, error);
    }
    if (existing) {
        try {
            const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
            return { outcome: 'updated', id: data.id, url: data.html_url };
        }
        catch (error) {
            // Deleted since it was listed: add a new one instead.
            if (publish_comment_statusOf(error) !== 404)
                return refused('update the comment on', where, error);
        }
    }
    try {
        const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body });
        return { outcome: 'created', id: data.id, url: data.html_url };
    }
    catch (error) {
        return refused('comment on', where, error);
    }
}
function apiUrlOf(apiUrl) {
    return (apiUrl || process.env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, '');
}
/** The warning for a failed call, naming what the token lacks where GitHub says so. */
function refused(doing, where, error) {
    const status = publish_comment_statusOf(error);
    const said = messageOf(error);
    const head = `Could not ${doing} ${where}`;
    let warning;
    if (status === 403 && /rate limit/i.test(said)) {
        warning = `${head}: GitHub's API rate limit was exceeded (403: ${said}). The comment will be right after the next run.`;
    }
    else if (status === 403) {
        warning =
            `${head}: the token may not write to pull requests (403: ${said}). ` +
                'Give the job the permission pull-requests: write (a pull request from a fork gets a read-only token).';
    }
    else if (status === 404) {
        warning = `${head}: the pull request was not found, or the token cannot see it (404: ${said}).`;
    }
    else if (status === 401) {
        warning = `${head}: GitHub refused the token (401: ${said}). Check github-token.`;
    }
    else if (status !== undefined) {
        warning = `${head}: GitHub answered ${status}: ${said}.`;
    }
    else {
        warning = `${head}: GitHub could not be reached (${said}).`;
    }
    return status === undefined ? { outcome: 'refused', warning } : { outcome: 'refused', warning, status };
}
/**
 * The HTTP status GitHub answered with. Octokit reports a request that got
 * no answer (refused connection, DNS) as a status 500 without a response:
 * that is no status.
 */
function publish_comment_statusOf(error) {
    const { status, response } = (error ?? {});
    if (response === undefined || response === null)
        return undefined;
    return typeof status === 'number' && status > 0 ? status : undefined;
}
/** GitHub's own message when the error carries the response, else the error's. */
function messageOf(error) {
    const data = error?.response?.data;
    const message = data?.message;
    const text = typeof message === 'string' && message !== '' ? message : error instanceof Error ? error.message : String(error);
    return text.replace(/[.\s]+$/, '');
}

;// CONCATENATED MODULE: ./src/pr/pull-request.ts
/**
 * Which pull request, if any, a run belongs to. `@actions/github`'s
 * `context` reads the environment once, at import; these functions take the
 * event (or the environment) explicitly, so a caller and its tests can vary
 * them.
 */

/** The events whose payload carries the pull request a comment belongs on. */
const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];
function isPullRequestEvent(eventName) {
    return eventName !== undefined && PULL_REQUEST_EVENTS.includes(eventName);
}
/** The pull request the event is about, or why there is none. */
function pullRequestFor({ eventName, event, repository }) {
    if (!eventName)
        return notAPullRequest('GITHUB_EVENT_NAME is not set (not running in GitHub Actions?)');
    if (!isPullRequestEvent(eventName)) {
        return notAPullRequest(`the run was triggered by a ${eventName} event, not pull_request or pull_request_target`);
    }
    const pull = field(event, 'pull_request');
    if (!isObject(pull))
        return notAPullRequest(`the ${eventName} event has no pull_request`);
    const number = field(pull, 'number') ?? field(event, 'number');
    if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
        return notAPullRequest(`the ${eventName} event has no pull request number`);
    }
    const headSha = field(field(pull, 'head'), 'sha');
    if (typeof headSha !== 'string' || headSha === '') {
        return notAPullRequest(`the ${eventName} event has no head commit`);
    }
    const base = repository || stringField(field(field(pull, 'base'), 'repo'), 'full_name');
    const parts = base?.split('/') ?? [];
    const [owner, repo] = parts;
    if (parts.length !== 2 || !owner || !repo) {
        return notAPullRequest(base
            ? `the repository "${base}" is not owner/repo`
            : 'GITHUB_REPOSITORY is not set and the event names no base repository');
    }
    // A fork's head repository is null once the fork is deleted: still a fork.
    // GitHub matches repository names without regard to case, and no two
    // repositories differ only in case, so a different case is the same repository.
    const headRepo = stringField(field(field(pull, 'head'), 'repo'), 'full_name');
    const fromFork = headRepo === undefined || headRepo.toLowerCase() !== `${owner}/${repo}`.toLowerCase();
    const action = stringField(event, 'action');
    return { kind: 'pull-request', owner, repo, number, fromFork, headSha, action };
}
/**
 * Reads the event as GitHub Actions describes it: GITHUB_EVENT_NAME, the JSON
 * payload at GITHUB_EVENT_PATH and GITHUB_REPOSITORY. A payload that is
 * missing or unreadable gives a `not-a-pull-request` with the reason.
 */
function readEvent(env = process.env) {
    const eventName = env['GITHUB_EVENT_NAME'];
    if (!eventName)
        return notAPullRequest('GITHUB_EVENT_NAME is not set (not running in GitHub Actions?)');
    const eventPath = env['GITHUB_EVENT_PATH'];
    if (!eventPath)
        return notAPullRequest('GITHUB_EVENT_PATH is not set, so the event payload cannot be read');
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(eventPath, 'utf8');
    }
    catch (error) {
        return notAPullRequest(`the event payload ${eventPath} could not be read (${errorText(error)})`);
    }
    let event;
    try {
        event = JSON.parse(text);
    }
    catch (error) {
        return notAPullRequest(`the event payload ${eventPath} is not JSON (${errorText(error)})`);
    }
    return { kind: 'event', eventName, event, repository: env['GITHUB_REPOSITORY'] || undefined };
}
/**
 * The pull request of the run the environment describes. The payload is
 * read only for a pull request event, so another event's run never fails on
 * an unreadable payload.
 */
function pullRequestFromEnv(env = process.env) {
    const eventName = env['GITHUB_EVENT_NAME'];
    if (!isPullRequestEvent(eventName))
        return pullRequestFor({ eventName, event: undefined, repository: undefined });
    const read = readEvent(env);
    return read.kind === 'event' ? pullRequestFor(read) : read;
}
function notAPullRequest(reason) {
    return { kind: 'not-a-pull-request', reason };
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function field(value, name) {
    return isObject(value) ? value[name] : undefined;
}
function stringField(value, name) {
    const found = field(value, name);
    return typeof found === 'string' ? found : undefined;
}
function errorText(error) {
    const code = field(error, 'code');
    if (typeof code === 'string')
        return code;
    return error instanceof Error ? error.message : String(error);
}

;// CONCATENATED MODULE: ./src/pr/step.ts





/**
 * Writes, or updates in place, the run's comment on the pull request the
 * workflow runs for. A comment is a courtesy: a refusal is a warning, never
 * a failed deploy. `result` is undefined for a run refused before any change.
 */
async function commentOnPullRequest(settings, result, failure, warnings, env = process.env) {
    if (!settings.prComment)
        return;
    const target = pullRequestFromEnv(env);
    if (target.kind === 'not-a-pull-request') {
        core/* info */.pq(`pr-comment: no comment, ${target.reason}.`);
        return;
    }
    if (target.fromFork) {
        core/* info */.pq(`pr-comment: pull request #${target.number} comes from a fork, whose token is read-only.`);
    }
    const facts = commentFacts(settings, result, failure, env, target.headSha);
    const outcome = await upsertComment({
        token: settings.githubToken,
        owner: target.owner,
        repo: target.repo,
        number: target.number,
        marker: commentMarker(settings.bucket, settings.prefix),
        body: renderComment(facts),
    });
    if (outcome.outcome === 'refused')
        warnings.warn(outcome.warning, 's3-force-copy: pull request comment');
    else
        core/* info */.pq(`pr-comment: ${outcome.outcome} ${outcome.url}`);
}
function commentFacts(settings, result, failure, env, headSha) {
    // Only the change counts are shown.
    const counts = result ? countsOf(result, 0, 0) : undefined;
    const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
    const repository = env.GITHUB_REPOSITORY || undefined;
    const runUrl = repository && env.GITHUB_RUN_ID ? `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
    return {
        direction: settings.direction === 'pull' ? 'pull' : 'push',
        dryRun: settings.dryRun,
        bucket: settings.bucket,
        prefix: settings.prefix,
        counts: {
            copied: counts ? counts.uploaded + counts.downloaded : 0,
            redirected: counts?.redirected ?? 0,
            updated: counts?.updated ?? 0,
            unchanged: counts?.skipped ?? 0,
            deleted: counts?.deleted ?? 0,
        },
        changes: result ? changesOf(result).map(({ key, action }) => ({ key, action })) : [],
        warnings: result?.warnings ?? [],
        failure: failure && {
            message: failure.message,
            state: result ? destinationState(result) : 'nothing was changed',
        },
        // The pull request's head, not the merge commit GITHUB_SHA names on pull_request events.
        commit: headSha ?? env.GITHUB_SHA,
        repository,
        serverUrl,
        runUrl,
        when: new Date(),
        siteUrl: settings.siteUrl,
        indexDocument: settings.indexDocument,
    };
}

;// CONCATENATED MODULE: ./src/bucket/archived.ts
/** Storage classes whose objects a GET cannot read until they are restored. */
const ARCHIVE_CLASSES = new Map([
    ['GLACIER', 'GLACIER'],
    ['DEEP_ARCHIVE', 'DEEP_ARCHIVE'],
]);
/**
 * Marks an entry listed in an archive class, with whether it is restored
 * where the listing says (RestoreStatus comes only for objects restored or
 * being restored). Rare, so the field is added after the entry is built.
 */
function markArchived(entry, object) {
    // A constant string, not the page's: a slice would keep the page alive.
    const storageClass = ARCHIVE_CLASSES.get(object.StorageClass ?? '');
    if (storageClass === undefined)
        return entry;
    const status = object.RestoreStatus;
    entry.archived = { storageClass, restored: status === undefined ? undefined : status.IsRestoreInProgress === false };
    return entry;
}
/**
 * Asks each ListObjectsV2 for RestoreStatus (x-amz-optional-object-attributes),
 * so a pull tells restored archived objects without a HEAD. A store that
 * rejects the header is asked once more without it, and never again.
 */
function askRestoreStatusInListings(client) {
    let rejected = false;
    const middleware = (next, context) => async (args) => {
        if (rejected || context.commandName !== 'ListObjectsV2Command')
            return next(args);
        const request = args.request;
        if (!request.headers)
            return next(args);
        request.headers['x-amz-optional-object-attributes'] = 'RestoreStatus';
        try {
            return await next(args);
        }
        catch (error) {
            const status = error.$metadata?.httpStatusCode;
            if (status !== 400 && status !== 501)
                throw error;
            rejected = true;
            delete request.headers['x-amz-optional-object-attributes'];
            return next(args);
        }
    };
    client.middlewareStack.add(middleware, { step: 'build', name: 'askRestoreStatusInListings' });
}

;// CONCATENATED MODULE: ./src/cdn/client.ts

/**
 * Attempts per command, the SDK's own retries included (it retries throttling
 * and transient errors itself). invalidateCdn retries a few more times on top
 * for TooManyInvalidationsInProgress and throttling, so this stays small.
 */
const CLOUDFRONT_MAX_ATTEMPTS = 3;
/**
 * The CloudFront client for a run. There is no endpoint option: the SDK reads
 * the standard `AWS_ENDPOINT_URL_CLOUDFRONT` (or `AWS_ENDPOINT_URL`) variable
 * and the shared config's `endpoint_url` itself, and honours
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`. Timeouts as for S3: the SDK would
 * otherwise wait forever on a stalled connection.
 */
function createCloudFrontClient(options = {}) {
    return new client_cloudfront_dist_cjs/* CloudFrontClient */.GHk({
        region: options.region || 'us-east-1',
        credentials: options.credentials,
        maxAttempts: CLOUDFRONT_MAX_ATTEMPTS,
        requestHandler: { connectionTimeout: 10_000, socketTimeout: 60_000 },
    });
}

;// CONCATENATED MODULE: ./src/cdn/origin.ts
const origin_escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const REGION = '[a-z0-9-]+';
const AWS_DOMAIN = 'amazonaws\\.com(?:\\.cn)?';
function virtualHosted(bucket) {
    const b = origin_escape(bucket.toLowerCase());
    return new RegExp(`^${b}\\.(?:` +
        [
            `s3-website-${REGION}`,
            `s3-website\\.${REGION}`,
            's3',
            `s3\\.${REGION}`,
            `s3-${REGION}`,
            `s3\\.dualstack\\.${REGION}`,
        ].join('|') +
        `)\\.${AWS_DOMAIN}$`);
}
const WEBSITE_HOST = new RegExp(`\\.s3-website[.-]${REGION}\\.${AWS_DOMAIN}$`);
const PATH_STYLE = new RegExp(`^s3(?:[.-]${REGION}|\\.dualstack\\.${REGION})?\\.${AWS_DOMAIN}$`);
function host(origin) {
    return (origin.DomainName ?? '').trim().toLowerCase().replace(/\.$/, '');
}
const trimPath = (path) => (path ?? '').replace(/\/+$/, '');
/** The origin path this origin uses for the bucket, or undefined if it does not serve it. */
function servesBucket(origin, bucket, endpointHost) {
    const name = host(origin);
    const originPath = trimPath(origin.OriginPath);
    const onEndpoint = endpointHost !== undefined;
    if (virtualHosted(bucket).test(name) || (onEndpoint && name === `${bucket.toLowerCase()}.${endpointHost}`)) {
        return originPath;
    }
    if (PATH_STYLE.test(name) || (onEndpoint && name === endpointHost)) {
        // Path style: the origin path starts with the bucket, which is not part of any key.
        const bucketPart = `/${bucket}`;
        if (originPath === bucketPart)
            return '';
        if (originPath.startsWith(`${bucketPart}/`))
            return originPath.slice(bucketPart.length);
    }
    return undefined;
}
/** The host name of an S3-compatible endpoint URL, as an origin would name it. */
function hostOf(endpoint) {
    if (endpoint === undefined)
        return undefined;
    try {
        return new URL(endpoint).hostname.toLowerCase().replace(/\.$/, '') || undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * The origin serving `bucket` (on AWS, or on `endpoint` when the run names
 * one), preferring the one the default cache behaviour sends requests to
 * (directly or as a member of its origin group) when several do. Undefined
 * when none does.
 */
function originPathFor(config, bucket, endpoint) {
    const endpointHost = hostOf(endpoint);
    const matches = [];
    for (const origin of config.Origins?.Items ?? []) {
        const originPath = servesBucket(origin, bucket, endpointHost);
        if (originPath !== undefined && origin.Id !== undefined)
            matches.push({ originId: origin.Id, originPath });
    }
    if (matches.length <= 1)
        return matches[0];
    const target = config.DefaultCacheBehavior?.TargetOriginId;
    const group = config.OriginGroups?.Items?.find((candidate) => candidate.Id === target);
    const preferred = new Set([
        target,
        ...(group?.Members?.Items ?? []).map((member) => member.OriginId),
    ]);
    return matches.find((match) => preferred.has(match.originId)) ?? matches[0];
}
/** The kind of endpoint the origin `originId` of a distribution reaches. */
function originEndpoint(config, originId) {
    const origin = config.Origins?.Items?.find((candidate) => candidate.Id === originId);
    return origin !== undefined && WEBSITE_HOST.test(host(origin)) ? 'website' : 'rest';
}

;// CONCATENATED MODULE: ./src/cdn/preflight.ts
/**
 * Before anything changes, reads each distribution's config once and finds
 * the origin that serves the bucket. A distribution that cannot be read, or
 * serves no origin for this bucket, refuses the run: found only after the
 * deploy, it could no longer be undone, and invalidating another site's
 * distribution evicts its cache on this account's bill.
 *
 * The invalidation after the sync maps keys through what this read, so each
 * distribution costs one GetDistributionConfig and one CreateInvalidation.
 */




/** Origins named in a refusal; a distribution may have dozens. */
const ORIGINS_NAMED = 3;
/**
 * Each distribution's origin for `bucket` (on AWS, or on `endpoint`), in
 * the order given, repeats dropped. Throws a RefusedError naming the first
 * distribution that cannot be read or does not serve the bucket.
 */
async function readServedDistributions(client, distributionIds, bucket, endpoint, sleep = realSleep) {
    const served = [];
    for (const distributionId of new Set(distributionIds)) {
        const config = await readConfig(client, distributionId, sleep);
        const origin = originPathFor(config, bucket, endpoint);
        if (origin === undefined)
            throw new RefusedError(notServing(config, distributionId, bucket));
        served.push({ distributionId, ...origin, endpoint: originEndpoint(config, origin.originId) });
    }
    return served;
}
async function readConfig(client, distributionId, sleep) {
    let config;
    try {
        const output = await withRetries(sleep, () => client.send(new client_cloudfront_dist_cjs/* GetDistributionConfigCommand */.wNI({ Id: distributionId })));
        config = output.DistributionConfig;
    }
    catch (error) {
        if (error instanceof RequestLimitError)
            throw error;
        throw new RefusedError(unreadable(error, distributionId));
    }
    if (config === undefined) {
        throw new RefusedError(`CloudFront sent no config for distribution ${distributionId}; nothing was changed.`);
    }
    return config;
}
function unreadable(error, distributionId) {
    const { name = 'Error', message = String(error) } = (error ?? {});
    if (name === 'NoSuchDistribution') {
        return (`CloudFront distribution ${distributionId} does not exist, or not in the account of these credentials: ` +
            'check cloudfront-distribution-id; nothing was changed.');
    }
    if (isAccessDenied(error)) {
        return (`CloudFront denied cloudfront:GetDistributionConfig on distribution ${distributionId} (${message}): allow it on ` +
            `arn:aws:cloudfront::ACCOUNT_ID:distribution/${distributionId} for the credentials this job uses, so the run ` +
            'can check that the distribution serves this bucket; nothing was changed.');
    }
    return (`Could not read the config of CloudFront distribution ${distributionId} (${name}: ${message}), so the run ` +
        'cannot check that it serves this bucket; nothing was changed.');
}
function notServing(config, distributionId, bucket) {
    const origins = (config.Origins?.Items ?? []).map((origin) => `${origin.DomainName ?? ''}${origin.OriginPath ?? ''}`);
    const more = origins.length > ORIGINS_NAMED ? ` and ${origins.length - ORIGINS_NAMED} more` : '';
    const named = origins.length === 0 ? 'no origin' : `${origins.slice(0, ORIGINS_NAMED).join(', ')}${more}`;
    return (`CloudFront distribution ${distributionId} serves ${named}, not bucket ${bucket}, and invalidating it would ` +
        "evict another site's cache: check cloudfront-distribution-id; nothing was changed.");
}

;// CONCATENATED MODULE: ./src/cdn/step.ts





/**
 * Before the sync (a dry run too): reads each distribution and refuses the
 * run, with a RefusedError, unless every one serves the bucket. [] when there
 * is nothing to invalidate afterwards.
 */
async function checkDistributions(settings, budget, reporter) {
    if (settings.cloudfrontDistributionIds.length === 0)
        return [];
    if (settings.direction === 'pull') {
        reporter.info('cloudfront-distribution-id is for a push or a remove; a pull changes nothing a CDN serves.');
        return [];
    }
    return reporter.group('Check CloudFront', async () => {
        const client = createCloudFrontClient({ region: settings.region, credentials: settings.credentials });
        budget.attachTo(client, 'CloudFront');
        try {
            const ids = settings.cloudfrontDistributionIds;
            const served = await readServedDistributions(client, ids, settings.bucket, settings.endpoint);
            for (const { distributionId, originId, originPath } of served) {
                const under = originPath === '' ? '' : ` under origin path ${originPath}`;
                reporter.info(`${distributionId}: origin ${originId} serves bucket ${settings.bucket}${under}`);
            }
            return served;
        }
        finally {
            client.destroy();
        }
    });
}
/**
 * After a push, CloudFront forgets exactly what the run changed: the keys it
 * uploaded, redirected or deleted, done work only, so a push that failed
 * half-way still invalidates what it did change (or it would stay stale:
 * the next run sees those keys as unchanged). A dry run sends nothing and
 * reports the paths it would send.
 */
async function invalidateChanges(settings, distributions, result, budget, warnings, reporter) {
    if (distributions.length === 0)
        return undefined;
    return reporter.group('Invalidate CloudFront', async () => {
        const client = createCloudFrontClient({ region: settings.region, credentials: settings.credentials });
        budget.attachTo(client, 'CloudFront');
        try {
            const invalidation = await invalidateCdn({
                client,
                distributions,
                prefix: settings.prefix,
                keys: changesOf(result).map((change) => change.key),
                // Only when the run saw every object under the prefix: an excluded or kept one would be invalidated too.
                ...(settings.exclude.length === 0 && settings.delete ? { allKeys: knownKeys(result) } : {}),
                indexDocument: settings.indexDocument,
                maxPaths: settings.cloudfrontMaxPaths,
                wait: settings.cloudfrontWait,
                waitTimeoutMs: DEFAULT_WAIT_TIMEOUT_MS,
                dryRun: result.dryRun,
            });
            for (const distribution of invalidation.distributions) {
                const id = distribution.invalidationId ? ` ${distribution.invalidationId}` : '';
                reporter.info(`${distribution.distributionId}: ${distribution.status}${id}, ${plural(distribution.paths.length, 'path')} (${distribution.billablePaths} billable)`);
            }
            for (const warning of invalidation.warnings)
                warnings.warn(warning, 's3-force-copy: CloudFront');
            return invalidation;
        }
        finally {
            client.destroy();
        }
    });
}
/** Every key the run knows under the prefix: what the source has (planned or unchanged) and what it deleted. */
function knownKeys(result) {
    const { plan } = result;
    return [
        ...plan.unchanged,
        ...plan.copies.map((copy) => copy.key),
        ...plan.redirects.map((redirect) => redirect.key),
        ...plan.updates.map((update) => update.key),
        ...plan.deletes.map((removal) => removal.key),
        ...plan.warnings.map((warning) => warning.key),
    ];
}

;// CONCATENATED MODULE: ./src/model/entries.ts
/**
 * What each side holds at a key. The directory and the bucket know different
 * things, so each has its own types; the plan compares a source with a
 * destination of either kind. Keys are relative to the bucket prefix and use
 * "/" separators.
 *
 * Each file type has one constructor that builds every field in one literal:
 * a field added later would cost each of a million entries a property array.
 */
const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
/** A file the scan found; its size and md5 are filled in as they are learnt. */
function localFile() {
    return { kind: 'file', size: 0, md5: undefined };
}
/**
 * An object as the listing shows it, or, once `inspected` (by a HEAD or the
 * manifest), with the md5 that told, if any.
 */
function remoteFile(size, etag, modified, inspected) {
    if (inspected === undefined) {
        return modified === undefined ? { kind: 'file', size, etag } : { kind: 'file', size, etag, modified };
    }
    const { md5 } = inspected;
    if (md5 === undefined) {
        return modified === undefined
            ? { kind: 'file', size, etag, inspected: true }
            : { kind: 'file', size, etag, modified, inspected: true };
    }
    return modified === undefined
        ? { kind: 'file', size, etag, md5, inspected: true }
        : { kind: 'file', size, etag, modified, md5, inspected: true };
}
/** An empty "folder/" object, what the S3 console's "Create folder" makes: nothing to mirror. */
function isFolderPlaceholder(key, entry) {
    return key.endsWith('/') && entry.kind === 'file' && entry.size === 0;
}
function isMultipartEtag(etag) {
    return etag !== undefined && /-\d+$/.test(etag);
}
function isPlainMd5(value) {
    return value !== undefined && /^[0-9a-f]{32}$/.test(value);
}
/** An ETag as S3 sends it (`"abc"`), as listings, comparisons and the manifest keep it. */
function bareEtag(etag) {
    return etag?.replace(/"/g, '').toLowerCase();
}

;// CONCATENATED MODULE: ./src/decide/compare.ts

/**
 * Compares a local file with the object at its key from whatever each side
 * knows. A listed ETag counts as an md5 only when it looks like one; a
 * multipart ETag is compared with the one predicted locally; a file stored
 * compressed is compared by its stored form. 'unknown' means a HEAD could
 * still prove them equal through the `md5` metadata.
 */
function compareFiles(local, remote) {
    const expectsGzip = local.stored?.encoding === 'gzip';
    const isGzipped = remote.encoding === 'gzip';
    // Another zlib build may compress the same content to other bytes.
    if (expectsGzip && isGzipped && local.md5 !== undefined && local.md5 === remote.md5)
        return 'same';
    if ((local.stored?.size ?? local.size) !== remote.size)
        return 'different';
    const listed = remoteFingerprint(remote);
    if (listed !== undefined && localFingerprints(local).includes(listed))
        return 'same';
    if (remote.etag !== undefined && !remote.inspected)
        return 'unknown';
    // The same content by the md5 metadata, unless it is meant to be stored compressed and is not.
    if (local.md5 !== undefined && local.md5 === remote.md5)
        return expectsGzip && !isGzipped ? 'different' : 'same';
    return 'different';
}
/** The listed ETag, where it identifies the stored bytes. */
function remoteFingerprint(remote) {
    return isPlainMd5(remote.etag) || isMultipartEtag(remote.etag) ? remote.etag : undefined;
}
/** What the bucket would list for this file: its stored form's md5, or its md5 and predicted multipart ETag. */
function localFingerprints(local) {
    if (local.stored !== undefined)
        return [local.stored.md5];
    return [local.md5, local.multipartEtag];
}
/**
 * The local files still to hash for the plan: those the bucket has at the
 * same size, since a size difference already decides, and whose md5 the scan
 * has not taken yet. Nothing when forced, which copies every file anyway. A
 * pushed file's md5 for its metadata is taken from the bytes read to upload it.
 */
function localFilesToDigest(sides, force) {
    if (force)
        return [];
    const keys = [];
    for (const [key, entry] of sides.local) {
        if (entry.kind !== 'file' || entry.md5 !== undefined)
            continue;
        const other = sides.remote.get(key);
        // A file stored compressed has a stored size that only compressing it tells.
        if (other?.kind === 'file' && (other.size === entry.size || sides.storesGzipped(key, entry.size)))
            keys.push(key);
    }
    return keys;
}
/**
 * Zero-byte objects a HEAD must look at when the bucket is the source: the
 * listing cannot tell a redirect from an empty file, and each becomes one or
 * the other. A folder placeholder the plan leaves alone.
 */
function zeroByteSourceObjects(remote) {
    const keys = [];
    for (const [key, entry] of remote) {
        if (isUninspectedEmptyFile(entry) && !isFolderPlaceholder(key, entry))
            keys.push(key);
    }
    return keys;
}
/**
 * Objects a HEAD must look at when the bucket is the source: the zero-byte
 * ones, and those whose size differs from the local file at their key, which
 * may be that file stored compressed (a HEAD tells, by Content-Encoding and
 * the original's md5): deciding by size alone would download it on every
 * run. Compressed files the `gzip` globs name compare by their stored form.
 */
function sourceObjectsToInspect(sides, force) {
    const keys = zeroByteSourceObjects(sides.remote);
    if (force)
        return keys;
    for (const [key, remote] of sides.remote) {
        if (remote.kind !== 'file' || remote.inspected || remote.size === 0)
            continue;
        const local = sides.local.get(key);
        if (local?.kind !== 'file' || local.size === remote.size || sides.storesGzipped(key, local.size))
            continue;
        keys.push(key);
    }
    return keys;
}
/**
 * Local files whose object turned out to be stored compressed with the md5
 * of its original: the comparison needs their md5, which a size difference
 * did not ask for before.
 */
function originalsToDigest(sides) {
    const keys = [];
    for (const [key, remote] of sides.remote) {
        if (remote.kind !== 'file' || remote.encoding !== 'gzip' || remote.md5 === undefined)
            continue;
        const local = sides.local.get(key);
        if (local?.kind === 'file' && local.md5 === undefined)
            keys.push(key);
    }
    return keys;
}
/**
 * Whether a local file is the original of an object stored compressed: what
 * a pull writes for it. Only a pull may ask this; a push of the same file
 * without the `gzip` globs means to store it uncompressed.
 */
function isOriginalOf(local, remote) {
    return remote.encoding === 'gzip' && remote.md5 !== undefined && local.md5 === remote.md5;
}
/**
 * Zero-byte objects a HEAD must look at when the bucket is the destination:
 * those the directory also has, to tell whether they already hold what it
 * would write. A forced push overwrites whatever is there, so it learns nothing.
 */
function zeroByteDestinationObjects(sides, force) {
    if (force)
        return [];
    const keys = [];
    for (const [key, entry] of sides.remote) {
        if (!isUninspectedEmptyFile(entry))
            continue;
        const local = sides.local.get(key);
        if (local !== undefined && local.kind !== 'opaque')
            keys.push(key);
    }
    return keys;
}
function isUninspectedEmptyFile(entry) {
    return entry.kind === 'file' && !entry.inspected && entry.size === 0;
}
/**
 * Same-size objects whose listed ETag neither proves nor disproves equality
 * with the local md5 (KMS, another tool's multipart upload): a HEAD reads
 * their `md5` metadata. Needs the local md5s first.
 */
function undecidedKeysToInspect(sides, force) {
    if (force)
        return [];
    const keys = [];
    for (const [key, remote] of sides.remote) {
        if (remote.kind !== 'file' || remote.inspected || remote.size === 0)
            continue;
        const local = sides.local.get(key);
        if (local?.kind === 'file' && compareFiles(local, remote) === 'unknown')
            keys.push(key);
    }
    return keys;
}

;// CONCATENATED MODULE: ./src/model/link-tags.ts

const LINK_FOLDER_METADATA = 'link-folder';
const LINK_TARGET_METADATA = 'link-target';
const LINK_FILE_METADATA = 'link-file';
/** The metadata of a copy standing for a symlink: the file it reaches, and the folder link it is one of. */
function linkCopyMetadata(link) {
    const file = { [LINK_FILE_METADATA]: encoded(link.target) };
    return link.folder === undefined ? file : { ...file, ...folderTagMetadata(link.folder) };
}
/** The symlink an object's metadata says it is a copy for, if any. */
function linkCopyOfMetadata(metadata) {
    const target = decoded(metadata?.[LINK_FILE_METADATA]);
    if (target === undefined)
        return undefined;
    const folder = folderTagOfMetadata(metadata);
    return folder === undefined ? { target } : { target, folder };
}
function sameLinkCopy(a, b) {
    return a?.target === b?.target && sameFolderTag(a?.folder, b?.folder);
}
function folderTagMetadata(tag) {
    return {
        [LINK_FOLDER_METADATA]: encodeURIComponent(tag.link),
        [LINK_TARGET_METADATA]: encodeURIComponent(tag.target),
    };
}
/** The tag an object's metadata carries, or undefined when it has none or names an unsafe key. */
function folderTagOfMetadata(metadata) {
    const link = decoded(metadata?.[LINK_FOLDER_METADATA]);
    const target = decoded(metadata?.[LINK_TARGET_METADATA]);
    if (link === undefined || target === undefined)
        return undefined;
    return { link, target };
}
/** Each segment percent-encoded, the slashes kept, so a key stays readable in the console. */
function encoded(key) {
    return key.split('/').map(encodeURIComponent).join('/');
}
function decoded(value) {
    if (value === undefined)
        return undefined;
    try {
        const key = decodeURIComponent(value);
        return unsafeKeyReason(key) === undefined ? key : undefined;
    }
    catch {
        return undefined;
    }
}
function sameFolderTag(a, b) {
    return a?.link === b?.link && a?.target === b?.target;
}

;// CONCATENATED MODULE: ./src/decide/collisions.ts
/** ASCII without capitals: what most keys are, and what folds to itself. */
// eslint-disable-next-line no-control-regex
const ASCII_LOWER = /^[\x00-\x40\x5b-\x7f]*$/;
/**
 * Keys that differ only by letter case or Unicode normalisation are distinct
 * in S3 and on Linux, but one file on macOS and Windows: a pull there would
 * keep only one of them. Warn, naming both.
 */
function nameCollisionWarnings(keys) {
    // An ASCII key without capitals folds to itself, so it can only share a
    // name with a key that does not: only the names those fold to are looked at.
    const foldedNames = new Set();
    for (const key of keys)
        if (!ASCII_LOWER.test(key))
            foldedNames.add(fold(key));
    if (foldedNames.size === 0)
        return [];
    const seen = new Map();
    const warnings = [];
    // Sorting keys already in order (the plan's) takes one pass.
    for (const key of [...keys].sort()) {
        const folded = ASCII_LOWER.test(key) ? key : fold(key);
        if (!foldedNames.has(folded))
            continue;
        const first = seen.get(folded);
        if (first === undefined) {
            seen.set(folded, key);
        }
        else {
            warnings.push({
                key,
                message: `Same name as ${JSON.stringify(first)} on case-insensitive or normalising file systems (macOS, Windows)`,
            });
        }
    }
    return warnings;
}
function fold(key) {
    return key.normalize('NFC').toLowerCase();
}

;// CONCATENATED MODULE: ./src/decide/folder-links.ts


/**
 * The symlinks to folders whose tagged redirects a source (a bucket, which
 * other tools may change) no longer holds exactly: one redirect under the
 * link for each object under its target, leading where that object leads,
 * and nothing else. Their redirects are then copied one symlink each, with a
 * warning. Pure.
 */
function untrustedFolderLinks(source, prefix) {
    const groups = new Map();
    for (const [key, entry] of source) {
        const tag = entry.kind === 'redirect' ? entry.folder : undefined;
        if (tag === undefined)
            continue;
        const group = groups.get(tag.link) ?? { targets: new Set(), keys: [] };
        group.targets.add(tag.target);
        group.keys.push(key);
        groups.set(tag.link, group);
    }
    const untrusted = new Set();
    const warnings = [];
    for (const [link, { targets, keys }] of groups) {
        const target = targets.size === 1 ? [...targets][0] : undefined;
        const problem = target === undefined
            ? 'its objects name different target folders'
            : mismatch(source, prefix, { link, target }, keys.length);
        if (problem === undefined)
            continue;
        untrusted.add(link);
        warnings.push({
            key: `${link}/`,
            message: `The objects under it are not exactly the redirects of a symlink to ${target ?? 'a folder'} (${problem}), so each becomes a symlink of its own`,
        });
    }
    return { untrusted, warnings };
}
/** Why the source's objects under the link are not its target's redirects, or undefined when they are. */
function mismatch(source, prefix, tag, tagged) {
    const { link, target } = tag;
    if (link.startsWith(`${target}/`) || target.startsWith(`${link}/`))
        return 'it would lead back into itself';
    let matched = 0;
    for (const [key, entry] of source) {
        if (!key.startsWith(`${target}/`) || isFolderPlaceholder(key, entry))
            continue;
        const standIn = `${link}${key.slice(target.length)}`;
        const found = source.get(standIn);
        if (found?.kind !== 'redirect' || found.folder?.link !== link)
            return `${standIn} is missing or changed`;
        if (!leadsTo(prefix, found.location, key, entry))
            return `${standIn} leads elsewhere`;
        matched += 1;
    }
    let under = 0;
    for (const [key, entry] of source)
        if (key.startsWith(`${link}/`) && !isFolderPlaceholder(key, entry))
            under += 1;
    if (tagged !== matched || under !== matched)
        return 'it holds objects its target lacks';
    return undefined;
}
/** Whether a location leads to the key, or where the key's own redirect leads. */
function leadsTo(prefix, location, key, entry) {
    if (entry.kind === 'redirect')
        return location === entry.location;
    if (location === redirectLocationForKey(prefix, key))
        return true;
    const read = keysForRedirectLocation(prefix, location);
    return read.ok && read.candidates.includes(key);
}

;// CONCATENATED MODULE: ./src/decide/plan.ts





/** CopyObject copies at most 5 GiB in one request; a larger object is uploaded again instead. */
const COPY_IN_PLACE_LIMIT = 5 * 1024 ** 3;
/**
 * Decides what to do to make the destination an exact copy of the source.
 * Pure: both inventories must already be resolved (md5s computed, ambiguous
 * objects inspected). Entries the source cannot copy are reported and the
 * destination is left alone at those keys.
 */
function plan_plan(sides, rules) {
    const result = { copies: [], redirects: [], updates: [], deletes: [], unchanged: [], warnings: [] };
    const folderLinks = rules.verifyFolderLinks
        ? untrustedFolderLinks(sides.source, rules.prefix)
        : { untrusted: new Set(), warnings: [] };
    result.warnings.push(...folderLinks.warnings);
    const planning = {
        ...sides,
        rules,
        result,
        untouchable: new Set(),
        untouchableFolders: new Set(),
        shadowedFiles: filesShadowedByFolders(sides.source),
        untrustedFolderLinks: folderLinks.untrusted,
    };
    const sourceKeys = [...sides.source.keys()].sort();
    for (const key of sourceKeys)
        planKey(key, sides.source.get(key), planning);
    if (rules.delete)
        planDeletes(planning);
    result.warnings.push(...nameCollisionWarnings(sourceKeys));
    return result;
}
function planKey(key, entry, planning) {
    // An empty "folder/" object has nothing to mirror; leaving it alone is not news.
    if (isFolderPlaceholder(key, entry)) {
        planning.untouchable.add(key);
        return;
    }
    const skip = skipReason(key, entry, planning.shadowedFiles);
    if (skip !== undefined) {
        planning.result.warnings.push({ key, message: skip });
        planning.untouchable.add(key);
        if (entry.kind === 'opaque')
            planning.untouchableFolders.add(key);
        return;
    }
    if (entry.kind === 'file')
        planFile(key, entry, planning);
    else if (entry.kind === 'redirect')
        planRedirect(key, entry, planning);
}
function planFile(key, entry, planning) {
    const { result, rules } = planning;
    const existing = planning.destination.get(key);
    const reason = fileCopyReason(entry, existing, rules);
    if (reason !== undefined)
        result.copies.push({ key, entry, reason });
    else if (!headersChanged(key, entry, existing, rules))
        result.unchanged.push(key);
    else if (existing.size > COPY_IN_PLACE_LIMIT) {
        result.copies.push({ key, entry, reason: 'headers changed (too large to copy in place)' });
    }
    else {
        const { md5 } = entry;
        const update = { key, entry: existing, reason: 'headers changed' };
        result.updates.push(md5 === undefined ? update : { ...update, md5 });
    }
}
function planRedirect(key, entry, planning) {
    const { result, rules, source } = planning;
    const skip = (message) => {
        result.warnings.push({ key, message: `Skipped redirect: ${message}` });
        // The destination may hold a folder at its name (a local link to one): left alone too.
        planning.untouchable.add(key);
        planning.untouchableFolders.add(key);
    };
    const target = resolveRedirect(rules.prefix, entry.location, source);
    if (!target.ok)
        return skip(target.reason);
    if (target.key === key)
        return skip('it points to itself');
    // A redirect to nothing would be a 404 on the website and a dangling link on disk.
    const end = chainEnd(rules.prefix, key, target.key, source, planning.shadowedFiles);
    if (!end.ok)
        return skip(end.reason);
    const existing = planning.destination.get(key);
    const folder = entry.folder !== undefined && !planning.untrustedFolderLinks.has(entry.folder.link) ? entry.folder : undefined;
    const reason = redirectCopyReason(rules.prefix, [target.key, end.key], existing, planning.destination, rules.force) ??
        folderTagReason(folder, existing);
    if (reason !== undefined) {
        const copy = { key, target: target.key, location: entry.location, reason };
        result.redirects.push(folder === undefined ? copy : { ...copy, folder });
    }
    else if (!headersChanged(key, entry, existing, rules))
        result.unchanged.push(key);
    else
        result.updates.push({ key, entry: existing, reason: 'headers changed' });
}
function planDeletes(planning) {
    const { source, destination, result } = planning;
    const onlyInDestination = [...destination.keys()].filter((key) => !source.has(key));
    for (const key of onlyInDestination.sort()) {
        if (planning.untouchable.has(key) || isBelowAny(key, planning.untouchableFolders))
            continue;
        const entry = destination.get(key);
        // A local name that is not a safe key has no path the pull may touch: keep it, as the bucket's own.
        const unsafe = entry.kind === 'opaque' ? unsafeKeyReason(key) : undefined;
        if (unsafe !== undefined)
            result.warnings.push({ key, message: `Kept: its name is not a safe key: ${unsafe}` });
        else
            result.deletes.push({ key, entry });
    }
}
/** Whether the destination recorded other headers for an object than the rules give it now. */
function headersChanged(key, entry, existing, rules) {
    if (rules.headersFingerprint === undefined || existing === undefined || !('headers' in existing))
        return false;
    return existing.headers !== undefined && existing.headers !== rules.headersFingerprint(key, entry);
}
function isBelowAny(key, folders) {
    return folders.size > 0 && someFolderOf(key, (folder) => folders.has(folder));
}
function skipReason(key, entry, shadowedFiles) {
    if (entry.kind === 'opaque')
        return `Skipped: ${entry.reason}`;
    const unsafe = unsafeKeyReason(key);
    if (unsafe !== undefined)
        return `Skipped unsafe key: ${unsafe}`;
    if (shadowedFiles.has(key)) {
        return 'Skipped: other keys use this name as a folder, and a local file and folder cannot share a name';
    }
    return undefined;
}
/** Keys that are also used as a folder by other keys ("abc" beside "abc/x"). */
function filesShadowedByFolders(source) {
    const shadowed = new Set();
    // Each folder is looked up once, from its deepest key up: a folder seen
    // before had its own folders seen with it.
    const folders = new Set();
    for (const key of source.keys()) {
        someFolderOfUpwards(key, (folder) => {
            if (folders.has(folder))
                return true;
            folders.add(folder);
            if (source.has(folder))
                shadowed.add(folder);
            return false;
        });
    }
    return shadowed;
}
function fileCopyReason(entry, existing, rules) {
    if (existing === undefined)
        return 'new';
    if (existing.kind === 'redirect')
        return 'replaces a redirect';
    if (existing.kind === 'opaque')
        return 'replaces something else';
    if (rules.force)
        return 'forced';
    return rules.sameFile(entry, existing) ? undefined : 'md5 differs';
}
/**
 * `targets` are the redirect's first hop and the file its chain reaches: the
 * bucket records a redirect by its first hop, a local link by its end, and
 * either one pointing there means the destination already leads the same way.
 */
function redirectCopyReason(prefix, targets, existing, destination, force) {
    if (existing === undefined)
        return 'new';
    // A forced push does not HEAD zero-byte objects, so it cannot tell a redirect from an empty file.
    if (force)
        return 'forced';
    if (existing.kind !== 'redirect')
        return 'replaces a file';
    const current = resolveRedirect(prefix, existing.location, destination);
    return current.ok && targets.includes(current.key) ? undefined : 'target differs';
}
/** A redirect that leads the right way but stands for another symlink (to a folder, or none) is written again. */
function folderTagReason(folder, existing) {
    if (existing?.kind !== 'redirect')
        return undefined;
    return sameFolderTag(folder, existing.folder) ? undefined : 'symlink differs';
}
/**
 * The file a redirect finally leads to, through any redirects on the way
 * (the bucket can hold such a chain when a push skipped a name and kept its
 * old redirect). A local link is recorded by that end, since the scan
 * follows links to it, so a pull compares by it: comparing by the first hop
 * alone would relink a chain on every run. A chain through a key the plan
 * skips (one used as a folder, say) would end at no local file, so it fails.
 */
function chainEnd(prefix, key, first, source, shadowedFiles) {
    const passed = new Set([key]);
    let current = first;
    for (;;) {
        const entry = source.get(current);
        const where = current === first ? `its target ${first}` : `it leads through ${first} to ${current}, which`;
        if (entry === undefined || entry.kind === 'opaque')
            return { ok: false, reason: `${where} is not in the source` };
        if (skipReason(current, entry, shadowedFiles) !== undefined)
            return { ok: false, reason: `${where} is skipped` };
        if (entry.kind === 'file')
            return { ok: true, key: current };
        if (passed.has(current))
            return { ok: false, reason: `it leads through ${first} into a loop of redirects` };
        passed.add(current);
        const next = resolveRedirect(prefix, entry.location, source);
        if (!next.ok)
            return { ok: false, reason: `it leads through ${first} to a redirect that cannot be followed` };
        current = next.key;
    }
}
/** Picks the reading of a location that names a key the inventory has. */
function resolveRedirect(prefix, location, inventory) {
    const target = keysForRedirectLocation(prefix, location);
    if (!target.ok)
        return target;
    const existing = target.candidates.find((candidate) => inventory.has(candidate));
    return { ok: true, key: existing ?? target.candidates[0] };
}

;// CONCATENATED MODULE: ./src/model/headers.ts

/** The rules' headers with the storage settings added: fingerprinted with them, so a changed setting is an update in place. */
function withStorageSettings(headersFor, storage) {
    if (Object.keys(storage).length === 0)
        return headersFor;
    return (key) => ({ ...headersFor(key), ...storage });
}
/**
 * A short fingerprint of the headers and metadata an object is written with
 * (Content-Encoding included), equal for equal sets whatever their order.
 * The manifest keeps it, so a changed rule is seen without a HEAD.
 */
function headersFingerprint(headers, contentEncoding) {
    const { Metadata, Expires, ...rest } = headers;
    const fields = Object.entries({
        ...rest,
        ...(contentEncoding === undefined ? {} : { ContentEncoding: contentEncoding }),
    })
        .filter(([, value]) => value !== undefined)
        .map(([name, value]) => [name, String(value)]);
    if (Expires !== undefined)
        fields.push(['Expires', Expires.toISOString()]);
    for (const [name, value] of Object.entries(Metadata))
        fields.push([`x-amz-meta-${name}`, value]);
    fields.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return (0,external_node_crypto_.createHash)('sha256').update(JSON.stringify(fields)).digest('base64url').slice(0, 12);
}

;// CONCATENATED MODULE: ./src/model/pool.ts
/**
 * The one bounded pool: at most `limit` tasks at a time, the rest waiting
 * their turn in the order they asked. Every bounded concurrency in the action
 * goes through it: a task run when a slot is free (run), tasks a producer
 * starts itself and waits on (track, room), and items of a list or a tree
 * (forEachBounded, forEachBoundedGroups, forEachBoundedTree).
 */
class Pool {
    limit;
    running = 0;
    /** Turns waiting for a slot, first come first served: each wakes its caller, taking the slot or not. */
    waiting = [];
    /** `what` names the limit in the RangeError for one that is not a whole number of at least 1. */
    constructor(limit, what = 'concurrency') {
        this.limit = limit;
        if (!Number.isInteger(limit) || limit < 1) {
            throw new RangeError(`${what} must be a whole number of at least 1, not ${limit}`);
        }
    }
    /** Whether every slot is taken. */
    get full() {
        return this.running >= this.limit;
    }
    /**
     * Runs `task` as soon as a slot is free (at once, within this call, when
     * one is) and settles as it does. A task that throws at once rejects.
     */
    async run(task) {
        const turn = this.take();
        if (turn !== undefined)
            await turn;
        try {
            return await task();
        }
        finally {
            this.giveBack();
        }
    }
    /**
     * Counts a task its producer has already started, free slot or not, until
     * it settles; the producer waits with room() before it starts more.
     */
    track(started) {
        this.running += 1;
        return started.finally(() => this.giveBack());
    }
    /** Resolves once a slot is free, without taking it: for a producer that starts its tasks itself. */
    async room() {
        // Woken without the slot, so every waiting producer looks again; one
        // woken before this one may have filled it meanwhile.
        while (this.full)
            await new Promise((resolve) => this.waiting.push(resolve));
    }
    /** Takes a slot: at once when one is free (undefined), else once one is given back to this turn. */
    take() {
        if (!this.full) {
            this.running += 1;
            return undefined;
        }
        return new Promise((resolve) => this.waiting.push(() => {
            this.running += 1;
            resolve();
        }));
    }
    giveBack() {
        this.running -= 1;
        while (!this.full && this.waiting.length > 0)
            this.waiting.shift()();
    }
}
/**
 * Runs work over items with at most `concurrency` at a time. After the first
 * failure no new item starts, and it waits for those in flight to settle
 * before throwing, so nothing is still writing when the caller reports.
 */
async function forEachBounded(items, concurrency, work) {
    await forEachBoundedGroups([{ items, concurrency }], work);
}
/**
 * forEachBounded over several groups at once, each with a pool of its own;
 * the first failure in any group stops all of them.
 */
async function forEachBoundedGroups(groups, work) {
    // Every limit is checked before any item starts.
    const pools = groups.map(({ concurrency }) => new Pool(concurrency));
    const failure = new FirstFailure();
    await Promise.all(groups.map(({ items }, i) => drain(pools[i], items.values(), work, failure)));
    failure.throwIfAny();
}
/**
 * Runs `work` on `first` and on every item it returns, and on theirs (the
 * folders of a tree), at most `concurrency` at a time. After a failure no
 * new item starts; it throws once those in flight have settled.
 */
async function forEachBoundedTree(first, concurrency, work) {
    const pool = new Pool(concurrency);
    const pending = [first];
    const next = () => pending.length > 0 ? { done: false, value: pending.pop() } : { done: true, value: undefined };
    const failure = new FirstFailure();
    const visit = (item) => work(item).then((found) => {
        for (const child of found)
            pending.push(child);
    });
    await drain(pool, { next }, visit, failure);
    failure.throwIfAny();
}
/**
 * Starts work on the items `source` gives while the pool has a free slot, and
 * asks it again whenever one settles (a tree's work gives it more), so only
 * items in flight exist as promises and memory does not grow with the item
 * count (docs/adr/0006-runner-pool-not-p-limit.md). Resolves once the source
 * gives none and none is in flight; after `failure` has one, none starts.
 */
function drain(pool, source, work, failure) {
    // A work that throws at once fails like one that rejects, and at once: nothing starts after it.
    const attempt = (item) => {
        try {
            return work(item);
        }
        catch (error) {
            failure.record(error);
            throw error;
        }
    };
    return new Promise((resolve) => {
        let inFlight = 0;
        const settled = () => {
            inFlight -= 1;
            startMore();
            if (inFlight === 0)
                resolve();
        };
        const startMore = () => {
            while (!failure.happened && !pool.full) {
                const item = source.next();
                if (item.done === true)
                    break;
                inFlight += 1;
                // Recorded a turn before `settled`, so an item that ends as this fails starts nothing.
                void pool
                    .run(() => attempt(item.value))
                    .catch(failure.record)
                    .then(settled);
            }
        };
        startMore();
        if (inFlight === 0)
            resolve();
    });
}
/** The first error among work that shares it. */
class FirstFailure {
    first;
    get happened() {
        return this.first !== undefined;
    }
    record = (error) => {
        this.first ??= { error };
    };
    throwIfAny() {
        if (this.first !== undefined)
            throw this.first.error;
    }
}

;// CONCATENATED MODULE: ./src/bucket/inspect.ts







/**
 * HEADs the given keys and replaces their entries with what the object really
 * is: a redirect, or a file whose md5 comes from the `md5` metadata.
 */
async function inspectRemote(location, entries, keys, concurrency, readHeaders = false) {
    await forEachBounded([...keys], concurrency, async (key) => {
        const head = await headOf(location, key);
        const entry = entryFromHead(entries.get(key), head);
        if (readHeaders)
            entry.headers = headersNow(entry, head);
        entries.set(key, entry);
    });
}
/**
 * inspectRemote for objects written since the manifest, whose headers the
 * rules may need to put back: each entry also gets the fingerprint of the
 * headers it has now.
 */
function inspectRewritten(location, entries, keys, concurrency) {
    return inspectRemote(location, entries, keys, concurrency, true);
}
/** The fingerprint of an object's headers now; one that never matches a rule for a file that lost its `md5`. */
function headersNow(entry, head) {
    const headers = headersFingerprint(headersOfHead(head), head.ContentEncoding?.toLowerCase());
    return entry.kind === 'file' && entry.md5 === undefined ? `${headers} without md5` : headers;
}
function headOf({ client, bucket, prefix }, key) {
    return tagged('inspect', key, () => client.send(new dist_cjs.HeadObjectCommand({ Bucket: bucket, Key: withPrefix(prefix, key) })));
}
/** The headers an object has, as the rules name them; the md5 metadata is the action's own, not a rule's. */
function headersOfHead(head) {
    const metadata = { ...head.Metadata };
    delete metadata.md5;
    delete metadata.md5chksum;
    // headersFingerprint leaves out the fields that are undefined.
    return {
        ContentType: head.ContentType ?? '',
        CacheControl: head.CacheControl,
        ContentDisposition: head.ContentDisposition,
        ContentLanguage: head.ContentLanguage,
        Expires: head.Expires,
        Metadata: metadata,
    };
}
function entryFromHead(listed, head) {
    // Only an empty object is a redirect: one with a body is a file that also
    // redirects, downloaded as a file (with a warning) whether HEADed or not.
    const etag = bareEtag(head.ETag) ?? (listed?.kind === 'file' ? listed.etag : undefined);
    if (head.WebsiteRedirectLocation && (head.ContentLength ?? 0) === 0) {
        const modified = listed?.kind === 'file' ? listed.modified : undefined;
        const folder = folderTagOfMetadata(head.Metadata);
        return {
            kind: 'redirect',
            location: head.WebsiteRedirectLocation,
            ...(etag === undefined ? {} : { etag }),
            ...(modified === undefined ? {} : { modified }),
            ...(folder === undefined ? {} : { folder }),
        };
    }
    const size = head.ContentLength ?? (listed?.kind === 'file' ? listed.size : 0);
    const modified = listed?.kind === 'file' ? listed.modified : undefined;
    const file = remoteFile(size, etag, modified, { md5: metadataMd5(head.Metadata) });
    if (head.ContentEncoding !== undefined)
        file.encoding = head.ContentEncoding.toLowerCase();
    const link = linkCopyOfMetadata(head.Metadata);
    if (link !== undefined)
        file.link = link;
    return file;
}
/**
 * The content md5 from an object's metadata: `md5` as this action (and the
 * script it grew from) writes it, or rclone's `md5chksum`, base64, so a
 * bucket written by `rclone sync` is recognised rather than re-uploaded.
 */
function metadataMd5(metadata) {
    const hex = metadata?.md5?.toLowerCase();
    if (hex !== undefined && /^[0-9a-f]{32}$/.test(hex))
        return hex;
    const base64 = metadata?.md5chksum;
    if (base64 === undefined)
        return undefined;
    const bytes = Buffer.from(base64, 'base64');
    return bytes.length === 16 ? bytes.toString('hex') : undefined;
}

// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(8500);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./src/local/digest.ts




/** Part size for multipart uploads; also used to predict their ETags. */
const PART_SIZE = 8 * 1024 * 1024;
/**
 * Files up to this size are read in one synchronous call: a stream would read
 * them in one chunk anyway, and the thread-pool round trips cost several times
 * the read (docs/adr/0005-synchronous-small-file-io.md).
 */
const SMALL_FILE = 1024 * 1024;
/** A pass-through stream that hashes (md5) and counts what flows through it. */
function hashingStream() {
    const hash = (0,external_node_crypto_.createHash)('md5');
    let bytes = 0;
    const stream = new external_node_stream_.Transform({
        transform(chunk, _encoding, callback) {
            hash.update(chunk);
            bytes += chunk.length;
            callback(null, chunk);
        },
    });
    return { stream, md5: () => hash.digest('hex'), bytes: () => bytes };
}
/** The md5 of bytes in memory, as hex. */
function md5Hex(data) {
    return (0,external_node_crypto_.createHash)('md5').update(data).digest('hex');
}
/**
 * The md5 of a small file, read in one synchronous call (SMALL_FILE). The file
 * thread uses it too (file-worker.ts), so there is one md5 of a file.
 */
function smallFileMd5(filePath) {
    return md5Hex((0,external_node_fs_.readFileSync)(filePath));
}
/** The md5 alone, for a file whose md5 must be known before its upload starts. */
async function fileMd5(filePath, size) {
    return (await digestFile(filePath, size, Number.POSITIVE_INFINITY)).md5;
}
/**
 * Streams the file once and computes both its md5 and the multipart ETag
 * (md5 of the concatenated part md5s, "-<parts>"), so an unchanged large file
 * can be recognised from the listing alone, without a HEAD.
 */
async function digestFile(filePath, size, partSize = PART_SIZE) {
    if (size <= SMALL_FILE && size <= partSize) {
        return { md5: smallFileMd5(filePath) };
    }
    const whole = (0,external_node_crypto_.createHash)('md5');
    // Parts are hashed only for a file lib-storage would split: one of at most
    // a part goes up as a single PutObject, whose ETag is its md5.
    const splits = size > partSize;
    const partDigests = [];
    let part = (0,external_node_crypto_.createHash)('md5');
    let partFill = 0;
    let total = 0;
    for await (const chunk of (0,external_node_fs_.createReadStream)(filePath, {
        highWaterMark: 1024 * 1024,
    })) {
        whole.update(chunk);
        total += chunk.length;
        if (!splits)
            continue;
        let offset = 0;
        while (offset < chunk.length) {
            const take = Math.min(partSize - partFill, chunk.length - offset);
            part.update(chunk.subarray(offset, offset + take));
            partFill += take;
            offset += take;
            if (partFill === partSize) {
                partDigests.push(part.digest());
                part = (0,external_node_crypto_.createHash)('md5');
                partFill = 0;
            }
        }
    }
    if (partFill > 0)
        partDigests.push(part.digest());
    const md5 = whole.digest('hex');
    // A file whose size changed across a part boundary since the scan gets no
    // ETag prediction; a HEAD decides instead.
    if (!splits || total <= partSize)
        return { md5 };
    const combined = (0,external_node_crypto_.createHash)('md5').update(Buffer.concat(partDigests)).digest('hex');
    return { md5, multipartEtag: `${combined}-${partDigests.length}` };
}
/** Files stored gzip-compressed are compressed whole in memory; larger ones are stored as they are. */
const GZIP_MAX_BYTES = 64 * 1024 * 1024;
/** The gzip header's OS byte: zlib writes the platform's (10 on Windows), this makes it the same everywhere. */
const GZIP_OS_UNIX = 3;
/**
 * Deterministic gzip: a fixed level, no name, mtime 0 and one OS byte, so the
 * same file makes the same bytes with the same zlib, and its ETag (the md5 of
 * those bytes) settles the comparison from the listing alone. Another zlib
 * build may compress otherwise; the manifest's md5 then decides.
 */
function gzipBytes(data) {
    const compressed = (0,external_node_zlib_.gzipSync)(data, { level: 9 });
    compressed[9] = GZIP_OS_UNIX;
    return compressed;
}
/** The md5 of a file, and the size and md5 of its gzip-compressed form as the bucket would hold it. */
function digestGzipped(filePath) {
    const data = (0,external_node_fs_.readFileSync)(filePath);
    const compressed = gzipBytes(data);
    return {
        md5: md5Hex(data),
        stored: { size: compressed.length, md5: md5Hex(compressed), encoding: 'gzip' },
    };
}

;// CONCATENATED MODULE: ./src/local/hashing.ts




/** Large files are hashed from streams that wait on the disk, so several run at once (small ones are read synchronously). */
const DIGEST_CONCURRENCY = 16;
/**
 * Hashes local files while the listing is still on the wire. It starts on
 * every candidate; once the listing is in, `narrowTo` drops the files whose
 * md5 the comparison turned out not to need, so they are never read.
 */
class EarlyHashing {
    root;
    wanted;
    candidates;
    running;
    constructor(root, entries, candidates, storesGzipped) {
        this.root = root;
        this.candidates = new Set(candidates);
        this.running = hashFiles(root, entries, candidates, storesGzipped, (key) => this.wanted?.has(key) ?? true);
        // Awaited by finished(); this only keeps a failure meanwhile from going unhandled.
        this.running.catch(() => undefined);
    }
    /** Hash only `wanted` from now on; returns the wanted keys this hashing does not cover. */
    narrowTo(wanted) {
        this.wanted = new Set(wanted);
        return [...this.wanted].filter((key) => !this.candidates.has(key));
    }
    finished() {
        return this.running;
    }
}
/**
 * Hashes `keys` into their entries: the md5, and what the bucket would hold
 * (the multipart ETag of a file that uploads in parts, or the size and md5
 * of its compressed form). A large tree's small files are hashed as the
 * scan sizes them (scan.ts); these are the rest.
 */
async function hashFiles(root, entries, keys, storesGzipped, stillWanted = () => true) {
    await forEachBounded(keys, DIGEST_CONCURRENCY, async (key) => {
        // Small files hash synchronously. A turn of the event loop between them
        // lets each listing page through as it arrives, so the next LIST is not
        // held up until every file is hashed.
        await (0,promises_.setImmediate)();
        if (!stillWanted(key))
            return;
        const entry = entries.get(key);
        const filePath = localPathForKey(root, key);
        if (storesGzipped(key, entry.size)) {
            const digest = digestGzipped(filePath);
            entry.md5 = digest.md5;
            entry.stored = digest.stored;
            return;
        }
        const digest = await digestFile(filePath, entry.size);
        entry.md5 = digest.md5;
        if (digest.multipartEtag !== undefined)
            entry.multipartEtag = digest.multipartEtag;
    });
}

// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(8474);
;// CONCATENATED MODULE: ./src/manifest/format.ts



/**
 * The deploy manifest: what the bucket held under the prefix after the last
 * push that wrote it, kept beside the site. A run trusts an entry only where
 * the listing shows the very size and ETag it recorded and no write since the
 * manifest's own (a write that keeps the bytes, such as another tool changing
 * a redirect, keeps the ETag but not LastModified), so another tool's write
 * falls back to a HEAD, and a stale or foreign manifest costs nothing but its GET. Keys
 * are stored as hashes: a website serves the manifest to anyone, while the
 * listing is usually private.
 */
const MANIFEST_FORMAT = 's3-force-copy manifest';
const MANIFEST_VERSION = 1;
/** 96 bits of the SHA-256 of a key: no collision among a billion keys, and no name revealed. */
function keyHash(key) {
    // The one-shot hash: a Hash object per key was most of a 100,000-key trust.
    return (0,external_node_crypto_.hash)('sha256', key, 'base64url').slice(0, 16);
}
/**
 * gzip-compressed JSON, a row per object on a line of its own; an md5 equal
 * to the ETag is written as 1. The lines let encode and decode take one row
 * at a time: a million objects are 88 MB of JSON, which as one string and one
 * parsed tree took several times that at once. Any JSON reader still reads it.
 */
async function encodeManifest(manifest) {
    const header = JSON.stringify({ format: MANIFEST_FORMAT, version: MANIFEST_VERSION, prefix: manifest.prefix });
    const gzip = (0,external_node_zlib_.createGzip)({ level: 6 });
    const compressed = [];
    gzip.on('data', (chunk) => compressed.push(chunk));
    const done = (0,external_node_events_.once)(gzip, 'end');
    let lines = `${header.slice(0, -1)},"objects":[`;
    let first = true;
    for (const [hash, record] of manifest.records) {
        lines += `${first ? '' : ','}\n${JSON.stringify(rowOf(hash, record))}`;
        first = false;
        if (lines.length >= ENCODE_CHUNK) {
            if (!gzip.write(lines))
                await (0,external_node_events_.once)(gzip, 'drain');
            lines = '';
        }
    }
    gzip.end(`${lines}\n]}`);
    await done;
    return Buffer.concat(compressed);
}
/** Characters of JSON handed to gzip at a time. */
const ENCODE_CHUNK = 1 << 16;
function rowOf(hash, record) {
    const row = [hash, record.size, record.etag];
    const optional = [
        record.md5 === record.etag ? 1 : record.md5,
        record.location,
        record.headers,
        record.encoding,
        record.modified,
        record.folder === undefined ? undefined : [record.folder.link, record.folder.target],
        record.linkFile,
    ];
    let last = optional.length - 1;
    while (last >= 0 && optional[last] === undefined)
        last -= 1;
    for (let i = 0; i <= last; i += 1)
        row.push(optional[i] ?? 0);
    return row;
}
/** The manifest, or why it is ignored (corrupt, another format or version, another prefix). */
function decodeManifest(bytes, prefix) {
    let json;
    try {
        json = (0,external_node_zlib_.gunzipSync)(bytes);
    }
    catch {
        return { ignored: 'it is not a gzip-compressed JSON document' };
    }
    const rows = rowLines(json);
    let body;
    try {
        body = JSON.parse(rows === undefined ? json.toString('utf8') : rows.header);
    }
    catch {
        return { ignored: 'it is not a gzip-compressed JSON document' };
    }
    if (body.format !== MANIFEST_FORMAT)
        return { ignored: 'it is not an s3-force-copy manifest' };
    if (body.version !== MANIFEST_VERSION)
        return { ignored: `it is version ${String(body.version)}, not ${MANIFEST_VERSION}` };
    if (body.prefix !== prefix)
        return { ignored: `it describes the prefix "${String(body.prefix)}"` };
    if (rows === undefined && !Array.isArray(body.objects))
        return { ignored: 'it lists no objects' };
    const records = new Map();
    try {
        for (const row of rows?.objects ?? body.objects) {
            const record = recordOfRow(row);
            if (record === undefined)
                return { ignored: 'an entry is malformed' };
            records.set(record[0], record[1]);
        }
    }
    catch {
        return { ignored: 'an entry is malformed' };
    }
    return { prefix, records };
}
/**
 * The document as encodeManifest lays it out: the header object (without
 * its rows) and the rows, parsed one line at a time. Undefined for any
 * other layout, which is then parsed whole.
 */
function rowLines(json) {
    const opening = ',"objects":[';
    const firstEnd = json.indexOf(0x0a);
    if (firstEnd === -1 || !json.toString('utf8', firstEnd - opening.length, firstEnd).endsWith(opening))
        return undefined;
    const header = `${json.toString('utf8', 0, firstEnd - opening.length)}}`;
    function* objects() {
        let start = firstEnd + 1;
        for (;;) {
            const end = json.indexOf(0x0a, start);
            if (end === -1) {
                if (json.toString('utf8', start).trim() !== ']}')
                    throw new Error('the manifest ends early');
                return;
            }
            const line = json.toString('utf8', start, json[end - 1] === 0x2c ? end - 1 : end);
            yield JSON.parse(line);
            start = end + 1;
        }
    }
    return { header, objects: objects() };
}
function recordOfRow(row) {
    if (!Array.isArray(row) || typeof row[0] !== 'string' || typeof row[1] !== 'number' || typeof row[2] !== 'string') {
        return undefined;
    }
    const [hash, size, etag, md5, location, headers, encoding, modified, folder, linkFile] = row;
    const record = newRecord(size, etag, typeof md5 === 'string' ? md5 : md5 === 1 ? etag : undefined, typeof modified === 'number' && modified > 0 ? modified : undefined);
    if (typeof location === 'string')
        record.location = location;
    if (typeof headers === 'string')
        record.headers = headers;
    if (typeof encoding === 'string')
        record.encoding = encoding;
    if (Array.isArray(folder) && typeof folder[0] === 'string' && typeof folder[1] === 'string') {
        record.folder = { link: folder[0], target: folder[1] };
    }
    if (typeof linkFile === 'string')
        record.linkFile = linkFile;
    return [hash, record];
}
/**
 * A record with the fields nearly every one has, in one literal: a field
 * added later would give each of a million records a property array.
 */
function newRecord(size, etag, md5, modified) {
    if (md5 !== undefined && modified !== undefined)
        return { size, etag, md5, modified };
    if (md5 !== undefined)
        return { size, etag, md5 };
    if (modified !== undefined)
        return { size, etag, modified };
    return { size, etag };
}

;// CONCATENATED MODULE: ./src/manifest/trust.ts


/**
 * Fills in, from the manifest, what only a HEAD could say of a listed
 * object (its md5, that it is a redirect and where to, its headers), for
 * every object whose listed size and ETag are exactly those recorded and
 * that was not written after the manifest.
 */
function trustManifest(remote, manifest) {
    const trust = { trusted: 0, rewritten: [] };
    for (const [key, entry] of remote) {
        if (entry.kind !== 'file' || entry.inspected || entry.etag === undefined)
            continue;
        const record = manifest.records.get(keyHash(key));
        if (record === undefined || record.size !== entry.size || record.etag !== entry.etag)
            continue;
        if (record.modified !== undefined && record.modified !== entry.modified)
            continue;
        if (writtenSince(manifest, entry.modified)) {
            trust.rewritten.push(key);
            continue;
        }
        const trusted = trustedEntry(record, entry);
        if (trusted === undefined)
            continue;
        remote.set(key, trusted);
        trust.trusted += 1;
    }
    return trust;
}
/**
 * Whether an object was written after the manifest, in whole seconds: the
 * GET's Last-Modified has no finer resolution, nor has S3's listing. An
 * object of the manifest's own second is taken as written before it: its run
 * writes every object before the manifest, most often within that second,
 * and distrusting them would cost a no-op run a HEAD each. Only another
 * write in the rest of that very second goes unseen.
 */
function writtenSince(manifest, modified) {
    if (manifest.modified === undefined || modified === undefined)
        return false;
    return Math.floor(modified / 1000) > Math.floor(manifest.modified / 1000);
}
/** Whether no listed object was written after the manifest, so it still describes the bucket. */
function isCurrent(manifest, remote) {
    for (const entry of remote.values())
        if (writtenSince(manifest, entry.modified))
            return false;
    return true;
}
function trustedEntry(record, entry) {
    if (record.location !== undefined && entry.size === 0) {
        return {
            kind: 'redirect',
            location: record.location,
            etag: record.etag,
            ...(record.headers === undefined ? {} : { headers: record.headers }),
            ...(entry.modified === undefined ? {} : { modified: entry.modified }),
            ...(record.folder === undefined ? {} : { folder: record.folder }),
        };
    }
    if (record.md5 === undefined)
        return undefined;
    // A new entry with every field at once (see newRecord), whose md5 is the
    // listing's ETag string where they are equal, not the manifest's copy.
    const md5 = record.md5 === record.etag ? entry.etag : record.md5;
    const trusted = remoteFile(entry.size, entry.etag, entry.modified, { md5 });
    if (record.encoding !== undefined)
        trusted.encoding = record.encoding;
    if (record.headers !== undefined)
        trusted.headers = record.headers;
    if (record.linkFile !== undefined) {
        trusted.link =
            record.folder === undefined ? { target: record.linkFile } : { target: record.linkFile, folder: record.folder };
    }
    return trusted;
}

;// CONCATENATED MODULE: ./src/decide/resolve.ts





/**
 * Settles what the listing left open, so the plan can be pure: the md5 of
 * every local file the bucket has at the same size, and a HEAD of every
 * object only a HEAD can decide. Zero-byte objects are HEADed while files
 * are hashed; objects whose ETag proves nothing wait for the md5s.
 */
async function resolve({ local, remote, hashing, manifest }, bucket, rules, reporter) {
    const rewritten = manifest === undefined ? [] : trustFrom(manifest, remote, reporter);
    const inspect = (keys) => inspectRemote(bucket.location, remote, keys, bucket.concurrency);
    const sides = { local: local.entries, remote, storesGzipped: rules.storesGzipped };
    const notHashedEarly = hashing.narrowTo(localFilesToDigest(sides, rules.force));
    const rewrittenKeys = new Set(rewritten);
    const firstObjects = rules.objectsToInspect(sides, rules.force).filter((key) => !rewrittenKeys.has(key));
    await Promise.all([
        hashing.finished(),
        hashFiles(hashing.root, local.entries, notHashedEarly, rules.storesGzipped),
        inspect(firstObjects),
        inspectRewritten(bucket.location, remote, rewritten, bucket.concurrency),
    ]);
    await hashFiles(hashing.root, local.entries, originalsToDigest(sides), rules.storesGzipped);
    const undecided = undecidedKeysToInspect(sides, rules.force);
    await inspect(undecided);
    rules.inspected?.(remote);
    let hashed = 0;
    for (const entry of local.entries.values())
        if (entry.kind === 'file' && entry.md5 !== undefined)
            hashed += 1;
    reporter.info(`hashed ${plural(hashed, 'local file')}, inspected ${plural(rewritten.length + firstObjects.length + undecided.length, 'object')}`);
}
/** Trusts the manifest; returns the objects written since it, which a HEAD must look at instead. */
function trustFrom(manifest, remote, reporter) {
    const { trusted, rewritten } = trustManifest(remote, manifest);
    // What it said is in the trusted entries now; a million records need not stay for the rest of the run.
    manifest.records.clear();
    reporter.info(`manifest: ${thousands(trusted)} of ${plural(remote.size, 'listed object')} known from it` +
        (rewritten.length > 0 ? `, ${plural(rewritten.length, 'object')} written since it` : ''));
    return rewritten;
}

;// CONCATENATED MODULE: ./src/decide/decide.ts



/**
 * Resolve, then plan: what both pipelines do between the inventory and the
 * guards. Each warning is said as soon as it is known, so a run that fails
 * later still shows it.
 */
async function decide(inventories, sides, rules, bucket, reporter) {
    const plan = await reporter.group('Compare', async () => {
        await resolve(inventories, bucket, rules.resolve, reporter);
        const planned = plan_plan(sides, rules.plan);
        reporter.info(describePlan(planned));
        return planned;
    });
    for (const warning of plan.warnings)
        reporter.warn(warning.key, warning.message);
    return plan;
}
function describePlan(plan) {
    return (`plan: ${plural(plan.copies.length, 'file')} to copy, ${plural(plan.redirects.length, 'redirect')}, ` +
        (plan.updates.length > 0 ? `${plural(plan.updates.length, 'header update')}, ` : '') +
        `${plural(plan.deletes.length, 'key')} to delete, ` +
        `${thousands(plan.unchanged.length)} unchanged`);
}

;// CONCATENATED MODULE: ./src/decide/link-copies.ts

/**
 * Objects a push HEADs to learn whether they are copies for the same
 * symlinks (`links: copy`), or copies for symlinks where a file now is:
 * those at the keys of local link copies, and those that may be a copy
 * (possibleLinkCopies) at a local file's key, that neither a HEAD nor the
 * manifest has described. A forced push copies anyway.
 */
function linkCopiesToInspect(local, remote, force) {
    if (force)
        return [];
    const keys = new Set(possibleLinkCopies(remote).filter((key) => local.get(key)?.kind === 'file'));
    for (const [key, entry] of local) {
        const other = entry.kind === 'file' && entry.link !== undefined ? remote.get(key) : undefined;
        if (other?.kind === 'file' && !other.inspected)
            keys.add(key);
    }
    return [...keys];
}
/**
 * Objects a pull HEADs to learn whether they are copies for symlinks: a
 * copy made server-side lists the ETag of the object it copies, so only
 * files whose ETag another listed object shares can be one.
 */
function possibleLinkCopies(remote) {
    const byEtag = new Map();
    for (const [key, entry] of remote) {
        if (entry.kind !== 'file' || entry.inspected || entry.etag === undefined || entry.size === 0)
            continue;
        const same = byEtag.get(entry.etag);
        if (same === undefined)
            byEtag.set(entry.etag, [key]);
        else
            same.push(key);
    }
    return [...byEtag.values()].filter((keys) => keys.length > 1).flat();
}
/**
 * A pull reads a copy for a symlink as the redirect it stands for, whatever
 * `links` says, so it makes the symlink again (one for a whole folder) and
 * compares it as one. A copy whose target the bucket lacks, or that holds
 * other bytes than its target now (another tool rewrote one), stays a file.
 */
function linkCopiesAsRedirects(remote, prefix) {
    // Decided on the listing as it is, so a copy of a copy is read the same whatever the order.
    const copies = [...remote].filter(([, entry]) => entry.kind === 'file' && entry.link !== undefined && holdsBytesOf(entry, remote.get(entry.link.target)));
    for (const [key, entry] of copies) {
        if (entry.kind !== 'file' || entry.link === undefined)
            continue;
        const { folder } = entry.link;
        const location = redirectLocationForKey(prefix, entry.link.target);
        remote.set(key, {
            kind: 'redirect',
            location,
            ...(entry.etag === undefined ? {} : { etag: entry.etag }),
            ...(folder === undefined ? {} : { folder }),
        });
    }
}
/**
 * Whether a copy still holds its target's bytes: the same ETag (CopyObject
 * keeps it), or the same md5 where the ETags are not md5s (KMS, a multipart
 * target). A link would serve the target's bytes, so a stale copy is a file,
 * with the manifest or without, however many other objects share its ETag.
 */
function holdsBytesOf(copy, target) {
    if (target?.kind !== 'file')
        return false;
    if (copy.etag !== undefined && copy.etag === target.etag)
        return true;
    return copy.md5 !== undefined && copy.md5 === target.md5;
}

;// CONCATENATED MODULE: ./src/decide/guards.ts


/**
 * The half limit spares a destination this small: the first deploys of a tiny
 * site replace most of it, and what a wrong folder could delete there is little.
 */
const SMALL_DESTINATION = 10;
/** Every guard, before anything changes: an empty source, too many deletes, a plan past the budget. */
function checkGuards(plan, route, safety, cost) {
    refuseEmptySource(plan, route, safety.allowEmpty);
    refuseTooManyDeletes(plan, route, safety.maxDelete);
    if (safety.limitToHalf)
        refuseDeletingMost(plan, route);
    if (!safety.dryRun)
        assertCanAfford(cost.budget, cost.requestsToApply);
}
function refuseEmptySource(plan, route, allowEmpty) {
    // Counted from the plan, so a source holding only skipped entries (broken
    // links, unsafe keys) counts as empty too.
    const copyable = plan.copies.length + plan.redirects.length + plan.updates.length + plan.unchanged.length;
    if (copyable > 0 || allowEmpty)
        return;
    throw new RefusedError(`${route.source} has nothing to ${route.verb} (it is empty or every ${route.sourceItem} was skipped), so a ${route.verb} would delete everything ${route.destination}. Nothing was changed. Set allow-empty: true if that is what you want.`);
}
function refuseTooManyDeletes(plan, route, maxDelete) {
    if (maxDelete === undefined || plan.deletes.length <= maxDelete)
        return;
    throw deleteRefusal(plan, route, `max-delete (${maxDelete})`, `raise max-delete to ${plan.deletes.length} or more`);
}
/** A push from the wrong folder would otherwise empty a site well under max-delete's 256. */
function refuseDeletingMost(plan, route) {
    const held = heldByDestination(plan);
    if (held <= SMALL_DESTINATION || plan.deletes.length * 2 <= held)
        return;
    throw deleteRefusal(plan, route, `half of the ${plural(held, route.deletedItem)} ${route.destination} (the default limit when max-delete is not set)`, `set max-delete to ${plan.deletes.length} or more (a max-delete you set replaces both default limits)`);
}
/** The refusal of too many deletes: the limit passed, what to check, and how to go ahead. */
function deleteRefusal(plan, route, limit, goAhead) {
    const protect = protectingExcludes(plan.deletes);
    return new RefusedError(`This run would delete ${plural(plan.deletes.length, route.deletedItem)}, more than ${limit}. Nothing was changed. ` +
        route.deleteAdvice +
        (protect.length > 0
            ? `Most of them are under ${protect.map((p) => `${p.folder}/ (${p.count})`).join(', ')}: if that is content of its own, keep it with exclude: ${protect.map((p) => p.pattern).join(', ')}. `
            : '') +
        `To go ahead, ${goAhead}, or set delete: false to keep what the source lacks.`);
}
/**
 * What the destination holds at the keys the plan decides: each one it
 * deletes, keeps or replaces. Keys it must leave alone are not counted.
 */
function heldByDestination(plan) {
    const replaced = [...plan.copies, ...plan.redirects].filter((copy) => copy.reason !== 'new').length;
    return plan.deletes.length + plan.unchanged.length + plan.updates.length + replaced;
}
/**
 * The top folders that hold most of the deletes, and an exclude pattern for
 * each, digits made wildcards: `pr-12/` and `pr-13/` are both `pr-*` content.
 */
function protectingExcludes(deletes) {
    const byFolder = new Map();
    for (const { key } of deletes) {
        const slash = key.indexOf('/');
        if (slash > 0)
            byFolder.set(key.slice(0, slash), (byFolder.get(key.slice(0, slash)) ?? 0) + 1);
    }
    const top = [...byFolder].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3);
    const covered = top.reduce((sum, [, count]) => sum + count, 0);
    if (covered * 2 < deletes.length)
        return [];
    const seen = new Set();
    const result = [];
    for (const [folder, count] of top) {
        const pattern = `${folder.replace(/\d+/g, '*')}/**`;
        if (seen.has(pattern))
            continue;
        seen.add(pattern);
        result.push({ folder, count, pattern });
    }
    return result;
}
/** Fails, before any change, when the plan cannot finish within the limit. */
function assertCanAfford(budget, planned) {
    const needed = budget.used + planned;
    if (needed <= budget.limit)
        return;
    throw new RequestLimitError(`This run needs about ${plural(needed, 'S3 request')} (${budget.used} already sent to list and inspect, ` +
        `${planned} to apply the plan), which is more than the request-limit of ${budget.limit}. ` +
        'Nothing was changed. Raise the request-limit input if this is expected.', needed, budget.limit);
}

;// CONCATENATED MODULE: ./src/bucket/list-requests.ts






/**
 * The LIST requests of one listing, all under its prefix: at most
 * `concurrency` in flight, each counted in the stats, none sent once the run
 * or the listing has stopped.
 */
class ListRequests {
    location;
    maxKeys;
    stats;
    stop;
    /** The prefix as LISTs send it: "" or "prefix/". */
    listPrefix;
    /** Stopped by the listing itself: a partition failed, or it is over. */
    halt = new AbortController();
    pool;
    constructor(location, 
    /** MaxKeys; undefined sends none, for S3's own 1000. */
    maxKeys, concurrency, stats, stop) {
        this.location = location;
        this.maxKeys = maxKeys;
        this.stats = stats;
        this.stop = stop;
        this.listPrefix = location.prefix === '' ? '' : `${location.prefix}/`;
        this.pool = new Pool(concurrency, 'the LIST concurrency');
    }
    /** One LIST under the prefix, once a slot is free; `input` adds to the defaults or overrides them. */
    send(kind, input) {
        const { client, bucket, prefix } = this.location;
        return this.pool.run(async () => {
            // A run that failed meanwhile (its scan, say), or a partition that
            // failed, asks for no more pages.
            this.stop?.throwIfAborted();
            this.halt.signal.throwIfAborted();
            this.stats[kind] += 1;
            return tagged('list', prefix, () => client.send(new dist_cjs.ListObjectsV2Command({
                Bucket: bucket,
                Prefix: this.listPrefix === '' ? undefined : this.listPrefix,
                MaxKeys: this.maxKeys,
                ...input,
            })));
        });
    }
    /** The token for the page after this one, or undefined after the last. */
    continuation(page) {
        // Stopping early would make the rest of the bucket look absent, and a pull delete it locally.
        if (page.IsTruncated && !page.NextContinuationToken) {
            const { bucket, prefix } = this.location;
            throw new Error(`Listing ${s3Url(bucket, prefix)} came back truncated without a continuation token`);
        }
        return page.IsTruncated ? page.NextContinuationToken : undefined;
    }
}
/** One chain of pages, for a store whose order partitions cannot rely on. */
async function listFlat(requests, isExcluded) {
    const entries = new Map();
    let continuationToken;
    do {
        const page = await requests.send('pageLists', { ContinuationToken: continuationToken });
        for (const object of page.Contents ?? []) {
            if (object.Key === undefined)
                continue;
            const key = stripPrefix(requests.location.prefix, object.Key);
            if (key === undefined || isExcluded(key, object))
                continue;
            entries.set(key, listedEntry(object));
        }
        continuationToken = requests.continuation(page);
    } while (continuationToken !== undefined);
    return entries;
}
/** What a listing tells of an object: enough to decide most comparisons without touching it. */
function listedEntry(object) {
    const entry = remoteFile(object.Size ?? 0, bareEtag(object.ETag), object.LastModified?.getTime());
    return object.StorageClass === undefined ? entry : markArchived(entry, object);
}

;// CONCATENATED MODULE: ./src/bucket/list-stats.ts
/** Stats of a listing that has sent nothing yet. */
function newListStats() {
    return { pageLists: 0, discoveryLists: 0, partitions: 0, hintedPartitions: 0, fellBack: false, entries: 0 };
}

;// CONCATENATED MODULE: ./src/bucket/partitions.ts
/**
 * Compares keys as S3 lists them: by their UTF-8 bytes, which is the order of
 * their code points. JavaScript's `<` compares UTF-16 code units instead, and
 * the two disagree when a character above U+FFFF (a surrogate pair, 0xD800 to
 * 0xDFFF) meets one from U+E000 to U+FFFF: "😀" comes after "｡" in S3 but
 * before it in JavaScript. S3 keys are valid UTF-8, so there are no lone surrogates.
 */
function compareKeys(a, b) {
    const length = Math.min(a.length, b.length);
    for (let i = 0; i < length; i += 1) {
        const x = a.charCodeAt(i);
        const y = b.charCodeAt(i);
        if (x === y)
            continue;
        const xSurrogate = x >= 0xd800 && x <= 0xdfff;
        const ySurrogate = y >= 0xd800 && y <= 0xdfff;
        // A surrogate starts a code point above every one a single unit holds.
        if (xSurrogate !== ySurrogate)
            return xSurrogate ? 1 : -1;
        return x < y ? -1 : 1;
    }
    return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
/** True when the keys rise strictly, all after `after`. */
function inOrderAfter(after, contents) {
    let previous = after;
    for (const { Key } of contents) {
        if (Key === undefined)
            continue;
        if (compareKeys(previous, Key) >= 0)
            return false;
        previous = Key;
    }
    return true;
}
/**
 * The split points for a partition that has listed up to `reached` and ends
 * at `upper` (inclusive; undefined for the end of the listing): those strictly
 * between them, sorted and without repeats, at most `room` of them, spread
 * evenly over the candidates when there are more.
 */
function pickBoundaries(candidates, reached, upper, room) {
    const inside = [...new Set(candidates)]
        .filter((b) => compareKeys(b, reached) > 0 && (upper === undefined || compareKeys(b, upper) < 0))
        .sort(compareKeys);
    if (room <= 0)
        return [];
    if (inside.length <= room)
        return inside;
    return Array.from({ length: room }, (_, i) => inside[Math.floor((i * inside.length) / room)]);
}
/**
 * The folders to look in for split points in a partition that has listed up
 * to `reached` and ends at `upper` (undefined: the end of the listing under
 * `listPrefix`, "" or "prefix/"), most promising first. Every key still to
 * come shares the folder common to both, so that folder's subfolders after
 * `reached` split the rest of it. When `reached` lies deeper, the subfolder of
 * the common folder that holds `reached` comes first: a partition that starts
 * at a folder and ends at the next is all in that folder, and the rest of a
 * listing often lies mostly in one large folder (assets/).
 */
function foldersToSplit(listPrefix, reached, upper) {
    let common = listPrefix;
    if (upper !== undefined) {
        let same = 0;
        while (same < reached.length && same < upper.length && reached[same] === upper[same])
            same += 1;
        const slash = same === 0 ? -1 : reached.lastIndexOf('/', same - 1);
        if (slash + 1 > listPrefix.length)
            common = reached.slice(0, slash + 1);
    }
    const slash = reached.indexOf('/', common.length);
    return slash === -1 || !reached.startsWith(common) ? [common] : [reached.slice(0, slash + 1), common];
}
/**
 * The partitions of one listing, in key order, so the inventory comes out in
 * the order a flat listing gives. `start` lists each one as it is made.
 */
class Partitions {
    maxPartitions;
    maxPerSplit;
    start;
    all = [];
    constructor(maxPartitions, 
    /** The most partitions one split makes: more could not be listed at once. */
    maxPerSplit, start) {
        this.maxPartitions = maxPartitions;
        this.maxPerSplit = maxPerSplit;
        this.start = start;
    }
    get count() {
        return this.all.length;
    }
    /** Starts the first partition: the whole listing. */
    begin() {
        const whole = { after: '', upper: undefined, reached: '', misses: 0, seen: 0, done: false, entries: [] };
        this.add(whole, 0);
        return whole;
    }
    /**
     * Ends the partition at the first split point past what it has listed, and
     * starts one at each split point; returns how many partitions it became (0:
     * it was not split). The page the partition has on the wire starts past
     * `reached`, so it only drops what the new partitions list. `expected`, for
     * split points from the hint, is the keys each new partition should hold.
     *
     * A split takes at most half the partitions still allowed, keeping the
     * rest for partitions that turn out large in their turn (the last one
     * holds whatever a truncated delimiter page did not show).
     */
    split(partition, { boundaries: candidates, truncatedIn }, expected) {
        const room = Math.min(Math.ceil((this.maxPartitions - this.all.length) / 2), this.maxPerSplit);
        const boundaries = pickBoundaries(candidates, partition.reached, partition.upper, room);
        if (boundaries.length === 0) {
            partition.misses += 1;
            return 0;
        }
        partition.misses = 0;
        if (expected !== undefined)
            partition.expected = partition.seen + expected;
        const created = boundaries.map((after, i) => ({
            after,
            upper: boundaries[i + 1] ?? partition.upper,
            reached: after,
            misses: 0,
            seen: 0,
            done: false,
            ...(expected === undefined ? {} : { expected }),
            entries: [],
            ...(i === boundaries.length - 1 && truncatedIn !== undefined ? { continueIn: truncatedIn } : {}),
        }));
        partition.upper = boundaries[0];
        const at = this.all.indexOf(partition);
        created.forEach((next, i) => this.add(next, at + 1 + i));
        return created.length + 1;
    }
    /** The entries of every partition, in key order, and how many there were (a key two partitions took counts twice). */
    inventory() {
        const entries = new Map();
        let taken = 0;
        for (const partition of this.all) {
            for (const [key, entry] of partition.entries)
                entries.set(key, entry);
            taken += partition.entries.length;
        }
        return { entries, taken };
    }
    add(partition, index) {
        this.all.splice(index, 0, partition);
        this.start(partition);
    }
}

;// CONCATENATED MODULE: ./src/bucket/list-hints.ts


/** Keys of a hint sampled to choose split points: enough for even partitions, cheap to sort. */
const HINT_SAMPLE = 4096;
/**
 * What the hints have told a listing so far. Only a hint of at least
 * `threshold` objects counts: a smaller listing keeps the fewest LISTs. A hint
 * that fails or never comes only leaves the listing as it was.
 */
class HintsHeard {
    threshold;
    /** The hint's size says the listing is large: split with the next page, not after FLAT_PAGES. */
    large = false;
    keys;
    constructor(threshold) {
        this.threshold = threshold;
    }
    /** Takes the hints as they come; `onKeys` is told when the keys do. */
    listen(hints, onKeys) {
        const threshold = this.threshold;
        hints.size?.then((size) => (this.large ||= size !== undefined && size >= threshold), () => undefined);
        hints.keys?.then((keys) => {
            if (keys === undefined || keys.length < threshold)
                return;
            this.keys = keys;
            onKeys();
        }, () => undefined);
    }
    /** Whether keys came that nobody has taken yet. */
    get hasKeys() {
        return this.keys !== undefined;
    }
    /** The hint's keys, once. */
    takeKeys() {
        const keys = this.keys;
        this.keys = undefined;
        return keys;
    }
}
/**
 * Split points for the rest of a listing that has listed up to `reached`, at
 * keys of the other side's tree (`keys`, relative to the prefix): a sample of
 * them, sorted, cut into at most `most` even runs of at least a page each.
 * Unlike delimiter LISTs this costs no request, and it splits a flat folder
 * too. `share` is the keys each new partition should hold; undefined when the
 * rest is not worth two partitions.
 */
function hintedSplits(keys, listPrefix, reached, pageSize, most) {
    const step = Math.max(1, Math.floor(keys.length / HINT_SAMPLE));
    const sample = [];
    for (let i = 0; i < keys.length; i += step) {
        const key = `${listPrefix}${keys[i]}`;
        // A longer key would be a StartAfter no store holds.
        if (compareKeys(key, reached) > 0 && Buffer.byteLength(key) <= MAX_KEY_BYTES)
            sample.push(key);
    }
    sample.sort(compareKeys);
    const ahead = Math.round((sample.length * keys.length) / Math.ceil(keys.length / step));
    const count = Math.min(most, Math.ceil(ahead / pageSize));
    if (count < 2)
        return undefined;
    const boundaries = Array.from({ length: count - 1 }, (_, i) => sample[Math.floor(((i + 1) * sample.length) / count)]);
    return { splits: { boundaries, truncatedIn: undefined }, share: Math.ceil(ahead / count) };
}

;// CONCATENATED MODULE: ./src/bucket/split-discovery.ts

/**
 * Finds split points with delimiter LISTs, `StartAfter` the last key a
 * partition has listed: the CommonPrefixes, subfolders still to come, are the
 * split points. At most `budget` of these LISTs in a listing.
 */
class SplitDiscovery {
    requests;
    left;
    constructor(requests, budget) {
        this.requests = requests;
        this.left = budget;
    }
    /** Whether a delimiter LIST is left, and a folder to send it in. */
    canLook(partition, partitionCount) {
        return this.left > 0 && this.folders(partition, partitionCount).length > 0;
    }
    /** Sends the delimiter LISTs in the folders to look in next, and gathers what they found. */
    async find(partition, partitionCount) {
        const folders = this.folders(partition, partitionCount);
        partition.continueIn = undefined;
        this.left -= folders.length;
        const pages = await Promise.all(folders.map((folder) => this.requests.send('discoveryLists', {
            Prefix: folder === '' ? undefined : folder,
            // S3's own 1000, whatever the page size a test sets: a test with
            // tiny pages still finds every split point.
            MaxKeys: undefined,
            Delimiter: '/',
            StartAfter: partition.reached === '' ? undefined : partition.reached,
        })));
        return {
            boundaries: pages.flatMap((page) => (page.CommonPrefixes ?? []).flatMap(({ Prefix }) => (Prefix ? [Prefix] : []))),
            truncatedIn: folders.filter((_, i) => pages[i]?.IsTruncated).pop(),
        };
    }
    /**
     * Where to look next: the folder a truncated delimiter page left unshown,
     * else the folders the rest of the partition lies in (foldersToSplit), one
     * at a time, the next one after a look that found none; both at once the
     * first time, when the listing is still one partition.
     */
    folders(partition, partitionCount) {
        if (partition.continueIn !== undefined)
            return [partition.continueIn];
        const folders = foldersToSplit(this.requests.listPrefix, partition.reached, partition.upper);
        if (partitionCount === 1 && partition.misses === 0)
            return folders.slice(0, this.left);
        return folders.slice(partition.misses, partition.misses + 1);
    }
}

;// CONCATENATED MODULE: ./src/bucket/partitioned-listing.ts





/** A page out of the order S3 lists keys in, once partitions rely on that order. */
class OutOfOrderError extends Error {
}
/**
 * A listing split into partitions as it goes. It starts with one partition,
 * the whole prefix, listed flat. Once it has had FLAT_PAGES full pages, and
 * later whenever a partition's page comes back truncated with every key still
 * inside it, the partition is large: with its next page it looks for split
 * points (SplitDiscovery). The partition ends at the first, and a new
 * partition starts at each. Keys of the other side's tree, when the run has
 * them, split the whole listing at once instead (hintedSplits).
 *
 * Split points only decide how the work is shared, not what is listed: a
 * partition keeps the keys up to its end and stops at the first page that
 * passes it. Keys come back in UTF-8 byte order (compareKeys); each page is
 * checked against it, and a store that lists in another order (or ignores
 * StartAfter) fails the listing with OutOfOrderError, to be listed again
 * flat rather than trusted.
 *
 * Requests: every page but a partition's last holds a full page of its keys,
 * so the pages number at most the flat listing's plus one per partition
 * (MAX_PARTITIONS), plus the delimiter LISTs (MAX_DISCOVERY_LISTS); at most
 * LIST_CONCURRENCY are in flight.
 */
class PartitionedListing {
    requests;
    isExcluded;
    limits;
    stats;
    partitions;
    discovery;
    chains = [];
    firstError;
    /** False once a page came back out of order before any split: the listing stays flat. */
    splittable = true;
    hints;
    constructor(requests, isExcluded, limits, stats) {
        this.requests = requests;
        this.isExcluded = isExcluded;
        this.limits = limits;
        this.stats = stats;
        this.partitions = new Partitions(limits.maxPartitions, limits.concurrency, (partition) => this.start(partition));
        this.discovery = new SplitDiscovery(requests, limits.maxDiscoveryLists);
        this.hints = new HintsHeard(limits.flatPages * limits.pageSize);
    }
    async run(hints) {
        const whole = this.partitions.begin();
        this.hints.listen(hints, () => {
            // Only a listing with more than one page is split: an empty bucket (a first push) keeps its one LIST.
            if (whole.seen >= this.limits.pageSize)
                this.splitByKeys(whole);
        });
        await this.settled();
        this.stats.partitions = this.partitions.count;
        this.requests.halt.abort(); // nothing more starts: a hint that comes now is too late
        if (this.firstError !== undefined)
            throw this.firstError.error;
        const { entries, taken } = this.partitions.inventory();
        this.stats.entries = taken;
        return entries;
    }
    /** Lists a partition in a chain of its own; the first chain to fail stops the others. */
    start(partition) {
        this.chains.push(this.list(partition).catch((error) => {
            this.firstError ??= { error };
            this.requests.halt.abort();
        }));
    }
    /** Waits until no chain is left running (chains start while others run), so none lists on after a failure. */
    async settled() {
        for (let settled = 0; settled < this.chains.length;) {
            const count = this.chains.length;
            await Promise.all(this.chains.slice(settled));
            settled = count;
        }
    }
    async list(partition) {
        try {
            await this.listPages(partition);
        }
        finally {
            partition.done = true;
        }
    }
    /** Lists one partition, page after page, looking for split points beside a page once it turns out large. */
    async listPages(partition) {
        let continuationToken;
        let lookForSplits = partition.continueIn !== undefined && this.canSplit(partition);
        let fullPages = 0;
        for (let first = true;; first = false) {
            const [page, splits] = await bothSettled(this.requests.send('pageLists', {
                StartAfter: first && partition.after !== '' ? partition.after : undefined,
                ContinuationToken: continuationToken,
            }), lookForSplits ? this.discovery.find(partition, this.partitions.count) : Promise.resolve(undefined));
            const contents = page.Contents ?? [];
            this.checkOrder(partition, contents);
            if (splits !== undefined && this.splittable)
                this.partitions.split(partition, splits);
            if (!this.take(partition, contents))
                return;
            continuationToken = this.requests.continuation(page);
            if (continuationToken === undefined)
                return;
            if (this.hints.hasKeys && this.partitions.count === 1)
                this.splitByKeys(partition);
            fullPages += 1;
            lookForSplits = this.isLarge(partition, fullPages) && this.canSplit(partition);
        }
    }
    /** Partitions would miss or repeat keys of a page out of order; one flat chain only needs the tokens. */
    checkOrder(partition, contents) {
        if (inOrderAfter(partition.reached, contents))
            return;
        if (this.partitions.count > 1)
            throw new OutOfOrderError();
        this.splittable = false;
    }
    /** Takes the page's keys up to the partition's end; false once the page passes it. */
    take(partition, contents) {
        for (const object of contents) {
            if (object.Key === undefined)
                continue;
            if (partition.upper !== undefined && compareKeys(object.Key, partition.upper) > 0)
                return false;
            partition.reached = object.Key;
            partition.seen += 1;
            const key = stripPrefix(this.requests.location.prefix, object.Key);
            if (key === undefined || this.isExcluded(key, object))
                continue;
            partition.entries.push([key, listedEntry(object)]);
        }
        return true;
    }
    /**
     * Whether a partition that has had `fullPages` full pages is worth splitting
     * with its next page: one made from the hint's keys once it holds a page more
     * than the hint said; the whole listing after FLAT_PAGES of them, or at once
     * when the hint's size says it is large; any other partition at once.
     */
    isLarge(partition, fullPages) {
        if (partition.expected !== undefined)
            return partition.seen > partition.expected + this.limits.pageSize;
        return this.partitions.count > 1 || fullPages >= this.limits.flatPages || this.hints.large;
    }
    canSplit(partition) {
        return (this.splittable &&
            this.partitions.count < this.limits.maxPartitions &&
            this.discovery.canLook(partition, this.partitions.count));
    }
    /**
     * Splits the whole listing, while it is still one chain, at keys of the
     * other side's tree. Each partition then expects its share of the keys, and
     * looks for split points of its own only past that (the store holds more).
     */
    splitByKeys(whole) {
        const keys = this.hints.takeKeys();
        if (keys === undefined || this.requests.halt.signal.aborted || whole.done)
            return;
        if (this.partitions.count > 1 || !this.splittable)
            return;
        const most = Math.min(this.limits.concurrency, this.limits.maxPartitions);
        const hinted = hintedSplits(keys, this.requests.listPrefix, whole.reached, this.limits.pageSize, most);
        if (hinted === undefined)
            return;
        this.stats.hintedPartitions = this.partitions.split(whole, hinted.splits, hinted.share);
    }
}
/** Both results, once both have settled (so no request is left behind); the first failure otherwise. */
async function bothSettled(a, b) {
    const [first, second] = await Promise.allSettled([a, b]);
    if (first.status === 'rejected')
        throw first.reason;
    if (second.status === 'rejected')
        throw second.reason;
    return [first.value, second.value];
}

;// CONCATENATED MODULE: ./src/bucket/list.ts




/** The most partitions a listing is split into. */
const MAX_PARTITIONS = 64;
/** The most LIST requests in flight at once. */
const LIST_CONCURRENCY = 16;
/** The most delimiter LISTs a listing sends to find where to split. */
const MAX_DISCOVERY_LISTS = 16;
/**
 * Full pages listed one after another before the listing looks for split
 * points: a smaller site keeps the fewest LISTs (one per 1000 keys), and a
 * larger one is worth the partitions' few extra LISTs to list side by side.
 */
const FLAT_PAGES = 25;
/**
 * Lists every object under the prefix. One LIST request returns up to 1000
 * keys with their size and ETag, which is enough to decide most comparisons
 * without touching the objects themselves.
 *
 * The first page is a plain listing: at most 1000 keys under the prefix
 * (most sites) take that one LIST. Past it, pages of one ListObjectsV2 chain
 * come one round trip after another, so a large bucket is split into
 * partitions listed side by side (PartitionedListing). A store that does not
 * list in S3's order is listed again flat.
 */
async function listRemote(location, isExcluded, stop, tuning = {}, hints = {}) {
    const stats = Object.assign(tuning.stats ?? newListStats(), newListStats());
    const concurrency = tuning.concurrency ?? LIST_CONCURRENCY;
    // The flat listing takes requests of its own: the partitions' stop once they end.
    const requests = () => new ListRequests(location, tuning.pageSize, concurrency, stats, stop);
    const limits = {
        pageSize: tuning.pageSize ?? 1000,
        maxPartitions: tuning.maxPartitions ?? MAX_PARTITIONS,
        concurrency,
        maxDiscoveryLists: tuning.maxDiscoveryLists ?? MAX_DISCOVERY_LISTS,
        flatPages: tuning.flatPages ?? FLAT_PAGES,
    };
    try {
        return await new PartitionedListing(requests(), isExcluded, limits, stats).run(hints);
    }
    catch (error) {
        if (!(error instanceof OutOfOrderError))
            throw error;
        stats.fellBack = true;
        const entries = await listFlat(requests(), isExcluded);
        stats.entries = entries.size;
        return entries;
    }
}

// EXTERNAL MODULE: external "node:fs/promises"
var external_node_fs_promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __webpack_require__(5919);
;// CONCATENATED MODULE: ./src/local/file-thread.ts



/** Fewer files than this are done on the run's own thread: starting one takes longer. */
const THREAD_MIN_FILES = 1000;
/** Files per message: enough that messages cost nothing beside the file calls. */
const THREAD_BATCH = 256;
/**
 * The thread's program, file-worker, beside this module and with its
 * extension: src/local/file-worker.ts under tsx; in the bundle, where this
 * module is in a chunk at the top of dist/, dist/file-worker.js, which the
 * bundle script builds from it with ncc as an entry of its own. The name is
 * built, not a literal: ncc would copy a literal `new URL('./file-worker.ts',
 * import.meta.url)` into dist/ as a raw .ts asset.
 */
const PROGRAM = new URL(`./file-worker${external_node_path_default().extname((0,external_node_url_.fileURLToPath)(import.meta.url))}`, import.meta.url);
/**
 * A second thread for the file calls a large tree needs one of per file:
 * the lstat that sizes it and the read that hashes it. Opening a file costs
 * far more than hashing it here, and on a runner's second core it leaves
 * the run's own thread the listing and the plan meanwhile.
 *
 * Its program is file-worker.ts (PROGRAM). A file it cannot size or read gets
 * null, and the caller does that one again itself, so the error a run
 * reports is the caller's own.
 */
class FileThread {
    worker;
    waiting = new Map();
    nextId = 0;
    failure;
    constructor() {
        // It holds one file at a time, outside its heap.
        this.worker = new external_node_worker_threads_.Worker(PROGRAM, {
            resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 },
        });
        this.worker.on('message', (answer) => {
            this.waiting.get(answer.id)?.resolve(answer);
            this.waiting.delete(answer.id);
        });
        this.worker.on('error', (error) => this.fail(error));
        this.worker.on('exit', (code) => this.fail(new Error(`the file thread exited with code ${code}`)));
    }
    /** The size of each of `paths` as lstat gives it. */
    async sizes(paths) {
        return (await this.ask({ paths })).sizes;
    }
    /**
     * The size of each of `paths` as lstat gives it, and the md5 of each one of
     * at most `maxBytes` (read once, right after it is sized; null for larger ones).
     */
    async sizesAndMd5s(paths, maxBytes) {
        const { sizes, md5s } = await this.ask({ paths, md5MaxBytes: maxBytes });
        return { sizes, md5s: md5s ?? [] };
    }
    async stop() {
        this.fail(new Error('the file thread was stopped'));
        await this.worker.terminate();
    }
    ask(request) {
        if (this.failure !== undefined)
            return Promise.reject(this.failure);
        const id = this.nextId;
        this.nextId += 1;
        return new Promise((resolve, reject) => {
            this.waiting.set(id, { resolve, reject });
            this.worker.postMessage({ id, ...request });
        });
    }
    fail(error) {
        this.failure ??= error;
        for (const { reject } of this.waiting.values())
            reject(this.failure);
        this.waiting.clear();
    }
}

;// CONCATENATED MODULE: ./src/local/folder-links.ts

/**
 * Stands each symlink to a folder in for a redirect per file below its
 * target, recursively: a key under the link redirects to the file the
 * target's entry at that place finally reaches (links inside are flattened,
 * as file links are). A link that leads back to itself, through its own
 * target or through other folder links, is a loop and skipped; so is one
 * whose target is excluded. Returns the links expanded.
 */
function expandFolderLinks(entries, found, excluded, rules) {
    if (found.length === 0)
        return [];
    const inside = new Map(found.map((link) => [link.key, found.filter((o) => o.key.startsWith(`${link.target}/`))]));
    const looping = new Set(found.filter((link) => leadsBackTo(link, inside)).map((link) => link.key));
    for (const link of found) {
        if (looping.has(link.key)) {
            entries.set(link.key, { kind: 'opaque', reason: `it leads back into itself (through ${link.target})` });
        }
    }
    const done = new Set();
    const expanded = [];
    const expand = (link) => {
        if (done.has(link.key) || looping.has(link.key))
            return;
        done.add(link.key);
        // A link inside the target is expanded first, so its redirects are copied with the rest.
        for (const inner of inside.get(link.key) ?? [])
            expand(inner);
        const skipped = excludedTargetReason(link.target, excluded);
        if (skipped !== undefined)
            entries.set(link.key, { kind: 'opaque', reason: skipped });
        else
            expanded.push({ ...link, redirects: standIn(entries, link, excluded, rules) });
    };
    for (const link of found)
        expand(link);
    return expanded;
}
/** Whether the link is reached again through the folder links inside its target, and theirs. */
function leadsBackTo(link, inside) {
    const seen = new Set();
    const next = [...(inside.get(link.key) ?? [])];
    for (let current = next.pop(); current !== undefined; current = next.pop()) {
        if (current.key === link.key)
            return true;
        if (seen.has(current.key))
            continue;
        seen.add(current.key);
        next.push(...(inside.get(current.key) ?? []));
    }
    return false;
}
function excludedTargetReason(target, excluded) {
    const names = new Set(excluded);
    const hidden = names.has(target) || someFolderOf(target, (folder) => names.has(folder));
    return hidden ? `its target folder ${target} is excluded` : undefined;
}
/** Sets the link's redirects; returns how many. */
function standIn(entries, link, excluded, rules) {
    const below = `${link.target}/`;
    const tag = { link: link.key, target: link.target };
    const stands = [];
    for (const [key, entry] of entries) {
        if (!key.startsWith(below))
            continue;
        const location = entry.kind === 'file' ? redirectLocationForKey(rules.prefix, key) : undefined;
        if (location !== undefined)
            stands.push([key, { kind: 'redirect', location, folder: tag }]);
        else if (entry.kind === 'redirect')
            stands.push([key, { kind: 'redirect', location: entry.location, folder: tag }]);
        else
            stands.push([key, entry]);
    }
    for (const key of excluded) {
        if (key.startsWith(below))
            stands.push([key, { kind: 'opaque', reason: `its target ${key} is excluded` }]);
    }
    let redirects = 0;
    for (const [targetKey, entry] of stands) {
        const key = link.key + targetKey.slice(link.target.length);
        if (rules.isExcluded(key))
            continue;
        const unsafe = unsafeKeyReason(key);
        entries.set(key, unsafe === undefined ? entry : { kind: 'opaque', reason: `its name is not a safe key: ${unsafe}` });
        if (unsafe === undefined && entry.kind === 'redirect')
            redirects += 1;
    }
    return redirects;
}

;// CONCATENATED MODULE: ./src/local/scan.ts









/**
 * Walks the directory without following any symlink. Regular files become
 * file entries (md5 resolved later, only where needed); symlinks to files
 * inside the directory become redirects to the final target, symlinks to
 * folders inside it a redirect per file below; every other link is an opaque
 * entry carrying the reason it cannot be copied.
 */
async function scanLocal(root, options) {
    const realRoot = await (0,external_node_fs_promises_.realpath)(root);
    const sizing = new Sizing(options.md5Wanted);
    let walked;
    try {
        walked = await walk(root, realRoot, options, sizing);
        await sizing.finished();
    }
    finally {
        await sizing.stop();
    }
    const { entries, folders } = walked;
    folders.sort((a, b) => b.split((external_node_path_default()).sep).length - a.split((external_node_path_default()).sep).length);
    const folderLinks = expandFolderLinks(entries, walked.folderLinks, walked.excluded, options);
    return { entries, folders, realRoot, folderLinks };
}
async function walk(root, realRoot, options, sizing) {
    const entries = new Map();
    const folders = [];
    const folderLinks = [];
    const excluded = [];
    // Joined by hand: a name from readdir holds no separator, and path.join
    // normalising each of 100,000 paths was a tenth of a large scan.
    const base = external_node_path_default().join(root, (external_node_path_default()).sep);
    const readFolder = async (relativeFolder) => {
        const subfolders = [];
        const dirents = await (0,external_node_fs_promises_.readdir)(base + relativeFolder, { withFileTypes: true });
        for (const dirent of dirents) {
            const relative = relativeFolder === '' ? dirent.name : relativeFolder + (external_node_path_default()).sep + dirent.name;
            const key = keyFromRelativePath(relative);
            if (options.isExcluded(key)) {
                excluded.push(key);
                continue;
            }
            const absolute = base + relative;
            if (dirent.isDirectory()) {
                folders.push(relative);
                subfolders.push(relative);
                continue;
            }
            const unsafe = unsafeKeyReason(key);
            if (unsafe !== undefined) {
                entries.set(key, { kind: 'opaque', reason: `its name is not a safe key: ${unsafe}` });
            }
            else if (dirent.isFile()) {
                const entry = localFile();
                entries.set(key, entry);
                sizing.add(key, absolute, entry);
                // The walk outruns the thread: past a few batches it waits, or a
                // million paths (a flat folder's too) would queue up for it.
                if (sizing.full())
                    await sizing.room();
            }
            else if (dirent.isSymbolicLink()) {
                const link = await classifySymlink(absolute, realRoot, options.prefix);
                if (link.kind === 'folder')
                    folderLinks.push({ key, target: link.target });
                else
                    entries.set(key, link);
            }
            else {
                entries.set(key, { kind: 'opaque', reason: 'it is not a regular file' });
            }
        }
        return subfolders;
    };
    await forEachBoundedTree('', READDIR_CONCURRENCY, readFolder);
    return { entries, folders, folderLinks, excluded };
}
/** Folders read at once: a readdir waits on the thread pool, and one folder at a time left a large scan waiting. */
const READDIR_CONCURRENCY = 8;
/** Batches with the file thread at once: enough to keep it busy through a long GC pause of the run's thread. */
const BATCHES_IN_FLIGHT = 16;
/**
 * Sizes the files the walk finds. The first THREAD_MIN_FILES are sized here
 * with a synchronous lstat: microseconds each, where an awaited one costs a
 * thread-pool round trip (10x slower). After that, batches go to a
 * FileThread while the walk goes on.
 */
class Sizing {
    md5Wanted;
    thread;
    batch = [];
    sized = [];
    count = 0;
    /** The batches with the thread. */
    inFlight = new Pool(BATCHES_IN_FLIGHT);
    constructor(md5Wanted) {
        this.md5Wanted = md5Wanted;
    }
    add(key, filePath, entry) {
        this.count += 1;
        if (this.count <= THREAD_MIN_FILES) {
            entry.size = (0,external_node_fs_.lstatSync)(filePath).size;
            return;
        }
        this.batch.push({ key, path: filePath, entry });
        if (this.batch.length === THREAD_BATCH)
            this.send();
    }
    async finished() {
        if (this.batch.length > 0)
            this.send();
        await Promise.all(this.sized);
    }
    async stop() {
        await this.thread?.stop();
    }
    /** Whether BATCHES_IN_FLIGHT batches are with the thread. */
    full() {
        return this.inFlight.full;
    }
    /** Resolves once fewer than BATCHES_IN_FLIGHT batches are with the thread. */
    async room() {
        await this.inFlight.room();
    }
    send() {
        const batch = this.batch;
        this.batch = [];
        this.thread ??= new FileThread();
        const paths = batch.map((file) => file.path);
        const asked = this.md5Wanted === undefined
            ? this.thread.sizes(paths).then((sizes) => ({ sizes, md5s: [] }))
            : this.thread.sizesAndMd5s(paths, SMALL_FILE);
        const sized = asked
            .catch(() => ({ sizes: [], md5s: [] }))
            .then(({ sizes, md5s }) => {
            for (const [index, file] of batch.entries()) {
                // One the thread could not size is sized here, so its error is the one reported.
                const size = sizes[index];
                file.entry.size = typeof size === 'number' ? size : (0,external_node_fs_.lstatSync)(file.path).size;
                // Hashing does the rest later: a large file, or one stored in another form.
                const md5 = md5s[index];
                if (typeof md5 === 'string' && this.md5Wanted?.(file.key, file.entry.size))
                    file.entry.md5 = md5;
            }
        });
        // Sent at once, room or not: the walk waits for room after it.
        const settled = this.inFlight.track(sized);
        // Awaited by finished(); this only keeps a failure after a failed walk from going unhandled.
        settled.catch(() => undefined);
        this.sized.push(settled);
    }
}
async function classifySymlink(linkPath, realRoot, prefix) {
    let target;
    try {
        target = await (0,external_node_fs_promises_.realpath)(linkPath);
    }
    catch (error) {
        const code = error.code;
        if (code === 'ELOOP')
            return { kind: 'opaque', reason: 'it is a symlink loop' };
        if (code === 'ENOENT')
            return { kind: 'opaque', reason: 'it is a broken symlink' };
        return { kind: 'opaque', reason: `its target cannot be resolved (${code ?? String(error)})` };
    }
    if (target === realRoot) {
        return { kind: 'opaque', reason: 'it leads back into itself (it points to the directory itself)' };
    }
    if (!isInside(realRoot, target)) {
        return { kind: 'opaque', reason: `it points outside the directory (to ${target})` };
    }
    const targetStats = await (0,external_node_fs_promises_.stat)(target);
    const targetKey = keyFromRelativePath(external_node_path_default().relative(realRoot, target));
    // Expanded once the walk is done: its target's entries are not all known yet.
    if (targetStats.isDirectory())
        return { kind: 'folder', target: targetKey };
    if (!targetStats.isFile()) {
        return { kind: 'opaque', reason: 'it points to something that is not a regular file' };
    }
    // The target is skipped too, so a redirect to it would lead nowhere.
    const unsafeTarget = unsafeKeyReason(targetKey);
    if (unsafeTarget !== undefined) {
        return { kind: 'opaque', reason: `its target's name is not a safe key: ${unsafeTarget}` };
    }
    return { kind: 'redirect', location: redirectLocationForKey(prefix, targetKey) };
}

;// CONCATENATED MODULE: ./src/manifest/store.ts





/** One GET. Anything short of a readable manifest of this prefix is a note, never a failure. */
async function readManifest(remote, manifestKey, versionId) {
    const objectKey = withPrefix(remote.prefix, manifestKey);
    let bytes;
    let modified;
    try {
        const response = await remote.client.send(new dist_cjs.GetObjectCommand({ Bucket: remote.bucket, Key: objectKey, VersionId: versionId }));
        bytes = (await response.Body?.transformToByteArray()) ?? new Uint8Array();
        modified = response.LastModified?.getTime();
    }
    catch (error) {
        const name = error.name;
        if (name === 'NoSuchKey' || name === 'NotFound')
            return { note: `no manifest at ${objectKey} yet` };
        return { note: `the manifest at ${objectKey} could not be read (${name ?? String(error)})` };
    }
    const decoded = decodeManifest(bytes, remote.prefix);
    if ('ignored' in decoded)
        return { note: `the manifest at ${objectKey} is ignored: ${decoded.ignored}` };
    return { manifest: modified === undefined ? decoded : { ...decoded, modified } };
}
/**
 * Encrypted and with the ACL as every object is (a bucket policy may demand it), but never archived: it is read each run.
 * Returns the version the write made, on a versioned bucket: a deploy record keeps it, for a rollback to read.
 */
async function writeManifest(remote, manifestKey, manifest, storage) {
    const encryption = { ...storage, StorageClass: undefined };
    const body = await encodeManifest(manifest);
    const objectKey = withPrefix(remote.prefix, manifestKey);
    const response = await tagged('upload', manifestKey, () => remote.client.send(new dist_cjs.PutObjectCommand({
        ...encryption,
        Bucket: remote.bucket,
        Key: objectKey,
        Body: body,
        ContentLength: body.length,
        ContentType: 'application/json',
        ContentEncoding: 'gzip',
        // Never served from a cache: a stale copy would only cost HEADs, but there is no reason for one.
        CacheControl: 'no-store',
    })));
    return versionOf(response).version;
}

;// CONCATENATED MODULE: ./src/decide/inventory.ts






/**
 * Lists the bucket and scans the directory at once: the first LIST page is
 * on the wire while the directory is walked, and local files are hashed
 * while the rest of the listing arrives.
 */
async function takeInventory(directory, bucket, filters, reporter, requestsSent) {
    const { remote } = bucket;
    // Its one GET goes out with the first LIST.
    const manifestRead = bucket.manifestKey === undefined ? undefined : readManifest(remote, bucket.manifestKey);
    const listing = startListing(bucket, filters, manifestRead);
    const local = await reporter
        .group('Scan the local directory', () => scanDirectory(directory, remote.prefix, filters, reporter))
        .catch((error) => {
        listing.stop();
        throw error;
    });
    listing.giveKeys(local);
    const hashing = hashEarly(directory, local, filters.storesGzipped);
    const listed = await reporter.group(`List ${s3Url(remote.bucket, remote.prefix)}`, async () => {
        const entries = await listing.entries;
        reporter.info(`${plural(entries.size, 'object')}, ${plural(requestsSent(), 'request')} so far`);
        return entries;
    });
    const read = await manifestRead;
    if (read !== undefined && read.manifest === undefined)
        reporter.info(`${read.note}: every object is judged from the listing and HEADs`);
    return { local, remote: listed, hashing, manifest: read?.manifest };
}
function startListing(bucket, filters, manifestRead) {
    const stopListing = new AbortController();
    let scannedKeys = () => undefined;
    const hints = {
        size: manifestRead?.then((read) => read.manifest?.records.size),
        keys: new Promise((resolve) => (scannedKeys = resolve)),
    };
    const entries = listRemote(bucket.remote, filters.isExcluded, stopListing.signal, bucket.listTuning, hints);
    entries.catch(() => undefined); // awaited later; this only keeps a failure meanwhile from going unhandled
    return {
        entries,
        giveKeys: (local) => {
            // Only keys S3 could hold: an unsafe local name (opaque) would make a StartAfter a store may refuse.
            const keys = [];
            for (const [key, entry] of local.entries)
                if (entry.kind !== 'opaque')
                    keys.push(key);
            scannedKeys(keys);
        },
        stop: () => {
            scannedKeys(undefined);
            stopListing.abort();
        },
    };
}
async function scanDirectory(directory, prefix, filters, reporter) {
    const { root } = directory;
    const scanned = directory.exists
        ? await scanLocal(root, {
            prefix,
            isExcluded: filters.isExcluded,
            // Small files are hashed early either way (hashEarly); a compressed one's md5 is of another form.
            md5Wanted: (key, size) => !filters.storesGzipped(key, size),
        })
        : { entries: new Map(), folders: [], realRoot: root, folderLinks: [] };
    reporter.info(`${plural(scanned.entries.size, 'local entry', 'local entries')} in ${root}`);
    return scanned;
}
/** Hashes, while the listing arrives, every file the scan left unhashed up to the directory's limit. */
function hashEarly(directory, local, storesGzipped) {
    const candidates = [];
    for (const [key, entry] of local.entries) {
        if (entry.kind === 'file' && entry.md5 === undefined && entry.size <= directory.hashEarlyUpTo)
            candidates.push(key);
    }
    return new EarlyHashing(directory.root, local.entries, candidates, storesGzipped);
}

;// CONCATENATED MODULE: ./src/local/directory.ts


/** The folder a push copies from: it must exist. */
async function requireSourceDirectory(root) {
    if (!(await isFolder(root))) {
        throw new RefusedError(`The directory ${root} does not exist, so there is nothing to push.`);
    }
}
/**
 * Whether the folder a pull copies into exists. A missing one is planned
 * against as empty and made only when the plan is applied, so a refused run
 * leaves nothing behind.
 */
async function destinationDirectoryExists(root) {
    return isFolder(root);
}
/** False when missing; a refusal when something else is in its place. */
async function isFolder(root) {
    const stats = await (0,external_node_fs_promises_.stat)(root).catch(() => undefined);
    if (stats === undefined)
        return false;
    if (!stats.isDirectory())
        throw new RefusedError(`The directory input ${root} is not a folder.`);
    return true;
}

;// CONCATENATED MODULE: ./src/sync/archived.ts





/** Keys named in the one warning; the summary lists them all. */
const KEYS_NAMED = 5;
/**
 * A pull step before deciding: archived objects that are not restored are
 * set aside, neither requested nor compared, and a local copy of one is kept
 * (its key leaves both sides, as an excluded key does). Where the listing did
 * not say whether one is restored, a HEAD of it does. One warning for all.
 */
async function setAsideArchived(inventories, remote, listingTellsRestore, run) {
    const archived = [];
    for (const [key, entry] of inventories.remote) {
        if (entry.kind === 'file' && entry.archived !== undefined)
            archived.push({ key, ...entry.archived });
    }
    if (archived.length === 0)
        return [];
    const unknown = archived.filter((object) => object.restored === undefined && !listingTellsRestore);
    await forEachBounded(unknown, run.concurrency, async (object) => {
        const head = await tagged('inspect', object.key, () => remote.client.send(new dist_cjs.HeadObjectCommand({ Bucket: remote.bucket, Key: withPrefix(remote.prefix, object.key) })));
        object.restored = /ongoing-request="false"/.test(head.Restore ?? '');
    });
    const skipped = archived.filter((object) => object.restored !== true);
    for (const { key } of skipped) {
        inventories.remote.delete(key);
        inventories.local.entries.delete(key);
    }
    return reportSkipped(skipped.map(({ key, storageClass }) => ({ key, reason: `stored in ${storageClass} and not restored` })), remote, run.reporter);
}
/**
 * One warning for every archived object skipped (counted once each), naming
 * the first keys and the two ways out; a warning per key for the summary.
 */
function reportSkipped(skipped, remote, reporter) {
    if (skipped.length === 0)
        return [];
    const named = skipped.slice(0, KEYS_NAMED).map(({ key }) => key);
    const more = skipped.length > KEYS_NAMED ? `, and ${skipped.length - KEYS_NAMED} more` : '';
    const first = skipped[0]?.key ?? '';
    reporter.warn(s3Url(remote.bucket, remote.prefix), `${plural(skipped.length, 'archived object')} skipped, not downloaded (${named.join(', ')}${more}): ` +
        `a GET cannot read them until they are restored, and a local copy is kept. Restore them first ` +
        `(aws s3api restore-object --bucket ${remote.bucket} --key ${withPrefix(remote.prefix, first)} ` +
        `--restore-request Days=1), or add them to exclude.`, skipped.length);
    return skipped.map(({ key, reason }) => ({ key, message: `skipped: ${reason} (archived); the local copy is kept` }));
}

// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
;// CONCATENATED MODULE: ./src/local/fs.ts




/** Marks temporary files so that an interrupted run's leftovers are recognisable. */
const TEMP_MARKER = '.s3fc-tmp-';
/** Random per process, so a leftover of an interrupted run never collides; counted within it. */
const RUN_ID = (0,external_node_crypto_.randomBytes)(6).toString('hex');
let tempCount = 0;
function tempPathBeside(finalPath) {
    tempCount += 1;
    return external_node_path_default().join(external_node_path_default().dirname(finalPath), `${TEMP_MARKER}${RUN_ID}-${tempCount}`);
}
/**
 * Makes every folder from root down to `folder` a real folder. A symlink
 * standing where a folder must be is unlinked (never followed), so nothing is
 * ever written through a link planted in the tree; a regular file in the way
 * is removed only when deletions are allowed.
 */
async function ensureRealFolder(root, folder, options = {}) {
    const { verified, mayRemoveFiles = true } = options;
    if (verified?.has(folder))
        return;
    for (const current of foldersDown(root, folder)) {
        if (verified?.has(current))
            continue;
        const stats = lstatOrUndefined(current);
        if (stats?.isDirectory()) {
            verified?.add(current);
            continue;
        }
        if (stats !== undefined && !stats.isSymbolicLink() && !mayRemoveFiles) {
            throw new Error(`${current} is a file locally where the bucket needs a folder; it is kept because deletions are off`);
        }
        if (stats !== undefined) {
            try {
                await (0,external_node_fs_promises_.unlink)(current);
            }
            catch (error) {
                // Another download under the same folder got there first (ENOENT),
                // or has already made the real folder (EISDIR on Linux, EPERM on macOS).
                const code = error.code;
                if (code !== 'ENOENT' && code !== 'EISDIR' && code !== 'EPERM')
                    throw error;
            }
        }
        try {
            await (0,external_node_fs_promises_.mkdir)(current);
        }
        catch (error) {
            // Another download created it in the meantime.
            if (error.code !== 'EEXIST')
                throw error;
            if (!(await (0,external_node_fs_promises_.lstat)(current)).isDirectory())
                throw error;
        }
        verified?.add(current);
    }
}
/**
 * True when every folder from root down to `folder` (included) is a real
 * folder. A file or a link standing where one of them was is not followed.
 */
function isRealFolderChain(root, folder) {
    for (const current of foldersDown(root, folder)) {
        if (!lstatOrUndefined(current)?.isDirectory())
            return false;
    }
    return true;
}
/** The paths from just below root down to `folder` (included): "a", "a/b", "a/b/c". */
function* foldersDown(root, folder) {
    const relative = external_node_path_default().relative(root, folder);
    if (relative === '')
        return;
    let current = root;
    for (const segment of relative.split((external_node_path_default()).sep)) {
        current = external_node_path_default().join(current, segment);
        yield current;
    }
}
/**
 * Moves a finished temporary file or link into place, unless a folder stands
 * there: rename() replaces a file or a symlink itself (never what a link
 * points to), but a folder holds files whose fate is the delete phase's, so
 * the caller gets `false` and tries again once the deletes are done.
 */
function moveIntoPlace(temp, finalPath) {
    if (lstatOrUndefined(finalPath)?.isDirectory())
        return false;
    // Synchronous like the small-file writes: a rename takes microseconds, the
    // promise version a thread-pool round trip per downloaded file.
    (0,external_node_fs_.renameSync)(temp, finalPath);
    return true;
}
/**
 * Synchronous on purpose: an lstat takes microseconds, while the promise
 * version costs a thread-pool round trip and, for a missing path, an Error
 * with a stack trace (docs/adr/0005-synchronous-small-file-io.md).
 */
function lstatOrUndefined(target) {
    return (0,external_node_fs_.lstatSync)(target, { throwIfNoEntry: false });
}
/** Removes a temporary file or link (never a folder) if it is still there. */
async function removeQuietly(target) {
    try {
        await (0,external_node_fs_promises_.unlink)(target);
    }
    catch (error) {
        if (error.code !== 'ENOENT')
            throw error;
    }
}

;// CONCATENATED MODULE: ./src/sync/folder-links.ts





/** The redirects that are one symlink to a folder each, by that symlink's key. */
function folderLinkGroups(redirects) {
    const groups = new Map();
    for (const redirect of redirects) {
        if (redirect.folder === undefined)
            continue;
        const group = groups.get(redirect.folder.link) ?? [];
        group.push(redirect);
        groups.set(redirect.folder.link, group);
    }
    return groups;
}
/**
 * The last step of a pull: each symlink to a folder the bucket holds whole
 * becomes one relative symlink (in place of a folder of links a run before made).
 */
async function makeFolderLinks(plan, outcome, context) {
    const groups = folderLinkGroups(plan.redirects);
    for (const [link, redirects] of groups) {
        const target = redirects[0].folder?.target;
        await tagged('link', link, () => makeFolderLink(link, target, redirects, context));
        context.reporter.debug(`linked ${link} -> ${target} (${redirects.length} redirects)`);
        outcome.redirected.push(...redirects);
    }
}
/**
 * The local symlinks to folders a pull removes: the plan neither writes at
 * their names nor keeps anything below, nor skips their names (what is at a
 * skipped name is left alone).
 */
function goneFolderLinks(plan, context) {
    if (!context.delete)
        return [];
    const kept = [...plan.unchanged, ...plan.copies.map((copy) => copy.key), ...plan.redirects.map((r) => r.key)];
    const skipped = new Set(plan.warnings.map((warning) => warning.key));
    return context.folderLinks
        .map((link) => link.key)
        .filter((key) => !skipped.has(key) && !kept.some((other) => other === key || other.startsWith(`${key}/`)));
}
/** Unlinks them, never following them; what was below them counts as deleted. */
async function unlinkFolderLinks(gone, plan, outcome, root) {
    for (const key of gone) {
        const linkPath = localPathForKey(root, key);
        if (!isRealFolderChain(root, external_node_path_default().dirname(linkPath)) || !lstatOrUndefined(linkPath)?.isSymbolicLink())
            continue;
        await tagged('delete', key, () => (0,external_node_fs_promises_.unlink)(linkPath));
        outcome.deleted.push(...plan.deletes.filter((removal) => removal.key.startsWith(`${key}/`)));
    }
}
async function makeFolderLink(link, target, redirects, context) {
    const { root } = context;
    const linkPath = localPathForKey(root, link);
    await ensureRealFolder(root, external_node_path_default().dirname(linkPath), { mayRemoveFiles: context.delete });
    if (lstatOrUndefined(linkPath)?.isDirectory())
        await emptyFolderOfLinks(link, redirects, context);
    const temp = tempPathBeside(linkPath);
    context.tempFiles.add(temp);
    try {
        await (0,external_node_fs_promises_.symlink)(external_node_path_default().relative(external_node_path_default().dirname(linkPath), localPathForKey(root, target)), temp);
        if (!moveIntoPlace(temp, linkPath)) {
            throw new Error(`${linkPath} is a folder locally that still holds files this run keeps (excluded or skipped names), so the bucket's symlink to ${target} was not made there`);
        }
    }
    finally {
        context.tempFiles.release(temp);
        if (lstatOrUndefined(temp) !== undefined)
            await (0,external_node_fs_promises_.unlink)(temp);
    }
}
/** A folder standing where the symlink goes loses what the symlink replaces, then its emptied folders. */
async function emptyFolderOfLinks(link, redirects, context) {
    const { root } = context;
    for (const { key } of redirects) {
        const entryPath = localPathForKey(root, key);
        if (!isRealFolderChain(root, external_node_path_default().dirname(entryPath)))
            continue;
        const stats = lstatOrUndefined(entryPath);
        if (stats !== undefined && !stats.isDirectory())
            await (0,external_node_fs_promises_.unlink)(entryPath);
    }
    const below = link.split('/').join((external_node_path_default()).sep);
    for (const folder of [...context.folders.filter((f) => f.startsWith(below + (external_node_path_default()).sep)), below]) {
        try {
            await (0,external_node_fs_promises_.rmdir)(external_node_path_default().join(root, folder));
        }
        catch (error) {
            const code = error.code;
            if (code !== 'ENOTEMPTY' && code !== 'ENOENT' && code !== 'EEXIST' && code !== 'ENOTDIR')
                throw error;
        }
    }
}

;// CONCATENATED MODULE: ./src/model/reporter.ts
const silentReporter = {
    info: () => undefined,
    debug: () => undefined,
    warn: () => undefined,
    group: (_name, work) => work(),
};
/**
 * Logs "name: done/total (percent)" each time another tenth of the work is
 * done, and only for batches big enough for that to help; tells
 * `reporter.progress` of every item. The returned tick takes the item's bytes.
 */
function progressLogger(reporter, name, total, bytesTotal = 0, threshold = 300) {
    let done = 0;
    let bytesDone = 0;
    let nextTenth = 1;
    return (bytes = 0) => {
        done += 1;
        bytesDone += bytes;
        reporter.progress?.({ name, done, total, bytesDone, bytesTotal });
        if (total < threshold)
            return;
        while (done >= (total * nextTenth) / 10 && nextTenth <= 10) {
            reporter.info(`${name}: ${done}/${total} (${nextTenth * 10}%)`);
            nextTenth += 1;
        }
    };
}
/** The bytes of a batch of file copies, for its progress. */
function bytesOf(copies) {
    let bytes = 0;
    for (const copy of copies)
        bytes += copy.entry.size;
    return bytes;
}

;// CONCATENATED MODULE: ./src/sync/download.ts

















/**
 * Applies a pull plan: downloads, then symlinks, then deletes, the deletes
 * only once every download and link has succeeded (then the few downloads a
 * local folder stood in the way of). Downloads land in a
 * temporary file beside their destination and are renamed into place only
 * after their md5 checks out, so an interrupted run leaves no partial file.
 */
async function applyPull(plan, outcome, context) {
    const run = { ...context, verifiedFolders: new Set(), blocked: [] };
    await (0,external_node_fs_promises_.mkdir)(run.root, { recursive: true });
    try {
        await downloadAndLink(plan, outcome, run);
        await deleteFiles(plan, outcome, run);
        await makeFolderLinks(plan, outcome, run);
    }
    finally {
        // Parked temporary files of a run that failed before placing them.
        for (const placement of run.blocked) {
            run.tempFiles.release(placement.temp);
            await removeQuietly(placement.temp);
        }
    }
}
async function downloadAndLink(plan, outcome, context) {
    const { reporter, concurrency } = context;
    if (plan.copies.length + plan.redirects.length === 0)
        return;
    const title = `Download ${plural(plan.copies.length, 'file')}, then make ${plural(plan.redirects.length, 'symlink')}`;
    await reporter.group(title, async () => {
        const tick = progressLogger(reporter, 'download', plan.copies.length + plan.redirects.length, bytesOf(plan.copies));
        const archived = [];
        await forEachBounded(largestFirst(plan.copies), concurrency, async (copy) => {
            const warning = await tagged('download', copy.key, () => downloadFile(copy, context)).catch((error) => {
                // An archive tier the listing did not show (Intelligent-Tiering's, say): skipped as archived.
                if (rootCause(error).name !== 'InvalidObjectState')
                    throw error;
                archived.push({ key: copy.key, reason: 'in an archive tier (InvalidObjectState)' });
                return 'archived';
            });
            if (warning === 'archived')
                return tick();
            if (warning !== undefined) {
                reporter.warn(warning.key, warning.message);
                outcome.warnings.push(warning);
            }
            reporter.debug(`downloaded ${copy.key} (${copy.reason})`);
            outcome.copied.push(copy);
            outcome.bytes += copy.entry.size;
            tick(copy.entry.size);
        });
        outcome.warnings.push(...reportSkipped(archived, context.remote, reporter));
        // Links are made one at a time: they are local and cheap. Those of a symlink to a folder come last, as one.
        for (const redirect of plan.redirects.filter((r) => r.folder === undefined)) {
            await tagged('link', redirect.key, () => makeSymlink(redirect, context));
            reporter.debug(`linked ${redirect.key} -> ${redirect.target} (${redirect.reason})`);
            outcome.redirected.push(redirect);
            tick();
        }
    });
}
async function deleteFiles(plan, outcome, context) {
    const { reporter } = context;
    // Before any delete: a folder in the way of a download must empty out
    // through the planned deletes alone, or the run fails here, deleting nothing.
    const goneLinks = goneFolderLinks(plan, context);
    const deleting = new Set([...plan.deletes.map((removal) => removal.key), ...goneLinks]);
    for (const placement of context.blocked) {
        const kept = await firstEntryNotIn(placement.finalPath, placement.key, deleting);
        if (kept !== undefined) {
            throw new Error(`${placement.finalPath} is a folder locally that still holds files this run keeps (excluded or skipped names, such as ${kept}), so the bucket's ${placement.key} was not written there and nothing was deleted`);
        }
    }
    await unlinkFolderLinks(goneLinks, plan, outcome, context.root);
    if (context.delete && plan.deletes.length > 0) {
        await reporter.group(`Delete ${plural(plan.deletes.length, 'local file')}`, async () => {
            for (const removal of plan.deletes) {
                const target = localPathForKey(context.root, removal.key);
                // A file or link this run put where the key's folder was (its old
                // contents went with it) is never reached through: it may lead outside.
                if (!isRealFolderChain(context.root, external_node_path_default().dirname(target)))
                    continue;
                const stats = lstatOrUndefined(target);
                // A folder here was made by a download that needed it; keep it.
                if (stats === undefined || stats.isDirectory())
                    continue;
                await tagged('delete', removal.key, () => (0,external_node_fs_promises_.unlink)(target));
                outcome.deleted.push(removal);
                reporter.debug(`deleted ${removal.key}`);
            }
        });
    }
    // S3 has no folders: one left empty locally would not be in the bucket.
    if (context.delete)
        await pruneEmptyFolders(context.root, foldersToPrune(context.folders, plan));
    placeBlocked(context.blocked);
}
/**
 * Where the bucket has a file (or link) and the directory a folder, the new
 * entry goes in only after the deletes have emptied and pruned that folder.
 * A folder still holding what this run keeps (excluded or skipped names)
 * stays, and the run fails saying so.
 */
function placeBlocked(blocked) {
    for (const placement of blocked) {
        if (!moveIntoPlace(placement.temp, placement.finalPath)) {
            throw new Error(`${placement.finalPath} is a folder locally that still holds files this run keeps (excluded or skipped names), so the bucket's ${placement.key} was not written there`);
        }
    }
}
/** The first key below a local folder (links not followed) that is not about to be deleted. */
async function firstEntryNotIn(folder, folderKey, deleting) {
    for (const dirent of await (0,external_node_fs_promises_.readdir)(folder, { withFileTypes: true })) {
        const key = `${folderKey}/${dirent.name}`;
        if (dirent.isDirectory()) {
            const inner = await firstEntryNotIn(external_node_path_default().join(folder, dirent.name), key, deleting);
            if (inner !== undefined)
                return inner;
        }
        else if (!deleting.has(key)) {
            return key;
        }
    }
    return undefined;
}
/** Renames into place, or parks the finished temp file until the deletes are done. */
function placeOrPark(key, temp, finalPath, context) {
    if (moveIntoPlace(temp, finalPath))
        return 'placed';
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
async function releaseTemp(temp, fate, context) {
    if (fate === 'parked')
        return;
    context.tempFiles.release(temp);
    if (fate === 'pending')
        await removeQuietly(temp);
}
async function downloadFile(copy, context) {
    const { root, remote } = context;
    const finalPath = localPathForKey(root, copy.key);
    await ensureRealFolder(root, external_node_path_default().dirname(finalPath), folderOptions(context));
    const temp = tempPathBeside(finalPath);
    context.tempFiles.add(temp);
    let fate = 'pending';
    try {
        const response = await remote.client.send(new dist_cjs.GetObjectCommand({ Bucket: remote.bucket, Key: withPrefix(remote.prefix, copy.key) }));
        const expected = response.Metadata?.md5?.toLowerCase() || undefined;
        // Ours (the md5 metadata) or named by the gzip globs; another tool's compressed file stays as stored.
        const gzipped = response.ContentEncoding?.toLowerCase() === 'gzip' && (context.gzip(copy.key) || !!expected);
        const body = { stream: response.Body, size: copy.entry.size };
        await writeBody(copy.key, body, { temp, gzipped, expected }, context.tempFiles);
        fate = placeOrPark(copy.key, temp, finalPath, context);
        if (response.WebsiteRedirectLocation) {
            return {
                key: copy.key,
                message: `Downloaded as a file: the object redirects to ${response.WebsiteRedirectLocation} but has a body`,
            };
        }
        return undefined;
    }
    finally {
        await releaseTemp(temp, fate, context);
    }
}
/**
 * Writes a response body to `temp` (which must not exist), as the original
 * bytes when it is stored gzip-encoded and its md5 metadata (if any) is the
 * original's, once its length is the listed size. Small bodies are taken whole
 * and written in one call, which costs far less than a stream per file;
 * large ones are streamed, never held in memory.
 */
async function writeBody(key, body, target, tempFiles) {
    if (body.size <= SMALL_FILE) {
        const received = await body.stream.transformToByteArray();
        checkLength(key, received.length, body.size);
        const original = target.gzipped ? gunzipOrUndefined(received) : undefined;
        const digests = { stored: md5Of(received), original: original && md5Of(original) };
        const form = formToWrite(key, digests, target.expected);
        (0,external_node_fs_.writeFileSync)(target.temp, form === 'original' ? original : received, { flag: 'wx' });
        return;
    }
    const receiving = hashingStream();
    await (0,external_node_stream_promises_.pipeline)([body.stream, receiving.stream, (0,external_node_fs_.createWriteStream)(target.temp, { flags: 'wx' })]);
    checkLength(key, receiving.bytes(), body.size);
    const stored = receiving.md5();
    if (target.gzipped)
        await decompressInPlace(key, target, stored, tempFiles);
    else
        formToWrite(key, { stored, original: undefined }, target.expected);
}
function checkLength(key, bytes, size) {
    if (bytes === size)
        return;
    throw new Error(`Downloaded ${key} has ${bytes} bytes where the listing said ${size}; the local file was left as it was`);
}
/**
 * A large gzip body was written as stored; it is decompressed beside it and
 * takes its place when the original is what the metadata describes.
 */
async function decompressInPlace(key, target, stored, tempFiles) {
    const decompressed = tempPathBeside(target.temp);
    tempFiles.add(decompressed);
    try {
        const writing = hashingStream();
        let original;
        try {
            await (0,external_node_stream_promises_.pipeline)([
                (0,external_node_fs_.createReadStream)(target.temp),
                (0,external_node_zlib_.createGunzip)(),
                writing.stream,
                (0,external_node_fs_.createWriteStream)(decompressed, { flags: 'wx' }),
            ]);
            original = writing.md5();
        }
        catch {
            original = undefined;
        }
        if (formToWrite(key, { stored, original }, target.expected) === 'original')
            (0,external_node_fs_.renameSync)(decompressed, target.temp);
    }
    finally {
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
function formToWrite(key, digests, expected) {
    const { stored, original } = digests;
    if (original !== undefined && (expected === undefined || expected === original))
        return 'original';
    if (expected === undefined || expected === stored)
        return 'stored';
    throw new Error(`Downloaded ${key} has md5 ${stored}${original === undefined ? '' : ` (${original} decompressed)`} but its metadata says ${expected}; ` +
        'the local file was left as it was. The object is not what its metadata says, and a re-run downloads the same bytes: ' +
        'push it again from its source, or add it to exclude');
}
function gunzipOrUndefined(bytes) {
    try {
        return (0,external_node_zlib_.gunzipSync)(bytes);
    }
    catch {
        return undefined;
    }
}
function md5Of(bytes) {
    return (0,external_node_crypto_.createHash)('md5').update(bytes).digest('hex');
}
function folderOptions(context) {
    return { verified: context.verifiedFolders, mayRemoveFiles: context.delete };
}
async function makeSymlink(redirect, context) {
    const { root } = context;
    const linkPath = localPathForKey(root, redirect.key);
    const targetPath = localPathForKey(root, redirect.target);
    await ensureRealFolder(root, external_node_path_default().dirname(linkPath), folderOptions(context));
    const temp = tempPathBeside(linkPath);
    context.tempFiles.add(temp);
    let fate = 'pending';
    try {
        await (0,external_node_fs_promises_.symlink)(external_node_path_default().relative(external_node_path_default().dirname(linkPath), targetPath), temp);
        fate = placeOrPark(redirect.key, temp, linkPath, context);
    }
    finally {
        await releaseTemp(temp, fate, context);
    }
}
/**
 * Folders that may be empty now: all of them after a delete, otherwise only
 * those that held nothing to begin with (a no-op run then costs no rmdir).
 */
function foldersToPrune(folders, plan) {
    if (plan.deletes.length > 0)
        return folders;
    const holding = new Set();
    for (const key of [...plan.unchanged, ...plan.copies.map((c) => c.key), ...plan.redirects.map((r) => r.key)]) {
        someFolderOf(key, (folder) => {
            holding.add(folder.split('/').join((external_node_path_default()).sep));
            return false;
        });
    }
    return folders.filter((folder) => !holding.has(folder));
}
async function pruneEmptyFolders(root, folders) {
    for (const folder of folders) {
        if (!isRealFolderChain(root, external_node_path_default().join(root, folder)))
            continue;
        try {
            await (0,external_node_fs_promises_.rmdir)(external_node_path_default().join(root, folder));
        }
        catch (error) {
            const code = error.code;
            if (code !== 'ENOTEMPTY' && code !== 'ENOENT' && code !== 'EEXIST' && code !== 'ENOTDIR')
                throw error;
        }
    }
}

;// CONCATENATED MODULE: ./src/deploys/lease.ts




/** Everything under this folder of the prefix belongs to the action, never to the mirror. */
const ACTION_FOLDER = '.s3-force-copy/';
/** The lease's key, relative to the prefix. */
const LEASE_KEY = `${ACTION_FOLDER}lock.json`;
/** A lease left by a killed run blocks others for at most this long (renewed well before). */
const LEASE_SECONDS = 240;
/** The longest wait between two looks at a held lease. */
const POLL_MS = 5_000;
/**
 * A run ends by overwriting its lease with a released one, not by deleting
 * it: the key's ETag then changes with every deploy, so a run whose listing
 * came before another run's whole deploy fails its If-Match and plans again.
 * A released lease has a size no live one has, so a listing tells it apart
 * with no GET (a no-op stays the listing and one GET).
 */
const RELEASED_HOLDER = 'released';
function releasedLease(now = Date.now()) {
    return { holder: RELEASED_HOLDER, expires: new Date(now).toISOString(), nonce: (0,external_node_crypto_.randomBytes)(8).toString('hex') };
}
/** The size of every released lease: the time and the nonce have fixed lengths. */
const RELEASED_SIZE = Buffer.byteLength(JSON.stringify(releasedLease()));
/** Whether the listed lease may be live: anything but a released one, which its size tells. */
function mayBeLive(listed) {
    return listed.size !== RELEASED_SIZE;
}
/** A lease's bytes; a live one is never the size of a released one. */
function leaseBytes(body) {
    const json = JSON.stringify(body);
    return body.holder !== RELEASED_HOLDER && Buffer.byteLength(json) === RELEASED_SIZE ? `${json} ` : json;
}
/** The run's name in the lease: repository, commit and workflow-run URL where the runner gives them. */
function runHolder(env) {
    const parts = [
        env.GITHUB_REPOSITORY ? `${env.GITHUB_REPOSITORY}${env.GITHUB_SHA ? `@${env.GITHUB_SHA.slice(0, 12)}` : ''}` : '',
        env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
            ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
            : '',
    ].filter((part) => part !== '');
    return parts.length > 0 ? parts.join(' ') : `a run on process ${process.pid}`;
}
/** The lease object's requests; each answers rather than throws on a lost race. */
class LeaseStore {
    remote;
    encryption;
    key;
    constructor(remote, encryption = {}) {
        this.remote = remote;
        this.encryption = encryption;
        this.key = withPrefix(remote.prefix, LEASE_KEY);
    }
    where() {
        return s3Url(this.remote.bucket, this.remote.prefix);
    }
    async read() {
        try {
            const response = await this.remote.client.send(new dist_cjs.GetObjectCommand({ Bucket: this.remote.bucket, Key: this.key }));
            const text = (await response.Body?.transformToString()) ?? '';
            const parsed = JSON.parse(text);
            // Unreadable or foreign JSON still blocks, until its object is an hour old.
            const expires = typeof parsed.expires === 'string' ? parsed.expires : hourAfter(response.LastModified);
            return { lease: { holder: String(parsed.holder ?? 'an unknown run'), expires }, etag: response.ETag ?? '' };
        }
        catch (error) {
            if (lease_statusOf(error) === 404)
                return undefined;
            if (error instanceof SyntaxError)
                return { lease: { holder: 'an unknown run', expires: hourAfter() }, etag: '' };
            throw error;
        }
    }
    /** PUT If-None-Match: * (create) or If-Match the ETag (take over, renew). */
    async put(body, condition) {
        const bytes = leaseBytes(body);
        try {
            const response = await this.remote.client.send(new dist_cjs.PutObjectCommand({
                ...this.encryption,
                Bucket: this.remote.bucket,
                Key: this.key,
                Body: bytes,
                ContentType: 'application/json',
                CacheControl: 'no-store',
                ...(condition === 'create' ? { IfNoneMatch: '*' } : { IfMatch: condition.ifMatch }),
            }));
            return { etag: response.ETag ?? '' };
        }
        catch (error) {
            const status = lease_statusOf(error);
            // 409: another conditional write to the key was in flight; 404: an If-Match on a key since deleted.
            if (status === 412 || status === 409 || status === 404)
                return 'taken';
            // A refused ACL is the acl input's, not a store without conditional writes.
            const refusedAcl = error.name === 'AccessControlListNotSupported';
            if ((status === 501 || status === 400) && !refusedAcl)
                return 'unsupported';
            // Tagged as the write it is, so a denial gets the advice on sse, acl and bucket policies.
            throw new OperationError('upload', LEASE_KEY, error);
        }
    }
    /** Overwrites the lease with a released one while its ETag is still `etag`; false when it was no longer ours. */
    async release(etag) {
        const answer = await this.put(releasedLease(), { ifMatch: etag });
        return typeof answer === 'object';
    }
    /** Deletes the lease only while its ETag is still `etag`; false when it was no longer ours. */
    async remove(etag) {
        try {
            await this.remote.client.send(new dist_cjs.DeleteObjectCommand({ Bucket: this.remote.bucket, Key: this.key, IfMatch: etag }));
            return true;
        }
        catch (error) {
            if (lease_statusOf(error) === 412)
                return false;
            throw error;
        }
    }
}
function lease_statusOf(error) {
    const found = error;
    if (found?.name === 'PreconditionFailed')
        return 412;
    if (found?.name === 'NoSuchKey' || found?.name === 'NotFound')
        return 404;
    return found?.$metadata?.httpStatusCode;
}
function hourAfter(date = new Date()) {
    return new Date(date.getTime() + 3_600_000).toISOString();
}
function isLive(lease, now = Date.now()) {
    const expires = Date.parse(lease.expires);
    return Number.isNaN(expires) || expires > now;
}
/** The lease as a sentence: who holds it and until when. */
function describeLease(lease) {
    return `${lease.holder} (its lease expires ${lease.expires})`;
}
/** How long to sleep before looking again: until the deadline or the lease's expiry, at most POLL_MS. */
function pollDelay(lease, deadline, now = Date.now()) {
    const expires = Date.parse(lease.expires);
    const untilExpiry = Number.isNaN(expires) ? POLL_MS : expires - now + 50;
    return Math.max(50, Math.min(POLL_MS, deadline - now, untilExpiry));
}
function refuseHeldLease(store, lease, waitSeconds) {
    return new RefusedError(`The deploy lease on ${store.where()} is held by ${describeLease(lease)}, and lock-wait (${waitSeconds} s) ran out before it was released. Nothing was changed. Run again once that run is over, or raise lock-wait.`);
}
/** Says once per holder whom the run waits for. */
function waitingLogger(store, waitSeconds, reporter) {
    let said = '';
    return (lease) => {
        if (said === lease.holder)
            return;
        said = lease.holder;
        reporter.info(`Waiting for the deploy lease on ${store.where()}, held by ${describeLease(lease)}; waiting up to lock-wait ${waitSeconds} s.`);
    };
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * The run's lease terms, or undefined under lock: false. The lease's life can
 * be shortened for tests only (S3_FORCE_COPY_LEASE_SECONDS), never lengthened.
 */
function leaseTerms(lock, waitSeconds, env, storage = {}) {
    if (!lock)
        return undefined;
    const asked = Number(env.S3_FORCE_COPY_LEASE_SECONDS);
    const leaseSeconds = Number.isFinite(asked) && asked >= 1 && asked < LEASE_SECONDS ? asked : LEASE_SECONDS;
    return { holder: runHolder(env), waitSeconds, leaseSeconds, encryption: { ...storage, StorageClass: undefined } };
}

;// CONCATENATED MODULE: ./src/sync/job.ts


/**
 * The manifest and the action's folder (lease, deploy records) are not part of
 * the mirror: never listed, scanned, copied or deleted, whatever the inputs say.
 */
function copyFilters(job) {
    const { manifestKey, isExcluded, gzip } = job;
    return {
        isExcluded: (key) => key.startsWith(ACTION_FOLDER) || key === manifestKey || isExcluded(key),
        storesGzipped: (key, size) => size <= GZIP_MAX_BYTES && gzip(key),
    };
}
/** The manifest to read beside the listing: none under `force`, which decides without it. */
function manifestToRead(job) {
    return job.force ? undefined : job.manifestKey;
}

;// CONCATENATED MODULE: ./src/deploys/hold.ts

/** Leases this process holds, released on SIGINT/SIGTERM too (main.ts). */
const held = new Set();
/** Lease PUTs sent but not yet answered: a stop waits for them, or a lease just taken would stay behind. */
const taking = new Set();
/** Releases every lease this process still holds, or is taking; never throws. */
async function releaseHeldLeases() {
    await Promise.allSettled([...taking]);
    // Past every microtask: the taker has made its answer a HeldLease by then.
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([...held].map((lease) => lease.release().catch(() => undefined)));
}
/**
 * Takes the lease with a conditional write, waiting up to `waitSeconds` for
 * a live one; an expired one is overwritten If-Match its ETag, so only one
 * waiter wins. Refuses, having changed nothing, when the wait runs out.
 */
async function takeLease(store, terms, reporter, listed) {
    const deadline = Date.now() + terms.waitSeconds * 1000;
    const sayWaiting = waitingLogger(store, terms.waitSeconds, reporter);
    let waited = false;
    let probed = false;
    let seen = await firstLook(store, listed);
    for (;;) {
        const live = seen !== undefined && isLive(seen.lease);
        if (!live || !probed) {
            const putting = store.put(leaseBody(terms), seen && !live ? { ifMatch: seen.etag } : 'create');
            taking.add(putting);
            const answer = await putting.finally(() => taking.delete(putting));
            if (answer === 'unsupported' || (typeof answer === 'object' && live)) {
                // A store that wrote over a live lease (or refused the header) cannot lock: one warning, and on.
                reporter.warn(store.key, `${store.remote.endpointName ?? 'This store'} ignores conditional writes (If-None-Match), so the deploy lease cannot keep two runs apart; this run goes on unlocked. Set lock: false to skip the attempt.`);
                if (typeof answer === 'object')
                    await store.remove(answer.etag).catch(() => undefined);
                return { lease: undefined, waited };
            }
            if (typeof answer === 'object')
                return { lease: new HeldLease(store, terms, answer.etag, reporter), waited };
            // The key changed since it was looked at: another run holds it, or deployed and released it.
            waited = true;
            probed = live;
            seen = await store.read();
            continue;
        }
        if (Date.now() >= deadline)
            throw refuseHeldLease(store, seen.lease, terms.waitSeconds);
        sayWaiting(seen.lease);
        waited = true;
        await sleep(pollDelay(seen.lease, deadline));
        seen = await store.read();
    }
}
/**
 * The lease as the listing left it: none, a released one (its ETag is enough,
 * no GET), or one that may be live, read.
 */
async function firstLook(store, listed) {
    if (listed === undefined)
        return undefined;
    if (mayBeLive(listed) || listed.etag === undefined)
        return store.read();
    return { lease: releasedLease(0), etag: listed.etag };
}
/** Waits, taking nothing, until no live lease is on the prefix; true when it had to wait. */
async function waitForNoLease(store, waitSeconds, reporter) {
    const deadline = Date.now() + waitSeconds * 1000;
    const sayWaiting = waitingLogger(store, waitSeconds, reporter);
    let waited = false;
    for (let seen = await store.read(); seen !== undefined && isLive(seen.lease); seen = await store.read()) {
        if (Date.now() >= deadline)
            throw refuseHeldLease(store, seen.lease, waitSeconds);
        sayWaiting(seen.lease);
        waited = true;
        await sleep(pollDelay(seen.lease, deadline));
    }
    return waited;
}
function leaseBody(terms) {
    const now = Date.now();
    return {
        holder: terms.holder,
        expires: new Date(now + terms.leaseSeconds * 1000).toISOString(),
        taken: new Date(now).toISOString(),
    };
}
/** A lease this run holds: renewed If-Match its own ETag until released. */
class HeldLease {
    store;
    terms;
    etag;
    reporter;
    chain = Promise.resolve();
    timer;
    released = false;
    constructor(store, terms, etag, reporter) {
        this.store = store;
        this.terms = terms;
        this.etag = etag;
        this.reporter = reporter;
        held.add(this);
        // Renewed at a third of its life, so one late renewal still leaves it live.
        this.timer = setInterval(() => void this.renew(), (terms.leaseSeconds * 1000) / 3);
        this.timer.unref();
    }
    renew() {
        this.chain = this.chain.then(async () => {
            if (this.released)
                return;
            const answer = await this.store.put(leaseBody(this.terms), { ifMatch: this.etag }).catch(() => 'failed');
            if (typeof answer === 'object')
                this.etag = answer.etag;
            else
                this.reporter.warn(this.store.key, 'The deploy lease could not be renewed; another run may take it over.');
        });
        return this.chain;
    }
    /** Deletes the lease If-Match its ETag: one that is no longer this run's stays. */
    release() {
        clearInterval(this.timer);
        held.delete(this);
        this.chain = this.chain.then(async () => {
            if (this.released)
                return;
            this.released = true;
            const removed = await this.store.release(this.etag);
            if (!removed)
                this.reporter.warn(this.store.key, 'The deploy lease was no longer this run’s; it was left alone.');
        });
        return this.chain;
    }
}
/**
 * Ends the process on SIGINT/SIGTERM, releasing held leases first, or they
 * would block the next run until they expire; a hung release waits 5 s at most.
 */
function exitReleasingLeases(exitCode) {
    const exit = () => process.exit(exitCode);
    setTimeout(exit, 5_000).unref();
    void releaseHeldLeases().finally(exit);
}

;// CONCATENATED MODULE: ./src/deploys/record.ts






/** Deploy records live here under the prefix, one object per deploy, named by its id. */
const DEPLOYS_FOLDER = `${ACTION_FOLDER}deploys/`;
const DEPLOY_FORMAT = 's3-force-copy deploy';
function deployTerms(keep, env, storage = {}) {
    const run = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined;
    const encryption = { ...storage, StorageClass: undefined };
    return { keep, commit: env.GITHUB_SHA || undefined, run, actor: env.GITHUB_ACTOR || undefined, encryption };
}
/** Sortable by time, unique per run: 20261206T191800123Z-0123456. */
function newDeployId(now, commit) {
    const stamp = now.toISOString().replace(/[-:.]/g, '');
    return commit ? `${stamp}-${commit.slice(0, 7)}` : stamp;
}
/** The record's key under the prefix for a deploy id, and the id a listed key names. */
const recordKey = (id) => `${DEPLOYS_FOLDER}${id}.json`;
function idOfRecordKey(key) {
    return key.startsWith(DEPLOYS_FOLDER) && key.endsWith('.json') ? key.slice(DEPLOYS_FOLDER.length, -5) : undefined;
}
/** What the prefix holds after a push: the listed objects not deleted, as listed, and what it wrote, by version. */
function objectsAfter(remote, outcome) {
    const objects = {};
    const deleted = new Set(outcome.deleted.map((removal) => removal.key));
    for (const [key, entry] of remote) {
        if (deleted.has(key) || entry.etag === undefined)
            continue;
        objects[keyHash(key)] =
            entry.modified === undefined ? { etag: entry.etag } : { etag: entry.etag, modified: entry.modified };
    }
    for (const [key, written] of outcome.written) {
        objects[keyHash(key)] =
            written.version === undefined ? { etag: written.etag } : { etag: written.etag, version: written.version };
    }
    return objects;
}
/** A record's PUT, and a DeleteObjects when the listed records are already keep-deploys: reserved in the budget check. */
function deployRequests(terms, changes, listedRecords) {
    if (terms === undefined || !changes)
        return 0;
    return listedRecords + 1 > terms.keep ? 2 : 1;
}
/**
 * After an apply that changed anything: the deploy's record, then the records
 * past keep-deploys removed. Like the manifest it saves no correctness of the
 * sync itself, so a failure is a warning.
 */
async function recordDeploy(remote, terms, deploy, reporter) {
    if (changedCount(deploy.outcome) === 0)
        return undefined;
    const sorted = [...deploy.listedIds].sort();
    const record = deployRecord(terms, deploy, sorted.at(-1));
    try {
        await remote.client.send(new dist_cjs.PutObjectCommand({
            ...terms.encryption,
            Bucket: remote.bucket,
            Key: withPrefix(remote.prefix, recordKey(record.id)),
            Body: JSON.stringify(record),
            ContentType: 'application/json',
            CacheControl: 'no-store',
        }));
    }
    catch (error) {
        const message = `Could not write the deploy record (${errorMessage(rootCause(error))}); this deploy cannot be rolled back to by id.`;
        reporter.warn(recordKey(record.id), message);
        deploy.outcome.warnings.push({ key: recordKey(record.id), message });
        return undefined;
    }
    reporter.info(`Deploy ${record.id} recorded${record.previous ? ` (the one before: ${record.previous})` : ''}.`);
    await trimDeploys(remote, [...sorted, record.id], terms.keep, reporter);
    return { id: record.id, previous: record.previous, ...(deploy.restored ? { restored: deploy.restored } : {}) };
}
function deployRecord(terms, deploy, previous) {
    const now = new Date();
    const { outcome } = deploy;
    return {
        format: DEPLOY_FORMAT,
        version: 1,
        id: newDeployId(now, terms.commit),
        previous,
        kind: deploy.kind,
        ...(deploy.restored === undefined ? {} : { restored: deploy.restored }),
        ...(deploy.manifestVersion === undefined ? {} : { manifest: deploy.manifestVersion }),
        commit: terms.commit,
        run: terms.run,
        actor: terms.actor,
        finished: now.toISOString(),
        counts: {
            uploaded: outcome.copied.length,
            redirected: outcome.redirected.length,
            updated: outcome.updated.length,
            deleted: outcome.deleted.length,
            objects: Object.keys(deploy.objects).length,
        },
        objects: deploy.objects,
    };
}
/** Removes the records past the newest `keep`, in one DeleteObjects (the listing found them for free). */
async function trimDeploys(remote, ids, keep, reporter) {
    const old = ids.slice(0, Math.max(0, ids.length - keep)).slice(0, 1000);
    if (old.length === 0)
        return;
    try {
        await remote.client.send(new dist_cjs.DeleteObjectsCommand({
            Bucket: remote.bucket,
            Delete: { Objects: old.map((id) => ({ Key: withPrefix(remote.prefix, recordKey(id)) })), Quiet: true },
        }));
    }
    catch (error) {
        reporter.warn(DEPLOYS_FOLDER, `Could not remove old deploy records (${errorMessage(rootCause(error))}).`);
    }
}
/** One GET of a deploy's record; a record that is not one refuses the rollback before any change. */
async function readDeployRecord(remote, id) {
    const key = withPrefix(remote.prefix, recordKey(id));
    const response = await remote.client.send(new dist_cjs.GetObjectCommand({ Bucket: remote.bucket, Key: key }));
    const text = (await response.Body?.transformToString('utf8')) ?? '';
    let record;
    try {
        record = JSON.parse(text);
    }
    catch {
        record = undefined;
    }
    if (record?.format !== DEPLOY_FORMAT || record.version !== 1 || typeof record.objects !== 'object') {
        throw new RefusedError(`The deploy record ${key} is not one this action wrote (or reads); nothing was changed.`);
    }
    return record;
}

;// CONCATENATED MODULE: ./src/sync/lease.ts



/** What a listing told of the lease's key: the action's folder is excluded, so the filter is where it shows. */
class LeaseWatch {
    /** The lease's object as listed; undefined when the listing had none. */
    lease;
    /** The deploy records the listing passed, by id: the previous deploy, and those to trim. */
    deployIds = new Set();
    filters(filters) {
        return {
            ...filters,
            isExcluded: (key, listed) => {
                if (key === LEASE_KEY)
                    this.lease = { etag: quoted(listed?.ETag), size: listed?.Size };
                const id = idOfRecordKey(key);
                if (id !== undefined)
                    this.deployIds.add(id);
                return filters.isExcluded(key);
            },
        };
    }
}
function planChanges(plan) {
    return plan.copies.length + plan.redirects.length + plan.updates.length + plan.deletes.length > 0;
}
/** The lease's PUT and its release, reserved in the budget check when the plan will take it. */
function leaseRequests(role, plan) {
    return role.terms !== undefined && role.takes && planChanges(plan) ? 2 : 0;
}
/**
 * Decides, then takes the lease when the plan changes anything (after the
 * guards, before the apply). A run that had to wait decides again: the run
 * it waited for changed what was listed. A no-op, pull or dry run takes no
 * lease, but waits for one its listing showed, then decides again.
 */
async function decideUnderLease(role, reporter, decideOnce) {
    const watch = new LeaseWatch();
    const decided = await decideOnce(watch);
    if (role.terms === undefined)
        return { decided, lease: undefined, watch };
    const store = new LeaseStore(role.remote, role.terms.encryption);
    if (!role.takes || !planChanges(decided.plan)) {
        const waited = mayBeHeld(watch) && (await waitForNoLease(store, role.terms.waitSeconds, reporter));
        if (!waited)
            return { decided, lease: undefined, watch };
        const again = new LeaseWatch();
        return { decided: await decideOnce(again), lease: undefined, watch: again };
    }
    const taken = await takeLease(store, role.terms, reporter, watch.lease);
    if (!taken.waited)
        return { decided, lease: taken.lease, watch };
    reporter.info('The bucket may have changed while this run waited: listing and deciding again under the lease.');
    try {
        const again = new LeaseWatch();
        return { decided: await decideOnce(again), lease: taken.lease, watch: again };
    }
    catch (error) {
        await taken.lease?.release();
        throw error;
    }
}
function mayBeHeld(watch) {
    return watch.lease !== undefined && mayBeLive(watch.lease);
}
/** An ETag as If-Match takes it; a listing may give it bare. */
function quoted(etag) {
    if (etag === undefined || etag === '')
        return undefined;
    return etag.startsWith('"') ? etag : `"${etag}"`;
}
/** Runs the apply holding the lease, and releases it however the apply ends. */
async function holding(lease, apply) {
    try {
        return await apply();
    }
    finally {
        await lease?.release().catch(() => undefined);
    }
}

;// CONCATENATED MODULE: ./src/sync/result.ts

/**
 * Applies the plan unless this is a dry run. A failure part-way is kept in
 * the result with the work done before it, for the report to say where the
 * destination stands.
 */
async function applyPlan(direction, plan, dryRun, apply) {
    const outcome = emptyOutcome();
    const result = { direction, dryRun, plan, outcome, warnings: plan.warnings };
    if (dryRun)
        return result;
    try {
        await apply(outcome);
    }
    catch (error) {
        result.failure = error;
    }
    result.warnings = [...plan.warnings, ...outcome.warnings];
    return result;
}

;// CONCATENATED MODULE: ./src/sync/pull.ts













/**
 * The directory becomes a copy of the bucket: inventory, decide, guards,
 * apply. A missing directory is planned against as empty, and made only
 * when the plan is applied.
 */
async function pull(job, run) {
    const { root, remote } = job;
    const exists = await destinationDirectoryExists(root);
    // A pull takes no lease, but waits for one its listing shows: that run is changing what it lists.
    const role = { terms: job.lease, remote, takes: false };
    const { decided } = await decideUnderLease(role, run.reporter, (watch) => inventoryAndPlan(job, run, watch, exists));
    const { plan, inventories, archived } = decided;
    const result = await applyPlan('pull', plan, job.safety.dryRun, (outcome) => applyPull(plan, outcome, {
        ...run,
        root,
        remote,
        delete: job.delete,
        folders: inventories.local.folders,
        folderLinks: inventories.local.folderLinks,
        tempFiles: job.tempFiles,
        gzip: job.gzip,
    }));
    return { ...result, warnings: [...archived, ...result.warnings] };
}
async function inventoryAndPlan(job, run, watch, exists) {
    const filters = watch.filters(copyFilters(job));
    // Only small files are hashed before the listing says which md5s it needs.
    const directory = { root: job.root, exists, hashEarlyUpTo: SMALL_FILE };
    const bucket = { remote: job.remote, manifestKey: manifestToRead(job), listTuning: job.listTuning };
    const inventories = await takeInventory(directory, bucket, filters, run.reporter, () => run.budget.used);
    const archived = await setAsideArchived(inventories, job.remote, job.listingTellsRestore, run);
    const plan = await decidePull(inventories, job, filters, run);
    checkGuards(plan, pullRoute(job), job.safety, { budget: run.budget, requestsToApply: plan.copies.length });
    return { plan, inventories, archived };
}
function decidePull(inventories, job, filters, run) {
    const sides = { source: inventories.remote, destination: inventories.local.entries };
    return decide(inventories, sides, {
        resolve: {
            force: job.force,
            storesGzipped: filters.storesGzipped,
            objectsToInspect: (compared, force) => [
                ...new Set([...sourceObjectsToInspect(compared, force), ...possibleLinkCopies(compared.remote)]),
            ],
            inspected: (remote) => linkCopiesAsRedirects(remote, job.remote.prefix),
        },
        plan: {
            prefix: job.remote.prefix,
            delete: job.delete,
            force: job.force,
            // A file pulled from an object stored compressed was written as its original.
            sameFile: (remote, local) => compareFiles(local, remote) === 'same' || isOriginalOf(local, remote),
            verifyFolderLinks: true,
        },
    }, { location: job.remote, concurrency: run.concurrency }, run.reporter);
}
function pullRoute({ root, remote }) {
    return {
        verb: 'pull',
        source: s3Url(remote.bucket, remote.prefix),
        sourceItem: 'key',
        destination: `in ${root}`,
        deletedItem: 'file',
        deleteAdvice: '',
    };
}

;// CONCATENATED MODULE: ./src/local/link-copies.ts

/**
 * For `links: copy`: each symlink stands in for a copy of the file it
 * finally reaches, which the push makes server-side from the target's key.
 * Its size and md5 are the target's; a link whose target is not a file here,
 * or that either key stores compressed, stays a redirect.
 */
function linksAsCopies(entries, prefix, storesGzipped) {
    for (const [key, entry] of entries) {
        if (entry.kind !== 'redirect')
            continue;
        const read = keysForRedirectLocation(prefix, entry.location);
        const target = read.ok ? read.candidates.find((candidate) => entries.get(candidate)?.kind === 'file') : undefined;
        if (target === undefined)
            continue;
        const file = entries.get(target);
        if (file.link !== undefined || storesGzipped(key, file.size) || storesGzipped(target, file.size))
            continue;
        const link = entry.folder === undefined ? { target } : { target, folder: entry.folder };
        entries.set(key, { kind: 'file', size: file.size, md5: file.md5, link });
    }
}

;// CONCATENATED MODULE: ./src/manifest/record.ts




/**
 * After a push that changed anything (or was forced), the manifest records
 * what the bucket now holds, also when the push failed part-way. It only
 * saves requests: a write that fails is a warning, and the next run is
 * correct without it. Returns the version written, on a versioned bucket.
 */
async function recordManifest(where, plan, found, outcome, log) {
    // A no-op writes nothing, unless there was no manifest to read or objects were written since it:
    // the next run then has one that needs no HEAD.
    if (changedCount(outcome) === 0 && !where.force && found.manifestCurrent)
        return undefined;
    const manifest = manifestAfterPush(where.remote.prefix, plan, found.remote, found.local, outcome, (key) => log.fingerprint(key, outcome.written.get(key)?.encoding));
    try {
        return await writeManifest(where.remote, where.manifestKey, manifest, where.storage);
    }
    catch (error) {
        const warning = {
            key: where.manifestKey,
            message: `Could not write the deploy manifest (${errorMessage(rootCause(error))}); the next run HEADs what it would have known from it.`,
        };
        log.reporter.warn(warning.key, warning.message);
        outcome.warnings.push(warning);
        return undefined;
    }
}
/**
 * What the bucket holds under the prefix after a push, finished or not: the
 * listed objects it did not delete, as they were listed, and what it wrote,
 * with the ETags S3 returned for them. `fingerprint` gives the headers of a
 * key written now. Nothing the push did not do is recorded: a copy or
 * update it did not get to keeps the object's old record.
 */
function manifestAfterPush(prefix, plan, remote, source, outcome, fingerprint) {
    const records = new Map();
    const deleted = new Set(outcome.deleted.map((removal) => removal.key));
    // Their listed object is not the local file (yet): its md5 is not the object's.
    const toCopy = new Set(plan.copies.map((copy) => copy.key));
    for (const [key, entry] of remote) {
        if (deleted.has(key))
            continue;
        const record = recordOf(entry, toCopy.has(key) ? undefined : source.get(key));
        if (record !== undefined)
            records.set(keyHash(key), record);
    }
    for (const [key, written] of outcome.written) {
        const record = { size: written.size, etag: written.etag, headers: fingerprint(key) };
        if (written.md5 !== undefined)
            record.md5 = written.md5;
        if (written.location !== undefined)
            record.location = written.location;
        if (written.encoding !== undefined)
            record.encoding = written.encoding;
        if (written.folder !== undefined)
            record.folder = written.folder;
        if (written.link !== undefined)
            linkInto(record, written.link);
        records.set(keyHash(key), record);
    }
    return { prefix, records };
}
/** A listed object as the manifest keeps it; its md5 from the HEAD, or the local file an unchanged one equals. */
function recordOf(entry, local) {
    if (entry.kind === 'redirect') {
        if (entry.etag === undefined)
            return undefined;
        return {
            size: 0,
            etag: entry.etag,
            location: entry.location,
            ...(entry.headers === undefined ? {} : { headers: entry.headers }),
            ...(entry.modified === undefined ? {} : { modified: entry.modified }),
            ...(entry.folder === undefined ? {} : { folder: entry.folder }),
        };
    }
    if (entry.etag === undefined)
        return undefined;
    const record = { size: entry.size, etag: entry.etag };
    const md5 = entry.md5 ?? (local?.kind === 'file' ? local.md5 : undefined);
    if (md5 !== undefined)
        record.md5 = md5;
    if (entry.encoding !== undefined)
        record.encoding = entry.encoding;
    if (entry.headers !== undefined)
        record.headers = entry.headers;
    if (entry.modified !== undefined)
        record.modified = entry.modified;
    if (entry.link !== undefined)
        linkInto(record, entry.link);
    return record;
}
function linkInto(record, link) {
    record.linkFile = link.target;
    if (link.folder !== undefined)
        record.folder = link.folder;
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/lib-storage/dist-cjs/index.js
var lib_storage_dist_cjs = __webpack_require__(2358);
;// CONCATENATED MODULE: ./src/bucket/delete-md5.ts

/**
 * DeleteObjects must carry an integrity header. Since v3.729 the SDK sends a
 * CRC32 even when checksums are "when required", but many S3-compatible
 * stores (older MinIO, Ceph, s3proxy and others) accept only Content-MD5 and
 * answer "Missing required header for this request: Content-MD5". This puts
 * the MD5 back for that one operation, as AWS's own MD5_FALLBACK note does.
 */
function sendContentMd5OnDeleteObjects(client) {
    const middleware = (next, context) => async (args) => {
        const request = args.request;
        if (context.commandName === 'DeleteObjectsCommand' && request.headers && typeof request.body === 'string') {
            for (const header of Object.keys(request.headers)) {
                const lower = header.toLowerCase();
                if (lower.startsWith('x-amz-checksum-') || lower.startsWith('x-amz-sdk-checksum-')) {
                    delete request.headers[header];
                }
            }
            request.headers['content-md5'] = (0,external_node_crypto_.createHash)('md5').update(request.body).digest('base64');
        }
        return next(args);
    };
    // Low priority in the build step: after the SDK's own checksum middleware, before signing.
    client.middlewareStack.add(middleware, { step: 'build', priority: 'low', name: 'sendContentMd5OnDeleteObjects' });
}

;// CONCATENATED MODULE: ./src/bucket/expected-owner.ts
/**
 * Every S3 request of the run names the account that must own the bucket,
 * so a bucket name taken over by another account is refused by S3 itself
 * (403) instead of being written to or read from. One middleware covers
 * every command, the lean LIST reader and multipart uploads alike; a copy
 * names it for its source too.
 */
function sendExpectedBucketOwner(client, accountId) {
    const middleware = (next) => async (args) => {
        const request = args.request;
        if (request.headers) {
            request.headers['x-amz-expected-bucket-owner'] = accountId;
            if (request.headers['x-amz-copy-source'] !== undefined) {
                request.headers['x-amz-source-expected-bucket-owner'] = accountId;
            }
        }
        return next(args);
    };
    // Build step: before signing, so the headers are signed with the rest.
    client.middlewareStack.add(middleware, { step: 'build', name: 'sendExpectedBucketOwner' });
}

;// CONCATENATED MODULE: ./src/bucket/lean-list.ts
/** The most bytes a page is read into memory for (a page of 1,000 keys of 1,024 bytes is under 1.5 MB). */
const MAX_PAGE_BYTES = 8 * 2 ** 20;
function readListPage(xml) {
    // Searched as latin1, whose characters are the page's bytes one for one:
    // tags are ASCII and no byte of a multi-byte UTF-8 character is, so an
    // offset in the text is the same offset in the bytes, where text is decoded.
    const page = new PageText(xml);
    // Only a page laid out as S3 writes it: anything else (a 200 that is an
    // <Error>, attributes, comments, CDATA, URL-encoded keys) goes to the SDK,
    // which may read it, or throw an error that is retried.
    if (!page.text.includes('<ListBucketResult') || UNEXPECTED.test(page.text))
        return undefined;
    const whole = page.region(0, page.text.length);
    const result = { Contents: [], CommonPrefixes: [] };
    const truncated = page.textOf(TAGS.IsTruncated, whole);
    if (truncated !== 'true' && truncated !== 'false')
        return undefined;
    result.IsTruncated = truncated === 'true';
    const keyCount = page.textOf(TAGS.KeyCount, whole);
    if (keyCount !== undefined)
        result.KeyCount = Number(keyCount);
    const token = page.textOf(TAGS.NextContinuationToken, whole);
    if (token !== undefined)
        result.NextContinuationToken = token;
    if ([keyCount, token].includes(INVALID))
        return undefined;
    let contents = 0;
    for (let at = page.text.indexOf('<Contents'); at !== -1; at = page.text.indexOf('<Contents', at + 1)) {
        contents += 1;
        const end = page.text.indexOf('</Contents>', at);
        if (!page.text.startsWith('<Contents>', at) || end === -1)
            return undefined;
        const object = page.region(at, end);
        const key = page.textOf(TAGS.Key, object);
        if (key === undefined || key === INVALID)
            return undefined;
        const listed = { Key: key };
        const size = page.transientTextOf(TAGS.Size, object);
        if (size !== undefined)
            listed.Size = Number(size);
        const etag = page.quotedText(TAGS.ETag, object) ?? page.textOf(TAGS.ETag, object);
        if (etag === INVALID)
            return undefined;
        if (etag !== undefined)
            listed.ETag = etag;
        const modified = page.transientTextOf(TAGS.LastModified, object);
        if (modified !== undefined)
            listed.LastModified = new Date(modified);
        if (!readArchiveFields(page, object, listed))
            return undefined;
        result.Contents.push(listed);
    }
    let prefixes = 0;
    for (let at = page.text.indexOf('<CommonPrefixes'); at !== -1; at = page.text.indexOf('<CommonPrefixes', at + 1)) {
        prefixes += 1;
        const end = page.text.indexOf('</CommonPrefixes>', at);
        if (!page.text.startsWith('<CommonPrefixes>', at) || end === -1)
            return undefined;
        const prefix = page.textOf(TAGS.Prefix, page.region(at, end));
        if (prefix === undefined || prefix === INVALID)
            return undefined;
        result.CommonPrefixes.push({ Prefix: prefix });
    }
    // A count that disagrees means something was not read as S3 meant it.
    if (result.KeyCount !== undefined && result.KeyCount !== result.Contents.length + result.CommonPrefixes.length) {
        return undefined;
    }
    if (contents !== result.Contents.length || prefixes !== result.CommonPrefixes.length)
        return undefined;
    return result;
}
/**
 * The storage class, kept only when not STANDARD (a pull skips archived
 * objects), and whether a restore is in progress where the listing says.
 * False when an element is malformed.
 */
function readArchiveFields(page, object, listed) {
    const storageClass = page.transientTextOf(TAGS.StorageClass, object);
    if (storageClass === INVALID)
        return false;
    if (storageClass !== undefined && storageClass !== 'STANDARD')
        listed.StorageClass = storageClass;
    if (!object.text.includes('<RestoreStatus>'))
        return true;
    const inProgress = page.transientTextOf(TAGS.IsRestoreInProgress, object);
    if (inProgress === INVALID)
        return false;
    listed.RestoreStatus = inProgress === undefined ? {} : { IsRestoreInProgress: inProgress === 'true' };
    return true;
}
/** Text a page of S3's layout never holds outside escaped text. */
const UNEXPECTED = /<!\[CDATA\[|<!--|<EncodingType|<(?:Contents|Key|Size|ETag|LastModified|IsTruncated|CommonPrefixes|Prefix|NextContinuationToken|KeyCount) /;
/** Marks text with an entity this reader does not know, or an element left open. */
const INVALID = '\u0000invalid';
function tag(name) {
    return {
        open: `<${name}>`,
        close: `</${name}>`,
        empty: `<${name}/>`,
        quotedOpen: `<${name}>${QUOT}`,
        quotedClose: `${QUOT}</${name}>`,
    };
}
const QUOT = '&quot;';
const TAGS = {
    IsTruncated: tag('IsTruncated'),
    KeyCount: tag('KeyCount'),
    NextContinuationToken: tag('NextContinuationToken'),
    Key: tag('Key'),
    Size: tag('Size'),
    ETag: tag('ETag'),
    LastModified: tag('LastModified'),
    Prefix: tag('Prefix'),
    StorageClass: tag('StorageClass'),
    IsRestoreInProgress: tag('IsRestoreInProgress'),
};
/** A page's bytes, and the same bytes as latin1 text to search. */
class PageText {
    bytes;
    text;
    constructor(bytes) {
        this.bytes = bytes;
        this.text = bytes.toString('latin1');
    }
    /**
     * The part of the text from `from` to `to`, searched on its own: a search
     * that ran on past an object to the page's end would make a page with an
     * element missing from every object cost its length squared.
     */
    region(from, to) {
        return { text: from === 0 && to === this.text.length ? this.text : this.text.slice(from, to), offset: from };
    }
    /**
     * The decoded text of the first `<tag>…</tag>` in `region`; undefined if
     * there is none. Decoded from the bytes, so no string holds on to the
     * page: a slice of it would keep all of it alive with every key.
     */
    textOf(tag, region) {
        const open = region.text.indexOf(tag.open);
        if (open === -1)
            return region.text.includes(tag.empty) ? '' : undefined;
        const start = open + tag.open.length;
        const end = region.text.indexOf(tag.close, start);
        if (end === -1)
            return INVALID;
        return decodeText(this.bytes.toString('utf8', region.offset + start, region.offset + end));
    }
    /**
     * textOf for text read and dropped at once (a number, a date): a slice of
     * the page's text when it needs no decoding, so the bytes are not decoded
     * again. Kept, such a slice would keep the whole page alive.
     */
    transientTextOf(tag, region) {
        const open = region.text.indexOf(tag.open);
        if (open === -1)
            return this.textOf(tag, region);
        const start = open + tag.open.length;
        const end = region.text.indexOf(tag.close, start);
        if (end === -1)
            return INVALID;
        const raw = region.text.slice(start, end);
        // Latin1 is the bytes as UTF-8 only where all are ASCII; anything else is decoded.
        return /^[\x21-\x25\x27-\x7e]*$/.test(raw) ? raw : this.textOf(tag, region);
    }
    /**
     * The text inside `<tag>&quot;…&quot;</tag>` when nothing else in it needs
     * decoding: an ETag as bareEtag would leave it, read straight from the bytes.
     */
    quotedText(tag, region) {
        const open = region.text.indexOf(tag.quotedOpen);
        if (open === -1)
            return undefined;
        const start = open + tag.quotedOpen.length;
        const end = region.text.indexOf(tag.quotedClose, start);
        if (end === -1)
            return undefined;
        for (let i = start; i < end; i += 1) {
            const char = region.text.charCodeAt(i);
            if (char === AMPERSAND || char === CARRIAGE_RETURN)
                return undefined;
        }
        return this.bytes.toString('utf8', region.offset + start, region.offset + end);
    }
}
const AMPERSAND = 0x26;
const CARRIAGE_RETURN = 0x0d;
const NAMED = new Map([
    ['amp', '&'],
    ['lt', '<'],
    ['gt', '>'],
    ['quot', '"'],
    ['apos', "'"],
]);
/** XML text as a parser gives it: line ends normalised to \n, then entities decoded. */
function decodeText(raw) {
    const text = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
    let amp = text.indexOf('&');
    if (amp === -1)
        return text;
    let decoded = '';
    let done = 0;
    while (amp !== -1) {
        const semicolon = text.indexOf(';', amp);
        if (semicolon === -1 || semicolon - amp > 10)
            return INVALID;
        const name = text.slice(amp + 1, semicolon);
        let char = NAMED.get(name);
        if (char === undefined) {
            const code = /^#x[0-9a-fA-F]{1,6}$/.test(name)
                ? Number.parseInt(name.slice(2), 16)
                : /^#[0-9]{1,7}$/.test(name)
                    ? Number(name.slice(1))
                    : NaN;
            if (!Number.isInteger(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
                return INVALID;
            char = String.fromCodePoint(code);
        }
        decoded += text.slice(done, amp) + char;
        done = semicolon + 1;
        amp = text.indexOf('&', done);
    }
    return decoded + text.slice(done);
}
/**
 * Pages read, by the response they came in: it passes through the SDK's
 * deserializer as it is. Not by context: a client with cacheMiddleware gives
 * every LIST of a command the same one.
 */
const pages = new WeakMap();
/**
 * Reads ListObjectsV2 pages with readListPage. Two middlewares around the
 * SDK's deserializer: the inner one reads the raw body and leaves the SDK a
 * trivial one; the outer one hands back the page it read. Retries and the
 * request budget sit outside both, so every attempt is still counted.
 */
function readListPagesLean(client) {
    const inner = (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName !== 'ListObjectsV2Command')
            return result;
        const response = result.response;
        if (response.statusCode !== 200)
            return result;
        const bytes = await collect(response.body);
        const page = bytes.length <= MAX_PAGE_BYTES ? readListPage(bytes) : undefined;
        if (page === undefined) {
            response.body = bytes;
            return result;
        }
        pages.set(response, page);
        response.body = EMPTY_PAGE;
        return result;
    };
    const outer = (next) => async (args) => {
        const result = await next(args);
        const response = result.response;
        const page = pages.get(response);
        if (page === undefined)
            return result;
        pages.delete(response);
        return { ...result, output: { ...page, $metadata: result.output?.$metadata ?? {} } };
    };
    client.middlewareStack.add(inner, { step: 'deserialize', priority: 'low', name: 'leanListRead', override: true });
    client.middlewareStack.add(outer, {
        step: 'deserialize',
        priority: 'high',
        name: 'leanListHandOver',
        override: true,
    });
}
const EMPTY_PAGE = new TextEncoder().encode('<ListBucketResult></ListBucketResult>');
async function collect(body) {
    if (body === undefined || body === null)
        return Buffer.alloc(0);
    if (typeof body === 'string')
        return Buffer.from(body);
    if (body instanceof Uint8Array)
        return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const chunks = [];
    for await (const chunk of body) {
        chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
}

;// CONCATENATED MODULE: ./src/bucket/client.ts




const MAX_ATTEMPTS = 5;
/**
 * Multipart uploads in flight at once, whatever the concurrency: each holds up
 * to three 8 MiB parts in memory, so 4 slots keep a push under ~100 MiB of part
 * buffers while the small files go on at full concurrency.
 */
const LARGE_UPLOAD_SLOTS = 4;
/**
 * The SDK waits forever by default, so one stalled connection would hang the
 * job until GitHub cancels it. An idle limit (not a total one) never cuts a
 * large transfer that is still moving.
 */
const DEFAULT_TIMEOUTS = { connectMs: 10_000, idleMs: 60_000 };
/**
 * The S3 client for a run. Checksums default to WHEN_REQUIRED for custom
 * endpoints: SDK v3 sends CRC32 checksums by default since early 2025, and
 * several S3-compatible stores reject them.
 */
function createS3Client(settings, timeouts = DEFAULT_TIMEOUTS) {
    const checksum = settings.checksums === 'when-required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
    // Enough that no transfer waits for a socket: the requests the concurrency
    // allows, plus two parts in flight for each multipart upload slot.
    const maxSockets = settings.concurrency + 2 * LARGE_UPLOAD_SLOTS;
    const client = new dist_cjs.S3Client({
        region: settings.region,
        endpoint: settings.endpoint,
        forcePathStyle: settings.forcePathStyle,
        credentials: settings.credentials,
        maxAttempts: MAX_ATTEMPTS,
        // A bucket in another region than `region` answers 301 with its own
        // region; the SDK then signs for that region and sends the request again.
        followRegionRedirects: true,
        // Resolves each command's middleware stack once instead of per request,
        // a tenth of the client's CPU per small file. Middleware added after a
        // command's first request would be ignored for it, so everything that adds
        // middleware (Content-MD5 below, the request budget) does so before.
        cacheMiddleware: true,
        // With `Expect: 100-continue` the SDK sends each large body on a one-off
        // connection; without it, parts ride the pooled keep-alive connections
        // (docs/adr/0002-no-expect-100-continue.md).
        expectContinueHeader: false,
        requestChecksumCalculation: checksum,
        responseChecksumValidation: checksum,
        requestHandler: {
            connectionTimeout: timeouts.connectMs,
            socketTimeout: timeouts.idleMs,
            httpsAgent: { maxSockets },
            httpAgent: { maxSockets },
        },
    });
    if (settings.checksums === 'when-required')
        sendContentMd5OnDeleteObjects(client);
    if (settings.expectedBucketOwner !== undefined)
        sendExpectedBucketOwner(client, settings.expectedBucketOwner);
    readListPagesLean(client);
    return client;
}

;// CONCATENATED MODULE: ./src/sync/delete.ts




/** Keys in one DeleteObjects: S3's most. */
const DELETE_BATCH = 1000;
/** The DeleteObjects requests that delete this many keys. */
function deleteRequests(keys) {
    return Math.ceil(keys / DELETE_BATCH);
}
/** Deletes the keys in batches, recording each deleted key in `outcome`. */
async function deleteObjects(deletes, outcome, context) {
    if (deletes.length === 0)
        return;
    await context.reporter.group(`Delete ${plural(deletes.length, 'object')}`, async () => {
        // One batch at a time: each already carries 1000 keys, and S3 throttles
        // writes per prefix (s3rver even fails concurrent batches in one folder).
        for (let i = 0; i < deletes.length; i += DELETE_BATCH) {
            await deleteBatch(deletes.slice(i, i + DELETE_BATCH), outcome, context);
        }
    });
}
/**
 * One DeleteObjects. S3 answers 200 even when it refuses some keys, listing
 * them as errors: the others are gone, and are recorded as deleted.
 */
async function deleteBatch(batch, outcome, { remote }) {
    const first = batch[0];
    const response = await tagged('delete', first.key, () => remote.client.send(new dist_cjs.DeleteObjectsCommand({
        Bucket: remote.bucket,
        Delete: { Quiet: true, Objects: batch.map((removal) => ({ Key: withPrefix(remote.prefix, removal.key) })) },
    })));
    const errors = response.Errors ?? [];
    const refused = new Set(errors.map((error) => error.Key));
    outcome.deleted.push(...batch.filter((removal) => !refused.has(withPrefix(remote.prefix, removal.key))));
    if (errors.length === 0)
        return;
    const named = errors
        .slice(0, 10)
        .map((error) => `${error.Key ?? '?'} (${error.Code ?? 'error'}: ${error.Message ?? ''})`)
        .join(', ');
    const more = errors.length > 10 ? ` and ${errors.length - 10} more` : '';
    const refusal = Object.assign(new Error(`S3 refused to delete ${errors.length} of ${plural(batch.length, 'object')}: ${named}${more}`), { name: errors[0]?.Code ?? 'DeleteRefused' });
    const key = errors[0]?.Key ?? withPrefix(remote.prefix, first.key);
    throw new OperationError('delete', stripPrefix(remote.prefix, key) ?? key, refusal);
}

;// CONCATENATED MODULE: ./src/sync/upload.ts
















/**
 * Applies a push plan in deploy order (deploy-order.ts), recording each finished
 * step in `outcome`. Any failure stops the run before the deletes.
 */
async function applyPush(plan, outcome, context) {
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
async function updateHeaders(plan, outcome, context) {
    const { remote, reporter, headersFor } = context;
    if (plan.updates.length === 0)
        return;
    await reporter.group(`Update the headers of ${plural(plan.updates.length, 'object')}`, async () => {
        await forEachBounded(plan.updates, context.concurrency, async (update) => {
            const objectKey = withPrefix(remote.prefix, update.key);
            const { Metadata: metadata, ...headers } = headersFor(update.key);
            const redirect = update.entry.kind === 'redirect' ? update.entry : undefined;
            const file = update.entry.kind === 'file' ? update.entry : undefined;
            // The object's own md5, or the source's where another tool's write dropped the metadata.
            const md5 = file === undefined ? undefined : (file.md5 ?? update.md5);
            const response = await tagged('update', update.key, () => remote.client.send(new dist_cjs.CopyObjectCommand({
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
            })));
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
async function checkRedirectsKept(outcome, { remote, reporter }) {
    const written = outcome.redirected[0];
    if (written === undefined)
        return;
    const head = await tagged('inspect', written.key, () => remote.client.send(new dist_cjs.HeadObjectCommand({ Bucket: remote.bucket, Key: withPrefix(remote.prefix, written.key) })));
    if (head.WebsiteRedirectLocation === written.location)
        return;
    const warning = {
        key: written.key,
        message: `${remote.endpointName ?? 'This store'} did not keep the redirect just written (x-amz-website-redirect-location ` +
            `came back ${head.WebsiteRedirectLocation === undefined ? 'missing' : `as ${head.WebsiteRedirectLocation}`}), so ` +
            `the ${plural(outcome.redirected.length, 'link')} pushed as redirects are empty files there, and every push writes them again. ` +
            'Use a store that keeps website redirects (AWS S3 does; see the README), or exclude the symlinks.',
    };
    reporter.warn(warning.key, warning.message);
    outcome.warnings.push(warning);
}
async function uploadAndRedirect(plan, outcome, context) {
    const { reporter, concurrency } = context;
    if (plan.copies.length + plan.redirects.length === 0)
        return;
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
async function copyForLink(copy, outcome, context) {
    const { remote, headersFor, root } = context;
    const link = copy.entry.link;
    const md5 = copy.entry.md5 ??
        outcome.written.get(link.target)?.md5 ??
        (await fileMd5(localPathForKey(root, link.target), copy.entry.size));
    const { Metadata: metadata, ...headers } = headersFor(copy.key);
    const source = withPrefix(remote.prefix, link.target);
    const object = {
        params: { Bucket: remote.bucket, Key: withPrefix(remote.prefix, copy.key), ...headers },
        metadata: { ...metadata, ...linkCopyMetadata(link) },
        filePath: localPathForKey(root, link.target),
    };
    let response;
    try {
        response = await remote.client.send(new dist_cjs.CopyObjectCommand({
            ...object.params,
            CopySource: `${remote.bucket}/${source.split('/').map(encodeURIComponent).join('/')}`,
            MetadataDirective: 'REPLACE',
            Metadata: { ...object.metadata, md5 },
        }));
    }
    catch (error) {
        // The target is in the bucket; a store that misreads an encoded copy source (s3rver with "&", "?" or "+") gets the bytes.
        if (error.name !== 'NoSuchKey')
            throw error;
        const written = copy.entry.size <= SMALL_FILE ? await putSmall(object, remote) : await uploadInParts(copy, object, context);
        return { ...written, link };
    }
    const etag = bareEtag(response.CopyObjectResult?.ETag) ?? md5;
    return { size: copy.entry.size, etag, md5, link, ...versionOf(response) };
}
/** Uploads one file; returns what the bucket now holds at its key. */
async function uploadFile(copy, context) {
    const { root, remote, headersFor, storesGzipped } = context;
    const filePath = localPathForKey(root, copy.key);
    const { Metadata: metadata, ...headers } = headersFor(copy.key);
    const object = {
        params: { Bucket: remote.bucket, Key: withPrefix(remote.prefix, copy.key), ...headers },
        metadata,
        filePath,
    };
    if (storesGzipped(copy.key, copy.entry.size))
        return putGzipped(object, remote);
    if (copy.entry.size <= SMALL_FILE)
        return putSmall(object, remote);
    return uploadInParts(copy, object, context);
}
/**
 * The md5 metadata stays the original's, so change detection does not
 * depend on the compressor; Content-MD5 guards the compressed bytes sent.
 */
async function putGzipped({ params, metadata, filePath }, remote) {
    const original = readNoFollow(filePath);
    const body = gzipBytes(original);
    const md5 = (0,external_node_crypto_.createHash)('md5').update(original).digest('hex');
    const sent = (0,external_node_crypto_.createHash)('md5').update(body).digest();
    const response = await remote.client.send(new dist_cjs.PutObjectCommand({
        ...params,
        ContentEncoding: 'gzip',
        Metadata: { ...metadata, md5 },
        Body: body,
        ContentLength: body.length,
        ContentMD5: sent.toString('base64'),
    }));
    const etag = bareEtag(response.ETag) ?? sent.toString('hex');
    return { size: body.length, etag, md5, encoding: 'gzip', ...versionOf(response) };
}
/**
 * One read, hashed and sent as is, so the md5 metadata always describes the
 * bytes sent, and Content-MD5 has S3 refuse them if they arrive otherwise
 * (ADR 0005). O_NOFOLLOW refuses a symlink swapped in since the scan.
 */
async function putSmall({ params, metadata, filePath }, remote) {
    const body = readNoFollow(filePath);
    const md5 = (0,external_node_crypto_.createHash)('md5').update(body).digest();
    const response = await remote.client.send(new dist_cjs.PutObjectCommand({
        ...params,
        Metadata: { ...metadata, md5: md5.toString('hex') },
        Body: body,
        ContentLength: body.length,
        ContentMD5: md5.toString('base64'),
    }));
    const etag = bareEtag(response.ETag) ?? md5.toString('hex');
    return { size: body.length, etag, md5: md5.toString('hex'), ...versionOf(response) };
}
/**
 * The metadata goes out before the first part, so a large file is hashed
 * first if the comparison did not need its md5; the bytes sent are hashed
 * again on the way and checked against it.
 */
async function uploadInParts(copy, { params, metadata, filePath }, { remote, reporter }) {
    const md5 = copy.entry.md5 ?? (await fileMd5(filePath, copy.entry.size));
    const hashing = hashingStream();
    const source = (0,external_node_fs_.createReadStream)(filePath, { fd: openNoFollow(filePath) });
    const upload = new lib_storage_dist_cjs/* Upload */._({
        client: remote.client,
        partSize: PART_SIZE,
        queueSize: 2,
        // The abort is done below: lib-storage's own lets a failed abort take the
        // place of the error that caused it.
        leavePartsOnError: true,
        params: { ...params, Metadata: { ...metadata, md5 }, Body: source.pipe(hashing.stream) },
    });
    let etag;
    let version;
    try {
        const done = await upload.done();
        etag = bareEtag(done.ETag);
        version = versionOf(done);
    }
    catch (error) {
        if (upload.uploadId !== undefined)
            await abortUpload(remote, copy.key, upload.uploadId, reporter);
        throw error;
    }
    finally {
        // An upload that fails before reading to the end leaves the file open.
        source.destroy();
    }
    const sent = hashing.md5();
    if (sent !== md5) {
        throw new Error(`${copy.key} changed while it was uploaded (md5 ${sent}, hashed as ${md5}); its object may be stale, run again`);
    }
    return { size: hashing.bytes(), etag: etag ?? copy.entry.multipartEtag ?? md5, md5, ...(version ?? {}) };
}
/**
 * Stored parts of an unfinished multipart upload are billed until they are
 * removed, so a failed upload is aborted; if that fails too, the run's error
 * stays the one that caused it and the leftover is named in a warning.
 */
async function abortUpload(remote, key, uploadId, reporter) {
    const objectKey = withPrefix(remote.prefix, key);
    try {
        await remote.client.send(new dist_cjs.AbortMultipartUploadCommand({ Bucket: remote.bucket, Key: objectKey, UploadId: uploadId }));
    }
    catch (abortError) {
        // Gone already: an earlier attempt of this abort succeeded, or the upload completed after all.
        if (abortError.name === 'NoSuchUpload')
            return;
        reporter.warn(key, `Could not abort its unfinished multipart upload (${errorMessage(abortError)}): its parts stay stored, ` +
            `and billed, until an AbortMultipartUpload of upload ${uploadId} on ${s3Url(remote.bucket, remote.prefix, key)} ` +
            'or a lifecycle rule removes them');
    }
}
/** Opens a file for reading, refusing to follow a symlink (where the platform can). */
function openNoFollow(filePath) {
    return (0,external_node_fs_.openSync)(filePath, external_node_fs_.constants.O_RDONLY | (external_node_fs_.constants.O_NOFOLLOW ?? 0));
}
/** readFileSync leaves a descriptor it was given open, so this closes it. */
function readNoFollow(filePath) {
    const fd = openNoFollow(filePath);
    try {
        return (0,external_node_fs_.readFileSync)(fd);
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/**
 * A redirect object carries its key's headers too: a CDN caches a 301 as its
 * Cache-Control says. One of a symlink to a folder names it, for a pull to make it again.
 */
async function putRedirect(redirect, { remote, headersFor }) {
    const { Metadata: metadata, ...headers } = headersFor(redirect.key);
    const { folder } = redirect;
    const response = await remote.client.send(new dist_cjs.PutObjectCommand({
        ...headers,
        Metadata: folder === undefined ? metadata : { ...metadata, ...folderTagMetadata(folder) },
        Bucket: remote.bucket,
        Key: withPrefix(remote.prefix, redirect.key),
        Body: '',
        // Without an explicit length the SDK warns about a stream of unknown length.
        ContentLength: 0,
        WebsiteRedirectLocation: redirect.location,
    }));
    const written = {
        size: 0,
        etag: bareEtag(response.ETag) ?? EMPTY_MD5,
        location: redirect.location,
        ...versionOf(response),
    };
    return folder === undefined ? written : { ...written, folder };
}
/** Requests a push plan will send, so the budget can be checked up front. */
function pushRequestEstimate(plan, storesGzipped = () => false) {
    // The redirects, one HEAD to check the store kept them, the header updates and the delete batches.
    let requests = plan.redirects.length +
        Math.min(plan.redirects.length, 1) +
        plan.updates.length +
        deleteRequests(plan.deletes.length);
    for (const copy of plan.copies) {
        // Create + parts + complete for multipart uploads, one PUT (or CopyObject for a link) otherwise.
        const multipart = copy.entry.size > PART_SIZE && !storesGzipped(copy.key, copy.entry.size) && copy.entry.link === undefined;
        requests += multipart ? Math.ceil(copy.entry.size / PART_SIZE) + 2 : 1;
    }
    return requests;
}

;// CONCATENATED MODULE: ./src/sync/push.ts

















/**
 * The bucket becomes a copy of the directory: inventory, decide, guards,
 * apply, then the manifest of what the bucket now holds. Nothing changes
 * before every guard has passed.
 */
async function push(job, run) {
    const { root, remote } = job;
    await requireSourceDirectory(root);
    const role = { terms: job.lease, remote, takes: !job.safety.dryRun };
    const { decided, lease, watch } = await decideUnderLease(role, run.reporter, (seen) => push_inventoryAndPlan(job, run, seen));
    const { plan, inventories, filters } = decided;
    let deploy;
    const result = await holding(lease, () => applyPlan('push', plan, job.safety.dryRun, async (outcome) => {
        const context = { ...run, root, remote, headersFor: job.headersFor, storesGzipped: filters.storesGzipped };
        let manifestVersion;
        try {
            await applyPush(plan, outcome, context);
        }
        finally {
            // A push that failed part-way records what it did, so its re-run sends only what is still missing.
            manifestVersion = await recordPush(job, inventories, plan, outcome, run);
        }
        if (job.deploys === undefined)
            return;
        const objects = objectsAfter(inventories.remote, outcome);
        const done = { kind: 'push', listedIds: [...watch.deployIds], objects, outcome, manifestVersion };
        deploy = await recordDeploy(remote, job.deploys, done, run.reporter);
    }));
    return deploy === undefined ? result : { ...result, deploy };
}
/** The manifest of what the bucket holds after the apply, whether it finished or not. */
async function recordPush(job, inventories, plan, outcome, run) {
    if (job.manifestKey === undefined)
        return undefined;
    const fingerprint = (key, encoding) => headersFingerprint(job.headersFor(key), encoding);
    const { manifest } = inventories;
    const manifestCurrent = manifest !== undefined && isCurrent(manifest, inventories.remote);
    const found = { remote: inventories.remote, local: inventories.local.entries, manifestCurrent };
    const target = { remote: job.remote, manifestKey: job.manifestKey, force: job.force, storage: job.storage };
    return recordManifest(target, plan, found, outcome, { fingerprint, reporter: run.reporter });
}
/** Inventory, decide and guards: everything before a change. */
async function push_inventoryAndPlan(job, run, watch) {
    const filters = watch.filters(copyFilters(job));
    const directory = { root: job.root, exists: true, hashEarlyUpTo: Infinity };
    const bucket = { remote: job.remote, manifestKey: manifestToRead(job), listTuning: job.listTuning };
    const inventories = await takeInventory(directory, bucket, filters, run.reporter, () => run.budget.used);
    if (job.links === 'copy')
        linksAsCopies(inventories.local.entries, job.remote.prefix, filters.storesGzipped);
    const plan = await decidePush(inventories, job, filters, run);
    const lease = leaseRequests({ terms: job.lease, remote: job.remote, takes: !job.safety.dryRun }, plan);
    const requestsToApply = pushRequestEstimate(plan, filters.storesGzipped) +
        manifestWrites(job) +
        job.reservedRequests +
        lease +
        deployRequests(job.deploys, planChanges(plan), watch.deployIds.size);
    checkGuards(plan, pushRoute(job), job.safety, { budget: run.budget, requestsToApply });
    return { plan, inventories, filters };
}
function decidePush(inventories, job, filters, run) {
    const { storesGzipped } = filters;
    const fingerprint = (key, entry) => headersFingerprint(job.headersFor(key), entry.kind === 'file' && storesGzipped(key, entry.size) ? 'gzip' : undefined);
    const sides = { source: inventories.local.entries, destination: inventories.remote };
    return decide(inventories, sides, {
        resolve: {
            force: job.force,
            storesGzipped,
            objectsToInspect: (compared, force) => [
                ...new Set([
                    ...zeroByteDestinationObjects(compared, force),
                    ...linkCopiesToInspect(compared.local, compared.remote, force),
                ]),
            ],
        },
        plan: {
            prefix: job.remote.prefix,
            delete: job.delete,
            force: job.force,
            // The same bytes as a copy for another symlink, or for none (`links: copy`), are written again.
            sameFile: (local, remote) => compareFiles(local, remote) === 'same' && sameLinkCopy(local.link, remote.link),
            ...(job.manifestKey === undefined ? {} : { headersFingerprint: fingerprint }),
        },
    }, { location: job.remote, concurrency: run.concurrency }, run.reporter);
}
/** The manifest's PUT. */
function manifestWrites(job) {
    return job.manifestKey === undefined ? 0 : 1;
}
function pushRoute({ root, remote }) {
    return {
        verb: 'push',
        source: `The directory ${root}`,
        sourceItem: 'entry',
        destination: `under ${s3Url(remote.bucket, remote.prefix)}`,
        deletedItem: 'object',
        deleteAdvice: 'Check that directory and prefix point where you meant (a push deletes every object under the prefix that the directory lacks). ',
    };
}

;// CONCATENATED MODULE: ./src/sync/remove.ts










/** How the max-delete refusal names what a remove deletes. */
const REMOVE_ROUTE = {
    deletedItem: 'object',
    deleteAdvice: 'Check that directory and prefix point where you meant (a push deletes every object under the prefix that the directory lacks). ',
};
/**
 * Removes every object under the prefix, and nothing outside it: the clean-up
 * of a pull-request preview. A push from an empty directory in all but its
 * guard: an empty prefix would name the whole bucket, so it is refused.
 */
async function remove(job, run) {
    const { remote } = job;
    refuseWholeBucket(remote);
    const role = { terms: job.lease, remote, takes: !job.dryRun };
    const { decided, lease } = await decideUnderLease(role, run.reporter, (watch) => planRemoval(job, run, watch));
    const { plan } = decided;
    return holding(lease, () => applyPlan('push', plan, job.dryRun, (outcome) => deleteObjects(plan.deletes, outcome, { remote, ...run })));
}
/** Everything under the prefix but the action's own folder, which a remove leaves alone. */
async function planRemoval(job, run, watch) {
    const isExcluded = (key) => key.startsWith(ACTION_FOLDER) || job.isExcluded(key);
    const listed = await listEverything(job.remote, watch.filters({ isExcluded, storesGzipped: () => false }), run.reporter);
    const plan = plan_plan({ source: new Map(), destination: listed }, { prefix: job.remote.prefix, delete: true, force: false, sameFile: () => false });
    refuseTooManyDeletes(plan, REMOVE_ROUTE, job.maxDelete);
    const lease = leaseRequests({ terms: job.lease, remote: job.remote, takes: !job.dryRun }, plan);
    if (!job.dryRun)
        assertCanAfford(run.budget, deleteRequests(plan.deletes.length) + lease);
    return { plan };
}
function refuseWholeBucket(remote) {
    if (remote.prefix !== '')
        return;
    throw new RefusedError(`direction: remove deletes everything under the prefix, and the prefix is empty, which would be all of ${s3Url(remote.bucket, '')}. Nothing was changed. Set prefix to the preview's folder, such as pr-12.`);
}
function listEverything(remote, filters, reporter) {
    return reporter.group(`List ${s3Url(remote.bucket, remote.prefix)}/`, async () => {
        const entries = await listRemote(remote, filters.isExcluded);
        reporter.info(`${plural(entries.size, 'object')} to remove`);
        return entries;
    });
}

;// CONCATENATED MODULE: ./src/bucket/versions.ts





/**
 * A rollback copies earlier versions, which only a versioned bucket keeps:
 * without versioning it refuses before any change.
 */
async function requireVersioning(remote) {
    const answer = await tagged('list', '', () => remote.client.send(new dist_cjs.GetBucketVersioningCommand({ Bucket: remote.bucket })));
    if (answer.Status === 'Enabled')
        return;
    const state = answer.Status === 'Suspended' ? 'suspended' : 'not enabled';
    throw new RefusedError(`A rollback needs versioning on ${s3Url(remote.bucket, '')}, and it is ${state}, so nothing was changed: enable it ` +
        `(aws s3api put-bucket-versioning --bucket ${remote.bucket} --versioning-configuration Status=Enabled, or ` +
        'Properties → Bucket Versioning in the S3 console); only deploys made after that can be restored.');
}
/** ListObjectVersions under the prefix, a page of 1,000 versions at a time. */
async function listVersions(remote, reporter) {
    return reporter.group(`List the versions under ${s3Url(remote.bucket, remote.prefix)}`, async () => {
        const history = { versions: new Map(), current: new Map() };
        const page = { KeyMarker: undefined, VersionIdMarker: undefined };
        let count = 0;
        for (;;) {
            const answer = await tagged('list', '', () => remote.client.send(new dist_cjs.ListObjectVersionsCommand({
                Bucket: remote.bucket,
                Prefix: remote.prefix === '' ? undefined : `${remote.prefix}/`,
                ...page,
            })));
            for (const listed of answer.Versions ?? [])
                count += addVersion(history, remote.prefix, listed) ? 1 : 0;
            if (!answer.IsTruncated)
                break;
            page.KeyMarker = answer.NextKeyMarker;
            page.VersionIdMarker = answer.NextVersionIdMarker;
        }
        reporter.info(`${thousands(count)} versions of ${plural(history.versions.size, 'key')}`);
        return history;
    });
}
/** Versions come newest first for each key; a key's current object is its version marked IsLatest. */
function addVersion(history, prefix, listed) {
    const key = listed.Key === undefined ? undefined : stripPrefix(prefix, listed.Key);
    if (key === undefined || listed.VersionId === undefined)
        return false;
    const version = {
        id: listed.VersionId,
        etag: bareEtag(listed.ETag) ?? '',
        size: listed.Size ?? 0,
        modified: listed.LastModified?.getTime(),
    };
    const versions = history.versions.get(key);
    if (versions === undefined)
        history.versions.set(key, [version]);
    else
        versions.push(version);
    if (listed.IsLatest)
        history.current.set(key, version);
    return true;
}

;// CONCATENATED MODULE: ./src/deploys/restore-target.ts




/**
 * The deploy a rollback restores: the one named, or by default the one
 * before the latest, so that a rollback of a rollback returns. An id the
 * listing does not show (unknown, or trimmed past keep-deploys) is refused.
 */
function chooseDeploy(requested, listed, remote) {
    const ids = [...listed].sort();
    const where = s3Url(remote.bucket, remote.prefix);
    const restorable = ids.length === 0
        ? 'there is none on record'
        : `the deploys it can restore are ${ids.length > 1 ? `${ids.slice(0, -1).join(', ')} and ` : ''}${ids.at(-1)}`;
    if (requested !== undefined) {
        if (ids.includes(requested))
            return requested;
        throw new RefusedError(`Deploy ${requested} is not on record under ${where} (unknown, or trimmed past keep-deploys), so nothing was changed: ${restorable}.`);
    }
    const previous = ids.at(-2);
    if (previous !== undefined)
        return previous;
    throw new RefusedError(`There is no deploy before the latest to roll back to under ${where}, so nothing was changed: ${restorable}.`);
}
/**
 * Each key the deploy left under the prefix, with the version it held then:
 * by VersionId where the record has one, else the newest version with the
 * recorded ETag and LastModified. A version that is gone refuses the run.
 */
function restoreTarget(id, record, history, isExcluded) {
    const target = new Map();
    const found = new Set();
    const gone = [];
    for (const [key, versions] of history.versions) {
        const hash = keyHash(key);
        const wanted = record.objects[hash];
        if (wanted === undefined)
            continue;
        found.add(hash);
        if (isExcluded(key))
            continue;
        const version = versionFor(wanted, versions);
        if (version === undefined)
            gone.push(key);
        else
            target.set(key, version);
    }
    const unlisted = Object.keys(record.objects).filter((hash) => !found.has(hash)).length;
    if (gone.length + unlisted > 0)
        throw versionsGone(id, gone, unlisted);
    return target;
}
function versionFor(wanted, versions) {
    if (wanted.version !== undefined)
        return versions.find((version) => version.id === wanted.version);
    // Newest first: among equal ETags of one second (same bytes), the latest write.
    return versions.find((version) => version.etag === wanted.etag && (wanted.modified === undefined || version.modified === wanted.modified));
}
function versionsGone(id, keys, unlisted) {
    const named = keys.slice(0, 3).join(', ');
    const count = keys.length + unlisted;
    return new RefusedError(`Deploy ${id} cannot be restored exactly, so nothing was changed: ${plural(count, 'object')} of it no longer ` +
        `${count === 1 ? 'has' : 'have'} the version it recorded${named ? ` (${named}${count > 3 ? ', …' : ''})` : ''}; ` +
        'a lifecycle rule may have expired them, or they were written before versioning was enabled.');
}

;// CONCATENATED MODULE: ./src/manifest/restore.ts



/**
 * After a rollback, the manifest describes the restored deploy: the
 * records of that deploy's own manifest (md5, redirect target, headers) for
 * the versions it left, with the ETag each copy got. What the rollback did
 * not get to, or has no record for, is left out: the next run HEADs it.
 * Returns the version written, for the rollback's own deploy record.
 */
async function recordRestoredManifest(where, target, unchanged, outcome, reporter) {
    try {
        const read = where.deployManifest === undefined
            ? undefined
            : await readManifest(where.remote, where.manifestKey, where.deployManifest);
        const manifest = manifestAfterRollback(where.remote.prefix, target, new Set(unchanged), read?.manifest, outcome);
        return await writeManifest(where.remote, where.manifestKey, manifest, where.storage);
    }
    catch (error) {
        const warning = {
            key: where.manifestKey,
            message: `Could not write the deploy manifest (${errorMessage(rootCause(error))}); the next run HEADs what it would have known from it.`,
        };
        reporter.warn(warning.key, warning.message);
        outcome.warnings.push(warning);
        return undefined;
    }
}
function manifestAfterRollback(prefix, target, unchanged, deployManifest, outcome) {
    const records = new Map();
    for (const [key, version] of target) {
        const hash = keyHash(key);
        const kept = deployManifest?.records.get(hash);
        // The deploy's record describes this very version only if it has its size and ETag.
        const base = kept?.etag === version.etag && kept.size === version.size ? kept : undefined;
        const written = outcome.written.get(key);
        if (written !== undefined) {
            // A copy has a LastModified of its own: the deploy's is left out.
            const described = { ...(base ?? { size: written.size, etag: written.etag }) };
            delete described.modified;
            const location = written.location === undefined ? {} : { location: written.location };
            records.set(hash, { ...described, size: written.size, etag: written.etag, ...location });
        }
        else if (base !== undefined && unchanged.has(key)) {
            records.set(hash, base);
        }
    }
    return { prefix, records };
}

;// CONCATENATED MODULE: ./src/sync/restore.ts










/** CopyObject copies at most 5 GiB in one request. */
const COPY_LIMIT = 5 * 1024 ** 3;
/**
 * Restores the plan's versions by server-side copies, in deploy order
 * (assets, pages, then redirects), then deletes what the deploy did not
 * have. No file's bytes pass through the runner.
 */
async function applyRestore(plan, restoring, outcome, context) {
    const total = plan.copies.length + plan.redirects.length;
    if (total > 0) {
        const tick = progressLogger(context.reporter, 'restore', total);
        const title = `Restore ${plural(plan.copies.length, 'file')}, then ${plural(plan.redirects.length, 'redirect')}`;
        await context.reporter.group(title, async () => {
            for (const wave of deployWaves(plan.copies)) {
                await forEachBounded(wave, context.concurrency, async (copy) => {
                    const version = restoring.versions.get(copy.key);
                    outcome.written.set(copy.key, await copyVersion(copy.key, version, context));
                    outcome.copied.push(copy);
                    tick();
                });
            }
            await forEachBounded(plan.redirects, context.concurrency, async (redirect) => {
                const version = restoring.versions.get(redirect.key);
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
function restoreRequestEstimate(plan) {
    return plan.copies.length + plan.redirects.length + deleteRequests(plan.deletes.length);
}
/**
 * An empty version may be a redirect, and CopyObject does not carry
 * x-amz-website-redirect-location over (S3 drops it unless the request sets
 * it): a HEAD of each empty version to restore says, before any change.
 */
async function inspectEmptyVersions(plan, { remote, concurrency }) {
    const redirects = new Map();
    const empty = plan.copies.filter((copy) => copy.entry.size === 0);
    await forEachBounded(empty, concurrency, async (copy) => {
        const head = await tagged('inspect', copy.key, () => remote.client.send(new dist_cjs.HeadObjectCommand({
            Bucket: remote.bucket,
            Key: withPrefix(remote.prefix, copy.key),
            VersionId: copy.entry.version,
        })));
        if (head.WebsiteRedirectLocation === undefined || head.WebsiteRedirectLocation === '')
            return;
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
function withRedirects(plan, redirects, prefix) {
    if (redirects.size === 0)
        return plan;
    const restored = [];
    for (const copy of plan.copies) {
        const location = redirects.get(copy.key)?.WebsiteRedirectLocation;
        if (location === undefined)
            continue;
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
function copySource({ bucket, prefix }, key, version) {
    const encoded = withPrefix(prefix, key).split('/').map(encodeURIComponent).join('/');
    return `${bucket}/${encoded}?versionId=${encodeURIComponent(version)}`;
}
/**
 * A copy of the version onto the key: with its headers and metadata
 * (MetadataDirective COPY), or for a redirect with every header sent
 * again, its location included (REPLACE).
 */
async function copyVersion(key, version, { remote, storage }, headers) {
    const response = await tagged(headers === undefined ? 'restore' : 'redirect', key, () => remote.client.send(new dist_cjs.CopyObjectCommand({
        ...storage,
        ...headers,
        Bucket: remote.bucket,
        Key: withPrefix(remote.prefix, key),
        CopySource: copySource(remote, key, version.id),
        MetadataDirective: headers === undefined ? 'COPY' : 'REPLACE',
    })));
    const etag = bareEtag(response.CopyObjectResult?.ETag) ?? version.etag;
    const location = headers?.WebsiteRedirectLocation;
    return { size: version.size, etag, ...(location === undefined ? {} : { location }), ...versionOf(response) };
}

;// CONCATENATED MODULE: ./src/sync/rollback.ts














/**
 * The prefix becomes what it was when a recorded deploy finished: versioning
 * checked, versions listed, the deploy chosen and its versions found, plan,
 * guards, then server-side copies and deletes, the manifest and a deploy
 * record of its own. Nothing changes before every guard has passed.
 */
async function rollback(job, run) {
    await requireVersioning(job.remote);
    const role = { terms: job.lease, remote: job.remote, takes: !job.safety.dryRun };
    const { decided, lease, watch } = await decideUnderLease(role, run.reporter, (seen) => planRollback(job, run, seen));
    let deploy;
    const result = await holding(lease, () => applyPlan('push', decided.plan, job.safety.dryRun, async (outcome) => {
        deploy = await restoreAndRecord(job, run, decided, { outcome, listedIds: [...watch.deployIds] });
    }));
    return deploy === undefined ? result : { ...result, deploy };
}
/** Everything before a change: the listing, the deploy and its versions, the plan and the guards. */
async function planRollback(job, run, watch) {
    const history = await listVersions(job.remote, run.reporter);
    const current = currentObjects(history, watch.filters(rollbackFilters(job)));
    const id = chooseDeploy(job.deployId, watch.deployIds, job.remote);
    run.reporter.info(`Restoring deploy ${id}.`);
    const record = await readDeployRecord(job.remote, id);
    const target = restoreTarget(id, record, history, rollbackFilters(job).isExcluded);
    const decided = decideRollback(target, current, job, run.reporter);
    refuseTooLarge(decided);
    const redirects = await inspectEmptyVersions(decided, { remote: job.remote, concurrency: run.concurrency });
    const plan = withRedirects(decided, redirects, job.remote.prefix);
    const role = { terms: job.lease, remote: job.remote, takes: !job.safety.dryRun };
    const requestsToApply = restoreRequestEstimate(plan) +
        (job.manifestKey === undefined ? 0 : 2) +
        job.reservedRequests +
        leaseRequests(role, plan) +
        deployRequests(job.deploys, planChanges(plan), watch.deployIds.size);
    checkGuards(plan, rollbackRoute(job.remote, id), job.safety, { budget: run.budget, requestsToApply });
    return { id, deployManifest: record.manifest, target, redirects, plan };
}
/** The action's folder and the manifest are never content; exclude keeps its keys out as on a push. */
function rollbackFilters(job) {
    const { manifestKey, isExcluded } = job;
    return {
        isExcluded: (key) => key.startsWith(ACTION_FOLDER) || key === manifestKey || isExcluded(key),
        storesGzipped: () => false,
    };
}
/** The objects under the prefix now; the lease watch sees every current key go by. */
function currentObjects(history, filters) {
    const current = new Map();
    for (const [key, version] of history.current) {
        if (!filters.isExcluded(key, { ETag: version.etag, Size: version.size }))
            current.set(key, entryOf(version));
    }
    return current;
}
/** A version as the plan sees it: a file (redirects are empty objects until the apply HEADs them), by VersionId. */
function entryOf(version) {
    return { kind: 'file', size: version.size, etag: version.etag, modified: version.modified, version: version.id };
}
/** The shared plan, with the deploy's versions as the source: a key whose version differs is copied back. */
function decideRollback(target, current, job, reporter) {
    const source = new Map([...target].map(([key, version]) => [key, entryOf(version)]));
    const plan = plan_plan({ source, destination: current }, {
        prefix: job.remote.prefix,
        delete: job.delete,
        force: false,
        sameFile: (wanted, now) => wanted.version === now.version,
    });
    reporter.info(`plan: ${plural(plan.copies.length, 'object')} to restore, ${plural(plan.deletes.length, 'key')} to delete, ` +
        `${thousands(plan.unchanged.length)} unchanged`);
    for (const warning of plan.warnings)
        reporter.warn(warning.key, warning.message);
    return plan;
}
function refuseTooLarge(plan) {
    const large = plan.copies.filter((copy) => copy.entry.size > COPY_LIMIT);
    if (large.length === 0)
        return;
    throw new RefusedError(`A rollback copies each object in one CopyObject, which takes at most 5 GiB, and ${plural(large.length, 'object')} ` +
        `to restore ${large.length === 1 ? 'is' : 'are'} larger (${large[0]?.key}), so nothing was changed: push that deploy's commit again instead.`);
}
function rollbackRoute(remote, id) {
    return {
        verb: 'restore',
        source: `Deploy ${id}`,
        sourceItem: 'object',
        destination: `under ${s3Url(remote.bucket, remote.prefix)}`,
        deletedItem: 'object',
        deleteAdvice: 'Check that deploy-id names the deploy you meant (a rollback deletes every object that deploy did not have). ',
    };
}
/** The apply, then the manifest (also after a failure part-way), then the rollback's own deploy record. */
async function restoreAndRecord(job, run, chosen, { outcome, listedIds }) {
    const { remote, manifestKey, storage } = job;
    let manifestVersion;
    try {
        const restoring = { versions: chosen.target, redirects: chosen.redirects };
        await applyRestore(chosen.plan, restoring, outcome, { ...run, remote, storage });
    }
    finally {
        if (manifestKey !== undefined) {
            const where = { remote, manifestKey, storage, deployManifest: chosen.deployManifest };
            manifestVersion = await recordRestoredManifest(where, chosen.target, chosen.plan.unchanged, outcome, run.reporter);
        }
    }
    const objects = objectsRestored(chosen.target, outcome);
    const done = { kind: 'rollback', restored: chosen.id, listedIds, objects, outcome, manifestVersion };
    return recordDeploy(remote, job.deploys, done, run.reporter);
}
/** The restored deploy's versions, each copy by the version it made: exact, from the versions listing. */
function objectsRestored(target, outcome) {
    const objects = {};
    for (const [key, version] of target) {
        const written = outcome.written.get(key);
        objects[keyHash(key)] =
            written === undefined
                ? { etag: version.etag, version: version.id }
                : { etag: written.etag, ...(written.version === undefined ? {} : { version: written.version }) };
    }
    return objects;
}

;// CONCATENATED MODULE: ./src/report/format.ts

/** Every key and path shown in HTML goes through this: names come from users and buckets. */
function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
function formatBytes(bytes) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit += 1;
    }
    return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

;// CONCATENATED MODULE: ./src/report/summary.ts




/** Rows of the change list shown; GitHub caps a job summary at 1 MiB. */
const SUMMARY_ROW_CAP = 300;
/** The job summary of a run refused or failed before it changed anything. */
function renderRefusalSummary(message, settings, requests) {
    return [
        `<h2>s3-force-copy ${settings.direction} failed</h2>`,
        `<p>${route(settings)}</p>`,
        `<p><strong>${escapeHtml(message)}</strong></p>`,
        `<p>S3 requests sent: ${thousands(requests)} of ${thousands(settings.requestLimit)} allowed. Warnings, if any, are in the log.</p>`,
    ].join('\n');
}
/**
 * The job summary as HTML: what was done (or planned, on a dry run), and for
 * a run that failed part-way, what state the destination is in.
 */
function renderSummary(result, settings, facts, failure, invalidation) {
    return [
        ...summaryHead(result, settings, facts.source, failure),
        ...websiteLine(facts.websiteAddress),
        summary_countsTable(countRows(result, settings, facts)),
        ...changeList(result, settings, failure),
        ...(invalidation ? [renderInvalidation(invalidation, result.dryRun)] : []),
        ...warningList(result.warnings),
    ].join('\n');
}
/** The title and route, then why a failed run stopped, or that a dry run changed nothing. */
function summaryHead(result, settings, source, failure) {
    const title = failure ? ' failed' : result.dryRun ? ' (dry run)' : '';
    const parts = [
        `<h2>s3-force-copy ${settings.direction}${title}</h2>`,
        `<p><strong>${escapeHtml(verdict(result))}</strong></p>`,
        `<p>${route(settings)}${source ? ` from <code>${escapeHtml(source)}</code>` : ''}</p>`,
    ];
    if (failure) {
        parts.push(`<p><strong>${escapeHtml(failure.message)}</strong></p>`);
        if (failure.stoppedAt)
            parts.push(`<p>Stopped at: <code>${escapeHtml(failure.stoppedAt)}</code></p>`);
        parts.push(`<p>The destination now: ${escapeHtml(destinationState(result))}.</p>`);
    }
    if (result.dryRun) {
        parts.push('<p><strong>Dry run:</strong> this is the plan. Nothing was uploaded, downloaded or deleted.</p>');
    }
    return parts;
}
/** The site's address on the bucket's website endpoint, where its redirects are served. */
function websiteLine(address) {
    if (address === undefined)
        return [];
    const link = escapeHtml(address);
    return [`<p>Website endpoint: <a href="${link}">${link}</a></p>`];
}
/**
 * What the run changed, in one sentence that heads the summary: "Uploaded 3
 * files and deleted 1 object.", "Would …" on a dry run, or "Nothing changed.".
 */
function verdict(result) {
    const counts = countsOf(result, 0, 0);
    const push = result.direction === 'push';
    const would = (done, planned) => (result.dryRun ? planned : done);
    const changes = [
        [push ? would('uploaded', 'upload') : would('downloaded', 'download'), counts.uploaded + counts.downloaded, 'file'],
        [push ? would('wrote', 'write') : would('made', 'make'), counts.redirected, push ? 'redirect' : 'symlink'],
        [would('updated the headers of', 'update the headers of'), counts.updated, 'object'],
        [would('deleted', 'delete'), counts.deleted, push ? 'object' : 'file'],
    ];
    const said = changes.filter(([, count]) => count > 0).map(([verb, count, item]) => `${verb} ${plural(count, item)}`);
    if (said.length === 0)
        return result.dryRun ? 'Nothing would change.' : 'Nothing changed.';
    const sentence = said.length === 1 ? said[0] : `${said.slice(0, -1).join(', ')} and ${said.at(-1)}`;
    return `${result.dryRun ? 'Would ' : ''}${sentence}.`.replace(/^./, (first) => first.toUpperCase());
}
/** The counts as [what, count] rows, worded as done or, on a dry run, as planned; a count of none is left out. */
function countRows(result, settings, facts) {
    const counts = countsOf(result, facts.requests, facts.warnings);
    const push = result.direction === 'push';
    const would = (done, planned) => (result.dryRun ? planned : done);
    const requests = `${thousands(counts.requests)} of ${thousands(settings.requestLimit)} allowed (${requestBreakdown(facts.requestsByKind)})`;
    const rows = [
        [
            push ? would('Uploaded', 'Would upload') : would('Downloaded', 'Would download'),
            counts.uploaded + counts.downloaded,
        ],
        [
            push ? would('Redirects written', 'Would write redirects') : would('Symlinks made', 'Would make symlinks'),
            counts.redirected,
        ],
        [would('Headers updated', 'Would update headers'), counts.updated],
        ['Skipped (up to date)', counts.skipped],
        [would('Deleted', 'Would delete'), counts.deleted],
        ['Warnings', counts.warnings],
        ['Requests', counts.requests, requests],
        [would('Transferred', 'Would transfer'), counts.bytes, formatBytes(counts.bytes)],
    ];
    return [
        ...rows
            .filter(([, count]) => count > 0)
            .map(([what, count, shown]) => [what, shown ?? thousands(count)]),
        ['Duration', `${(facts.durationMs / 1000).toFixed(1)} s`],
    ];
}
function summary_countsTable(rows) {
    return ('<table><tr><th>What</th><th>Count</th></tr>' +
        rows.map(([what, count]) => `<tr><td>${what}</td><td>${count}</td></tr>`).join('') +
        '</table>');
}
/** The changes, folded; none when nothing changed. */
function changeList(result, settings, failure) {
    const changes = changesOf(result);
    if (changes.length === 0)
        return [];
    const heading = result.dryRun ? 'Planned changes' : failure ? 'Changes made before the failure' : 'Changes';
    const items = cappedItems(foldFolderLinks(changes), (c) => 'redirects' in c
        ? `${changeVerb(c.action, result.dryRun)}: <code>${escapeHtml(c.link)}/</code> → <code>${escapeHtml(c.target)}/</code> (${plural(c.redirects, 'redirect')})`
        : `${changeVerb(c.action, result.dryRun)}: ${keyLink(c.key, c.action, settings)}` +
            `${c.target === undefined ? '' : ` → <code>${escapeHtml(c.target)}</code>`} — ${escapeHtml(c.reason)}`);
    return [`<details><summary>${heading} (${thousands(changes.length)})</summary><ul>${items}</ul></details>`];
}
/** A symlink to a folder is one line, however many redirects it stands for. */
function foldFolderLinks(changes) {
    const lines = [];
    const byLink = new Map();
    for (const change of changes) {
        if (change.folder === undefined) {
            lines.push(change);
            continue;
        }
        const line = byLink.get(change.folder.link);
        if (line !== undefined) {
            line.redirects += 1;
            continue;
        }
        const first = { action: change.action, ...change.folder, redirects: 1 };
        byLink.set(change.folder.link, first);
        lines.push(first);
    }
    return lines;
}
/** The warnings; none when there are none. */
function warningList(warnings) {
    if (warnings.length === 0)
        return [];
    const items = cappedItems(warnings, (w) => `<code>${escapeHtml(w.key)}</code>: ${escapeHtml(w.message)}`);
    return [`<h3>Warnings (${thousands(warnings.length)})</h3><ul>${items}</ul>`];
}
/** The first SUMMARY_ROW_CAP items as list items, then how many more there are. */
function cappedItems(items, render) {
    const more = items.length - SUMMARY_ROW_CAP;
    const shown = items.slice(0, SUMMARY_ROW_CAP).map((item) => `<li>${render(item)}</li>`);
    return shown.join('') + (more > 0 ? `<li>and ${thousands(more)} more</li>` : '');
}
/** Paths listed per distribution. */
const PATHS_SHOWN = 50;
function renderInvalidation(invalidation, dryRun) {
    const rows = invalidation.distributions.map((d) => {
        const shown = d.paths.slice(0, PATHS_SHOWN).map((p) => `<code>${escapeHtml(p)}</code>`);
        if (d.paths.length > PATHS_SHOWN)
            shown.push(`and ${thousands(d.paths.length - PATHS_SHOWN)} more`);
        return (`<tr><td><code>${escapeHtml(d.distributionId)}</code></td><td>${escapeHtml(d.invalidationId ?? '—')}</td>` +
            `<td>${summary_status(d)}</td><td>${thousands(d.billablePaths)}</td><td>${shown.join(' ') || 'none'}</td></tr>`);
    });
    return (`<h3>CloudFront${dryRun ? ': would invalidate' : ' invalidation'}</h3>` +
        '<table><tr><th>Distribution</th><th>Invalidation</th><th>Status</th><th>Billable paths</th><th>Paths</th></tr>' +
        rows.join('') +
        '</table>');
}
/** The status, and why, when CloudFront refused or kept it waiting. */
function summary_status(distribution) {
    const why = distribution.warnings.map((warning) => escapeHtml(warning)).join(' ');
    return escapeHtml(distribution.status) + (why === '' ? '' : `: ${why}`);
}
/** A changed key, linked to its page when site-url says where the prefix is served (deleted keys are gone). */
function keyLink(key, action, settings) {
    const code = `<code>${escapeHtml(key)}</code>`;
    const bucketIsDestination = settings.direction === 'push' || settings.direction === 'rollback';
    if (settings.siteUrl === undefined || action === 'deleted' || !bucketIsDestination)
        return code;
    return `<a href="${escapeHtml(pageUrl(settings.siteUrl, key, settings.indexDocument))}">${code}</a>`;
}
function route(settings) {
    const remote = escapeHtml(s3Url(settings.bucket, settings.prefix));
    const local = escapeHtml(settings.directoryInput);
    // An empty prefix (refused) is the bucket itself: s3://bucket/, not s3://bucket//.
    const folder = settings.prefix === '' ? remote : `${remote}/`;
    if (settings.direction === 'remove')
        return `every object under <code>${folder}</code>`;
    if (settings.direction === 'rollback')
        return `<code>${folder}</code> back to an earlier deploy`;
    return settings.direction === 'push'
        ? `<code>${local}</code> → <code>${remote}</code>`
        : `<code>${remote}</code> → <code>${local}</code>`;
}
function requestBreakdown(byKind) {
    const parts = Object.entries(byKind)
        .filter(([, count]) => count > 0)
        .map(([kind, count]) => `${thousands(count)} ${kind}`);
    return parts.length === 0 ? 'none' : parts.join(', ');
}

;// CONCATENATED MODULE: ./src/bucket/website.ts
/**
 * Whether the bucket hosts a website, asked once (GetBucketWebsite) by a push
 * that writes redirect objects: S3 serves their redirect only from the
 * website endpoint of a bucket with hosting on. The answer is never a
 * failure; a store that does not know the call says nothing.
 */

const UNSUPPORTED = new Set(['NotImplemented', 'XNotImplemented', 'MethodNotAllowed', 'NotSupported', 'Unsupported']);
/** Where the answer carries the bucket's region, read from S3's header. */
const BUCKET_REGION = Symbol('bucketRegion');
/** The bucket's website hosting, in one request (the SDK's retries aside). */
async function readWebsiteHosting(client, bucket, region) {
    const command = new dist_cjs.GetBucketWebsiteCommand({ Bucket: bucket });
    command.middlewareStack.add(keepBucketRegion, { step: 'deserialize', priority: 'high', name: 'keepBucketRegion' });
    try {
        const output = await client.send(command);
        // A store that ignores `?website` answers a listing, which has neither of these.
        if (output.IndexDocument === undefined && output.RedirectAllRequestsTo === undefined) {
            return { state: 'unsupported' };
        }
        return { state: 'on', region: output[BUCKET_REGION] ?? region };
    }
    catch (error) {
        return hostingFromError(error);
    }
}
/**
 * S3 names the bucket's region in an x-amz-bucket-region header; the SDK
 * follows a bucket in another region than `region` but keeps no trace of it,
 * and the website endpoint's address needs it. Stateless: with the client's
 * middleware cache, the first command's stack serves every later one.
 */
const keepBucketRegion = (next) => async (args) => {
    const result = await next(args);
    const region = result.response.headers?.['x-amz-bucket-region'];
    if (region !== undefined && region !== '' && result.output) {
        Object.assign(result.output, { [BUCKET_REGION]: region });
    }
    return result;
};
function hostingFromError(error) {
    const { name = 'Error', message = String(error), $metadata } = (error ?? {});
    const status = $metadata?.httpStatusCode;
    if (name === 'NoSuchWebsiteConfiguration')
        return { state: 'off' };
    if (name === 'AccessDenied' || status === 403)
        return { state: 'denied' };
    if (UNSUPPORTED.has(name) || status === 501 || status === 405)
        return { state: 'unsupported' };
    return { state: 'unknown', reason: `${name}: ${message}` };
}
/**
 * Regions whose website endpoint is spelled `s3-website-REGION`; every other
 * region, and every newer one, uses `s3-website.REGION`
 * (https://docs.aws.amazon.com/general/latest/gr/s3.html#s3_website_region_endpoints).
 */
const DASHED_REGIONS = new Set([
    'us-east-1',
    'us-west-1',
    'us-west-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-northeast-1',
    'eu-west-1',
    'sa-east-1',
    'us-gov-west-1',
]);
/** The address the bucket's website endpoint serves `prefix` at: http only, as S3 serves it. */
function websiteEndpointAddress(bucket, region, prefix) {
    const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    const host = `${bucket}.s3-website${DASHED_REGIONS.has(region) ? '-' : '.'}${region}.${domain}`;
    const path = prefix === '' ? '/' : `/${prefix.split('/').map(encodeURIComponent).join('/')}/`;
    return `http://${host}${path}`;
}
/** The command that turns hosting on, as the warning gives it. */
function enableHostingCommand(bucket, indexDocument) {
    return `aws s3 website s3://${bucket}/ --index-document ${indexDocument}`;
}

;// CONCATENATED MODULE: ./src/report/serving.ts
/**
 * Whether what a push wrote will be served as meant: redirect objects work
 * only from a bucket's website endpoint with hosting on, and the website
 * endpoint cannot serve SSE-KMS objects. Pure: the facts come from the
 * bucket's website configuration (asked only when the push writes redirects)
 * and the CloudFront configs already read before the sync.
 */


/** What the facts mean for visitors, worded with the fix. */
function servingVerdict(facts) {
    return {
        warnings: [...hostingWarnings(facts), ...restOriginWarnings(facts), ...kmsWebsiteWarnings(facts)],
        notes: hostingNotes(facts),
    };
}
function hostingWarnings({ bucket, redirects, hosting, indexDocument }) {
    if (hosting?.state !== 'off' || redirects === 0)
        return [];
    return [
        `Bucket ${bucket} has no static website hosting, so the ${plural(redirects, 'redirect')} this push writes ` +
            'will not be served (S3 serves a redirect object only from the website endpoint of a bucket with hosting on). ' +
            `Turn hosting on: ${enableHostingCommand(bucket, indexDocument)}`,
    ];
}
function hostingNotes({ bucket, redirects, hosting }) {
    if (hosting === undefined)
        return [];
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
function restOriginWarnings({ bucket, redirects, distributions }) {
    if (redirects === 0)
        return [];
    return distributions
        .filter((distribution) => distribution.endpoint === 'rest')
        .map(({ distributionId }) => `CloudFront distribution ${distributionId} reaches bucket ${bucket} through its REST endpoint, which serves ` +
        `the ${plural(redirects, 'redirect')} this push writes as empty pages. Make the bucket's website endpoint ` +
        '(BUCKET.s3-website-REGION.amazonaws.com, with hosting on) the origin, or set links: copy to upload copies ' +
        'instead of redirects.');
}
function kmsWebsiteWarnings({ bucket, distributions, sse }) {
    if (sse === undefined || !sse.startsWith('aws:kms'))
        return [];
    return distributions
        .filter((distribution) => distribution.endpoint === 'website')
        .map(({ distributionId }) => `CloudFront distribution ${distributionId} reaches bucket ${bucket} through its website endpoint, which ` +
        `cannot serve objects encrypted with SSE-KMS (sse: ${sse}): visitors get errors. Use sse: AES256, or make ` +
        'the REST endpoint, with origin access control, the origin.');
}

;// CONCATENATED MODULE: ./src/report/serving-step.ts



/**
 * After a push: will its redirects be served, and its SSE-KMS objects? One
 * GetBucketWebsite when it writes redirects, none otherwise (a no-op spends
 * nothing). The website endpoint's address for the summary, when hosting is
 * on, site-url is not set and the bucket is on AWS.
 */
async function checkRedirectsServed(settings, result, distributions, { client, reporter, warnings }) {
    // A failed push has its failure to report; whether its redirects are served can wait for the re-run.
    if (settings.direction !== 'push' || result.failure !== undefined)
        return undefined;
    const { bucket, prefix, region, indexDocument } = settings;
    const redirects = result.plan.redirects.length;
    const hosting = redirects === 0 ? undefined : await readWebsiteHosting(client, bucket, region);
    const sse = settings.storage.ServerSideEncryption;
    const verdict = servingVerdict({ bucket, redirects, hosting, distributions, sse, indexDocument });
    for (const note of verdict.notes)
        reporter.info(note);
    for (const warning of verdict.warnings)
        warnings.warn(warning, 's3-force-copy: redirects');
    if (hosting?.state !== 'on' || settings.siteUrl !== undefined || settings.endpoint !== undefined)
        return undefined;
    const address = websiteEndpointAddress(bucket, hosting.region, prefix);
    reporter.info(`The website endpoint serves ${s3Url(bucket, prefix)} at ${address}`);
    return address;
}

;// CONCATENATED MODULE: ./src/bucket/budget.ts


const S3_KINDS = ['LIST', 'HEAD', 'GET', 'PUT', 'POST', 'DELETE', 'OTHER'];
/**
 * Counts every HTTP request the clients send, retries included, and refuses
 * to send the one that would pass the limit. It sits after the retry
 * middleware, so each attempt passes through it.
 *
 * An AbortMultipartUpload is counted but never refused: it is what ends the
 * bill for a failed upload's stored parts, S3 does not charge for it, and a
 * run that hits the limit mid-upload is exactly when it is needed.
 */
class RequestBudget {
    limit;
    counts = new Map();
    sent = 0;
    answered = 0;
    constructor(limit) {
        this.limit = limit;
    }
    get used() {
        return this.sent;
    }
    /** Requests that got a success answer: more than none means the credentials work. */
    get succeeded() {
        return this.answered;
    }
    /** Every S3 kind (zero included), then any other service's operations that were sent. */
    byKind() {
        const result = {};
        for (const kind of S3_KINDS)
            result[kind] = this.counts.get(kind) ?? 0;
        for (const [kind, count] of this.counts)
            if (!(kind in result))
                result[kind] = count;
        return result;
    }
    /** `service` other than S3 counts each request as "service operation". */
    attachTo(client, service = 'S3') {
        client.middlewareStack.add(this.middleware(service), {
            step: 'finalizeRequest',
            priority: 'low',
            name: 'requestBudget',
            override: true,
        });
    }
    middleware(service) {
        return (next, context) => async (args) => {
            if (this.sent >= this.limit && context.commandName !== 'AbortMultipartUploadCommand') {
                throw new RequestLimitError(`Stopped at the request-limit of ${plural(this.limit, 'request')}. ` +
                    'Raise the request-limit input if this is expected.', this.sent + 1, this.limit);
            }
            this.sent += 1;
            const kind = service === 'S3'
                ? requestKind(args.request)
                : `${service} ${String(context.commandName ?? 'request').replace(/Command$/, '')}`;
            this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
            const response = await next(args);
            this.answered += 1;
            return response;
        };
    }
}
function requestKind(request) {
    switch (request.method) {
        case 'GET':
            // ListObjectsV2, and ListObjectVersions (a rollback's listing).
            return request.query?.['list-type'] !== undefined || request.query?.versions !== undefined ? 'LIST' : 'GET';
        case 'HEAD':
        case 'PUT':
        case 'POST':
        case 'DELETE':
            return request.method;
        default:
            return 'OTHER';
    }
}

// EXTERNAL MODULE: ./node_modules/mime/dist/src/index.js + 3 modules
var src = __webpack_require__(5086);
;// CONCATENATED MODULE: ./src/settings/content-type.ts

const TEXT_TYPES = /^(text\/|application\/(javascript|json|xml|manifest\+json)|image\/svg\+xml)|\+(json|xml)$/;
/** The Content-Type for a key, from its extension; text types say they are UTF-8. */
function contentTypeFor(key) {
    const name = key.slice(key.lastIndexOf('/') + 1);
    // mime reads a bare name as an extension ("h" would be a C header).
    const type = name.includes('.') ? src/* default */.A.getType(name) : null;
    if (type === null)
        return 'application/octet-stream';
    return TEXT_TYPES.test(type) ? `${type}; charset=utf-8` : type;
}

;// CONCATENATED MODULE: ./src/report/deploy.ts

/**
 * The deploy's lines in the job summary: its id, the deploy a rollback
 * restored, the one before, and the workflow step that would restore that
 * one (which is also what a rollback without deploy-id restores).
 */
function deploySummary(result, settings) {
    const { deploy } = result;
    if (deploy === undefined)
        return '';
    const restored = deploy.restored ? ` It restored deploy <code>${escapeHtml(deploy.restored)}</code>.` : '';
    const lines = [`<h3>Deploy</h3>`, `<p>Deploy <code>${escapeHtml(deploy.id)}</code> recorded.${restored}`];
    if (deploy.previous === undefined)
        return `${lines.join('\n')} It is the first on record.</p>\n`;
    const step = [
        '- uses: s3-force-copy/s3-force-copy@v1',
        '  with:',
        '    direction: rollback',
        `    bucket: ${settings.bucket}`,
        ...(settings.prefix === '' ? [] : [`    prefix: ${settings.prefix}`]),
        `    deploy-id: ${deploy.previous}`,
    ];
    lines.push(` The one before: <code>${escapeHtml(deploy.previous)}</code>. To go back to it, run this step (with the same credentials):</p>`, `<pre>${escapeHtml(step.join('\n'))}</pre>`);
    return `${lines.join('\n')}\n`;
}

;// CONCATENATED MODULE: ./package.json
const package_namespaceObject = {"rE":"1.0.0"};
;// CONCATENATED MODULE: ./src/version.ts

/** The action's version, as the release that users pin says it. */
const version = package_namespaceObject.rE;

;// CONCATENATED MODULE: ./src/run-settings.ts






















/** Settings → clients → pipeline → outputs and summary. Never throws: a refusal is a RunEnd too. */
async function runSettings(settings, host) {
    const started = Date.now();
    let budget;
    let applied = false;
    try {
        logOpening(settings, host.reporter);
        const client = createS3Client(settings);
        budget = new RequestBudget(settings.requestLimit);
        budget.attachTo(client);
        // Before any change: a distribution this run may not invalidate refuses it here.
        const distributions = await checkDistributions(settings, budget, host.reporter);
        const result = await runPipeline(settings, distributions, { client, budget, ...host });
        applied = !result.dryRun;
        const websiteAddress = await checkRedirectsServed(settings, result, distributions, { client, ...host });
        return await report(settings, result, distributions, { budget, started, host, websiteAddress });
    }
    catch (error) {
        return endWithError(error, settings, { budget, applied, host });
    }
}
/** The run's one pipeline, for its direction. */
function runPipeline(settings, distributions, { client, budget, tempFiles, reporter, }) {
    const remote = {
        client,
        bucket: settings.bucket,
        prefix: settings.prefix,
        endpointName: settings.endpoint ?? 'AWS S3',
    };
    const context = { budget, concurrency: settings.concurrency, reporter };
    const isExcluded = excludeMatcher(settings.exclude);
    const { allowEmpty, maxDelete, limitToHalf, dryRun } = settings;
    const safety = { allowEmpty, maxDelete, limitToHalf, dryRun };
    const lease = leaseTerms(settings.lock, settings.lockWait, process.env, settings.storage);
    if (settings.direction === 'remove') {
        return remove({ remote, isExcluded, maxDelete: settings.maxDelete, dryRun: settings.dryRun, lease }, context);
    }
    // Each distribution's GetDistributionConfig is already spent; its CreateInvalidation is still to come.
    const reservedRequests = distributions.length;
    const deploys = deployTerms(settings.keepDeploys, process.env, settings.storage);
    if (settings.direction === 'rollback') {
        const { deployId, storage, manifestKey } = settings;
        const restore = { remote, isExcluded, manifestKey, deployId, delete: settings.delete, safety, storage };
        return rollback({ ...restore, reservedRequests, lease, deploys }, context);
    }
    const job = {
        root: settings.directory,
        remote,
        isExcluded,
        gzip: keyMatcher(settings.gzip),
        manifestKey: settings.manifestKey,
        force: settings.force,
        delete: settings.delete,
        safety,
        lease,
    };
    if (settings.direction === 'pull') {
        // AWS S3 lists RestoreStatus when asked; other stores may ignore the question.
        askRestoreStatusInListings(client);
        return pull({ ...job, tempFiles, listingTellsRestore: settings.endpoint === undefined }, context);
    }
    const rules = headersMatcher(settings.headers, settings.cacheControl, contentTypeFor);
    const headersFor = withStorageSettings(rules, settings.storage);
    const { storage, links } = settings;
    return push({ ...job, headersFor, storage, reservedRequests, links, deploys }, context);
}
/**
 * After the pipeline: CloudFront, the host's own step (the PR comment), the
 * summary, then the outputs (last, so that they count every warning printed
 * before), and the failure if the apply failed.
 */
async function report(settings, result, distributions, { budget, started, host, websiteAddress, }) {
    const { warnings } = host;
    const invalidation = await invalidateChanges(settings, distributions, result, budget, warnings, host.reporter);
    const failure = failureFacts(result, settings, budget);
    await host.beforeSummary(result, failure);
    const facts = {
        requests: budget.used,
        requestsByKind: budget.byKind(),
        durationMs: Date.now() - started,
        warnings: warnings.count,
        source: host.source,
        websiteAddress,
    };
    await host.writeSummary(renderSummary(result, settings, facts, failure, invalidation) + deploySummary(result, settings));
    const counts = countsOf(result, facts.requests, warnings.count);
    // Where it stopped goes inside the message's sentence, before its full stop.
    const where = failure?.stoppedAt ? ` (stopped at ${failure.stoppedAt})` : '';
    return {
        ending: failure ? 'failed' : 'done',
        failure: failure
            ? `${failure.message.replace(/\.$/, '')}${where}. The destination now: ${destinationState(result)}.`
            : undefined,
        outputs: outputsOf(counts, result, invalidation),
        closingLine: closingLine(result, counts),
        result,
    };
}
function failureFacts(result, settings, budget) {
    if (result.failure === undefined)
        return undefined;
    return {
        message: failure_describeFailure(result.failure, { settings, requestsSucceeded: budget.succeeded }),
        stoppedAt: stoppedAt(result.failure),
    };
}
/**
 * A refusal or failure before the apply (nothing was changed), or one outside
 * the sync itself: after an apply (`applied`), the run counts as failed.
 */
async function endWithError(error, settings, { budget, applied, host }) {
    const message = failure_describeFailure(error, { settings, requestsSucceeded: budget?.succeeded ?? 0 });
    await host.beforeSummary(undefined, { message });
    await host.writeSummary(renderRefusalSummary(message, settings, budget?.used ?? 0));
    return {
        ending: applied ? 'failed' : 'refused',
        failure: message,
        // A refused run changed nothing: only what it spent and printed.
        outputs: budget ? { requests: budget.used, warnings: host.warnings.count } : {},
        closingLine: undefined,
        result: undefined,
    };
}
/** The outputs action.yml declares, from the counts, the changes and the invalidation. */
function outputsOf(counts, result, invalidation) {
    const { invalidationIds, invalidatedPaths } = invalidationOutputs(invalidation ?? { distributions: [], warnings: [] });
    return {
        ...counts,
        'changed-keys': changedKeys(changesOf(result)),
        'dry-run': result.dryRun,
        'deploy-id': result.deploy?.id ?? '',
        'invalidation-ids': invalidationIds,
        'invalidated-paths': invalidatedPaths,
    };
}
/** max-delete as the run applies it: the default comes with the half limit. */
function maxDeleteInEffect({ maxDelete, limitToHalf }) {
    if (maxDelete === undefined)
        return 'no limit';
    return limitToHalf ? `${maxDelete} and half the objects (default)` : String(maxDelete);
}
/** What will happen, before anything does: version, route and the settings in effect (no secrets). */
function logOpening(settings, reporter) {
    const remote = s3Url(settings.bucket, settings.prefix);
    const routes = {
        remove: `every object under ${remote}${settings.prefix === '' ? '' : '/'}`,
        rollback: `${remote} to deploy ${settings.deployId ?? '(the one before the latest)'}`,
        push: `${settings.directory} → ${remote}`,
        pull: `${remote} → ${settings.directory}`,
    };
    const route = routes[settings.direction];
    reporter.info(`s3-force-copy ${version}: ${settings.direction} ${route}`);
    const rules = (count) => (count === 0 ? 'none' : plural(count, 'rule'));
    reporter.info([
        `dry-run: ${settings.dryRun}`,
        `delete: ${settings.delete}`,
        `max-delete: ${maxDeleteInEffect(settings)}`,
        `allow-empty: ${settings.allowEmpty}`,
        `force: ${settings.force}`,
        `request-limit: ${settings.requestLimit.toLocaleString('en-US')}`,
        `concurrency: ${settings.concurrency}`,
        `region: ${settings.region}`,
        `endpoint: ${settings.endpoint ?? 'AWS'}`,
        `exclude: ${rules(settings.exclude.length)}`,
        `cache-control: ${rules(settings.cacheControl.length)}`,
        `headers: ${rules(settings.headers.length)}`,
        `gzip: ${settings.gzip.length === 0 ? 'none' : plural(settings.gzip.length, 'glob')}`,
        `manifest-key: ${settings.manifestKey ?? 'none'}`,
        `cloudfront: ${settings.cloudfrontDistributionIds.length === 0 ? 'none' : settings.cloudfrontDistributionIds.join(' ')}`,
        `pr-comment: ${settings.prComment}`,
        `lock: ${settings.lock ? `wait up to ${settings.lockWait} s` : 'off'}`,
    ].join(', '));
}
function closingLine(result, counts) {
    return (`${result.dryRun ? 'Dry run, planned: ' : result.failure ? 'Failed after: ' : ''}` +
        `uploaded ${counts.uploaded}, downloaded ${counts.downloaded}, redirected ${counts.redirected}, updated ${counts.updated}, ` +
        `skipped ${counts.skipped}, deleted ${counts.deleted}, warnings ${counts.warnings}, ` +
        `${plural(counts.requests, 'request')}`);
}

// EXTERNAL MODULE: ./src/thread.ts
var thread = __webpack_require__(5183);
;// CONCATENATED MODULE: ./src/main.ts











/** The core's log, through the run's warning count. */
const actionsReporter = (warnings) => ({
    info: (message) => core/* info */.pq(message),
    // A line per file otherwise, written and parsed by the runner only to be hidden.
    debug: core/* isDebug */._o() ? (message) => core/* debug */.Yz(message) : () => undefined,
    warn: (key, message, count) => warnings.warn(`${key}: ${message}`, 's3-force-copy', count),
    group: (name, work) => core/* group */.Os(name, async () => {
        const started = Date.now();
        const result = await work();
        core/* info */.pq(`done in ${((Date.now() - started) / 1000).toFixed(2)} s`);
        return result;
    }),
});
/** Settings → the run (run-settings.ts) → the step's outputs, summary and failure. */
async function run() {
    const tempFiles = new TempFiles();
    // A cancelled job gets SIGINT, then SIGTERM: leave no partial download behind.
    (0,thread/* onStopRequest */.t)((exitCode) => {
        tempFiles.removeAll();
        exitReleasingLeases(exitCode);
    });
    const warnings = new Warnings((message, title) => core/* warning */.$e(message, title === undefined ? {} : { title }));
    const outputs = new StepOutputs();
    let settings;
    try {
        settings = readSettings();
    }
    catch (error) {
        core/* setFailed */.C1(failure_describeFailure(error, { settings: undefined, requestsSucceeded: 0 }));
        return;
    }
    outputs.checkFile(warnings);
    const end = await runSettings(settings, {
        reporter: actionsReporter(warnings),
        warnings,
        tempFiles,
        source: githubSource(),
        beforeSummary: (result, failure) => commentOn(settings, result, failure, warnings),
        writeSummary: (summary) => writeSummary(summary, warnings),
    });
    if (end.ending === 'refused')
        core/* setFailed */.C1(end.failure ?? '');
    outputs.set(end.outputs);
    if (end.closingLine !== undefined)
        core/* info */.pq(end.closingLine);
    if (end.ending === 'failed')
        core/* setFailed */.C1(end.failure ?? '');
}
/** The run's pull-request comment; one for a refused run must not hide the refusal. */
async function commentOn(settings, result, failure, warnings) {
    if (result !== undefined)
        return commentOnPullRequest(settings, result, failure, warnings);
    await commentOnPullRequest(settings, undefined, failure, warnings).catch((commentError) => warnings.warn(`Could not comment on the pull request: ${String(commentError)}`));
}
/**
 * The step's outputs. A GITHUB_OUTPUT that names a missing file would make
 * every setOutput throw at the end of a run that already changed the bucket,
 * so it is checked once, up front, and then left alone.
 */
class StepOutputs {
    usable = true;
    checkFile(warnings) {
        const file = process.env.GITHUB_OUTPUT;
        if (file === undefined || file === '' || (0,external_node_fs_.existsSync)(file))
            return;
        this.usable = false;
        warnings.warn(`GITHUB_OUTPUT names ${file}, which does not exist: this step's outputs cannot be set, so later steps that read them get empty values. The run itself goes on.`);
    }
    /** The outputs as the run gives them; lists go out as JSON arrays (a refused run has only requests and warnings). */
    set(values) {
        if (!this.usable)
            return;
        for (const [name, value] of Object.entries(values)) {
            core/* setOutput */.uH(name, Array.isArray(value) ? JSON.stringify(value) : value);
        }
    }
}
function githubSource() {
    if (!process.env.GITHUB_REPOSITORY)
        return undefined;
    const { owner, repo } = github/* context */._.repo;
    return `${owner}/${repo}@${github/* context */._.sha.slice(0, 7)}`;
}
/** A summary that cannot be written is a warning: the sync it describes has already happened. */
async function writeSummary(html, warnings) {
    if (!process.env.GITHUB_STEP_SUMMARY) {
        core/* info */.pq('No GITHUB_STEP_SUMMARY file: the job summary is not written.');
        return;
    }
    try {
        await core/* summary */.z.addRaw(html, true).write();
    }
    catch (error) {
        warnings.warn(`Could not write the job summary (${error instanceof Error ? error.message : String(error)}).`);
    }
}


/***/ })

};
