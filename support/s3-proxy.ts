/**
 * A counting, latency-adding, fault-injecting reverse proxy for path-style S3
 * traffic. It sits between a client (the action, aws, rclone) and s3rver so
 * that benchmarks can count requests by kind and tests can simulate a slow or
 * flaky S3 without touching the client.
 *
 * It relays bytes and reads only request heads (and, to cut one short, a
 * response head): each client connection gets its own connection to s3rver.
 * The proxy stands in for a network, which costs the machine nothing; on a
 * 2-core runner a full HTTP proxy took a fifth of the CPU of a benchmark
 * scenario away from the tool being measured.
 */
import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import net, { type AddressInfo } from 'node:net';

export type RequestKind = 'LIST' | 'HEAD' | 'GET' | 'PUT' | 'POST' | 'DELETE' | 'OTHER';

export interface ProxiedRequest {
  method: string;
  kind: RequestKind;
  /** URL-decoded path-style path: `/bucket/key` (`/bucket` for bucket calls). */
  key: string;
  /** Raw query string without the leading `?` (e.g. `list-type=2&prefix=a`). */
  query: string;
  /** Which client connection carried it: 1 for the first the proxy accepted, and so on. */
  connection: number;
  /** Whether it held its body back for a `100 Continue`. */
  expectsContinue: boolean;
  /** The request's headers, names in lower case. */
  headers: Record<string, string>;
}

export interface FaultRequest extends ProxiedRequest {
  /** 0-based position of this request in `log()` (counted since the last reset). */
  index: number;
}

/**
 * An error answer, after reading the request's body as s3rver would, or
 * `beforeBody`: at once, before the body, then closing the connection, as S3
 * refuses a request whose credentials it rejects (an expired session, say).
 * The body that still arrives is read and dropped, and nothing after it is
 * taken as a request.
 */
export type ErrorFault = { status: number; code: string; message?: string; beforeBody?: boolean };

/**
 * `reset`: half the response body, then the connection closes. `hang`: half
 * the body, then nothing more until the client gives up or the proxy stops
 * (a download in flight, for a test that cancels the run). Either closes
 * the connection at once on a request other than a GET.
 */
export type Fault =
  undefined | ErrorFault | 'reset' | 'hang' | { stallMs: number } | DropHeaderFault | RewriteEtagsFault;

/**
 * Every md5-like ETag of the response (its ETag header, and the <ETag>s of an
 * XML body) becomes another 32-hex value, the same for the same md5, as SSE-KMS
 * and SSE-C objects list ETags that are not the md5 of their content.
 */
export type RewriteEtagsFault = { rewriteEtags: true };

/**
 * The response goes through without one header, as a store that ignores it
 * would answer (Cloudflare R2 keeps no x-amz-website-redirect-location).
 */
export type DropHeaderFault = { dropResponseHeader: string };

export interface S3ProxyOptions {
  /** e.g. http://127.0.0.1:1234 (the s3rver endpoint). */
  upstream: string;
  /** Added before forwarding every request, to model a network round trip. */
  latencyMs?: number;
  fault?: (request: FaultRequest) => Fault;
}

export type RequestCounts = Record<Exclude<RequestKind, 'OTHER'>, number> & {
  total: number;
};

export interface S3Proxy {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  port: number;
  counts: () => RequestCounts;
  log: () => ProxiedRequest[];
  /** Clears counts and log (fault indexes restart at 0). */
  reset: () => void;
  stop: () => Promise<void>;
}

const MAX_HEAD_BYTES = 64 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');

export async function startS3Proxy(options: S3ProxyOptions): Promise<S3Proxy> {
  const upstream = new URL(options.upstream);
  const relayOptions: RelayOptions = {
    host: upstream.hostname,
    port: Number(upstream.port),
    latencyMs: options.latencyMs ?? 0,
    record: (request) => {
      const index = log.length;
      log.push(request);
      return options.fault?.({ ...request, index });
    },
  };
  let log: ProxiedRequest[] = [];
  const connections = new Set<net.Socket>();
  let accepted = 0;

  const server = net.createServer((client) => {
    connections.add(client);
    client.once('close', () => connections.delete(client));
    accepted += 1;
    relay(client, accepted, relayOptions);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // Never the reason a test process stays alive; accepted sockets still keep
  // it alive while they carry traffic.
  server.unref();
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    counts: () => countKinds(log),
    log: () => log.map((entry) => ({ ...entry })),
    reset: () => {
      log = [];
    },
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of connections) socket.destroy();
      await closed;
    },
  };
}

interface RelayOptions {
  host: string;
  port: number;
  latencyMs: number;
  /** Logs a request and returns the fault to inject, if any. */
  record: (request: ProxiedRequest) => Fault;
}

interface RequestHead {
  bytes: Buffer;
  method: string;
  url: string;
  body: BodyFraming;
  expectsContinue: boolean;
  headers: Record<string, string>;
}

