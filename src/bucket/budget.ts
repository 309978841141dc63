import type { FinalizeRequestMiddleware, MetadataBearer, MiddlewareStack } from '@smithy/types';
import { RequestLimitError } from '../model/errors.js';
import { plural } from '../model/words.js';
import type { RequestMeter } from '../decide/guards.js';

/** S3 requests by HTTP kind; other services' by `Service Operation` ("CloudFront CreateInvalidation"). */
export type RequestKind = 'LIST' | 'HEAD' | 'GET' | 'PUT' | 'POST' | 'DELETE' | 'OTHER';

const S3_KINDS: RequestKind[] = ['LIST', 'HEAD', 'GET', 'PUT', 'POST', 'DELETE', 'OTHER'];

/** Any SDK v3 client: the budget needs only its middleware stack. */
interface ClientWithMiddleware {
  middlewareStack: Pick<MiddlewareStack<object, MetadataBearer>, 'add'>;
}

/**
 * Counts every HTTP request the clients send, retries included, and refuses
 * to send the one that would pass the limit. It sits after the retry
 * middleware, so each attempt passes through it.
 *
 * An AbortMultipartUpload is counted but never refused: it is what ends the
 * bill for a failed upload's stored parts, S3 does not charge for it, and a
 * run that hits the limit mid-upload is exactly when it is needed.
 */
export class RequestBudget implements RequestMeter {
  private readonly counts = new Map<string, number>();
  private sent = 0;
  private answered = 0;

  constructor(readonly limit: number) {}

  get used(): number {
    return this.sent;
  }

  /** Requests that got a success answer: more than none means the credentials work. */
  get succeeded(): number {
    return this.answered;
  }

  /** Every S3 kind (zero included), then any other service's operations that were sent. */
  byKind(): Record<string, number> {
    const result: Record<string, number> = {};
    for (const kind of S3_KINDS) result[kind] = this.counts.get(kind) ?? 0;
    for (const [kind, count] of this.counts) if (!(kind in result)) result[kind] = count;
    return result;
  }

  /** `service` other than S3 counts each request as "service operation". */
  attachTo(client: ClientWithMiddleware, service = 'S3'): void {
    client.middlewareStack.add(this.middleware(service), {
      step: 'finalizeRequest',
      priority: 'low',
      name: 'requestBudget',
      override: true,
    });
  }

  private middleware(service: string): FinalizeRequestMiddleware<object, MetadataBearer> {
    return (next, context) => async (args) => {
      if (this.sent >= this.limit && context.commandName !== 'AbortMultipartUploadCommand') {
        throw new RequestLimitError(
          `Stopped at the request-limit of ${plural(this.limit, 'request')}. ` +
            'Raise the request-limit input if this is expected.',
          this.sent + 1,
          this.limit,
        );
      }
      this.sent += 1;
      const kind =
        service === 'S3'
          ? requestKind(args.request as HttpRequestLike)
          : `${service} ${String(context.commandName ?? 'request').replace(/Command$/, '')}`;
      this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
      const response = await next(args);
      this.answered += 1;
      return response;
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
      // ListObjectsV2, and ListObjectVersions (a rollback's listing).
      return request.query?.['list-type'] !== undefined || request.query?.versions !== undefined ? 'LIST' : 'GET';
    case 'HEAD':
    case 'PUT':
    case 'POST':
    case 'DELETE':
      return request.method;
    default:
      return 'OTHER';
  }
}
