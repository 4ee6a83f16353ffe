// The explanation of one captured output (kubeadm upgrade plan|apply|node, apt, yum, kubectl drain). The JSON shape
// written by `kubeadm-upgrade explain --json` is a contract (apiVersion kubeadm-upgrade/v1, kind Explanation): keep
// the field names of `Explanation`, `ExplainedFailure` and `ExplainedWarning` stable.
import type { FindingId } from './catalog';

export type ExplainedCommand = 'apply' | 'node' | 'plan' | 'apt' | 'yum' | 'drain' | 'unknown';
export type Outcome = 'succeeded' | 'failed' | 'unknown';

/** A recovery step of the recovery view (src/core/backups/recovery.ts) that applies to a failure. */
export type RecoveryStepId = 'rerun' | 'force' | 'restore-manifests' | 'etcd-restore' | 'verify-nodes' | 'verify-pods';

/** One recognised failure or warning, with everything the UI shows about it. */
export interface Finding {
  /** Stable id (README "Explain" lists them). */
  readonly id: FindingId;
  readonly severity: 'failure' | 'warning';
  /** kubeadm phase tag (`upgrade/health`, `control-plane`, `preflight`), or `apt`/`yum`/`drain`; null when not shown. */
  readonly phase: string | null;
  readonly component: string | null;
  readonly node: string | null;
  /** The preflight check name (`CreateJob`), when the finding is one. */
  readonly check: string | null;
  /** true when kubeadm said it rolled back ("tried to recover everything into the earlier state"); null: not applicable. */
  readonly rolledBack: boolean | null;
  /** The tool's own words (first line, then continuation lines joined with a space). */
  readonly message: string;
  /** Plain-language cause. */
  readonly cause: string;
  /** What to do, with the commands filled in. */
  readonly fix: string;
  /** The commands alone, in order, for Copy / Run in terminal. */
  readonly commands: readonly string[];
  /** Steps of the recovery view that apply. */
  readonly recovery: readonly RecoveryStepId[];
}

export interface SkippedComponent {
  readonly component: string;
  readonly reason: string;
}

/** The JSON contract. */
export interface Explanation {
  readonly apiVersion: 'kubeadm-upgrade/v1';
  readonly kind: 'Explanation';
  readonly command: ExplainedCommand;
  readonly outcome: Outcome;
  /** `v`-prefixed version the command was going to, when the output says. */
  readonly targetVersion: string | null;
  /** Folders kubeadm wrote backups to (manifests, etcd, kubelet config), in the order it named them. */
  readonly backups: readonly string[];
  /** Components kubeadm reports as upgraded (static Pods, then addons). */
  readonly upgraded: readonly string[];
  readonly skipped: readonly SkippedComponent[];
  /** Control-plane nodes that must be upgraded before kubeadm upgrades CoreDNS and kube-proxy (de-duplicated). */
  readonly addonsDeferredUntil: readonly string[];
  readonly failures: readonly ExplainedFailure[];
  readonly warnings: readonly ExplainedWarning[];
}

export interface ExplainedFailure {
  readonly id: FindingId;
  readonly phase: string | null;
  readonly component: string | null;
  readonly node: string | null;
  readonly rolledBack: boolean | null;
  readonly message: string;
  readonly fix: string;
}

export interface ExplainedWarning {
  readonly id: FindingId;
  readonly message: string;
  readonly fix: string;
}

/** What the caller knows beyond the output, used to fill in commands (both optional). */
export interface ExplainContext {
  /** The node the output came from. */
  readonly node?: string;
  /** The version the upgrade was going to (`v1.33.2`). */
  readonly targetVersion?: string;
}

/** The full result: the contract plus the findings in detail and the lines nothing recognised. */
export interface ExplainResult {
  readonly explanation: Explanation;
  readonly findings: readonly Finding[];
  /** Trimmed lines that no recogniser and no known-line pattern accounted for. */
  readonly unknown: readonly string[];
}

/** Input that cannot be explained at all (the CLI's exit 2). */
export type BadInput = { readonly bad: 'empty' | 'binary' };
