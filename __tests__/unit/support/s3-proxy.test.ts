/**
 * The benchmark and fault tests' proxy reads request heads itself and relays
 * bytes. What the S3 clients in the other tests never send is covered here:
 * chunked request bodies, and an injected error answered in s3rver's place
 * while the connection stays usable for the next request.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, beforeEach, describe, it } from 'node:test';
import { startS3Proxy, type Fault, type S3Proxy } from '../../../support/s3-proxy.js';
import { useS3 } from '../../helpers/s3.js';

const s3 = useS3();
let proxy: S3Proxy;
let fault: Fault;

// Started by the first test rather than in a root before(): root hooks do not
// wait for each other, and this one needs useS3's server.
beforeEach(async () => {
  proxy ??= await startS3Proxy({ upstream: s3.server.endpoint, fault: () => fault });
  fault = undefined;
  proxy.reset();
});
after(() => proxy?.stop());

interface Reply {
  status: number;
  body: string;
  reusedSocket: boolean;
}

/** One request on `agent`; a body given as several parts is sent chunked. */
function send(
  agent: http.Agent,
  method: string,
  urlPath: string,
  parts: string[] = [],
  headers: http.OutgoingHttpHeaders = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${proxy.endpoint}${urlPath}`, { method, agent, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, reusedSocket: request.reusedSocket }));
    });
    request.on('error', reject);
    const write = (): void => {
      for (const part of parts) request.write(part);
      request.end();
    };
    if (headers['expect'] === '100-continue') request.on('continue', write);
    else write();
  });
}

describe('s3 proxy', { timeout: 10_000 }, () => {
  it('relays a chunked request body whole and keeps the connection for the next request', async () => {
    const bucket = await s3.bucket();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const put = await send(agent, 'PUT', `/${bucket}/chunked.txt`, ['hello, ', 'chunked ', 'world'], {
      'transfer-encoding': 'chunked',
    });
    assert.equal(put.status, 200, put.body);
    const get = await send(agent, 'GET', `/${bucket}/chunked.txt`);
    assert.deepEqual([get.status, get.body, get.reusedSocket], [200, 'hello, chunked world', true]);
    assert.deepEqual(
      proxy.log().map(({ kind, key }) => [kind, key]),
      [
        ['PUT', `/${bucket}/chunked.txt`],
        ['GET', `/${bucket}/chunked.txt`],
      ],
    );
    agent.destroy();
  });

  it('answers an injected error after reading the whole body, on a connection that stays usable', async () => {
    const bucket = await s3.bucket();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (const headers of [{ 'transfer-encoding': 'chunked' }, { expect: '100-continue', 'content-length': '12' }]) {
      fault = { status: 503, code: 'SlowDown' };
      const refused = await send(agent, 'PUT', `/${bucket}/refused.txt`, ['twelve', ' bytes'], headers);
      assert.equal(refused.status, 503);
      assert.match(refused.body, /<Code>SlowDown<\/Code>/);
      fault = undefined;
      const next = await send(agent, 'PUT', `/${bucket}/next.txt`, ['next'], { 'content-length': '4' });
      assert.deepEqual([next.status, next.reusedSocket], [200, true], 'the refused body was not read as a request');
    }
    const missing = await send(agent, 'GET', `/${bucket}/refused.txt`);
    assert.equal(missing.status, 404, 'the refused upload never reached s3rver');
    agent.destroy();
  });

  it('answers a beforeBody error at once, without waiting for the body, and closes the connection', async () => {
    const bucket = await s3.bucket();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    fault = { status: 400, code: 'ExpiredToken', beforeBody: true };
    const answered = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const request = http.request(`${proxy.endpoint}/${bucket}/early.txt`, {
        method: 'PUT',
        agent,
        headers: { 'content-length': '10' },
      });
      request.on('response', (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, connection: response.headers.connection });
        // Only now the body goes out: the answer did not wait for it.
        request.end('0123456789');
      });
      request.on('error', reject);
      request.flushHeaders();
    });
    assert.deepEqual(await answered, { status: 400, connection: 'close' });
    fault = undefined;
    const next = await send(agent, 'GET', `/${bucket}/early.txt`);
    assert.deepEqual([next.status, next.reusedSocket], [404, false], 'a new connection; nothing reached s3rver');
    agent.destroy();
  });

  it('after a beforeBody answer, drops the rest of the body and takes nothing after it as a request', async () => {
    const bucket = await s3.bucket();
    fault = { status: 403, code: 'AccessDenied', beforeBody: true };
    const socket = net.connect(proxy.port, '127.0.0.1');
    socket.write(
      `PUT /${bucket}/refused.txt HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\n\r\nfive!` +
        `GET /${bucket}/refused.txt HTTP/1.1\r\nhost: x\r\n\r\n`,
    );
    let reply = '';
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
    await new Promise((resolve) => socket.once('end', resolve));
    socket.destroy();
    assert.equal(reply.match(/^HTTP\/1\.1 /gm)?.length, 1, reply);
    assert.match(reply, /^HTTP\/1\.1 403 /);
    assert.match(reply, /connection: close/);
    assert.deepEqual(
      proxy.log().map(({ kind }) => kind),
      ['PUT'],
    );
  });

  it('drops a connection whose chunked body cannot be framed', async () => {
    const bucket = await s3.bucket();
    const socket = net.connect(proxy.port, '127.0.0.1');
    socket.write(`PUT /${bucket}/bad.txt HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n`);
    let reply = '';
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
    await new Promise((resolve) => socket.once('close', resolve));
    assert.equal(reply, '', 'closed without an answer');
    assert.deepEqual(
      proxy.log().map(({ kind }) => kind),
      ['PUT'],
    );
  });
});
