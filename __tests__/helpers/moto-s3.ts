import { CreateBucketCommand, PutBucketVersioningCommand, type S3Client } from '@aws-sdk/client-s3';
import { after, before } from 'node:test';
import { startMoto, type MotoServer } from '../../support/moto.js';
import { startS3Proxy, type Fault, type ProxiedRequest, type S3Proxy } from '../../support/s3-proxy.js';
import { makeClient } from './s3.js';

export interface MotoS3 {
  moto: MotoServer;
  client: S3Client;
  /** A new, empty bucket; versioned when asked. */
  bucket(options?: { versioned?: boolean }): Promise<string>;
  /** With `proxied`: a project proxy in front of moto, recording each request's headers. */
  proxy: S3Proxy;
  /** With `proxied`: how the proxy answers a request in moto's place (undefined: it passes through). */
  fault: (request: ProxiedRequest) => Fault;
}

/** One moto for the test file, as an S3 that honours conditional writes and versioning (s3rver does neither). */
export function useMotoS3({ proxied = false } = {}): MotoS3 {
  const harness = { fault: () => undefined } as unknown as MotoS3;
  let counter = 0;
  before(async () => {
    harness.moto = await startMoto();
    harness.client = makeClient(harness.moto.url);
    if (proxied) harness.proxy = await startS3Proxy({ upstream: harness.moto.url, fault: (r) => harness.fault(r) });
    harness.bucket = async ({ versioned = false } = {}) => {
      counter += 1;
      const name = `moto-${process.pid}-${counter}`;
      await harness.client.send(new CreateBucketCommand({ Bucket: name }));
      if (versioned) {
        await harness.client.send(
          new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }),
        );
      }
      return name;
    };
  });
  after(async () => {
    harness.client?.destroy();
    await harness.proxy?.stop();
    await harness.moto?.stop();
  });
  return harness;
}
