// Recognising kubeadm failures and warnings in plan output, and what to tell the user about them.
//
// Message texts come from kubeadm's sources (phases/upgrade/policy.go and health.go, preflight checks,
// cmd/upgrade/common.go). They are matched loosely (case, quoting, versions vary across releases).
import type { DiagnosticSeverity, PlanDiagnostic } from './types';

interface Known {
  pattern: RegExp;
  fix: string;
}

// Most specific first: the first match wins.
const KNOWN: readonly Known[] = [
  {
    // Before "Unable to connect to the server": kubectl and kubeadm print the x509 error after it. Steps from the
    // kubeadm certificate-management docs; src/core/explain's `certificate-expired` says the same with the commands apart.
    pattern: /x509: certificate has expired|certificate has expired or is not yet valid/i,
    fix:
      'A cluster certificate has expired (kubeadm certificates last one year; every kubeadm upgrade renews them). On each ' +
      'control-plane node: `sudo kubeadm certs check-expiration`, then `sudo kubeadm certs renew all`, then restart the ' +
      'control-plane static Pods: move their manifests out of /etc/kubernetes/manifests, wait 20 seconds, move them back ' +
      '(`sudo mkdir -p /etc/kubernetes/manifests-restart && sudo mv /etc/kubernetes/manifests/*.yaml /etc/kubernetes/manifests-restart/ ' +
      '&& sleep 20 && sudo mv /etc/kubernetes/manifests-restart/*.yaml /etc/kubernetes/manifests/`), and copy ' +
      '/etc/kubernetes/admin.conf to ~/.kube/config. Then run the plan again.',
  },
  {
    pattern: /higher than the kubeadm (minor release|version)/i,
    fix: 'Update kubeadm first: install the kubeadm package of the target version on this node, then run the plan again.',
  },
  {
    pattern: /Specified version to upgrade to .* is too high/i,
    fix:
      'kubeadm moves the control plane one minor version at a time: update kubeadm to the latest patch of the next ' +
      'minor release first, upgrade to that, then repeat.',
  },
  {
    pattern: /kubeadm version .* can only be used to upgrade to Kubernetes version/i,
    fix: 'Use the kubeadm binary whose minor version matches the version you upgrade to.',
  },
  {
    pattern: /Specified version to downgrade to .* is too low/i,
    fix: 'kubeadm can go back only one minor version at a time; choose a closer version.',
  },
  {
    pattern: /lower than the minimum supported version/i,
    fix: 'Choose a higher target version.',
  },
  {
    pattern: /kubelets?\b.*\btoo old/i,
    fix:
      'Upgrade those kubelets first (to within the supported skew of the target: kubeadm upgrade node and the ' +
      'kubelet package on each node), or choose a lower target version.',
  },
  {
    pattern: /unstable version/i,
    fix: 'Choose a stable version, or pass --allow-release-candidate-upgrades (for -rc) or --allow-experimental-upgrades.',
  },
  {
    pattern: /NotReady control-planes?/i,
    fix: 'Bring every control-plane node back to Ready (kubectl get nodes) before upgrading.',
  },
  {
    pattern: /upgrade-health-check/i,
    fix:
      'The health-check Job did not run: make sure pods can be scheduled on the control-plane nodes and the pause ' +
      'image can be pulled (kubectl -n kube-system describe job upgrade-health-check).',
  },
  {
    pattern: /manifests don't seem to exist on disk|Static Pod-hosted, but some of the manifests/i,
    fix: 'Run kubeadm upgrade on a control-plane node, where /etc/kubernetes/manifests holds the static Pod manifests.',
  },
  {
    pattern: /connection refused|dial tcp|i\/o timeout|Unable to connect to the server|couldn't get current server API/i,
    fix:
      'kubeadm cannot reach the API server: check that the control plane is running and that ' +
      '/etc/kubernetes/admin.conf (or --kubeconfig) points at it.',
  },
  {
    pattern: /root privileges|not running as root|must be run as root|IsPrivilegedUser/i,
    fix: 'Run the command as root (sudo).',
  },
  {
    pattern: /couldn't create a Kubernetes client|admin\.conf.*(no such file|not found|does not exist)/i,
    fix: 'Run on a control-plane node that has /etc/kubernetes/admin.conf, or pass --kubeconfig.',
  },
  {
    pattern: /unable to (fetch|get) (file|URL|the latest|release)|unable to get URL|Falling back to current kubeadm version/i,
    fix:
      'kubeadm could not look up released versions online, so the plan may be incomplete: check access to dl.k8s.io ' +
      'or name the version explicitly (kubeadm upgrade plan vX.Y.Z).',
  },
];

