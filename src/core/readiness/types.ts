/**
 * The Upgrade Readiness report: one result per check (and node), each with a severity, what was found and the fix.
 * A plain value: the CLI prints it as JSON (`kubeadm-upgrade/v1` `Readiness`), the webview and the tree render it.
 */

export type Severity = 'ok' | 'info' | 'warning' | 'blocker';

export const CHECK_IDS = [
  'nodes-ready',
  'control-plane-health',
  'etcd-health',
  'pdb-blocks-drain',
  'pods-stuck-terminating',
  'webhook-unavailable',
  'deprecated-api-in-use',
  'certificate-expiry',
  'node-access',
  'package-repo',
  'swap-enabled',
  'cgroup-v1',
  'skew-path',
  'single-control-plane',
  'cni-addons',
  'removed-api-in-use',
  'addon-compatibility',
  'drain-capacity',
  'single-replica',
  'webhook-drain-resilience',
  'evicted-pods',
  'support-window',
  'admin-conf',
  'manifest-drift',
  'images-available',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export function isCheckId(s: string): s is CheckId {
  return (CHECK_IDS as readonly string[]).includes(s);
}

/** One line of the report. `node` is null for cluster-wide results. */
export interface CheckResult {
  readonly id: CheckId;
  readonly severity: Severity;
  readonly node: string | null;
  readonly message: string;
  /** What was found: object names, numbers, the command run and its output. */
  readonly evidence: readonly string[];
  readonly fix: string;
  /** The fix as a button (Upgrade Node… on the node the finding names), when there is one. */
  readonly action?: FixAction;
  /** Set when the check could not run (RBAC 403, node unreachable): the reason. Such a result is never `ok`. */
  readonly notRun?: string;
}

/** A fix the report can start: Upgrade Node… of `node` to `target` (the webview's button, labelled `label`). */
export interface FixAction {
  readonly kind: 'upgradeNode';
  readonly node: string;
  readonly target: string;
  readonly label: string;
}

export interface ReadinessReport {
  readonly target: string;
  readonly generatedAt: string;
  readonly checks: readonly CheckResult[];
}

export const SEVERITY_ORDER: Record<Severity, number> = { blocker: 0, warning: 1, info: 2, ok: 3 };

export function result(id: CheckId, severity: Severity, node: string | null, message: string, evidence: readonly string[] = [], fix = ''): CheckResult {
  return { id, severity, node, message, evidence, fix };
}