/**
 * Carries one client connection to its own s3rver connection. Clients send
 * one request at a time on a connection (none of them pipelines), so the
 * next response from s3rver always answers the last request read here.
 */
function relay(client: net.Socket, connection: number, options: RelayOptions): void {
  const upstream = net.connect({ host: options.host, port: options.port });
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  const closeBoth = (): void => {
    client.destroy();
    upstream.destroy();
  };
  // An end from one side ends the other once what is buffered for it is
  // written. Neither side half-closes mid-exchange (no S3 client does), so a
  // client gone away or an error takes both connections down.
  client.on('end', () => upstream.end());
  upstream.on('end', () => client.end());
  client.on('error', closeBoth);
  upstream.on('error', closeBoth);
  client.on('close', closeBoth);

  let unread: Buffer = Buffer.alloc(0);
  /** The body being relayed (or, for an injected error, swallowed). */
  let body: { framing: BodyFraming; forward: boolean; then?: () => void } | undefined;
  let delayed = false;
  /** Answered with `connection: close`: whatever the client still sends is dropped. */
  let closing = false;
  let cutResponse: ResponseCutter | undefined;
  let dropHeader: HeaderDropper | undefined;
  let rewriteEtags: EtagRewriter | undefined;

  const readRequests = (): void => {
    while (!delayed && !client.destroyed && unread.length > 0) {
      if (closing && !body) {
        unread = Buffer.alloc(0);
        return;
      }
      if (body) {
        const taken = body.framing.take(unread);
        if (Number.isNaN(taken)) {
          closeBoth();
          return;
        }
        if (body.forward && taken > 0) send(upstream, client, unread.subarray(0, taken));
        unread = unread.subarray(taken);
        if (body.framing.done) {
          const then = body.then;
          body = undefined;
          then?.();
        }
        continue;
      }
      const end = unread.indexOf(HEAD_END);
      if (end === -1) {
        if (unread.length > MAX_HEAD_BYTES) closeBoth();
        return;
      }
      const head = parseHead(unread.subarray(0, end + HEAD_END.length));
      unread = unread.subarray(end + HEAD_END.length);
      if (head === undefined) {
        closeBoth();
        return;
      }
      const fault = options.record({
        ...describe(head.method, head.url),
        connection,
        expectsContinue: head.expectsContinue,
        headers: head.headers,
      });
      const delay = options.latencyMs + (fault && typeof fault === 'object' && 'stallMs' in fault ? fault.stallMs : 0);
      const act = (): void => {
        if ((fault === 'reset' || fault === 'hang') && head.method !== 'GET') {
          closeBoth();
        } else if (fault && typeof fault === 'object' && 'status' in fault) {
          if (fault.beforeBody) {
            // The rest of the body is read and dropped, so the client sees the
            // answer and the close rather than a reset.
            closing = true;
            client.write(errorResponse(head, fault, true), () => client.end());
            if (!head.body.done) body = { framing: head.body, forward: false };
            return;
          }
          // Answer in s3rver's place: as Node's upstream does, grant the body
          // first (100-continue), read it all, then send the error.
          if (head.expectsContinue) client.write('HTTP/1.1 100 Continue\r\n\r\n');
          const answer = (): void => void client.write(errorResponse(head, fault));
          if (head.body.done) answer();
          else body = { framing: head.body, forward: false, then: answer };
        } else {
          if (fault === 'reset' || fault === 'hang') cutResponse = new ResponseCutter(fault);
          if (fault && typeof fault === 'object' && 'dropResponseHeader' in fault) {
            dropHeader = new HeaderDropper(fault.dropResponseHeader);
          }
          if (fault && typeof fault === 'object' && 'rewriteEtags' in fault) {
            rewriteEtags = new EtagRewriter(head.method === 'HEAD');
          }
          send(upstream, client, head.bytes);
          if (!head.body.done) body = { framing: head.body, forward: true };
        }
      };
      if (delay === 0) {
        act();
        continue;
      }
      delayed = true;
      client.pause();
      setTimeout(() => {
        delayed = false;
        if (client.destroyed) return;
        act();
        // Unless the forwarded bytes filled s3rver's side: 'drain' resumes then.
        if (!upstream.writableNeedDrain) client.resume();
        readRequests();
      }, delay);
    }
  };

  client.on('data', (chunk: Buffer) => {
    unread = unread.length === 0 ? chunk : Buffer.concat([unread, chunk]);
    readRequests();
  });
  upstream.on('data', (chunk: Buffer) => {
    if (rewriteEtags !== undefined) {
      const forward = rewriteEtags.take(chunk);
      if (rewriteEtags.done) rewriteEtags = undefined;
      if (forward.length > 0) send(client, upstream, forward);
      return;
    }
    if (dropHeader !== undefined) {
      const forward = dropHeader.take(chunk);
      if (dropHeader.done) dropHeader = undefined;
      if (forward.length > 0) send(client, upstream, forward);
      return;
    }
    if (cutResponse === undefined) {
      send(client, upstream, chunk);
      return;
    }
    const { forward, done } = cutResponse.take(chunk);
    if (!done) {
      client.write(forward);
      return;
    }
    upstream.pause();
    // Destroy only once the partial body reached the socket, so the client
    // sees a short body rather than just a reset.
    client.write(forward, () => {
      if (cutResponse?.fault === 'reset') setImmediate(closeBoth);
    });
  });
}

