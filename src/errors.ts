/** One sentence for anything thrown, including the SDK's service errors. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const named = error as Error & { Code?: string; $metadata?: { httpStatusCode?: number } };
    return named.message || named.Code || named.name;
  }
  return String(error);
}
