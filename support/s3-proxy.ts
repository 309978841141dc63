/**
 * A counting, latency-adding, fault-injecting reverse proxy for path-style S3
 * traffic. It sits between a client (the action, aws, rclone) and s3rver so
 * that benchmarks can count requests by kind and tests can simulate a slow or
 * flaky S3 without touching the client.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';

export type RequestKind = 'LIST' | 'HEAD' | 'GET' | 'PUT' | 'POST' | 'DELETE' | 'OTHER';

export interface ProxiedRequest {
  method: string;
  kind: RequestKind;
  /** URL-decoded path-style path: `/bucket/key` (`/bucket` for bucket calls). */
  key: string;
  /** Raw query string without the leading `?` (e.g. `list-type=2&prefix=a`). */
  query: string;
}

export interface FaultRequest extends ProxiedRequest {
  /** 0-based position of this request in `log()` (counted since the last reset). */
  index: number;
}

export type Fault = undefined | { status: number; code: string; message?: string } | 'reset' | { stallMs: number };

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

// Hop-by-hop headers belong to one connection, not to the request; `expect`
// is answered by this proxy's own server (100-continue) and is not signed by
// SigV4, so dropping it upstream is safe.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

export async function startS3Proxy(options: S3ProxyOptions): Promise<S3Proxy> {
  const upstream = new URL(options.upstream);
  const latencyMs = options.latencyMs ?? 0;
  // Keep-alive upstream too, so the proxy itself adds no connection set-up
  // cost. Node honours s3rver's `Keep-Alive: timeout=5` hint and retires idle
  // sockets before the server closes them; the agent timeout is a backstop.
  const agent = new http.Agent({ keepAlive: true, timeout: 3000 });
  let log: ProxiedRequest[] = [];

  const server = http.createServer((req, res) => {
    const request = describe(req);
    const index = log.length;
    log.push(request);
    const fault = options.fault?.({ ...request, index });
    const delay = latencyMs + (fault && typeof fault === 'object' && 'stallMs' in fault ? fault.stallMs : 0);

    const act = (): void => {
      if (req.destroyed) return;
      if (fault === 'reset' && req.method !== 'GET') {
        req.socket.destroy();
      } else if (fault && typeof fault === 'object' && 'status' in fault) {
        respondWithError(req, res, fault);
      } else {
        forward(req, res, upstream, agent, fault === 'reset');
      }
    };
    if (delay > 0) setTimeout(act, delay);
    else act();
  });
  // Close to real S3's idle timeout; long enough that clients which ignore
  // the Keep-Alive hint (urllib3) rarely race a server-side close.
  server.keepAliveTimeout = 20_000;

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
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
}

function describe(req: http.IncomingMessage): ProxiedRequest {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : url.slice(queryAt + 1);
  const decoded = safeDecode(rawPath);
  const method = req.method ?? 'GET';
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

function forward(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  upstream: URL,
  agent: http.Agent,
  resetMidBody: boolean,
): void {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
  }
  // `host` is copied unchanged on purpose: it is part of the SigV4 signature
  // that s3rver verifies.
  const outgoing = http.request({
    host: upstream.hostname,
    port: upstream.port,
    method: req.method,
    path: req.url,
    headers,
    agent,
    setHost: false,
  });

  outgoing.on('response', (incoming) => {
    const responseHeaders: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (!HOP_BY_HOP.has(name) && value !== undefined) responseHeaders[name] = value;
    }
    res.writeHead(incoming.statusCode ?? 502, incoming.statusMessage, responseHeaders);
    if (resetMidBody) {
      truncateThenReset(incoming, res);
      return;
    }
    pipeline(incoming, res, () => {
      // Errors here mean one side went away; the other is already destroyed.
    });
  });
  outgoing.on('error', (error) => {
    if (res.headersSent) {
      res.destroy(error);
      return;
    }
    res.writeHead(502, { 'content-type': 'text/plain', connection: 'close' });
    res.end(`s3-proxy: upstream error: ${error.message}`);
  });
  // A client that gives up mid-request must not leave an upstream request
  // (and its socket) hanging.
  res.on('close', () => {
    if (!res.writableFinished) outgoing.destroy();
  });
  pipeline(req, outgoing, () => {});
}

/** Sends the headers and about half the body, then drops the connection. */
function truncateThenReset(incoming: http.IncomingMessage, res: http.ServerResponse): void {
  const length = Number(incoming.headers['content-length'] ?? 0);
  const cut = Math.floor(length / 2);
  let sent = 0;
  const kill = (): void => {
    incoming.destroy();
    res.socket?.destroy();
  };
  if (cut === 0) {
    res.flushHeaders();
    setImmediate(kill);
    return;
  }
  incoming.on('data', (chunk: Buffer) => {
    if (sent >= cut) return;
    const part = chunk.subarray(0, cut - sent);
    sent += part.length;
    if (sent < cut) {
      res.write(part);
    } else {
      incoming.pause();
      // Destroy only once the partial body reached the socket, so the client
      // sees a short body rather than just a reset.
      res.write(part, () => kill());
    }
  });
  incoming.on('error', kill);
}

function respondWithError(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  fault: { status: number; code: string; message?: string },
): void {
  const requestId = `PROXY${Date.now().toString(16).toUpperCase()}`;
  const body =
    req.method === 'HEAD'
      ? ''
      : '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<Error><Code>${escapeXml(fault.code)}</Code>` +
        `<Message>${escapeXml(fault.message ?? `Injected ${fault.code}`)}</Message>` +
        `<Resource>${escapeXml(req.url ?? '/')}</Resource>` +
        `<RequestId>${requestId}</RequestId></Error>`;
  // Read the whole request body first: answering while the client is still
  // uploading would leave unread bytes on a keep-alive connection.
  req.resume();
  const send = (): void => {
    res.writeHead(fault.status, {
      'content-type': 'application/xml',
      'content-length': Buffer.byteLength(body),
      'x-amz-request-id': requestId,
    });
    res.end(body);
  };
  if (req.readableEnded) send();
  else req.once('end', send);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
