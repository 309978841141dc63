import { errorMessage, OperationError, RefusedError, RequestLimitError, type Operation } from '../model/errors.js';
import { s3Url } from '../model/keys.js';
import { InputError, type Settings } from '../settings/inputs.js';

const CREDENTIAL_ERRORS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'TokenRefreshRequired',
]);

/** The IAM action each operation needs (a HEAD needs s3:GetObject). */
export const IAM_ACTION: Record<Operation, string> = {
  list: 's3:ListBucket',
  inspect: 's3:GetObject',
  download: 's3:GetObject',
  upload: 's3:PutObject',
  redirect: 's3:PutObject',
  update: 's3:GetObject and s3:PutObject',
  restore: 's3:GetObjectVersion and s3:PutObject',
  delete: 's3:DeleteObject',
  link: 's3:GetObject',
};

interface FailureContext {
  settings: Settings | undefined;
  /** Requests that had succeeded before the failure: any at all means the credentials work. */
  requestsSucceeded: number;
}

/** "upload index.html": the operation and key a failure stopped at, if it was on one key. */
export function stoppedAt(error: unknown): string | undefined {
  return error instanceof OperationError ? `${error.operation} ${error.key}` : undefined;
}

/** One sentence that says what failed and what to change. */
export function describeFailure(error: unknown, { settings, requestsSucceeded }: FailureContext): string {
  if (error instanceof InputError || error instanceof RefusedError || error instanceof RequestLimitError) {
    return error.message;
  }
  const tag = error instanceof OperationError ? error : undefined;
  const cause = tag ? tag.cause : error;
  const name = (cause as { name?: string } | undefined)?.name ?? '';
  const where = settings ? s3Url(settings.bucket, '') : 'the bucket';
  const endpoint = settings?.endpoint ?? 'AWS';
  const object = tag && settings ? objectName(settings, tag) : where;
  if (cause instanceof RequestLimitError) return cause.message;
  if (name === 'NotFound' || name === 'NoSuchKey') {
    return `${object} disappeared while this run was reading it (another process is writing to the bucket?); run again.`;
  }
  if (name === 'NoSuchBucket') return `The bucket ${where} does not exist (endpoint: ${endpoint}).`;
  if (CREDENTIAL_ERRORS.has(name)) {
    if (tag && requestsSucceeded > 0) return oneRequestRefused(name, tag, object, requestsSucceeded);
    return `S3 refused the credentials (${name}): check aws-access-key-id and aws-secret-access-key, or the role set up by aws-actions/configure-aws-credentials.`;
  }
  const advice = productionBucketAdvice(name, errorMessage(cause), tag, settings);
  if (advice !== undefined) return advice;
  if (name === 'AccessDenied' || name === 'Forbidden') {
    if (tag) {
      const action = IAM_ACTION[tag.operation];
      const resource = tag.operation === 'list' ? `arn:aws:s3:::${settings?.bucket ?? 'BUCKET'}` : `${object}`;
      return `S3 denied ${action} on ${resource} (${name}): allow ${action} there in the policy of the role or user this run uses.`;
    }
    return `S3 denied access to ${where} (${name}): the credentials lack permission for this bucket.`;
  }
  if (name === 'CredentialsProviderError') {
    return 'No AWS credentials were found: set aws-access-key-id and aws-secret-access-key, or run aws-actions/configure-aws-credentials before this step.';
  }
  const code = (cause as { code?: string } | undefined)?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT') {
    return `Could not reach S3 at ${endpoint} (${code}).`;
  }
  const message = errorMessage(cause);
  return tag && !message.includes(tag.key) ? `${tag.operation} ${object} failed: ${message}` : message;
}

/** The writes whose denial a bucket policy that requires encryption explains. */
const WRITES = new Set<Operation>(['upload', 'redirect', 'update', 'restore']);

/**
 * Refusals that the sse, acl and expected-bucket-owner inputs explain: ACLs
 * disabled on the bucket, a KMS key the role may not use, a bucket policy
 * that requires encryption, or a bucket another account owns.
 */
function productionBucketAdvice(
  name: string,
  message: string,
  tag: OperationError | undefined,
  settings: Settings | undefined,
): string | undefined {
  const where = settings ? `s3://${settings.bucket}` : 'the bucket';
  if (name === 'AccessControlListNotSupported') {
    return `The bucket ${where} has ACLs disabled (Object Ownership: bucket owner enforced), so it refuses the acl input: remove acl.`;
  }
  if (name !== 'AccessDenied' && name !== 'Forbidden' && !name.startsWith('KMS.')) return undefined;
  const kmsAction = /kms:(GenerateDataKey|Decrypt|Encrypt)\w*/.exec(message)?.[0];
  if (kmsAction !== undefined || name.startsWith('KMS.')) {
    const action = kmsAction ?? (tag?.operation === 'download' ? 'kms:Decrypt' : 'kms:GenerateDataKey');
    const key =
      /arn:aws:kms:[^\s"',]+/.exec(message)?.[0] ?? settings?.storage.SSEKMSKeyId ?? "the bucket's default KMS key";
    return `KMS denied ${action} on ${key} (${name}): allow ${action} on that key in its key policy and in the policy of the role or user this run uses.`;
  }
  const owner = settings?.expectedBucketOwner;
  if (owner !== undefined) {
    return `S3 denied the request to ${where} (${name}): either the bucket is not owned by account ${owner} (the expected-bucket-owner input), or the credentials lack permission for it; check expected-bucket-owner first.`;
  }
  if (tag && settings && WRITES.has(tag.operation) && settings.storage.ServerSideEncryption === undefined) {
    const action = IAM_ACTION[tag.operation];
    return `S3 denied ${action} on ${objectName(settings, tag)} (${name}): allow ${action} there in the policy of the role or user this run uses; bucket policies also often require encryption, so set sse (AES256 or aws:kms) if this one does.`;
  }
  return undefined;
}

function objectName(settings: Settings, tag: OperationError): string {
  return s3Url(settings.bucket, settings.prefix, tag.key);
}

function oneRequestRefused(name: string, tag: OperationError, object: string, succeeded: number): string {
  const before = `after ${succeeded} ${succeeded === 1 ? 'request' : 'requests'} had succeeded, so the credentials work`;
  if (name === 'ExpiredToken' || name === 'TokenRefreshRequired') {
    return `S3 refused the request to ${tag.operation} ${object} (${name}) ${before}: the session expired during the run. Re-run it, or give the role a longer session (role-duration-seconds).`;
  }
  return `S3 refused the request to ${tag.operation} ${object} (${name}) ${before}, but not for this request: a proxy or store that changes the request on the way (its key, headers or body) is the usual cause. Re-run it; if it fails again on the same key, report the key's name.`;
}
