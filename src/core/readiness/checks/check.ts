import type { ReadinessContext } from '../context';
import type { CheckId, CheckResult } from '../types';

/** One named check (kubeadm's `healthCheck{name, f}` shape): it reads through the context and returns its results. */
export interface Check {
  readonly id: CheckId;
  run(ctx: ReadinessContext): Promise<CheckResult[]>;
}

export function notRun(id: CheckId, node: string | null, reason: string, blocker = false): CheckResult {
  return {
    id,
    severity: blocker ? 'blocker' : 'warning',
    node,
    message: `Could not run: ${reason}`,
    evidence: [reason],
    fix: 'Give the kubeconfig user the missing permission or make the node reachable, then run the check again.',
    notRun: reason,
  };
}
