// Which versions a plan offers, for pickers in the UI.
import type { ParsedPlan } from './types';
import { compareVersionStrings } from './versions';

/** Distinct target versions of the available upgrades, lowest first (kubeadm lists the patch release first too). */
export function planTargets(plan: Pick<ParsedPlan, 'availableUpgrades'>): string[] {
  const seen = new Set<string>();
  for (const u of plan.availableUpgrades) {
    if (u.targetVersion) seen.add(u.targetVersion);
  }
  // Array.prototype.sort is stable, so versions semver cannot read keep their order of appearance.
  return [...seen].sort(compareVersionStrings);
}
