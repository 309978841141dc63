/**
 * An in-memory bucket that answers ListObjectsV2 as S3 does: keys in UTF-8
 * byte order (compared as Buffers, not JavaScript strings), Prefix,
 * Delimiter with CommonPrefixes (each counting toward MaxKeys), StartAfter,
 * ContinuationToken and MaxKeys (at most 1000). It stands in for an
 * S3Client (`{ send(command) }`) where listRemote is all that runs.
 */
import { ListObjectsV2Command, type ListObjectsV2CommandInput, type S3Client } from '@aws-sdk/client-s3';

export interface FakeListRequest {
  input: ListObjectsV2CommandInput;
  /** The request was sent after this many had been answered. */
  answeredBefore: number;
}

export interface FakeBucketOptions {
  /** Waits this long before answering each request (a round trip). */
  latencyMs?: number;
  /** A few turns of the event loop before each answer, from this seeded sequence, to vary which request finishes first. */
  jitterSeed?: number;
  /** Sorts keys as JavaScript compares strings (UTF-16 code units), as a store that gets S3's order wrong might. */
  utf16Order?: boolean;
  /** Ignores StartAfter, as a store that does not support it might. */
  ignoreStartAfter?: boolean;
  /** Changes or replaces an answer: a fault, say. Called with the request's position (0-based). */
  tamper?: (output: FakeListOutput, input: ListObjectsV2CommandInput, index: number) => FakeListOutput;
}

export interface FakeListOutput {
  Contents?: { Key: string; Size: number; ETag: string }[];
  CommonPrefixes?: { Prefix: string }[];
  IsTruncated: boolean;
  NextContinuationToken?: string;
  KeyCount: number;
}

export class FakeBucket {
  readonly requests: FakeListRequest[] = [];
  /** The most requests that were being answered at once. */
  maxInFlight = 0;
  private inFlight = 0;
  private answered = 0;
  private readonly keys: string[];
  private readonly bytes: Buffer[];
  private jitter: number;

  constructor(
    keys: Iterable<string>,
    private readonly options: FakeBucketOptions = {},
  ) {
    const unique = [...new Set(keys)];
    this.keys = options.utf16Order ? unique.sort() : unique.sort((a, b) => Buffer.compare(utf8(a), utf8(b)));
    this.bytes = this.keys.map(utf8);
    this.jitter = options.jitterSeed ?? 0;
  }

  /** Requests being answered now. */
  get busy(): number {
    return this.inFlight;
  }

  /** The bucket as an S3Client, for listRemote. */
  get client(): S3Client {
    return { send: (command: unknown) => this.send(command) } as unknown as S3Client;
  }

  /** Requests with a Delimiter (the searches for split points) and without. */
  counts(): { pages: number; delimited: number; total: number } {
    const delimited = this.requests.filter((r) => r.input.Delimiter !== undefined).length;
    return { pages: this.requests.length - delimited, delimited, total: this.requests.length };
  }

  /** Every key in the bucket, in the order it lists them. */
  allKeys(): string[] {
    return [...this.keys];
  }

