/**
 * The pieces of a parallel listing that need no S3: the order S3 lists keys
 * in, the choice of split points, and a bound on LISTs in flight.
 */

/**
 * Compares keys as S3 lists them: by their UTF-8 bytes, which is the order of
 * their code points. JavaScript's `<` compares UTF-16 code units instead, and
 * the two disagree when a character above U+FFFF (a surrogate pair, 0xD800 to
 * 0xDFFF) meets one from U+E000 to U+FFFF: "😀" comes after "｡" in S3 but
 * before it in JavaScript. S3 keys are valid UTF-8, so there are no lone surrogates.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    // A surrogate starts a code point above every one a single unit holds.
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * The split points for a partition that has listed up to `reached` and ends
 * at `upper` (inclusive; undefined for the end of the listing): those strictly
 * between them, sorted and without repeats, at most `room` of them, spread
 * evenly over the candidates when there are more.
 */
export function pickBoundaries(
  candidates: readonly string[],
  reached: string,
  upper: string | undefined,
  room: number,
): string[] {
  const inside = [...new Set(candidates)]
    .filter((b) => compareKeys(b, reached) > 0 && (upper === undefined || compareKeys(b, upper) < 0))
    .sort(compareKeys);
  if (room <= 0) return [];
  if (inside.length <= room) return inside;
  return Array.from({ length: room }, (_, i) => inside[Math.floor((i * inside.length) / room)] as string);
}

/**
 * The folders to look in for split points in a partition that has listed up
 * to `reached` and ends at `upper` (undefined: the end of the listing under
 * `listPrefix`, "" or "prefix/"), most promising first. Every key still to
 * come shares the folder common to both, so that folder's subfolders after
 * `reached` split the rest of it. When `reached` lies deeper, the subfolder of
 * the common folder that holds `reached` comes first: a partition that starts
 * at a folder and ends at the next is all in that folder, and the rest of a
 * listing often lies mostly in one large folder (assets/).
 */
export function foldersToSplit(listPrefix: string, reached: string, upper: string | undefined): string[] {
  let common = listPrefix;
  if (upper !== undefined) {
    let same = 0;
    while (same < reached.length && same < upper.length && reached[same] === upper[same]) same += 1;
    const slash = same === 0 ? -1 : reached.lastIndexOf('/', same - 1);
    if (slash + 1 > listPrefix.length) common = reached.slice(0, slash + 1);
  }
  const slash = reached.indexOf('/', common.length);
  return slash === -1 || !reached.startsWith(common) ? [common] : [reached.slice(0, slash + 1), common];
}

/** At most `limit` holders at a time; the rest wait their turn in order. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`the LIST concurrency must be a whole number of at least 1, not ${limit}`);
    }
    this.free = limit;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}
