// The parsed model of `kubeadm upgrade plan` output. The JSON shape of ParsedPlan is a contract shared with
// the CLI and the UI: keep field names and null-vs-absent semantics stable.

/** Which kind of input parsePlan recognised. "empty" means kubeadm printed nothing, i.e. up to date. */
export type PlanFormat = 'text' | 'json' | 'yaml' | 'empty';

/** One row of a component table (or one entry of `components` in structured output). */
export interface PlanComponent {
  /** Canonical kubeadm name (`kubelet`, `kube-apiserver`, `etcd`, `CoreDNS`, ...). */
  name: string;
  /** Node name in the per-node format (kubeadm >= 1.30 text, v1alpha3); null when the cell is empty or absent. */
  node: string | null;
  /** Number of kubelets in the older `N x vX` count format; null otherwise. */
  count: number | null;
  /** Version as printed (with or without `v`, e.g. `1.31.1`, `3.5.15-0`); null if the cell is missing. */
  current: string | null;
  /** Version as printed; null if the cell is missing (e.g. a truncated table). */
  target: string | null;
}

/** One "Upgrade to the latest ..." block. */
export interface AvailableUpgrade {
  /** Human header, e.g. "Upgrade to the latest version in the v1.31 series". */
  description: string;
  /** Kubernetes version the control plane would move to, always with a leading `v`; null if it cannot be told. */
  targetVersion: string | null;
  /** The whole apply command including extra flags, e.g. `kubeadm upgrade apply v1.19.0-rc.1 --allow-release-candidate-upgrades`. */
  applyCommand: string | null;
  /** The "Note: ..." sentence without the `Note:` label (kubeadm must be updated first); null when absent. */
  note: string | null;
  components: PlanComponent[];
}

/** One row of the component-config table (`API GROUP  CURRENT VERSION  PREFERRED VERSION  MANUAL UPGRADE REQUIRED`). */
export interface ConfigVersion {
  group: string;
  /** "-" when kubeadm found no config (text prints "-", structured output has "" which we map to "-"). */
  current: string;
  preferred: string;
  manualUpgradeRequired: boolean;
}

export type DiagnosticSeverity = 'error' | 'warning';

/** A recognised failure or warning in the output, with a short hint on what to do about it. */
export interface PlanDiagnostic {
  severity: DiagnosticSeverity;
  message: string;
  fix: string;
}

export interface ParsedPlan {
  format: PlanFormat;
  /** From `[upgrade/versions] Cluster version: ...` (text) or the control-plane components (structured); `v`-prefixed. */
  clusterVersion: string | null;
  /** From `[upgrade/versions] kubeadm version: ...` (text) or the `kubeadm` component (structured); `v`-prefixed. */
  kubeadmVersion: string | null;
  /** True when kubeadm reported nothing to upgrade and no error stopped it. */
  upToDate: boolean;
  availableUpgrades: AvailableUpgrade[];
  configVersions: ConfigVersion[];
  /** Non-empty, trimmed lines that matched nothing known. Never includes klog noise or kubeadm progress lines. */
  unparsed: string[];
  diagnostics: PlanDiagnostic[];
}
