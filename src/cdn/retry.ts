/**
 * How every CloudFront request of a run is retried on top of the SDK's own
 * attempts, and how its errors are told apart. Shared by the check before the
 * sync and the invalidation after it.
 */

/** Our retries on top of the SDK's: TooManyInvalidationsInProgress and throttling. */
export const RETRY_ATTEMPTS = 5;
const RETRY_FIRST_DELAY_MS = 2_000;
/** Retrying one command stops once this much time has gone by. */
export const RETRY_BOUND_MS = 60_000;

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface ErrorLike {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

export function isAccessDenied(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as ErrorLike;
  return name === 'AccessDenied' || name === 'AccessDeniedException' || $metadata?.httpStatusCode === 403;
}

function isRetryable(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as ErrorLike;
  if (name === 'RequestLimitError') return false;
  if (name === 'TooManyInvalidationsInProgress' || (name !== undefined && THROTTLING.has(name))) return true;
  return $metadata?.httpStatusCode === 429 || $metadata?.httpStatusCode === 503;
}

/**
 * Runs `send` up to RETRY_ATTEMPTS times, with exponential backoff, while it
 * fails with a retryable error and RETRY_BOUND_MS has not gone by.
 */
export async function withRetries<T>(sleep: (ms: number) => Promise<void>, send: () => Promise<T>): Promise<T> {
  const started = Date.now();
  let slept = 0;
  let delay = RETRY_FIRST_DELAY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const elapsed = Math.max(Date.now() - started, slept);
      if (attempt >= RETRY_ATTEMPTS || !isRetryable(error) || elapsed + delay > RETRY_BOUND_MS) throw error;
      await sleep(delay);
      slept += delay;
      delay *= 2;
    }
  }
}
