// The words of `kubeadm upgrade plan`'s text output that the line reader (text.ts) recognises: one place to look when
// a kubeadm release changes its wording (cmd/kubeadm/app/cmd/upgrade/plan.go and the phases' printers).
import { isVersionLike, normalizeKubeVersion } from './versions';

export const PREFLIGHT_SUMMARY_FIX =
  'Address the failing checks listed, or, if you are sure they are safe, re-run with --ignore-preflight-errors=<check>.';

// Prose kubeadm prints around the tables. Recognised so that it does not end up in `unparsed`.
export const PROSE: readonly RegExp[] = [
  /^The table below shows the current state of component configs/i,
  /^Configs that have a "yes" mark in the "MANUAL UPGRADE REQUIRED" column/i,
  /^resetting to kubeadm defaults before a successful upgrade can be performed/i,
  /^upgrade to is denoted in the "PREFERRED VERSION" column/i,
  /^No information available on component configs\.?$/i,
  /^To see the stack trace of this error execute with --v=\d+ or higher$/i,
];

// Lines that end an error list opened by a summary.
export const LIST_END: readonly RegExp[] = [
  /^Please fix the misalignments highlighted above/i,
  /^Can be bypassed if you pass the --force flag/i,
];

export const BLOCK_START = [
  /^Components that must be upgraded manually after you('ve| have) upgraded the control plane/i,
  /^External components that should be upgraded manually before you upgrade the control plane/i,
];

export const UPGRADE_HEADER = /^(Upgrade to the latest .+?):?$/;
export const APPLY_INTRO = /^You can now apply the upgrade by executing the following command:?$/i;
const APPLY_COMMAND = /^kubeadm\s+upgrade\s+apply(\s.*)?$/;
export const NOTE = /^Note:\s*(.+)$/i;
export const UP_TO_DATE = /you're up-to-date/i;
export const BULLET = /^[-*•]\s+(.+)$/;
export const ERROR_PHASE = /^error execution phase ([^:]+):\s*(.*)$/i;
export const ERROR_PREFIX = /^(error|fatal)\b:?\s*(.*)$/i;

/** `kubeadm upgrade apply` followed by a version and/or flags, not by prose that happens to start so. */
export function isApplyCommand(trimmed: string): boolean {
  if (!APPLY_COMMAND.test(trimmed)) return false;
  const args = trimmed.split(/\s+/).slice(3);
  return args.some((a) => isVersionLike(a)) || (args.length > 0 && args.every((a) => a.startsWith('-')));
}

/** The version argument of `kubeadm upgrade apply [flags] vX.Y.Z [flags]`. */
export function targetFromApply(command: string | null): string | null {
  if (!command) return null;
  const args = command.split(/\s+/).slice(3);
  for (const arg of args) {
    const v = normalizeKubeVersion(arg);
    if (v) return v;
  }
  return null;
}
