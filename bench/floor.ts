/**
 * The benchmark's floor: the least a tool can do to move the fixture through
 * the same proxy. Raw `node:http` with a keep-alive agent, 64 requests in
 * flight, no SDK: no signing (s3rver takes anonymous requests), no retries,
 * no checksums, no comparison, no temporary files. It still moves every byte
 * and the bench checks the result as it checks every tool's.
 *
 * push: one LIST (is the bucket empty?), then a PUT per file, a 12 MiB file
 * included (one PUT, no multipart), and a PUT with
 * x-amz-website-redirect-location per symlink, as our action stores them.
 * pull: LIST pages one after another, then a GET per object, written straight
 * to its path (folders made once each); a redirect object becomes a symlink.
 *
 * Node's own type stripping runs it (the bench starts it with the Node.js that
 * runs our action), so it uses only erasable TypeScript and Node's modules.
 *
 * Usage: node bench/floor.ts push|pull DIR ENDPOINT BUCKET [CONCURRENCY]
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** Bodies up to this size are sent and written whole; larger ones are streamed. */
const WHOLE = 1024 * 1024;

interface Target {
  host: string;
  port: number;
  bucket: string;
  agent: http.Agent;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  response: http.IncomingMessage;
}

let requests = 0;

function objectPath(target: Target, key: string): string {
  return `/${target.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

function send(
  target: Target,
  method: string,
  urlPath: string,
  headers: http.OutgoingHttpHeaders,
  body?: Buffer | NodeJS.ReadableStream,
): Promise<Answer> {
  requests += 1;
  // An x-amz-* header tells s3rver this is an API call, not a website visit;
  // every S3 client sends these two, unsigned payloads included.
  const sent = { ...headers, 'x-amz-date': amzDate(), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: target.host, port: target.port, method, path: urlPath, headers: sent, agent: target.agent },
      (response) => resolve({ status: response.statusCode ?? 0, headers: response.headers, response }),
    );
    request.once('error', reject);
    if (body === undefined) request.end();
    else if (Buffer.isBuffer(body)) request.end(body);
    else body.pipe(request);
  });
}

function amzDate(): string {
  return new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
}

async function readAll(response: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

async function expectOk(answer: Answer, what: string): Promise<Buffer> {
  const body = await readAll(answer.response);
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(`${what}: HTTP ${answer.status} ${body.toString('utf8').slice(0, 300)}`);
  }
  return body;
}

async function forEachBounded<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runner = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, runner));
}

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity[0] !== '#') return named[entity.toLowerCase()] ?? '';
    const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1));
    return String.fromCodePoint(code);
  });
}

async function listAll(target: Target): Promise<{ key: string; size: number }[]> {
  const objects: { key: string; size: number }[] = [];
  let token: string | undefined;
  do {
    const query = `list-type=2${token === undefined ? '' : `&continuation-token=${encodeURIComponent(token)}`}`;
    const xml = (await expectOk(await send(target, 'GET', `/${target.bucket}?${query}`, {}), 'LIST')).toString('utf8');
    for (const [, contents = ''] of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
      const key = /<Key>([\s\S]*?)<\/Key>/.exec(contents)?.[1];
      const size = /<Size>(\d+)<\/Size>/.exec(contents)?.[1];
      if (key !== undefined) objects.push({ key: unescapeXml(key), size: Number(size ?? 0) });
    }
    const truncated = /<IsTruncated>true<\/IsTruncated>/.test(xml);
    const found = /<NextContinuationToken>([\s\S]*?)<\/NextContinuationToken>/.exec(xml)?.[1];
    token = truncated && found !== undefined ? unescapeXml(found) : undefined;
  } while (token !== undefined);
  return objects;
}

async function push(root: string, target: Target, concurrency: number): Promise<string> {
  await listAll(target);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const items = entries
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => {
      const absolute = path.join(entry.parentPath, entry.name);
      return { absolute, key: path.relative(root, absolute).split(path.sep).join('/'), link: entry.isSymbolicLink() };
    });
  let bytes = 0;
  await forEachBounded(items, concurrency, async ({ absolute, key, link }) => {
    const urlPath = objectPath(target, key);
    if (link) {
      const resolved = path.resolve(path.dirname(absolute), await readlink(absolute));
      const location = `/${path.relative(root, resolved).split(path.sep).map(encodeURIComponent).join('/')}`;
      const headers = { 'content-length': 0, 'x-amz-website-redirect-location': location };
      await expectOk(await send(target, 'PUT', urlPath, headers, Buffer.alloc(0)), `PUT ${key}`);
      return;
    }
    const body = await readFile(absolute);
    bytes += body.length;
    const headers = { 'content-length': body.length, 'content-type': 'application/octet-stream' };
    await expectOk(await send(target, 'PUT', urlPath, headers, body), `PUT ${key}`);
  });
  return `uploaded=${items.length} bytes=${bytes}`;
}

async function pull(root: string, target: Target, concurrency: number): Promise<string> {
  const objects = await listAll(target);
  const folders = new Map<string, Promise<unknown>>();
  const folder = (dir: string): Promise<unknown> => {
    let made = folders.get(dir);
    if (made === undefined) {
      made = mkdir(dir, { recursive: true });
      folders.set(dir, made);
    }
    return made;
  };
  let bytes = 0;
  await forEachBounded(objects, concurrency, async ({ key, size }) => {
    const file = path.join(root, ...key.split('/'));
    const answer = await send(target, 'GET', objectPath(target, key), {});
    const location = answer.headers['x-amz-website-redirect-location'];
    if (size > WHOLE && answer.status === 200) {
      await folder(path.dirname(file));
      await pipeline(answer.response, createWriteStream(file));
      bytes += size;
      return;
    }
    const body = await expectOk(answer, `GET ${key}`);
    bytes += body.length;
    await folder(path.dirname(file));
    if (typeof location === 'string' && location.startsWith('/') && body.length === 0) {
      const linked = path.join(root, ...location.slice(1).split('/').map(decodeURIComponent));
      await symlink(path.relative(path.dirname(file), linked), file);
    } else {
      await writeFile(file, body);
    }
  });
  return `downloaded=${objects.length} bytes=${bytes}`;
}

async function main(): Promise<void> {
  const [direction, dir, endpoint, bucket, concurrencyText = '64'] = process.argv.slice(2);
  if ((direction !== 'push' && direction !== 'pull') || !dir || !endpoint || !bucket) {
    throw new Error('usage: node bench/floor.ts push|pull DIR ENDPOINT BUCKET [CONCURRENCY]');
  }
  const concurrency = Number(concurrencyText);
  const url = new URL(endpoint);
  const target: Target = {
    host: url.hostname,
    port: Number(url.port),
    bucket,
    agent: new http.Agent({ keepAlive: true, maxSockets: concurrency }),
  };
  const root = path.resolve(dir);
  const done = direction === 'push' ? await push(root, target, concurrency) : await pull(root, target, concurrency);
  target.agent.destroy();
  console.log(`${done} requests=${requests}`);
}

await main();
