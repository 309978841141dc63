import { after } from 'node:test';
import type { Direction } from '../../src/model/direction.js';
import { startS3Proxy, type ProxiedRequest, type S3Proxy } from '../../support/s3-proxy.js';
import { copy, freshConnectionClient, type CopyOverrides, type CopyRun, type S3Harness } from './s3.js';

export interface CountingProxy {
  /** One run of the core whose every request goes through the counting proxy; the log starts empty. */
  viaProxy: (direction: Direction, root: string, bucket: string, overrides?: CopyOverrides) => Promise<CopyRun>;
  /** What the proxy received since the last viaProxy began. */
  log: S3Proxy['log'];
  counts: S3Proxy['counts'];
}

/**
 * A support/s3-proxy.ts proxy in front of the harness's s3rver, counting and
 * logging every request, for the file's tests. Started on first use (s3rver
 * itself only starts in useS3's before hook), stopped after the file.
 */
export function useCountingProxy(s3: S3Harness): CountingProxy {
  let started: Promise<S3Proxy> | undefined;
  let proxy: S3Proxy | undefined;
  after(async () => {
    await (await started)?.stop();
  });
  const running = (): S3Proxy => {
    if (proxy === undefined) throw new Error('no run has gone through the proxy yet');
    return proxy;
  };
  return {
    viaProxy: async (direction, root, bucket, overrides = {}) => {
      started ??= startS3Proxy({ upstream: s3.server.endpoint });
      proxy = await started;
      proxy.reset();
      return copy(s3, direction, root, bucket, {
        createClient: freshConnectionClient,
        ...overrides,
        endpoint: proxy.endpoint,
      });
    },
    log: () => running().log(),
    counts: () => running().counts(),
  };
}

/** Requests in the proxy log that change the bucket. */
export function writesIn(log: ProxiedRequest[]): ProxiedRequest[] {
  return log.filter((request) => request.kind === 'PUT' || request.kind === 'POST' || request.kind === 'DELETE');
}
