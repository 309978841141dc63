/**
 * The errors the core raises on purpose. Each message is a sentence for the
 * user; the report adds what to do next where the cause is outside the run.
 */

/** A guard refused the run before anything changed. */
export class RefusedError extends Error {
  override name = 'RefusedError';
}

/** The request budget would be, or was, passed. */
export class RequestLimitError extends Error {
  override name = 'RequestLimitError';
  constructor(
    message: string,
    readonly needed: number,
    readonly limit: number,
  ) {
    super(message);
  }
}

/** What the run was doing to one key when it failed. */
export type Operation =
  'list' | 'inspect' | 'upload' | 'redirect' | 'update' | 'restore' | 'delete' | 'download' | 'link';

/**
 * A failure while listing, inspecting or applying, with the key and
 * operation it happened on. The message stays the cause's own.
 */
export class OperationError extends Error {
  override name = 'OperationError';
  constructor(
    readonly operation: Operation,
    readonly key: string,
    override readonly cause: unknown,
  ) {
    super(errorMessage(cause));
  }
}

/** Runs `work`, tagging what it throws with the operation and key (a tag already there wins). */
export async function tagged<T>(operation: Operation, key: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof OperationError || error instanceof RequestLimitError) throw error;
    throw new OperationError(operation, key, error);
  }
}

/** The error behind a tag. */
export function rootCause(error: unknown): unknown {
  return error instanceof OperationError ? error.cause : error;
}

/** One sentence for anything thrown, including the SDK's service errors. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const named = error as Error & { Code?: string };
    return named.message || named.Code || named.name;
  }
  return String(error);
}
