import { spawn } from 'node:child_process';
import { existsSync, statfsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface S3TestServer {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  port: number;
  /** The server's process, for CPU accounting in the benchmark. */
  pid: number | undefined;
  /** GET through the bucket's website host, as a browser would. */
  websiteGet: (bucket: string, urlPath: string) => Promise<WebsiteResponse>;
  stop: () => Promise<void>;
}

export interface WebsiteResponse {
  status: number;
  location: string | undefined;
  body: string;
}

export const TEST_CREDENTIALS = {
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
};

const processScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 's3rver-process.cjs');

/** Starts s3rver on 127.0.0.1 with the given buckets (website hosting on). */
export async function startS3Server(buckets: string[] = []): Promise<S3TestServer> {
  const directory = await mkdtemp(path.join(storageRoot(), 's3rver-'));
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', processScript, directory, JSON.stringify(buckets)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Don't let the server keep the test process alive.
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  (child.stdout as unknown as { unref?: () => void }).unref?.();

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    websiteGet: (bucket, urlPath) => websiteGet(port, bucket, urlPath),
    stop: async () => {
      child.ref();
      child.stdin.end();
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * s3rver stands in for S3, whose storage costs the runner nothing. On a disk
 * file system every stored object costs s3rver several journaled open, write
 * and mkdir calls that take CPU from the tool under test; tmpfs keeps that
 * cost small where it exists (Linux) and has room.
 */
function storageRoot(): string {
  if (!existsSync('/dev/shm')) return tmpdir();
  // Containers often get a 64 MiB /dev/shm, too small for the benchmark.
  const { bavail, bsize } = statfsSync('/dev/shm');
  return bavail * bsize >= 2 ** 30 ? '/dev/shm' : tmpdir();
}

function websiteGet(port: number, bucket: string, urlPath: string): Promise<WebsiteResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        headers: { host: `${bucket}.s3-website-us-east-1.amazonaws.com` },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            location: response.headers.location,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.on('error', reject);
  });
}
