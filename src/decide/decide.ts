import type { RemoteLocation } from '../bucket/list.js';
import type { Entry } from '../model/entries.js';
import type { Plan } from '../model/plan.js';
import type { Reporter } from '../model/reporter.js';
import { plural, thousands } from '../model/words.js';
import type { Inventories } from './inventory.js';
import { plan as makePlan, type PlanRules, type Sides } from './plan.js';
import { resolve, type ResolveRules } from './resolve.js';

/**
 * Resolve, then plan: what both pipelines do between the inventory and the
 * guards. Each warning is said as soon as it is known, so a run that fails
 * later still shows it.
 */
export async function decide<S extends Entry, D extends Entry>(
  inventories: Inventories,
  sides: Sides<S, D>,
  rules: { resolve: ResolveRules; plan: PlanRules<S, D> },
  bucket: { location: RemoteLocation; concurrency: number },
  reporter: Reporter,
): Promise<Plan<S, D>> {
  const plan = await reporter.group('Compare', async () => {
    await resolve(inventories, bucket, rules.resolve, reporter);
    const planned = makePlan(sides, rules.plan);
    reporter.info(describePlan(planned));
    return planned;
  });
  for (const warning of plan.warnings) reporter.warn(warning.key, warning.message);
  return plan;
}

function describePlan(plan: Plan): string {
  return (
    `plan: ${plural(plan.copies.length, 'file')} to copy, ${plural(plan.redirects.length, 'redirect')}, ` +
    (plan.updates.length > 0 ? `${plural(plan.updates.length, 'header update')}, ` : '') +
    `${plural(plan.deletes.length, 'key')} to delete, ` +
    `${thousands(plan.unchanged.length)} unchanged`
  );
}
