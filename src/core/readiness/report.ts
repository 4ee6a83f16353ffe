import { SEVERITY_ORDER, isCheckId, type CheckId, type CheckResult, type ReadinessReport, type Severity } from './types';

export function sortResults(results: readonly CheckResult[]): CheckResult[] {
  return [...results].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.id.localeCompare(b.id) || (a.node ?? '').localeCompare(b.node ?? ''));
}

export function countBySeverity(report: ReadinessReport): Record<Severity, number> {
  const c: Record<Severity, number> = { ok: 0, info: 0, warning: 0, blocker: 0 };
  for (const r of report.checks) c[r.severity]++;
  return c;
}

/** Blockers left once the user has overridden some check ids (each override is audited by the caller). */
export function remainingBlockers(report: ReadinessReport, overridden: readonly CheckId[] = []): CheckResult[] {
  return report.checks.filter((r) => r.severity === 'blocker' && !overridden.includes(r.id));
}

/**
 * Checks whose finding on a node concerns only that node's own steps (reaching it, its package source, its kubelet's
 * host, draining it): such a blocker on another node does not stop the upgrade of this one. Everything else — a
 * cluster-wide finding, or a skew or health finding on any node — still does.
 */
const NODE_LOCAL_CHECKS: readonly CheckId[] = ['node-access', 'package-repo', 'swap-enabled', 'cgroup-v1', 'pdb-blocks-drain', 'pods-stuck-terminating', 'drain-capacity'];

/** The blockers that stop upgrading `node` alone (Upgrade Node), and those set aside as another node's own matter. */
export function blockersForNode(report: ReadinessReport, node: string, overridden: readonly CheckId[] = []): { blocking: CheckResult[]; otherNodes: CheckResult[] } {
  const all = remainingBlockers(report, overridden);
  const elsewhere = (b: CheckResult) => b.node !== null && b.node !== node && NODE_LOCAL_CHECKS.includes(b.id);
  return { blocking: all.filter((b) => !elsewhere(b)), otherNodes: all.filter(elsewhere) };
}

export function blockerIds(report: ReadinessReport): CheckId[] {
  return [...new Set(report.checks.filter((r) => r.severity === 'blocker').map((r) => r.id))];
}

/** `--override a,b`: check ids, validated. */
export function parseOverrides(text: string): CheckId[] {
  const ids = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = ids.filter((i) => !isCheckId(i));
  if (bad.length > 0) throw new Error(`unknown check id(s): ${bad.join(', ')}`);
  return ids as CheckId[];
}

/** The `kubeadm-upgrade/v1` `Readiness` document (the CLI's --json contract). */
export function readinessJson(report: ReadinessReport): object {
  return {
    apiVersion: 'kubeadm-upgrade/v1',
    kind: 'Readiness',
    target: report.target,
    checks: report.checks.map((r) => ({ id: r.id, severity: r.severity, node: r.node, message: r.message, evidence: r.evidence, fix: r.fix })),
  };
}

/** Exit code of `kubeadm-upgrade preflight`: 1 with any blocker, else 0 (2 is bad input, decided before). */
export function readinessExitCode(report: ReadinessReport): 0 | 1 {
  return report.checks.some((r) => r.severity === 'blocker') ? 1 : 0;
}

export function summaryText(report: ReadinessReport): string {
  const c = countBySeverity(report);
  return `${c.blocker} blocker(s), ${c.warning} warning(s), ${c.info} info, ${c.ok} ok`;
}

export function renderText(report: ReadinessReport): string {
  const lines = [`Upgrade readiness for ${report.target}: ${summaryText(report)}`];
  for (const r of report.checks) {
    lines.push(`${r.severity.toUpperCase().padEnd(8)} ${r.id.padEnd(24)} ${(r.node ?? '(cluster)').padEnd(16)} ${r.message}`);
    if (r.severity === 'blocker' || r.severity === 'warning') {
      for (const e of r.evidence.slice(0, 6)) lines.push(`         | ${e}`);
      if (r.fix) lines.push(`         fix: ${r.fix}`);
    }
  }
  return lines.join('\n');
}

/** The tree's note on a cluster item after a report: `readiness v1.36.3: 3 blockers` / `readiness v1.36.3: ready`. */
export function treeNote(report: ReadinessReport): string {
  const c = countBySeverity(report);
  return `readiness ${report.target}: ${c.blocker > 0 ? `${c.blocker} blocker${c.blocker > 1 ? 's' : ''}` : c.warning > 0 ? `${c.warning} warning${c.warning > 1 ? 's' : ''}` : 'ready'}`;
}
