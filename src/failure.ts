import { RefusedError } from './core/force-copy.js';
import { RequestLimitError } from './core/request-budget.js';
import { errorMessage } from './errors.js';
import { InputError, type Settings } from './inputs.js';

const CREDENTIAL_ERRORS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'TokenRefreshRequired',
]);

/** One sentence that says what failed and what to change. */
export function describeFailure(error: unknown, settings: Settings | undefined): string {
  if (error instanceof InputError || error instanceof RefusedError || error instanceof RequestLimitError) {
    return error.message;
  }
  const name = (error as { name?: string } | undefined)?.name ?? '';
  const where = settings ? `s3://${settings.bucket}` : 'the bucket';
  const endpoint = settings?.endpoint ?? 'AWS';
  if (name === 'NotFound' || name === 'NoSuchKey') {
    return `An object in ${where} disappeared while this run was reading it (another process is writing to the bucket?); run again.`;
  }
  if (name === 'NoSuchBucket') return `The bucket ${where} does not exist (endpoint: ${endpoint}).`;
  if (CREDENTIAL_ERRORS.has(name)) {
    return `S3 refused the credentials (${name}): check aws-access-key-id and aws-secret-access-key, or the role set up by aws-actions/configure-aws-credentials.`;
  }
  if (name === 'AccessDenied' || name === 'Forbidden') {
    return `S3 denied access to ${where} (${name}): the credentials lack permission for this bucket.`;
  }
  if (name === 'CredentialsProviderError') {
    return 'No AWS credentials were found: set aws-access-key-id and aws-secret-access-key, or run aws-actions/configure-aws-credentials before this step.';
  }
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT') {
    return `Could not reach S3 at ${endpoint} (${code}).`;
  }
  return errorMessage(error);
}
