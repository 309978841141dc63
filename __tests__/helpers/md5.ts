import { createHash } from 'node:crypto';

/** Lower-case hex md5, as S3 and the `md5` metadata hold it. */
export function md5(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}