  async send(command: unknown): Promise<FakeListOutput> {
    if (!(command instanceof ListObjectsV2Command)) throw new Error('the fake bucket only lists');
    const input = command.input;
    const index = this.requests.length;
    this.requests.push({ input: { ...input }, answeredBefore: this.answered });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
      if (this.options.jitterSeed !== undefined) {
        this.jitter = (this.jitter * 1103515245 + 12345) % 2147483648;
        for (let turns = this.jitter % 4; turns > 0; turns -= 1) await new Promise((r) => setImmediate(r));
      }
      const output = this.list(input);
      return this.options.tamper ? this.options.tamper(output, input, index) : output;
    } finally {
      this.inFlight -= 1;
      this.answered += 1;
    }
  }

  private list(input: ListObjectsV2CommandInput): FakeListOutput {
    const maxKeys = Math.min(input.MaxKeys ?? 1000, 1000);
    const prefix = input.Prefix ?? '';
    const delimiter = input.Delimiter;
    // Where to start: past the token's key (and past a common prefix it ends
    // on), or past StartAfter, which S3 ignores when there is a token.
    let start = 0;
    let skipPrefix: string | undefined;
    if (input.ContinuationToken !== undefined) {
      const token = JSON.parse(Buffer.from(input.ContinuationToken, 'base64url').toString()) as {
        after: string;
        skip?: string;
      };
      start = this.firstAfter(token.after);
      skipPrefix = token.skip;
    } else if (input.StartAfter !== undefined && !this.options.ignoreStartAfter) {
      start = this.firstAfter(input.StartAfter);
    }
    start = Math.max(start, this.firstAtLeast(prefix));

    const contents: FakeListOutput['Contents'] = [];
    const commonPrefixes: { Prefix: string }[] = [];
    let last: { after: string; skip?: string } | undefined;
    let i = start;
    while (i < this.keys.length) {
      const key = this.keys[i] as string;
      if (!key.startsWith(prefix)) break;
      if (skipPrefix !== undefined && key.startsWith(skipPrefix)) {
        i = this.pastPrefix(skipPrefix, i);
        continue;
      }
      if (contents.length + commonPrefixes.length === maxKeys) {
        return {
          Contents: contents,
          CommonPrefixes: delimiter === undefined ? undefined : commonPrefixes,
          IsTruncated: true,
          NextContinuationToken: Buffer.from(JSON.stringify(last)).toString('base64url'),
          KeyCount: contents.length + commonPrefixes.length,
        };
      }
      const at = delimiter === undefined ? -1 : key.indexOf(delimiter, prefix.length);
      if (delimiter !== undefined && at !== -1) {
        const common = key.slice(0, at + delimiter.length);
        commonPrefixes.push({ Prefix: common });
        last = { after: key, skip: common };
        i = this.pastPrefix(common, i);
        continue;
      }
      contents.push({ Key: key, Size: utf8(key).length, ETag: `"etag-${i}"` });
      last = { after: key };
      i += 1;
    }
    return {
      Contents: contents,
      CommonPrefixes: delimiter === undefined ? undefined : commonPrefixes,
      IsTruncated: false,
      KeyCount: contents.length + commonPrefixes.length,
    };
  }

  /** The index of the first key after `key`. */
  private firstAfter(key: string): number {
    const bound = this.options.utf16Order ? key : utf8(key);
    return this.search((i) => this.compareAt(i, bound) > 0);
  }

  /** The index of the first key at or after `key`. */
  private firstAtLeast(key: string): number {
    const bound = this.options.utf16Order ? key : utf8(key);
    return this.search((i) => this.compareAt(i, bound) >= 0);
  }

  /** The index of the first key from `from` on that does not start with `prefix` (they are all together). */
  private pastPrefix(prefix: string, from: number): number {
    let low = from;
    let high = this.keys.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.keys[middle] as string).startsWith(prefix)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private compareAt(i: number, bound: string | Buffer): number {
    if (typeof bound === 'string') {
      const key = this.keys[i] as string;
      return key < bound ? -1 : key > bound ? 1 : 0;
    }
    return Buffer.compare(this.bytes[i] as Buffer, bound);
  }

  /** The first index where `isPast` holds (it holds for every index after it). */
  private search(isPast: (i: number) => boolean): number {
    let low = 0;
    let high = this.keys.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (isPast(middle)) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}

function utf8(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

/** Every key under the prefix, one page after another, as the listing did before it was split. */
export async function flatListing(
  bucket: FakeBucket,
  prefix: string,
  pageSize?: number,
): Promise<{ key: string; size: number; etag: string }[]> {
  const listed: { key: string; size: number; etag: string }[] = [];
  let token: string | undefined;
  do {
    const page = await bucket.send(
      new ListObjectsV2Command({
        Bucket: 'fake',
        Prefix: prefix === '' ? undefined : `${prefix}/`,
        ContinuationToken: token,
        MaxKeys: pageSize,
      }),
    );
    for (const object of page.Contents ?? []) {
      listed.push({ key: object.Key, size: object.Size, etag: object.ETag.replace(/"/g, '') });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return listed;
}
