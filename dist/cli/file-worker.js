import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:worker_threads"
const external_node_worker_threads_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");
;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:stream"
const external_node_stream_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");
;// CONCATENATED MODULE: external "node:zlib"
const external_node_zlib_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");
;// CONCATENATED MODULE: ./src/local/digest.ts




/** Part size for multipart uploads; also used to predict their ETags. */
const PART_SIZE = (/* unused pure expression or super */ null && (8 * 1024 * 1024));
/**
 * Files up to this size are read in one synchronous call: a stream would read
 * them in one chunk anyway, and the thread-pool round trips cost several times
 * the read (docs/adr/0005-synchronous-small-file-io.md).
 */
const SMALL_FILE = (/* unused pure expression or super */ null && (1024 * 1024));
/** A pass-through stream that hashes (md5) and counts what flows through it. */
function hashingStream() {
    const hash = createHash('md5');
    let bytes = 0;
    const stream = new Transform({
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
    return (0,external_node_crypto_namespaceObject.createHash)('md5').update(data).digest('hex');
}
/**
 * The md5 of a small file, read in one synchronous call (SMALL_FILE). The file
 * thread uses it too (file-worker.ts), so there is one md5 of a file.
 */
function smallFileMd5(filePath) {
    return md5Hex((0,external_node_fs_namespaceObject.readFileSync)(filePath));
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
    const whole = createHash('md5');
    // Parts are hashed only for a file lib-storage would split: one of at most
    // a part goes up as a single PutObject, whose ETag is its md5.
    const splits = size > partSize;
    const partDigests = [];
    let part = createHash('md5');
    let partFill = 0;
    let total = 0;
    for await (const chunk of createReadStream(filePath, {
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
                part = createHash('md5');
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
    const combined = createHash('md5').update(Buffer.concat(partDigests)).digest('hex');
    return { md5, multipartEtag: `${combined}-${partDigests.length}` };
}
/** Files stored gzip-compressed are compressed whole in memory; larger ones are stored as they are. */
const GZIP_MAX_BYTES = (/* unused pure expression or super */ null && (64 * 1024 * 1024));
/** The gzip header's OS byte: zlib writes the platform's (10 on Windows), this makes it the same everywhere. */
const GZIP_OS_UNIX = 3;
/**
 * Deterministic gzip: a fixed level, no name, mtime 0 and one OS byte, so the
 * same file makes the same bytes with the same zlib, and its ETag (the md5 of
 * those bytes) settles the comparison from the listing alone. Another zlib
 * build may compress otherwise; the manifest's md5 then decides.
 */
function gzipBytes(data) {
    const compressed = gzipSync(data, { level: 9 });
    compressed[9] = GZIP_OS_UNIX;
    return compressed;
}
/** The md5 of a file, and the size and md5 of its gzip-compressed form as the bucket would hold it. */
function digestGzipped(filePath) {
    const data = readFileSync(filePath);
    const compressed = gzipBytes(data);
    return {
        md5: md5Hex(data),
        stored: { size: compressed.length, md5: md5Hex(compressed), encoding: 'gzip' },
    };
}

;// CONCATENATED MODULE: ./src/local/file-worker.ts



function tried(call) {
    try {
        return call();
    }
    catch {
        return null;
    }
}
function answer({ id, paths, md5MaxBytes }) {
    const sizes = [];
    if (md5MaxBytes === undefined) {
        for (const path of paths)
            sizes.push(tried(() => (0,external_node_fs_namespaceObject.lstatSync)(path).size));
        return { id, sizes };
    }
    const md5s = [];
    for (const path of paths) {
        // Each path adds one answer to each list, whichever call fails; a file
        // is read right after it is sized.
        const size = tried(() => (0,external_node_fs_namespaceObject.lstatSync)(path).size);
        sizes.push(size);
        md5s.push(size !== null && size <= md5MaxBytes ? tried(() => smallFileMd5(path)) : null);
    }
    return { id, sizes, md5s };
}
const port = external_node_worker_threads_namespaceObject.parentPort;
if (port === null)
    throw new Error('file-worker.ts is the file thread’s program; FileThread starts it');
port.on('message', (request) => port.postMessage(answer(request)));

