// Runs s3rver in its own process so that only this process needs
// --openssl-legacy-provider (listings past 1000 keys fail without it).
// It exits as soon as its parent closes stdin, so a crashed test run never
// leaves a server behind.
'use strict';
const S3rver = require('s3rver');
const FilesystemStore = require('s3rver/lib/stores/filesystem');
const fs = require('node:fs/promises');

// s3rver's CopyObject with REPLACE metadata copies the body but not its md5,
// so a copy over an existing key keeps the old object's ETag. S3 gives the
// copy the source's ETag; drop the stale md5 so that s3rver computes it again.
const copyObject = FilesystemStore.prototype.copyObject;
FilesystemStore.prototype.copyObject = async function (srcBucket, srcKey, destBucket, destKey, replacement) {
  const stale = this.getResourcePath(destBucket, destKey, 'object.md5');
  const sameObject = srcBucket === destBucket && srcKey === destKey;
  if (replacement && !sameObject) await fs.rm(stale, { force: true });
  return copyObject.call(this, srcBucket, srcKey, destBucket, destKey, replacement);
};

const [directory, bucketsJson] = process.argv.slice(2);
const buckets = JSON.parse(bucketsJson || '[]');
const website =
  '<WebsiteConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
  '<IndexDocument><Suffix>index.html</Suffix></IndexDocument>' +
  '</WebsiteConfiguration>';

const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: buckets.map((name) => ({ name, configs: [website] })),
});

server.run().then(
  ({ port }) => {
    // Close to real S3's idle timeout. The test proxy gives each client
    // connection its own connection here, so this is the timeout clients
    // meet. At Node's default of 5 s, clients that keep idle connections past
    // the Keep-Alive hint (urllib3; Node agents without a timeout of their
    // own, such as the AWS SDK's) would often reuse one just as it closes.
    server.httpServer.keepAliveTimeout = 20_000;
    process.stdout.write(JSON.stringify({ port }) + '\n');
  },
  (error) => {
    process.stderr.write(String(error && error.stack) + '\n');
    process.exit(1);
  },
);

process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