/** Writes with back-pressure: the side being read waits while `to` is full. */
function send(to: net.Socket, from: net.Socket, chunk: Buffer): void {
  if (!to.write(chunk)) {
    from.pause();
    to.once('drain', () => from.resume());
  }
}

function parseHead(bytes: Buffer): RequestHead | undefined {
  const lines = bytes.toString('latin1').split('\r\n');
  const [method, url] = (lines[0] ?? '').split(' ');
  if (!method || !url) return undefined;
  let length = 0;
  let chunked = false;
  let expectsContinue = false;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] = line.slice(colon + 1).trim();
    const value = line
      .slice(colon + 1)
      .trim()
      .toLowerCase();
    if (name === 'content-length') length = Number(value);
    else if (name === 'transfer-encoding') chunked = value.split(',').some((coding) => coding.trim() === 'chunked');
    else if (name === 'expect') expectsContinue = value === '100-continue';
  }
  if (!Number.isSafeInteger(length) || length < 0) return undefined;
  return { bytes, method, url, body: chunked ? chunkedFraming() : lengthFraming(length), expectsContinue, headers };
}

/** Tells where a request body ends in the bytes that follow its head. */
interface BodyFraming {
  /** How many bytes at the start of `chunk` belong to the body; NaN when they cannot be framed. */
  take: (chunk: Buffer) => number;
  readonly done: boolean;
}

function lengthFraming(length: number): BodyFraming {
  let left = length;
  return {
    take: (chunk) => {
      const taken = Math.min(left, chunk.length);
      left -= taken;
      return taken;
    },
    get done() {
      return left === 0;
    },
  };
}

/** RFC 9112 chunked coding: size lines, data with its CRLF, a 0 size, trailers, an empty line. */
function chunkedFraming(): BodyFraming {
  let state: 'size' | 'data' | 'trailers' | 'done' = 'size';
  let line = '';
  let dataLeft = 0;
  return {
    take: (chunk) => {
      let at = 0;
      while (at < chunk.length && state !== 'done') {
        if (state === 'data') {
          const taken = Math.min(dataLeft, chunk.length - at);
          dataLeft -= taken;
          at += taken;
          if (dataLeft === 0) state = 'size';
          continue;
        }
        line += String.fromCharCode(chunk[at] as number);
        at += 1;
        if (!line.endsWith('\r\n')) continue;
        if (state === 'size') {
          const size = parseInt(line, 16);
          // Not a chunk size: the stream cannot be framed, so say so.
          if (!Number.isSafeInteger(size) || size < 0) return NaN;
          state = size === 0 ? 'trailers' : 'data';
          dataLeft = size + 2;
        } else if (line === '\r\n') {
          state = 'done';
        }
        line = '';
      }
      return at;
    },
    get done() {
      return state === 'done';
    },
  };
}

/** Passes a response head and about half its body, then says it is done. */
class ResponseCutter {
  constructor(readonly fault: 'reset' | 'hang') {}

  private head: Buffer = Buffer.alloc(0);
  private left: number | undefined;

  take(chunk: Buffer): { forward: Buffer; done: boolean } {
    if (this.left === undefined) {
      this.head = Buffer.concat([this.head, chunk]);
      const end = this.head.indexOf(HEAD_END);
      if (end === -1) return { forward: Buffer.alloc(0), done: false };
      const headBytes = this.head.subarray(0, end + HEAD_END.length);
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(headBytes.toString('latin1'))?.[1] ?? 0);
      this.left = Math.floor(length / 2);
      const rest = this.head.subarray(headBytes.length);
      const body = rest.subarray(0, this.left);
      this.left -= body.length;
      return { forward: Buffer.concat([headBytes, body]), done: this.left === 0 };
    }
    const body = chunk.subarray(0, this.left);
    this.left -= body.length;
    return { forward: body, done: this.left === 0 };
  }
}

/** Holds a response head back until it is whole, and forwards it without one header. */
class HeaderDropper {
  private head: Buffer = Buffer.alloc(0);
  done = false;

  constructor(private readonly name: string) {}

