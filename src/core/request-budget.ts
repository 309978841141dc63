import type { S3Client } from '@aws-sdk/client-s3';
import type { FinalizeRequestMiddleware, MetadataBearer, Pluggable } from '@smithy/types';

export type RequestKind = 'LIST' | 'HEAD' | 'GET' | 'PUT' | 'POST' | 'DELETE' | 'OTHER';

export class RequestLimitError extends Error {
  constructor(
    message: string,
    readonly needed: number,
    readonly limit: number,
  ) {
    super(message);
    this.name = 'RequestLimitError';
  }
}

/**
 * Counts every HTTP request the S3 client sends, retries included, and
 * refuses to send the one that would pass the limit. It sits after the retry
 * middleware, so each attempt passes through it.
 *
 * An AbortMultipartUpload is counted but never refused: it is what ends the
 * bill for a failed upload's stored parts, S3 does not charge for it, and a
 * run that hits the limit mid-upload is exactly when it is needed.
 */
export class RequestBudget {
  private readonly counts = new Map<RequestKind, number>();
  private sent = 0;

  constructor(readonly limit: number) {}

  get used(): number {
    return this.sent;
  }

  byKind(): Record<RequestKind, number> {
    const kinds: RequestKind[] = ['LIST', 'HEAD', 'GET', 'PUT', 'POST', 'DELETE', 'OTHER'];
    return Object.fromEntries(kinds.map((kind) => [kind, this.counts.get(kind) ?? 0])) as Record<RequestKind, number>;
  }

  /** Fails, before any change, when the plan cannot finish within the limit. */
  assertCanAfford(planned: number): void {
    const needed = this.sent + planned;
    if (needed > this.limit) {
      throw new RequestLimitError(
        `This run needs about ${needed} S3 requests (${this.sent} already sent to list and inspect, ` +
          `${planned} to apply the plan), which is more than the request-limit of ${this.limit}. ` +
          'Nothing was changed. Raise the `request-limit` input if this is expected.',
        needed,
        this.limit,
      );
    }
  }

  attachTo(client: S3Client): void {
    client.middlewareStack.add(this.middleware(), {
      step: 'finalizeRequest',
      priority: 'low',
      name: 'requestBudget',
      override: true,
    });
  }

  private middleware(): FinalizeRequestMiddleware<object, MetadataBearer> {
    return (next, context) => async (args) => {
      if (this.sent >= this.limit && context.commandName !== 'AbortMultipartUploadCommand') {
        throw new RequestLimitError(
          `Stopped at the request-limit of ${this.limit} S3 requests. ` +
            'Raise the `request-limit` input if this is expected.',
          this.sent + 1,
          this.limit,
        );
      }
      this.sent += 1;
      const kind = requestKind(args.request as HttpRequestLike);
      this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
      return next(args);
    };
  }
}

interface HttpRequestLike {
  method?: string;
  path?: string;
  query?: Record<string, unknown>;
}

export function requestKind(request: HttpRequestLike): RequestKind {
  switch (request.method) {
    case 'GET':
      return request.query?.['list-type'] !== undefined ? 'LIST' : 'GET';
    case 'HEAD':
    case 'PUT':
    case 'POST':
    case 'DELETE':
      return request.method;
    default:
      return 'OTHER';
  }
}

export type BudgetPlugin = Pluggable<object, MetadataBearer>;
