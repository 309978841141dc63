import type { SyncResult } from '../../src/sync/result.js';
import type { FileCopy, Plan, RedirectCopy, Removal } from '../../src/model/plan.js';

const file = (key: string, size = 10): FileCopy => ({ key, entry: { kind: 'file', size }, reason: 'new' });
const redirect = (key: string, target: string): RedirectCopy => ({
  key,
  target,
  location: `/${target}`,
  reason: 'new',
});
const removal = (key: string): Removal => ({ key, entry: { kind: 'file', size: 1 } });

/** A push plan of 3 files, 1 redirect and 2 deletes, applied as far as `done` says. */
export function pushResult(
  done: { copied?: number; redirected?: number; deleted?: number } = {},
  extra: Partial<SyncResult> = {},
): SyncResult {
  const plan: Plan = {
    copies: [file('a.css', 100), file('b.js', 20), file('index.html', 5)],
    redirects: [redirect('latest.html', 'index.html')],
    updates: [],
    deletes: [removal('old-1.html'), removal('old-2.html')],
    unchanged: ['same.txt'],
    warnings: [{ key: 'broken.html', message: 'Skipped: it is a broken symlink' }],
  };
  const copied = plan.copies.slice(0, done.copied ?? 0);
  return {
    direction: 'push',
    dryRun: false,
    plan,
    outcome: {
      copied,
      redirected: plan.redirects.slice(0, done.redirected ?? 0),
      updated: [],
      deleted: plan.deletes.slice(0, done.deleted ?? 0),
      bytes: copied.reduce((sum, copy) => sum + copy.entry.size, 0),
      warnings: [],
      written: new Map(),
    },
    warnings: plan.warnings,
    ...extra,
  };
}