/** The fix for a known message, or null. */
export function knownFix(message: string): string | null {
  for (const k of KNOWN) if (k.pattern.test(message)) return k.fix;
  return null;
}

/** True when `message` is one of the failures kubeadm's version-skew policy or health checks report. */
export function isKnownFailure(message: string): boolean {
  return knownFix(message) !== null;
}

const GENERIC_ERROR_FIX = 'The command stopped with this error: fix the cause and run it again (add --v=5 for details).';
const GENERIC_WARNING_FIX = 'Not blocking, but worth checking before you upgrade.';

export function genericFix(severity: DiagnosticSeverity): string {
  return severity === 'error' ? GENERIC_ERROR_FIX : GENERIC_WARNING_FIX;
}

/** `[ERROR Name]: message` / `[WARNING Name]: message`, as printed by kubeadm's preflight runner. */
const PREFLIGHT_ITEM = /^\[(ERROR|WARNING)\s+([^\]]+)\]:?\s*(.*)$/;

export function preflightItem(trimmed: string): PlanDiagnostic | null {
  const m = PREFLIGHT_ITEM.exec(trimmed);
  if (!m) return null;
  const check = m[2]!.trim();
  const detail = m[3]!.trim();
  const specific = knownFix(`${check} ${detail}`);
  if (m[1] === 'ERROR') {
    const ignore = `if you are sure it is safe, re-run with --ignore-preflight-errors=${check}.`;
    return {
      severity: 'error',
      message: trimmed,
      fix: specific ? `${specific} Or, ${ignore}` : `Address the failing "${check}" check, or, ${ignore}`,
    };
  }
  return { severity: 'warning', message: trimmed, fix: specific ?? GENERIC_WARNING_FIX };
}

/**
 * Collects diagnostics. A summary line that announces a list ("Some fatal errors occurred:", "invalid due to
 * these fatal errors:") is kept only until its first item arrives: the items say the same thing with more
 * detail, and the UI should not show the failure twice.
 */
export class DiagnosticSink {
  readonly items: PlanDiagnostic[] = [];
  private pendingSummary: PlanDiagnostic | null = null;
  private groupSeverity: DiagnosticSeverity | null = null;

  /** Severity of the list opened by the last summary, while it is open. */
  get openGroup(): DiagnosticSeverity | null {
    return this.groupSeverity;
  }

  add(d: PlanDiagnostic): void {
    if (this.pendingSummary) {
      const i = this.items.indexOf(this.pendingSummary);
      if (i >= 0) this.items.splice(i, 1);
      this.pendingSummary = null;
    }
    if (!this.items.some((x) => x.severity === d.severity && x.message === d.message)) this.items.push(d);
  }

  /** Puts `next` where `previous` was (a multi-line item grown by a line). */
  replace(previous: PlanDiagnostic, next: PlanDiagnostic): void {
    const i = this.items.indexOf(previous);
    if (i >= 0) this.items[i] = next;
  }

  /** A line that introduces a list of items of `groupSeverity`. */
  summary(d: PlanDiagnostic, groupSeverity: DiagnosticSeverity): void {
    this.closeGroup();
    this.add(d);
    this.pendingSummary = d;
    this.groupSeverity = groupSeverity;
  }

  closeGroup(): void {
    this.pendingSummary = null;
    this.groupSeverity = null;
  }
}
