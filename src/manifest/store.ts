import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { RemoteLocation } from '../bucket/list.js';
import { tagged } from '../model/errors.js';
import type { StorageSettings } from '../model/headers.js';
import { withPrefix } from '../model/keys.js';
import { versionOf } from '../model/outcome.js';
import { decodeManifest, encodeManifest, type Manifest } from './format.js';

export type ManifestRead = { manifest: Manifest } | { manifest?: undefined; note: string };

/** One GET. Anything short of a readable manifest of this prefix is a note, never a failure. */
export async function readManifest(
  remote: RemoteLocation,
  manifestKey: string,
  versionId?: string,
): Promise<ManifestRead> {
  const objectKey = withPrefix(remote.prefix, manifestKey);
  let bytes: Uint8Array;
  let modified: number | undefined;
  try {
    const response = await remote.client.send(
      new GetObjectCommand({ Bucket: remote.bucket, Key: objectKey, VersionId: versionId }),
    );
    bytes = (await response.Body?.transformToByteArray()) ?? new Uint8Array();
    modified = response.LastModified?.getTime();
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NoSuchKey' || name === 'NotFound') return { note: `no manifest at ${objectKey} yet` };
    return { note: `the manifest at ${objectKey} could not be read (${name ?? String(error)})` };
  }
  const decoded = decodeManifest(bytes, remote.prefix);
  if ('ignored' in decoded) return { note: `the manifest at ${objectKey} is ignored: ${decoded.ignored}` };
  return { manifest: modified === undefined ? decoded : { ...decoded, modified } };
}

/**
 * Encrypted and with the ACL as every object is (a bucket policy may demand it), but never archived: it is read each run.
 * Returns the version the write made, on a versioned bucket: a deploy record keeps it, for a rollback to read.
 */
export async function writeManifest(
  remote: RemoteLocation,
  manifestKey: string,
  manifest: Manifest,
  storage: StorageSettings,
): Promise<string | undefined> {
  const encryption = { ...storage, StorageClass: undefined };
  const body = await encodeManifest(manifest);
  const objectKey = withPrefix(remote.prefix, manifestKey);
  const response = await tagged('upload', manifestKey, () =>
    remote.client.send(
      new PutObjectCommand({
        ...encryption,
        Bucket: remote.bucket,
        Key: objectKey,
        Body: body,
        ContentLength: body.length,
        ContentType: 'application/json',
        ContentEncoding: 'gzip',
        // Never served from a cache: a stale copy would only cost HEADs, but there is no reason for one.
        CacheControl: 'no-store',
      }),
    ),
  );
  return versionOf(response).version;
}