  take(chunk: Buffer): Buffer {
    this.head = Buffer.concat([this.head, chunk]);
    const end = this.head.indexOf(HEAD_END);
    if (end === -1) return Buffer.alloc(0);
    this.done = true;
    const lines = this.head.subarray(0, end).toString('latin1').split('\r\n');
    const kept = lines.filter(
      (line) => line.slice(0, line.indexOf(':')).trim().toLowerCase() !== this.name.toLowerCase(),
    );
    return Buffer.concat([Buffer.from(kept.join('\r\n'), 'latin1'), this.head.subarray(end)]);
  }
}

/**
 * Holds a response head back until it is whole and rewrites its ETag; an XML
 * body with a length (a listing, a copy's result) is held whole and its ETags
 * rewritten too, at the same length. Any other body passes untouched.
 */
class EtagRewriter {
  private held: Buffer = Buffer.alloc(0);
  private bodyLength: number | undefined;
  done = false;

  constructor(private readonly headOnly: boolean) {}

  take(chunk: Buffer): Buffer {
    this.held = Buffer.concat([this.held, chunk]);
    const end = this.held.indexOf(HEAD_END);
    if (end === -1) return Buffer.alloc(0);
    const head = this.held.subarray(0, end + HEAD_END.length).toString('latin1');
    if (this.bodyLength === undefined) {
      const xml = /\r\ncontent-type:\s*(application|text)\/xml/i.test(head);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
      this.bodyLength = this.headOnly || !xml || length === undefined ? 0 : Number(length);
    }
    if (this.held.length - head.length < this.bodyLength) return Buffer.alloc(0);
    this.done = true;
    return Buffer.concat([
      Buffer.from(rewriteEtagsIn(head), 'latin1'),
      this.bodyLength === 0
        ? this.held.subarray(head.length)
        : Buffer.from(rewriteEtagsIn(this.held.subarray(head.length).toString('latin1')), 'latin1'),
    ]);
  }
}

/** Each quoted 32-hex ETag becomes a stable other 32-hex value: no longer the md5 of the bytes. */
function rewriteEtagsIn(text: string): string {
  const other = (hex: string) => createHash('sha256').update(`kms:${hex}`).digest('hex').slice(0, 32);
  return text
    .replace(/(\r\netag:\s*"?)([0-9a-f]{32})(?="?\r\n)/gi, (_, before: string, hex: string) => before + other(hex))
    .replace(
      /(<ETag>(?:&quot;|&#34;|"))([0-9a-f]{32})(?=(?:&quot;|&#34;|")<\/ETag>)/g,
      (_, before: string, hex: string) => before + other(hex),
    );
}

function errorResponse(head: RequestHead, fault: ErrorFault, closing = false): string {
  const requestId = `PROXY${Date.now().toString(16).toUpperCase()}`;
  const body =
    head.method === 'HEAD'
      ? ''
      : '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<Error><Code>${escapeXml(fault.code)}</Code>` +
        `<Message>${escapeXml(fault.message ?? `Injected ${fault.code}`)}</Message>` +
        `<Resource>${escapeXml(head.url)}</Resource>` +
        `<RequestId>${requestId}</RequestId></Error>`;
  return (
    `HTTP/1.1 ${fault.status} ${STATUS_CODES[fault.status] ?? 'Error'}\r\n` +
    'content-type: application/xml\r\n' +
    `content-length: ${Buffer.byteLength(body)}\r\n` +
    (closing ? 'connection: close\r\n' : '') +
    `x-amz-request-id: ${requestId}\r\n\r\n` +
    body
  );
}

function describe(method: string, url: string): Omit<ProxiedRequest, 'connection' | 'expectsContinue' | 'headers'> {
  const queryAt = url.indexOf('?');
  const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : url.slice(queryAt + 1);
  const decoded = safeDecode(rawPath);
  // Path-style: `/bucket` or `/bucket/` is a bucket call, anything after the
  // second slash is an object key.
  const hasObjectKey = /^\/[^/]+\/./.test(decoded);
  // Clients differ on `/bucket` vs `/bucket/`; one spelling keeps logs comparable.
  const key = hasObjectKey ? decoded : decoded.replace(/\/+$/, '') || '/';
  return { method, kind: kindOf(method, hasObjectKey), key, query };
}

function kindOf(method: string, hasObjectKey: boolean): RequestKind {
  switch (method) {
    case 'GET':
      return hasObjectKey ? 'GET' : 'LIST';
    case 'HEAD':
    case 'PUT':
    case 'POST':
    case 'DELETE':
      return method;
    default:
      return 'OTHER';
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function countKinds(log: ProxiedRequest[]): RequestCounts {
  const counts: RequestCounts = { LIST: 0, HEAD: 0, GET: 0, PUT: 0, POST: 0, DELETE: 0, total: 0 };
  for (const { kind } of log) {
    if (kind !== 'OTHER') counts[kind] += 1;
    counts.total += 1;
  }
  return counts;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
