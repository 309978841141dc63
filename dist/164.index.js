export const id = 164;
export const ids = [164];
export const modules = {

/***/ 9164:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 22 modules
var github = __webpack_require__(2413);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var dist_cjs = __webpack_require__(3711);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
;// CONCATENATED MODULE: ./src/core/digest.ts



/** Part size for multipart uploads; also used to predict their ETags. */
const PART_SIZE = 8 * 1024 * 1024;
/**
 * Files up to this size are read in one synchronous call: a stream would read
 * them in a single chunk anyway, and for a small file the open/read/close
 * round trips through the thread pool cost several times the read itself
 * (measured: about 5x the CPU of readFileSync). The event loop is held for
 * well under a millisecond per file.
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
        return {
            md5: (0,external_node_crypto_.createHash)('md5').update((0,external_node_fs_.readFileSync)(filePath)).digest('hex'),
        };
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

;// CONCATENATED MODULE: ./src/core/keys.ts

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
    if (Buffer.byteLength(key) > MAX_KEY_BYTES)
        return `it is longer than ${MAX_KEY_BYTES} bytes`;
    const segments = key.split('/');
    for (const segment of segments) {
        if (segment === '')
            return 'it has an empty path segment ("//")';
        if (segment === '.' || segment === '..')
            return `it has a "${segment}" path segment`;
        if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES)
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
    return relativePath.split((external_node_path_default()).sep).join('/');
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

;// CONCATENATED MODULE: ./src/core/local-fs.ts




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
                await (0,promises_.unlink)(current);
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
            await (0,promises_.mkdir)(current);
        }
        catch (error) {
            // Another download created it in the meantime.
            if (error.code !== 'EEXIST')
                throw error;
            if (!(await (0,promises_.lstat)(current)).isDirectory())
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
 * version costs a thread-pool round trip and, for a missing path (every file
 * of a pull into an empty folder), an Error with a stack trace. That was a
 * fifth of such a pull's CPU.
 */
function lstatOrUndefined(target) {
    return (0,external_node_fs_.lstatSync)(target, { throwIfNoEntry: false });
}
/** Removes a temporary file or link (never a folder) if it is still there. */
async function removeQuietly(target) {
    try {
        await (0,promises_.unlink)(target);
    }
    catch (error) {
        if (error.code !== 'ENOENT')
            throw error;
    }
}

;// CONCATENATED MODULE: ./src/core/apply-order.ts
/**
 * The order a push applies its plan in, so a visitor never gets a broken
 * page: assets, then HTML pages (which refer to assets), then redirects, and
 * the deletes only after every write has succeeded.
 */
function isPage(key) {
    return /\.html?$/i.test(key);
}
/** Assets first, HTML pages second. */
function deployWaves(copies) {
    return [copies.filter((copy) => !isPage(copy.key)), copies.filter((copy) => isPage(copy.key))];
}
/**
 * Largest first: a big transfer started last runs on alone after the small
 * ones are done (on push it also holds back the next wave), while started
 * first it overlaps them.
 */
function largestFirst(copies) {
    return [...copies].sort((a, b) => b.entry.size - a.entry.size);
}

;// CONCATENATED MODULE: ./src/core/errors.ts
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

;// CONCATENATED MODULE: ./src/core/parallel.ts
/**
 * Runs work over items with at most `concurrency` at a time. After the first
 * failure no new item starts, and it waits for those in flight to settle
 * before throwing, so nothing is still writing when the caller reports.
 */
async function forEachBounded(items, concurrency, work) {
    await forEachBoundedGroups([{ items, concurrency }], work);
}
/**
 * forEachBounded over several groups at once, each with a limit of its own;
 * the first failure in any group stops all of them.
 *
 * Each group has `concurrency` runners that take the next item when they are
 * free. A queue with a promise per item (p-limit, used before) kept a pending
 * promise and its closures for every file through a whole 20,000-file pull: a
 * heap snapshot mid-run held 42,000 promises and 72,000 closures in 39.5 MB.
 */
async function forEachBoundedGroups(groups, work) {
    for (const { concurrency } of groups) {
        if (!Number.isInteger(concurrency) || concurrency < 1) {
            throw new RangeError(`concurrency must be a whole number of at least 1, not ${concurrency}`);
        }
    }
    let firstError;
    const runner = async (items, next) => {
        while (firstError === undefined && next.index < items.length) {
            const item = items[next.index];
            next.index += 1;
            try {
                await work(item);
            }
            catch (error) {
                firstError ??= { error };
            }
        }
    };
    await Promise.all(groups.flatMap(({ items, concurrency }) => {
        const next = { index: 0 };
        return Array.from({ length: Math.min(concurrency, items.length) }, () => runner(items, next));
    }));
    if (firstError !== undefined)
        throw firstError.error;
}
/**
 * Largest first: a big transfer started last runs on alone after the small
 * ones are done (on push it also holds back the next wave), while started
 * first it overlaps them.
 */
function parallel_largestFirst(copies) {
    return [...copies].sort((a, b) => b.entry.size - a.entry.size);
}

;// CONCATENATED MODULE: ./src/core/reporter.ts
const silentReporter = {
    info: () => undefined,
    debug: () => undefined,
    warn: () => undefined,
    group: (_name, work) => work(),
};
/**
 * Logs "name: done/total (percent)" each time another tenth of the work is
 * done, and only for batches big enough for that to help.
 */
function progressLogger(reporter, name, total, threshold = 300) {
    let done = 0;
    let nextTenth = 1;
    return () => {
        done += 1;
        if (total < threshold)
            return;
        while (done >= (total * nextTenth) / 10 && nextTenth <= 10) {
            reporter.info(`${name}: ${done}/${total} (${nextTenth * 10}%)`);
            nextTenth += 1;
        }
    };
}

;// CONCATENATED MODULE: ./src/core/words.ts
/** "1 file", "2 files", "1,234 files": words agree with numbers, thousands separated the same way everywhere. */
function plural(count, one, many = `${one}s`) {
    return `${thousands(count)} ${count === 1 ? one : many}`;
}
function thousands(value) {
    return value.toLocaleString('en-US');
}

;// CONCATENATED MODULE: ./src/core/apply-pull.ts














/**
 * Applies a pull plan: downloads, then symlinks, then deletes, the deletes
 * only once every download and link has succeeded (then the few downloads a
 * local folder stood in the way of). Downloads land in a
 * temporary file beside their destination and are renamed into place only
 * after their md5 checks out, so an interrupted run leaves no partial file.
 */
async function applyPull(plan, outcome, context) {
    const run = { ...context, verifiedFolders: new Set(), blocked: [] };
    await (0,promises_.mkdir)(run.root, { recursive: true });
    try {
        await downloadAndLink(plan, outcome, run);
        await deleteFiles(plan, outcome, run);
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
        const tick = progressLogger(reporter, 'download', plan.copies.length + plan.redirects.length);
        await forEachBounded(largestFirst(plan.copies), concurrency, async (copy) => {
            const warning = await tagged('download', copy.key, () => downloadFile(copy, context));
            if (warning !== undefined) {
                reporter.warn(warning.key, warning.message);
                outcome.warnings.push(warning);
            }
            reporter.debug(`downloaded ${copy.key} (${copy.reason})`);
            outcome.copied.push(copy);
            outcome.bytes += copy.entry.size;
            tick();
        });
        // Links are made one at a time: they are local and cheap.
        for (const redirect of plan.redirects) {
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
    const deleting = new Set(plan.deletes.map((removal) => removal.key));
    for (const placement of context.blocked) {
        const kept = await firstEntryNotIn(placement.finalPath, placement.key, deleting);
        if (kept !== undefined) {
            throw new Error(`${placement.finalPath} is a folder locally that still holds files this run keeps (excluded or skipped names, such as ${kept}), so the bucket's ${placement.key} was not written there and nothing was deleted`);
        }
    }
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
                await tagged('delete', removal.key, () => (0,promises_.unlink)(target));
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
    for (const dirent of await (0,promises_.readdir)(folder, { withFileTypes: true })) {
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
        const { md5: actual, bytes } = await writeBody(response.Body, copy.entry.size, temp);
        if (bytes !== copy.entry.size) {
            throw new Error(`Downloaded ${copy.key} has ${bytes} bytes where the listing said ${copy.entry.size}; the local file was left as it was`);
        }
        const expected = response.Metadata?.md5?.toLowerCase();
        if (expected !== undefined && expected !== '' && expected !== actual) {
            throw new Error(`Downloaded ${copy.key} has md5 ${actual} but its metadata says ${expected}; the local file was left as it was`);
        }
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
 * Writes a response body to `temp` (which must not exist) and returns its
 * md5. Small bodies are taken whole and written in one call, which costs far
 * less than a stream per file; large ones are streamed, never held in memory.
 */
async function writeBody(body, size, temp) {
    if (size <= SMALL_FILE) {
        const bytes = await body.transformToByteArray();
        (0,external_node_fs_.writeFileSync)(temp, bytes, { flag: 'wx' });
        return { md5: (0,external_node_crypto_.createHash)('md5').update(bytes).digest('hex'), bytes: bytes.length };
    }
    const hashing = hashingStream();
    await (0,external_node_stream_promises_.pipeline)(body, hashing.stream, (0,external_node_fs_.createWriteStream)(temp, { flags: 'wx' }));
    return { md5: hashing.md5(), bytes: hashing.bytes() };
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
        await (0,promises_.symlink)(external_node_path_default().relative(external_node_path_default().dirname(linkPath), targetPath), temp);
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
        for (let slash = key.indexOf('/'); slash !== -1; slash = key.indexOf('/', slash + 1)) {
            holding.add(key.slice(0, slash).split('/').join((external_node_path_default()).sep));
        }
    }
    return folders.filter((folder) => !holding.has(folder));
}
async function pruneEmptyFolders(root, folders) {
    for (const folder of folders) {
        if (!isRealFolderChain(root, external_node_path_default().join(root, folder)))
            continue;
        try {
            await (0,promises_.rmdir)(external_node_path_default().join(root, folder));
        }
        catch (error) {
            const code = error.code;
            if (code !== 'ENOTEMPTY' && code !== 'ENOENT' && code !== 'EEXIST' && code !== 'ENOTDIR')
                throw error;
        }
    }
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/lib-storage/dist-cjs/index.js
var lib_storage_dist_cjs = __webpack_require__(2358);
;// CONCATENATED MODULE: ./src/core/apply-push.ts











const DELETE_BATCH = 1000;
/**
 * Multipart uploads in flight at once, whatever the concurrency: each holds up
 * to three 8 MiB parts in memory, so 4 slots keep a push under ~100 MiB of part
 * buffers while the small files go on at full concurrency.
 */
const LARGE_UPLOAD_SLOTS = 4;
/**
 * Applies a push plan in the order of apply-order.ts, recording each finished
 * step in `outcome`. Any failure stops the run before the deletes.
 */
async function applyPush(plan, outcome, context) {
    await uploadAndRedirect(plan, outcome, context);
    await deleteObjects(plan, outcome, context);
}
async function uploadAndRedirect(plan, outcome, context) {
    const { reporter, concurrency } = context;
    if (plan.copies.length + plan.redirects.length === 0)
        return;
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
async function deleteObjects(plan, outcome, context) {
    if (plan.deletes.length === 0)
        return;
    await context.reporter.group(`Delete ${plural(plan.deletes.length, 'object')}`, async () => {
        // One batch at a time: each already carries 1000 keys, and S3 throttles
        // writes per prefix (s3rver even fails concurrent batches in one folder).
        for (let i = 0; i < plan.deletes.length; i += DELETE_BATCH) {
            await deleteBatch(plan.deletes.slice(i, i + DELETE_BATCH), outcome, context);
        }
    });
}
async function uploadFile(copy, { root, remote, contentType, cacheControl, reporter }) {
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
        const md5 = (0,external_node_crypto_.createHash)('md5').update(body).digest();
        await remote.client.send(new dist_cjs.PutObjectCommand({
            ...params,
            Metadata: { md5: md5.toString('hex') },
            Body: body,
            ContentLength: body.length,
            ContentMD5: md5.toString('base64'),
        }));
        return;
    }
    // The metadata goes out before the first part, so a large file is hashed
    // first if the comparison did not need its md5; the bytes sent are hashed
    // again on the way and checked against it.
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
        params: { ...params, Metadata: { md5 }, Body: source.pipe(hashing.stream) },
    });
    try {
        await upload.done();
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
            `and billed, until an AbortMultipartUpload of upload ${uploadId} on s3://${remote.bucket}/${objectKey} ` +
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
async function putRedirect(redirect, { remote }) {
    await remote.client.send(new dist_cjs.PutObjectCommand({
        Bucket: remote.bucket,
        Key: withPrefix(remote.prefix, redirect.key),
        Body: '',
        // Without an explicit length the SDK warns about a stream of unknown length.
        ContentLength: 0,
        WebsiteRedirectLocation: redirect.location,
    }));
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
    const refusal = Object.assign(new Error(`S3 refused to delete ${errors.length} of ${batch.length} objects: ${named}${more}`), { name: errors[0]?.Code ?? 'DeleteRefused' });
    const key = errors[0]?.Key ?? withPrefix(remote.prefix, first.key);
    throw new OperationError('delete', stripPrefix(remote.prefix, key) ?? key, refusal);
}
/** Requests a push plan will send, so the budget can be checked up front. */
function pushRequestEstimate(plan) {
    let requests = plan.redirects.length + Math.ceil(plan.deletes.length / DELETE_BATCH);
    for (const copy of plan.copies) {
        // Create + parts + complete for multipart uploads, one PUT otherwise.
        requests += copy.entry.size > PART_SIZE ? Math.ceil(copy.entry.size / PART_SIZE) + 2 : 1;
    }
    return requests;
}

;// CONCATENATED MODULE: ./src/core/guards.ts


/** Every guard, before anything changes: an empty source, too many deletes, a plan past the budget. */
function checkGuards(plan, options) {
    refuseEmptySource(plan, options);
    refuseTooManyDeletes(plan, options);
    if (!options.dryRun)
        assertCanAfford(options.budget, options.requestsToApply);
}
function refuseEmptySource(plan, options) {
    // Counted from the plan, so a source holding only skipped entries (broken
    // links, unsafe keys) counts as empty too.
    const copyable = plan.copies.length + plan.redirects.length + plan.unchanged.length;
    if (copyable > 0 || options.allowEmpty)
        return;
    const remote = `s3://${options.remote.bucket}/${options.remote.prefix}`;
    throw new RefusedError(options.direction === 'push'
        ? `The directory ${options.root} has nothing to push (it is empty or every entry was skipped), so a push would delete everything under ${remote}. Nothing was changed. Set allow-empty: true if that is what you want.`
        : `${remote} has nothing to pull (it is empty or every key was skipped), so a pull would delete everything in ${options.root}. Nothing was changed. Set allow-empty: true if that is what you want.`);
}
function refuseTooManyDeletes(plan, options) {
    if (options.maxDelete === undefined || plan.deletes.length <= options.maxDelete)
        return;
    const things = options.direction === 'push' ? 'object' : 'file';
    const protect = protectingExcludes(plan.deletes);
    throw new RefusedError(`This run would delete ${plural(plan.deletes.length, things)}, more than max-delete (${options.maxDelete}). Nothing was changed. ` +
        (options.direction === 'push'
            ? 'Check that directory and prefix point where you meant (a push deletes every object under the prefix that the directory lacks). '
            : '') +
        (protect.length > 0
            ? `Most of them are under ${protect.map((p) => `${p.folder}/ (${p.count})`).join(', ')}: if that is content of its own, keep it with exclude: ${protect.map((p) => p.pattern).join(', ')}. `
            : '') +
        `To go ahead, raise max-delete to ${plan.deletes.length} or more, or set delete: false to keep what the source lacks.`);
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
        'Nothing was changed. Raise the `request-limit` input if this is expected.', needed, budget.limit);
}

;// CONCATENATED MODULE: ./src/core/outcome.ts
function emptyOutcome() {
    return { copied: [], redirected: [], deleted: [], bytes: 0, warnings: [] };
}

;// CONCATENATED MODULE: ./src/core/collisions.ts
/**
 * Keys that differ only by letter case or Unicode normalisation are distinct
 * in S3 and on Linux, but one file on macOS and Windows: a pull there would
 * keep only one of them. Warn, naming both.
 */
function nameCollisionWarnings(keys) {
    const seen = new Map();
    const warnings = [];
    for (const key of [...keys].sort()) {
        const folded = key.normalize('NFC').toLowerCase();
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

;// CONCATENATED MODULE: ./src/core/inventory.ts
/**
 * One shape for both sides of a copy, so a single planner serves push and
 * pull. Keys are relative to the bucket prefix and use "/" separators.
 */
const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
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

;// CONCATENATED MODULE: ./src/core/compare.ts

/**
 * Compares two file entries from whatever each side knows. A listed ETag
 * counts as an md5 only when it looks like one; a multipart ETag is compared
 * with the one predicted locally. 'unknown' means a HEAD could still prove
 * them equal through the `md5` metadata.
 */
function compareFiles(a, b) {
    if (a.size !== b.size)
        return 'different';
    const fingerprintsA = fingerprints(a);
    for (const fingerprint of fingerprints(b)) {
        if (fingerprintsA.has(fingerprint))
            return 'same';
    }
    const remote = a.etag !== undefined ? a : b.etag !== undefined ? b : undefined;
    if (remote !== undefined && !remote.inspected)
        return 'unknown';
    return 'different';
}
function fingerprints(entry) {
    const result = new Set();
    if (entry.md5 !== undefined)
        result.add(entry.md5);
    if (isPlainMd5(entry.etag))
        result.add(entry.etag);
    if (isMultipartEtag(entry.etag))
        result.add(entry.etag);
    if (entry.multipartEtag !== undefined)
        result.add(entry.multipartEtag);
    return result;
}
/**
 * The local files whose md5 the plan needs: those the bucket has at the same
 * size, since a size difference already decides. Nothing when forced, which
 * copies every file anyway. A pushed file's md5 for its metadata is taken
 * from the bytes read to upload it.
 */
function localFilesToDigest(sides, force) {
    if (force)
        return [];
    const keys = [];
    for (const [key, entry] of sides.local) {
        if (entry.kind !== 'file')
            continue;
        const other = sides.remote.get(key);
        if (other?.kind === 'file' && other.size === entry.size)
            keys.push(key);
    }
    return keys;
}
/**
 * Zero-byte objects a HEAD must look at, since the listing cannot tell a
 * redirect from an empty file: every pulled one (to make a file or a link),
 * and on push those the directory also has. Known from the listing alone, so
 * these HEADs run while the local files are hashed.
 */
function zeroByteKeysToInspect(sides, force) {
    const keys = [];
    for (const [key, remoteEntry] of sides.remote) {
        if (remoteEntry.kind !== 'file' || remoteEntry.inspected || remoteEntry.size !== 0)
            continue;
        if (sides.remoteIsSource) {
            if (!isFolderPlaceholder(key, remoteEntry))
                keys.push(key); // a placeholder the plan leaves alone
            continue;
        }
        // A forced push overwrites whatever is there, so there is nothing to learn.
        const localEntry = sides.local.get(key);
        if (!force && localEntry !== undefined && localEntry.kind !== 'opaque')
            keys.push(key);
    }
    return keys;
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
    for (const [key, remoteEntry] of sides.remote) {
        if (remoteEntry.kind !== 'file' || remoteEntry.inspected || remoteEntry.size === 0)
            continue;
        const localEntry = sides.local.get(key);
        if (localEntry?.kind === 'file' && compareFiles(localEntry, remoteEntry) === 'unknown')
            keys.push(key);
    }
    return keys;
}

;// CONCATENATED MODULE: ./src/core/plan.ts





/**
 * Decides what to do to make the destination an exact copy of the source.
 * Pure: both inventories must already be resolved (md5s computed, ambiguous
 * objects inspected). Entries the source cannot copy are reported and the
 * destination is left alone at those keys. Copies come in apply order
 * (apply-order.ts), so the report reads the order from the plan.
 */
function plan_plan(source, destination, options) {
    const result = { copies: [], redirects: [], deletes: [], unchanged: [], warnings: [] };
    const untouchable = new Set();
    // A skipped link to a folder (or anything opaque) says nothing about the
    // keys below its name: they are left alone rather than deleted.
    const untouchableFolders = new Set();
    const shadowedFiles = filesShadowedByFolders(source);
    for (const key of [...source.keys()].sort()) {
        const entry = source.get(key);
        // An empty "folder/" object (what the S3 console's "Create folder" makes)
        // is a placeholder with nothing to mirror; leaving it alone is not news.
        if (isFolderPlaceholder(key, entry)) {
            untouchable.add(key);
            continue;
        }
        const skip = skipReason(key, entry, shadowedFiles);
        if (skip !== undefined) {
            result.warnings.push({ key, message: skip });
            untouchable.add(key);
            if (entry.kind === 'opaque')
                untouchableFolders.add(key);
            continue;
        }
        const existing = destination.get(key);
        if (entry.kind === 'file') {
            const reason = fileCopyReason(entry, existing, options.force);
            if (reason === undefined)
                result.unchanged.push(key);
            else
                result.copies.push({ key, entry, reason });
        }
        else if (entry.kind === 'redirect') {
            const target = resolveRedirect(options.prefix, entry.location, source);
            if (!target.ok) {
                result.warnings.push({ key, message: `Skipped redirect: ${target.reason}` });
                untouchable.add(key);
                continue;
            }
            if (target.key === key) {
                result.warnings.push({ key, message: 'Skipped redirect: it points to itself' });
                untouchable.add(key);
                continue;
            }
            // A redirect to nothing would be a 404 on the website and a dangling link on disk.
            const end = chainEnd(options.prefix, key, target.key, source, shadowedFiles);
            if (!end.ok) {
                result.warnings.push({ key, message: `Skipped redirect: ${end.reason}` });
                untouchable.add(key);
                continue;
            }
            const reason = redirectCopyReason(options.prefix, [target.key, end.key], existing, destination, options.force);
            if (reason === undefined)
                result.unchanged.push(key);
            else
                result.redirects.push({ key, target: target.key, location: entry.location, reason });
        }
    }
    result.copies = deployWaves(result.copies).flat();
    if (options.delete) {
        for (const key of [...destination.keys()].sort()) {
            if (!source.has(key) && !untouchable.has(key) && !isBelowAny(key, untouchableFolders)) {
                const entry = destination.get(key);
                // A local name that is not a safe key has no path the pull may touch: keep it, as the bucket's own.
                const unsafe = entry.kind === 'opaque' ? unsafeKeyReason(key) : undefined;
                if (unsafe !== undefined)
                    result.warnings.push({ key, message: `Kept: its name is not a safe key: ${unsafe}` });
                else
                    result.deletes.push({ key, entry });
            }
        }
    }
    result.warnings.push(...nameCollisionWarnings([...source.keys()]));
    return result;
}
function isBelowAny(key, folders) {
    if (folders.size === 0)
        return false;
    for (let slash = key.indexOf('/'); slash !== -1; slash = key.indexOf('/', slash + 1)) {
        if (folders.has(key.slice(0, slash)))
            return true;
    }
    return false;
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
    for (const key of source.keys()) {
        let slash = key.indexOf('/');
        while (slash !== -1) {
            const folder = key.slice(0, slash);
            if (source.has(folder))
                shadowed.add(folder);
            slash = key.indexOf('/', slash + 1);
        }
    }
    return shadowed;
}
function fileCopyReason(entry, existing, force) {
    if (existing === undefined)
        return 'new';
    if (existing.kind === 'redirect')
        return 'replaces a redirect';
    if (existing.kind === 'opaque')
        return 'replaces something else';
    if (force)
        return 'forced';
    return compareFiles(entry, existing) === 'same' ? undefined : 'md5 differs';
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

// EXTERNAL MODULE: external "node:timers/promises"
var external_node_timers_promises_ = __webpack_require__(8500);
;// CONCATENATED MODULE: ./src/core/early-hashing.ts




/** Large files are hashed from streams that wait on the disk, so several run at once (small ones are read synchronously). */
const DIGEST_CONCURRENCY = 16;
/**
 * Hashes local files while the listing is still on the wire. It starts on
 * every candidate; once the listing is in, `narrowTo` drops the files whose
 * md5 the comparison turned out not to need, so they are never read.
 */
class EarlyHashing {
    wanted;
    candidates;
    running;
    constructor(root, entries, candidates) {
        this.candidates = new Set(candidates);
        this.running = hashFiles(root, entries, candidates, (key) => this.wanted?.has(key) ?? true);
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
/** Hashes `keys` into their entries (md5, and the multipart ETag of a file that uploads in parts). */
async function hashFiles(root, entries, keys, stillWanted = () => true) {
    await forEachBounded(keys, DIGEST_CONCURRENCY, async (key) => {
        // Small files hash synchronously. A turn of the event loop between them
        // lets each listing page through as it arrives, so the next LIST is not
        // held up until every file is hashed.
        await (0,external_node_timers_promises_.setImmediate)();
        if (!stillWanted(key))
            return;
        const entry = entries.get(key);
        const digest = await digestFile(localPathForKey(root, key), entry.size);
        entry.md5 = digest.md5;
        if (digest.multipartEtag !== undefined)
            entry.multipartEtag = digest.multipartEtag;
    });
}

;// CONCATENATED MODULE: ./src/core/remote-inspect.ts




/**
 * HEADs the given keys and replaces their entries with what the object really
 * is: a redirect, or a file whose md5 comes from the `md5` metadata.
 */
async function inspectRemote({ client, bucket, prefix }, entries, keys, concurrency) {
    await forEachBounded([...keys], concurrency, async (key) => {
        const head = await tagged('inspect', key, () => client.send(new dist_cjs.HeadObjectCommand({ Bucket: bucket, Key: withPrefix(prefix, key) })));
        entries.set(key, entryFromHead(entries.get(key), head));
    });
}
function entryFromHead(listed, head) {
    // Only an empty object is a redirect: one with a body is a file that also
    // redirects, downloaded as a file (with a warning) whether HEADed or not.
    if (head.WebsiteRedirectLocation && (head.ContentLength ?? 0) === 0) {
        return { kind: 'redirect', location: head.WebsiteRedirectLocation };
    }
    const md5 = head.Metadata?.md5?.toLowerCase();
    const file = {
        kind: 'file',
        size: head.ContentLength ?? (listed?.kind === 'file' ? listed.size : 0),
        etag: head.ETag?.replace(/"/g, '').toLowerCase() ?? (listed?.kind === 'file' ? listed.etag : undefined),
        inspected: true,
    };
    if (md5 !== undefined && md5 !== '')
        file.md5 = md5;
    return file;
}

;// CONCATENATED MODULE: ./src/core/resolve.ts




/**
 * Settles what the listing left open, so the plan can be pure: the md5 of
 * every local file the bucket has at the same size, and a HEAD of every
 * object only a HEAD can decide. Zero-byte objects are HEADed while files
 * are hashed; objects whose ETag proves nothing wait for the md5s.
 */
async function resolve({ sides, hashing }, options) {
    const { root, remote, concurrency, force, reporter } = options;
    const inspect = (keys) => inspectRemote(remote, sides.remote, keys, concurrency);
    const compared = { local: sides.local.entries, remote: sides.remote, remoteIsSource: sides.remoteIsSource };
    const notHashedEarly = hashing.narrowTo(localFilesToDigest(compared, force));
    const zeroBytes = zeroByteKeysToInspect(compared, force);
    await Promise.all([hashing.finished(), hashFiles(root, sides.local.entries, notHashedEarly), inspect(zeroBytes)]);
    const undecided = undecidedKeysToInspect(compared, force);
    await inspect(undecided);
    let hashed = 0;
    for (const entry of sides.local.entries.values())
        if (entry.kind === 'file' && entry.md5 !== undefined)
            hashed += 1;
    reporter.info(`hashed ${plural(hashed, 'local file')}, inspected ${plural(zeroBytes.length + undecided.length, 'object')}`);
}

;// CONCATENATED MODULE: ./src/core/local-scan.ts




/**
 * Walks the directory without following any symlink. Regular files become
 * file entries (md5 resolved later, only where needed); symlinks to files
 * inside the directory become redirects to the final target; every other link
 * is an opaque entry carrying the reason it cannot be copied.
 */
async function scanLocal(root, options) {
    const realRoot = await (0,promises_.realpath)(root);
    const entries = new Map();
    const folders = [];
    const pending = [''];
    while (pending.length > 0) {
        const relativeFolder = pending.pop();
        const dirents = await (0,promises_.readdir)(external_node_path_default().join(root, relativeFolder), { withFileTypes: true });
        for (const dirent of dirents) {
            const relative = external_node_path_default().join(relativeFolder, dirent.name);
            const key = keyFromRelativePath(relative);
            if (options.isExcluded(key))
                continue;
            const absolute = external_node_path_default().join(root, relative);
            if (dirent.isDirectory()) {
                folders.push(relative);
                pending.push(relative);
                continue;
            }
            const unsafe = unsafeKeyReason(key);
            if (unsafe !== undefined) {
                entries.set(key, { kind: 'opaque', reason: `its name is not a safe key: ${unsafe}` });
            }
            else if (dirent.isFile()) {
                // Synchronous on purpose: a cached lstat takes microseconds, while an
                // awaited one per file costs a thread-pool round trip (10x slower here).
                entries.set(key, { kind: 'file', size: (0,external_node_fs_.lstatSync)(absolute).size });
            }
            else if (dirent.isSymbolicLink()) {
                entries.set(key, await classifySymlink(absolute, realRoot, options.prefix));
            }
            else {
                entries.set(key, { kind: 'opaque', reason: 'it is not a regular file' });
            }
        }
    }
    folders.sort((a, b) => b.split((external_node_path_default()).sep).length - a.split((external_node_path_default()).sep).length);
    return { entries, folders, realRoot };
}
async function classifySymlink(linkPath, realRoot, prefix) {
    let target;
    try {
        target = await (0,promises_.realpath)(linkPath);
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
        return { kind: 'opaque', reason: 'it points to a folder (the directory itself)' };
    }
    if (!isInside(realRoot, target)) {
        return { kind: 'opaque', reason: `it points outside the directory (to ${target})` };
    }
    const targetStats = await (0,promises_.stat)(target);
    if (targetStats.isDirectory()) {
        return { kind: 'opaque', reason: 'it points to a folder, which S3 redirects cannot mirror' };
    }
    if (!targetStats.isFile()) {
        return { kind: 'opaque', reason: 'it points to something that is not a regular file' };
    }
    const targetKey = keyFromRelativePath(external_node_path_default().relative(realRoot, target));
    // The target is skipped too, so a redirect to it would lead nowhere.
    const unsafeTarget = unsafeKeyReason(targetKey);
    if (unsafeTarget !== undefined) {
        return { kind: 'opaque', reason: `its target's name is not a safe key: ${unsafeTarget}` };
    }
    return { kind: 'redirect', location: redirectLocationForKey(prefix, targetKey) };
}

;// CONCATENATED MODULE: ./src/core/remote-list.ts



/**
 * Lists every object under the prefix. One LIST request returns up to 1000
 * keys with their size and ETag, which is enough to decide most comparisons
 * without touching the objects themselves.
 */
async function listRemote({ client, bucket, prefix }, isExcluded, stop) {
    const entries = new Map();
    let continuationToken;
    do {
        // A run that failed meanwhile (its scan, say) asks for no more pages.
        stop?.throwIfAborted();
        const page = await tagged('list', prefix, () => client.send(new dist_cjs.ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix === '' ? undefined : `${prefix}/`,
            ContinuationToken: continuationToken,
        })));
        for (const object of page.Contents ?? []) {
            if (object.Key === undefined)
                continue;
            const key = stripPrefix(prefix, object.Key);
            if (key === undefined || isExcluded(key))
                continue;
            entries.set(key, {
                kind: 'file',
                size: object.Size ?? 0,
                etag: object.ETag?.replace(/"/g, '').toLowerCase(),
            });
        }
        // Stopping early would make the rest of the bucket look absent, and a pull delete it locally.
        if (page.IsTruncated && !page.NextContinuationToken) {
            throw new Error(`Listing s3://${bucket}/${prefix} came back truncated without a continuation token`);
        }
        continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
    return entries;
}

;// CONCATENATED MODULE: ./src/core/take-inventory.ts







/**
 * Lists the bucket and scans the directory at once: the first LIST page is
 * on the wire while the directory is walked, and local files are hashed
 * while the rest of the listing arrives.
 */
async function takeInventory(options) {
    const { direction, root, remote, reporter } = options;
    const push = direction === 'push';
    // A pull into a missing directory plans against an empty one; the folder
    // is made only when the plan is applied, so a refused run leaves nothing.
    const rootStats = await (0,promises_.stat)(root).catch(() => undefined);
    checkRoot(root, rootStats, push);
    const stopListing = new AbortController();
    const listing = listRemote(remote, options.isExcluded, stopListing.signal);
    listing.catch(() => undefined); // awaited below; this only keeps a failure meanwhile from going unhandled
    const local = await reporter
        .group('Scan the local directory', async () => {
        const scanned = rootStats === undefined
            ? { entries: new Map(), folders: [], realRoot: root }
            : await scanLocal(root, { prefix: remote.prefix, isExcluded: options.isExcluded });
        reporter.info(`${plural(scanned.entries.size, 'local entry', 'local entries')} in ${root}`);
        return scanned;
    })
        .catch((error) => {
        stopListing.abort();
        throw error;
    });
    // Every file on push (a no-op push needs nearly all md5s), small ones on pull.
    const candidates = [...local.entries]
        .filter(([, entry]) => entry.kind === 'file' && (push || entry.size <= SMALL_FILE))
        .map(([key]) => key);
    const hashing = new EarlyHashing(root, local.entries, candidates);
    const listed = await reporter.group(`List s3://${remote.bucket}/${remote.prefix}`, async () => {
        const entries = await listing;
        reporter.info(`${plural(entries.size, 'object')}, ${plural(options.requestsSent(), 'request')} so far`);
        return entries;
    });
    const sides = push
        ? { local, remote: listed, source: local.entries, destination: listed, remoteIsSource: false }
        : { local, remote: listed, source: listed, destination: local.entries, remoteIsSource: true };
    return { sides, hashing };
}
function checkRoot(root, stats, push) {
    if (stats === undefined) {
        if (push)
            throw new RefusedError(`The directory ${root} does not exist, so there is nothing to push.`);
        return;
    }
    if (!stats.isDirectory())
        throw new RefusedError(`The directory input ${root} is not a folder.`);
}

;// CONCATENATED MODULE: ./src/core/force-copy.ts








/**
 * The pipeline: inventory → resolve → plan → guards → apply. Nothing changes
 * before every guard has passed; an apply that fails returns what it did.
 */
async function forceCopy(options) {
    const { direction, reporter } = options;
    const requestsSent = () => options.budget.used;
    const inventory = await takeInventory({ ...options, requestsSent });
    const plan = await reporter.group('Compare', async () => {
        await resolve(inventory, options);
        const { source, destination } = inventory.sides;
        const planned = plan_plan(source, destination, {
            prefix: options.remote.prefix,
            delete: options.delete,
            force: options.force,
        });
        reporter.info(describePlan(planned));
        return planned;
    });
    for (const warning of plan.warnings)
        reporter.warn(warning.key, warning.message);
    checkGuards(plan, {
        ...options,
        requestsToApply: direction === 'push' ? pushRequestEstimate(plan) : plan.copies.length,
    });
    const outcome = emptyOutcome();
    const result = { direction, dryRun: options.dryRun, plan, outcome, warnings: plan.warnings };
    if (options.dryRun)
        return result;
    try {
        if (direction === 'push')
            await applyPush(plan, outcome, options);
        else
            await applyPull(plan, outcome, { ...options, folders: inventory.sides.local.folders });
    }
    catch (error) {
        result.failure = error;
    }
    result.warnings = [...plan.warnings, ...outcome.warnings];
    return result;
}
function describePlan(plan) {
    return (`plan: ${plural(plan.copies.length, 'file')} to copy, ${plural(plan.redirects.length, 'redirect')}, ` +
        `${plural(plan.deletes.length, 'key')} to delete, ${thousands(plan.unchanged.length)} unchanged`);
}

;// CONCATENATED MODULE: ./src/core/temp-files.ts

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
    get size() {
        return this.inFlight.size;
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

// EXTERNAL MODULE: ./node_modules/picomatch/index.js
var picomatch = __webpack_require__(4006);
var picomatch_default = /*#__PURE__*/__webpack_require__.n(picomatch);
;// CONCATENATED MODULE: ./src/settings/rules.ts

/** Always excluded, as in the original script: macOS Finder litter. */
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
        for (let slash = key.indexOf('/'); slash !== -1; slash = key.indexOf('/', slash + 1)) {
            if (matches(key.slice(0, slash)))
                return true;
        }
        return matches(key);
    };
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
/** The Cache-Control of the first rule whose glob matches the key. */
function cacheControlMatcher(rules) {
    const compiled = rules.map((rule) => ({ test: picomatch_default()(anyDepth(rule.pattern), GLOB_OPTIONS), value: rule.value }));
    return (key) => compiled.find((rule) => rule.test(key))?.value;
}

;// CONCATENATED MODULE: ./src/settings/inputs.ts




/**
 * The default concurrency, from the benchmark (BENCHMARKS.md#concurrency): at
 * 20 ms per request, 32 in flight beat 16 by 5-10% on bulk transfers; at 1 ms
 * the run is CPU-bound and 8 to 64 perform alike. Real S3 takes far more
 * parallel requests than the local test server, so the higher value is the
 * safer bet; memory stays bounded because large uploads have slots of their own.
 */
const DEFAULT_CONCURRENCY = 32;
/**
 * The most objects a push deletes when max-delete is empty: what hugo deploy
 * and s3deploy use. A wrong directory or prefix would otherwise delete
 * the live site. A pull has no default limit: a mirror folder is cheap to rebuild.
 */
const DEFAULT_PUSH_MAX_DELETE = 256;
class InputError extends Error {
    name = 'InputError';
}
/** Reads and validates every input; the first problem throws one clear sentence. */
function readSettings(env = process.env) {
    // Secrets first, so nothing below can log them unmasked.
    const accessKeyId = core/* getInput */.V4('aws-access-key-id');
    const secretAccessKey = core/* getInput */.V4('aws-secret-access-key');
    const sessionToken = core/* getInput */.V4('aws-session-token');
    for (const secret of [accessKeyId, secretAccessKey, sessionToken])
        if (secret)
            core/* setSecret */.Pq(secret);
    if ((accessKeyId === '') !== (secretAccessKey === '')) {
        throw new InputError('Set both aws-access-key-id and aws-secret-access-key, or neither to use the default credentials.');
    }
    if (sessionToken !== '' && accessKeyId === '') {
        throw new InputError('The aws-session-token input needs aws-access-key-id and aws-secret-access-key as well.');
    }
    const direction = required('direction');
    if (direction !== 'push' && direction !== 'pull') {
        throw new InputError(`The direction input must be "push" or "pull", not "${direction}".`);
    }
    const directoryInput = required('directory');
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const bucket = required('bucket');
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/.test(bucket)) {
        throw new InputError(`The bucket input must be a bucket name such as "my-site", not "${bucket}".`);
    }
    const endpoint = core/* getInput */.V4('endpoint') || undefined;
    if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) {
        throw new InputError(`The endpoint input must be an http:// or https:// URL, not "${endpoint}".`);
    }
    const checksums = core/* getInput */.V4('request-checksums') || 'auto';
    if (!['auto', 'when-supported', 'when-required'].includes(checksums)) {
        throw new InputError(`The request-checksums input must be auto, when-supported or when-required, not "${checksums}".`);
    }
    return {
        direction,
        directory: external_node_path_default().resolve(workspace, directoryInput),
        directoryInput,
        bucket,
        prefix: safePrefix(core/* getInput */.V4('prefix')),
        requestLimit: wholeNumber('request-limit', 1_000_000, 1),
        region: core/* getInput */.V4('region') || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
        endpoint,
        forcePathStyle: flag('force-path-style', false),
        credentials: accessKeyId === '' ? undefined : { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
        concurrency: wholeNumber('concurrency', DEFAULT_CONCURRENCY, 1, 256),
        exclude: lines('exclude'),
        cacheControl: parseCacheControlRules(lines('cache-control'), (message) => new InputError(message)),
        dryRun: flag('dry-run', false),
        delete: flag('delete', true),
        maxDelete: core/* getInput */.V4('max-delete') !== ''
            ? wholeNumber('max-delete', 0, 0)
            : direction === 'push'
                ? DEFAULT_PUSH_MAX_DELETE
                : undefined,
        allowEmpty: flag('allow-empty', false),
        force: flag('force', false),
        checksums: checksums === 'auto'
            ? endpoint === undefined
                ? 'when-supported'
                : 'when-required'
            : checksums,
    };
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
    update: 's3:PutObject',
    delete: 's3:DeleteObject',
    link: 's3:GetObject',
};
/** "upload index.html": the operation and key a failure stopped at, if it was on one key. */
function stoppedAt(error) {
    return error instanceof OperationError ? `${error.operation} ${error.key}` : undefined;
}
/** One sentence that says what failed and what to change. */
function describeFailure(error, { settings, requestsSucceeded }) {
    if (error instanceof InputError || error instanceof RefusedError || error instanceof RequestLimitError) {
        return error.message;
    }
    const tag = error instanceof OperationError ? error : undefined;
    const cause = tag ? tag.cause : error;
    const name = cause?.name ?? '';
    const where = settings ? `s3://${settings.bucket}` : 'the bucket';
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
    if (name === 'AccessDenied' || name === 'Forbidden') {
        if (tag) {
            const action = IAM_ACTION[tag.operation];
            const resource = tag.operation === 'list' ? `arn:aws:s3:::${settings?.bucket ?? 'BUCKET'}` : `${object}`;
            return `S3 denied ${action} on ${resource} (${name}): allow ${action} for ${resource} in the policy of the role or user this run uses.`;
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
function objectName(settings, tag) {
    return `s3://${settings.bucket}/${withPrefix(settings.prefix, tag.key)}`;
}
function oneRequestRefused(name, tag, object, succeeded) {
    const before = `after ${succeeded} ${succeeded === 1 ? 'request' : 'requests'} had succeeded, so the credentials work`;
    if (name === 'ExpiredToken' || name === 'TokenRefreshRequired') {
        return `S3 refused the request to ${tag.operation} ${object} (${name}) ${before}: the session expired during the run. Re-run it, or give the role a longer session (role-duration-seconds).`;
    }
    return `S3 refused the request to ${tag.operation} ${object} (${name}) ${before}, but not for this request: a proxy or store that changes the request on the way (its key, headers or body) is the usual cause. Re-run it; if it fails again on the same key, report the key's name.`;
}

;// CONCATENATED MODULE: ./src/report/outputs.ts

function countsOf(result, requests) {
    const push = result.direction === 'push';
    const { plan, outcome } = result;
    const copied = result.dryRun ? plan.copies.length : outcome.copied.length;
    return {
        uploaded: push ? copied : 0,
        downloaded: push ? 0 : copied,
        redirected: result.dryRun ? plan.redirects.length : outcome.redirected.length,
        skipped: plan.unchanged.length,
        deleted: result.dryRun ? plan.deletes.length : outcome.deleted.length,
        warnings: result.warnings.length,
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
    const copies = source?.copies ?? inPlanOrder(result.plan.copies, result.outcome.copied);
    const redirects = source?.redirects ?? inPlanOrder(result.plan.redirects, result.outcome.redirected);
    const deletes = source?.deletes ?? result.outcome.deleted;
    return [
        ...copies.map((copy) => ({ key: copy.key, action: push ? 'uploaded' : 'downloaded', reason: copy.reason })),
        ...redirects.map((r) => ({
            key: r.key,
            action: push ? 'redirected' : 'linked',
            reason: `→ ${r.target} (${r.reason})`,
        })),
        ...deletes.map((d) => ({ key: d.key, action: 'deleted', reason: 'not in the source' })),
    ];
}
/** The done items in the plan's order (they finish in whatever order the transfers end). */
function inPlanOrder(planned, done) {
    const finished = new Set(done);
    return planned.filter((item) => finished.has(item));
}
function changedKeysOutput(changes) {
    return JSON.stringify(changes.slice(0, CHANGED_KEYS_CAP).map((change) => change.key));
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
    if (plan.deletes.length > 0) {
        parts.push(outcome.deleted.length === 0
            ? 'nothing was deleted'
            : `deleted ${outcome.deleted.length} of ${plural(plan.deletes.length, push ? 'object' : 'file')}`);
    }
    const done = outcome.copied.length + outcome.redirected.length + outcome.deleted.length;
    if (done === 0)
        parts.unshift('nothing was changed');
    parts.push('re-run to finish (a re-run sends only what is still missing)');
    return parts.join('; ');
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
function renderSummary(result, settings, facts, failure) {
    const counts = countsOf(result, facts.requests);
    const push = result.direction === 'push';
    const parts = [];
    const title = failure ? ' failed' : result.dryRun ? ' (dry run)' : '';
    parts.push(`<h2>s3-force-copy ${result.direction}${title}</h2>`);
    parts.push(`<p>${route(settings)}${facts.source ? ` from <code>${escapeHtml(facts.source)}</code>` : ''}</p>`);
    if (failure) {
        parts.push(`<p><strong>${escapeHtml(failure.message)}</strong></p>`);
        if (failure.stoppedAt)
            parts.push(`<p>Stopped at: <code>${escapeHtml(failure.stoppedAt)}</code></p>`);
        parts.push(`<p>The destination now: ${escapeHtml(destinationState(result))}.</p>`);
    }
    if (result.dryRun) {
        parts.push('<p><strong>Dry run:</strong> this is the plan. Nothing was uploaded, downloaded or deleted.</p>');
    }
    const would = (done, planned) => (result.dryRun ? planned : done);
    const rows = [
        [
            push ? would('Uploaded', 'Would upload') : would('Downloaded', 'Would download'),
            thousands(push ? counts.uploaded : counts.downloaded),
        ],
        [
            push ? would('Redirects written', 'Would write redirects') : would('Symlinks made', 'Would make symlinks'),
            thousands(counts.redirected),
        ],
        ['Skipped (up to date)', thousands(counts.skipped)],
        [would('Deleted', 'Would delete'), thousands(counts.deleted)],
        ['Warnings', thousands(counts.warnings)],
        [
            'S3 requests',
            `${thousands(counts.requests)} of ${thousands(settings.requestLimit)} allowed (${requestBreakdown(facts.requestsByKind)})`,
        ],
        [would('Transferred', 'Would transfer'), formatBytes(counts.bytes)],
        ['Duration', `${(facts.durationMs / 1000).toFixed(1)} s`],
    ];
    parts.push('<table><tr><th>What</th><th>Count</th></tr>' +
        rows.map(([what, count]) => `<tr><td>${what}</td><td>${count}</td></tr>`).join('') +
        '</table>');
    const changes = changesOf(result);
    if (changes.length > 0) {
        const shown = changes.slice(0, SUMMARY_ROW_CAP);
        const more = changes.length - shown.length;
        const heading = result.dryRun ? 'Planned changes' : failure ? 'Changes made before the failure' : 'Changes';
        parts.push(`<details><summary>${heading} (${thousands(changes.length)})</summary><ul>` +
            shown.map((c) => `<li>${c.action}: <code>${escapeHtml(c.key)}</code> — ${escapeHtml(c.reason)}</li>`).join('') +
            (more > 0 ? `<li>and ${thousands(more)} more</li>` : '') +
            '</ul></details>');
    }
    const { warnings } = result;
    if (warnings.length > 0) {
        const shown = warnings.slice(0, SUMMARY_ROW_CAP);
        const more = warnings.length - shown.length;
        parts.push(`<h3>Warnings (${thousands(warnings.length)})</h3><ul>` +
            shown.map((w) => `<li><code>${escapeHtml(w.key)}</code>: ${escapeHtml(w.message)}</li>`).join('') +
            (more > 0 ? `<li>and ${thousands(more)} more</li>` : '') +
            '</ul>');
    }
    return parts.join('\n');
}
function route(settings) {
    const remote = escapeHtml(`s3://${settings.bucket}/${settings.prefix}`);
    const local = escapeHtml(settings.directoryInput);
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

;// CONCATENATED MODULE: ./src/s3/delete-md5.ts

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

;// CONCATENATED MODULE: ./src/s3/client.ts



const MAX_ATTEMPTS = 5;
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
        // The SDK sends `Expect: 100-continue` with bodies of 2 MiB or more, and
        // sends each such request on a one-off connection that is closed after it,
        // because Node mixed up bodies on shared ones (aws-sdk-js-v3#6940). So every
        // large part or PUT would pay a new TCP and TLS handshake and a round trip
        // for the `100 Continue`. Without the header they ride the pooled
        // keep-alive connections; the price is that a body S3 refuses outright (an
        // expired session, say) is already on its way when the refusal arrives.
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
    return client;
}

;// CONCATENATED MODULE: ./src/s3/request-budget.ts


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
                throw new RequestLimitError(`Stopped at the request-limit of ${this.limit} requests. ` +
                    'Raise the `request-limit` input if this is expected.', this.sent + 1, this.limit);
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
            return request.query?.['list-type'] !== undefined ? 'LIST' : 'GET';
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

// EXTERNAL MODULE: ./src/thread.ts
var thread = __webpack_require__(5183);
;// CONCATENATED MODULE: ./package.json
const package_namespaceObject = {"rE":"1.0.0"};
;// CONCATENATED MODULE: ./src/version.ts

/** The action's version, as the release that users pin says it. */
const version = package_namespaceObject.rE;

;// CONCATENATED MODULE: ./src/main.ts
















const actionsReporter = {
    info: (message) => core/* info */.pq(message),
    // A line per file otherwise, written and parsed by the runner only to be hidden.
    debug: core/* isDebug */._o() ? (message) => core/* debug */.Yz(message) : () => undefined,
    warn: (key, message) => core/* warning */.$e(`${key}: ${message}`, { title: 's3-force-copy' }),
    group: (name, work) => core/* group */.Os(name, async () => {
        const started = Date.now();
        const result = await work();
        core/* info */.pq(`done in ${((Date.now() - started) / 1000).toFixed(2)} s`);
        return result;
    }),
};
/** Settings → clients → core → outputs and summary. */
async function run() {
    const started = Date.now();
    const tempFiles = new TempFiles();
    // A cancelled job gets SIGINT, then SIGTERM: leave no partial download behind.
    (0,thread/* onStopRequest */.t)((exitCode) => {
        tempFiles.removeAll();
        process.exit(exitCode);
    });
    let settings;
    let budget;
    const outputs = new StepOutputs();
    try {
        settings = readSettings();
        outputs.checkFile();
        logOpening(settings);
        const client = createS3Client(settings);
        budget = new RequestBudget(settings.requestLimit);
        budget.attachTo(client);
        const result = await forceCopy({
            direction: settings.direction,
            root: settings.directory,
            remote: { client, bucket: settings.bucket, prefix: settings.prefix },
            budget,
            concurrency: settings.concurrency,
            isExcluded: excludeMatcher(settings.exclude),
            contentType: contentTypeFor,
            cacheControl: cacheControlMatcher(settings.cacheControl),
            force: settings.force,
            delete: settings.delete,
            maxDelete: settings.maxDelete,
            allowEmpty: settings.allowEmpty,
            dryRun: settings.dryRun,
            tempFiles,
            reporter: actionsReporter,
        });
        const facts = {
            requests: budget.used,
            requestsByKind: budget.byKind(),
            durationMs: Date.now() - started,
            source: githubSource(),
        };
        const failure = result.failure === undefined
            ? undefined
            : {
                message: describeFailure(result.failure, { settings, requestsSucceeded: budget.succeeded }),
                stoppedAt: stoppedAt(result.failure),
            };
        const counts = countsOf(result, facts.requests);
        outputs.set(counts, result);
        core/* info */.pq(closingLine(result, counts));
        await writeSummary(renderSummary(result, settings, facts, failure));
        if (failure) {
            const where = failure.stoppedAt ? ` (stopped at ${failure.stoppedAt})` : '';
            core/* setFailed */.C1(`${failure.message}${where} The destination now: ${destinationState(result)}.`);
        }
    }
    catch (error) {
        // Everything before the apply: nothing was changed.
        const message = describeFailure(error, { settings, requestsSucceeded: budget?.succeeded ?? 0 });
        core/* setFailed */.C1(message);
        if (budget)
            outputs.setRequests(budget.used);
        if (settings)
            await writeSummary(renderRefusalSummary(message, settings, budget?.used ?? 0));
    }
}
/** What will happen, before anything does: version, route and the settings in effect (no secrets). */
function logOpening(settings) {
    const remote = `s3://${settings.bucket}/${settings.prefix}`;
    const [from, to] = settings.direction === 'push' ? [settings.directory, remote] : [remote, settings.directory];
    core/* info */.pq(`s3-force-copy ${version}: ${settings.direction} ${from} → ${to}`);
    const rules = (count) => (count === 0 ? 'none' : plural(count, 'rule'));
    core/* info */.pq([
        `dry-run: ${settings.dryRun}`,
        `delete: ${settings.delete}`,
        `max-delete: ${settings.maxDelete === undefined ? 'no limit' : settings.maxDelete}`,
        `allow-empty: ${settings.allowEmpty}`,
        `force: ${settings.force}`,
        `request-limit: ${settings.requestLimit.toLocaleString('en-US')}`,
        `concurrency: ${settings.concurrency}`,
        `region: ${settings.region}`,
        `endpoint: ${settings.endpoint ?? 'AWS'}`,
        `exclude: ${rules(settings.exclude.length)}`,
        `cache-control: ${rules(settings.cacheControl.length)}`,
    ].join(', '));
}
function closingLine(result, counts) {
    return (`${result.dryRun ? 'Dry run, planned: ' : result.failure ? 'Failed after: ' : ''}` +
        `uploaded ${counts.uploaded}, downloaded ${counts.downloaded}, redirected ${counts.redirected}, ` +
        `skipped ${counts.skipped}, deleted ${counts.deleted}, warnings ${counts.warnings}, ` +
        `${plural(counts.requests, 'request')}`);
}
/**
 * The step's outputs. A GITHUB_OUTPUT that names a missing file would make
 * every setOutput throw at the end of a run that already changed the bucket,
 * so it is checked once, up front, and then left alone.
 */
class StepOutputs {
    usable = true;
    checkFile() {
        const file = process.env.GITHUB_OUTPUT;
        if (file === undefined || file === '' || (0,external_node_fs_.existsSync)(file))
            return;
        this.usable = false;
        core/* warning */.$e(`GITHUB_OUTPUT names ${file}, which does not exist: this step's outputs cannot be set, so later steps that read them get empty values. The run itself goes on.`);
    }
    set(counts, result) {
        if (!this.usable)
            return;
        for (const [name, value] of Object.entries(counts))
            core/* setOutput */.uH(name, value);
        core/* setOutput */.uH('changed-keys', changedKeysOutput(changesOf(result)));
        core/* setOutput */.uH('dry-run', result.dryRun);
    }
    setRequests(requests) {
        if (this.usable)
            core/* setOutput */.uH('requests', requests);
    }
}
function githubSource() {
    if (!process.env.GITHUB_REPOSITORY)
        return undefined;
    const { owner, repo } = github/* context */._.repo;
    return `${owner}/${repo}@${github/* context */._.sha.slice(0, 7)}`;
}
/** A summary that cannot be written is a warning: the sync it describes has already happened. */
async function writeSummary(html) {
    if (!process.env.GITHUB_STEP_SUMMARY) {
        core/* info */.pq('No GITHUB_STEP_SUMMARY file: the job summary is not written.');
        return;
    }
    try {
        await core/* summary */.z.addRaw(html, true).write();
    }
    catch (error) {
        core/* warning */.$e(`Could not write the job summary (${error instanceof Error ? error.message : String(error)}).`);
    }
}


/***/ })

};
