import type { ClusterSnapshot } from '../snapshot/model';
import type { ApiserverRange } from './apiservers';
import type { Finding } from './finding';
import { allViolations, enforceVersionPolicies } from './policy';

/**
 * What a planned control-plane upgrade to `targetText` means, as findings: whether the path is allowed (no skipped
 * minor, no downgrade), and which nodes would fall outside the policy once every kube-apiserver runs the target.
 * The decisions are the upgrade policy's (./policy.ts); this only lists them in the order the reports show.
 */
export function upgradePathFindings(snapshot: ClusterSnapshot, range: ApiserverRange, targetText: string): Finding[] {
  return allViolations(enforceVersionPolicies(snapshot, range, targetText));
}
