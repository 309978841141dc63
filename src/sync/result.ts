import type { Direction } from '../model/direction.js';
import { emptyOutcome, type Outcome } from '../model/outcome.js';
import type { Plan, Warning } from '../model/plan.js';

export interface SyncResult {
  direction: Direction;
  dryRun: boolean;
  plan: Plan;
  /** What was done: empty on a dry run, partial when `failure` is set. */
  outcome: Outcome;
  /** Every warning of the run: the plan's, then the apply's. */
  warnings: Warning[];
  /** Why the apply stopped part-way; everything before the apply throws instead, having changed nothing. */
  failure?: unknown;
  /** The deploy this run recorded (a push or rollback that changed anything), and the one before it. */
  deploy?: { id: string; previous: string | undefined; restored?: string };
}

/**
 * Applies the plan unless this is a dry run. A failure part-way is kept in
 * the result with the work done before it, for the report to say where the
 * destination stands.
 */
export async function applyPlan(
  direction: Direction,
  plan: Plan,
  dryRun: boolean,
  apply: (outcome: Outcome) => Promise<void>,
): Promise<SyncResult> {
  const outcome = emptyOutcome();
  const result: SyncResult = { direction, dryRun, plan, outcome, warnings: plan.warnings };
  if (dryRun) return result;
  try {
    await apply(outcome);
  } catch (error) {
    result.failure = error;
  }
  result.warnings = [...plan.warnings, ...outcome.warnings];
  return result;
}
