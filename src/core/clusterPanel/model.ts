// The plan view's data: what the webview renders, computed from a ParsedPlan (and a cluster snapshot when one is
// known). Plain JSON values only: the model crosses the webview boundary and is stored as webview state.
import type { PlanDiagnostic } from '../plan';
import type { SkewImpact } from '../skew/impact';
import type { NodeDiffOutcome } from '../manifestDiff/forNode';

/** Where the plan output came from. */
export interface PlanSource {
  readonly origin: 'run' | 'file' | 'paste';
  /** kubeconfig context the plan belongs to, when known. */
  readonly context: string | null;
  /** Control-plane node the plan ran on (origin "run"), when known. */
  readonly node: string | null;
  /** File name or "clipboard" for opened output. */
  readonly label: string | null;
  /** ISO time the output was captured or opened. */
  readonly at: string | null;
}

export interface PlanHeader {
  readonly cluster: string | null;
  readonly kubeadmVersion: string | null;
  readonly currentVersion: string | null;
  /** Every available upgrade's target, in kubeadm's order. */
  readonly targets: readonly string[];
}

export interface ComponentRow {
  readonly name: string;
  /** Node name (per-node format), `N x` label (count format) or "" for cluster-wide components. */
  readonly where: string;
  readonly node: string | null;
  readonly count: number | null;
  readonly current: string;
  readonly target: string;
  /** True when the version changes (ignoring a leading `v`). */
  readonly changed: boolean;
}

/** Why "Upgrade control plane to vX" would be refused now, and the upgrades that unblock it. */
export interface CardBlock {
  readonly reasons: readonly string[];
  readonly unblock: readonly { readonly node: string; readonly target: string; readonly label: string }[];
}

export interface PlanCard {
  /** "Upgrade to v1.36.3": the target from the table (kubeadm's own heading can name another series with --config). */
  readonly heading: string;
  /** kubeadm's heading, e.g. "Upgrade to the latest version in the v1.35 series", shown as the subtitle. */
  readonly description: string;
  readonly target: string | null;
  readonly applyCommand: string | null;
  /** "update kubeadm first" sentence, kubeadm's or ours when the node's kubeadm is older than the target. */
  readonly note: string | null;
  /** Control-plane, addon and etcd rows. */
  readonly components: readonly ComponentRow[];
  /** kubelet rows: one per node, or `N x version`. Upgraded by hand after `kubeadm upgrade apply`. */
  readonly kubelets: readonly ComponentRow[];
  readonly changedCount: number;
  /** The control-plane node the "Upgrade control plane" button targets (the plan's node), when known. */
  readonly upgradeNode: string | null;
  /** Set when Upgrade Node's guards would refuse this upgrade today. */
  readonly blocked: CardBlock | null;
}

export interface ConfigRow {
  readonly group: string;
  readonly current: string;
  readonly preferred: string;
  readonly manualUpgradeRequired: boolean;
  /** What to do about this row; empty when nothing is needed. */
  readonly advice: string;
}

export type { KubeletAction, SkewFindingRow, SkewImpact, SkewNodeRow } from '../skew/impact';

/**
 * "What will change": per control plane, kubeadm's own `upgrade diff` to the plan's target (the same composition as
 * `kubeadm-upgrade diff`): per manifest the image, flags and volumes, and the hand edits that will be lost.
 */
export interface WhatWillChange {
  readonly target: string;
  /** True while the diffs run on the control planes (the rows come in when all are done). */
  readonly running: boolean;
  readonly patchesDir: string | null;
  readonly nodes: readonly NodeDiffOutcome[];
}

export type PlanState = 'upgrades' | 'upToDate' | 'failed' | 'unknown';

export interface PlanViewModel {
  readonly kind: 'plan';
  readonly source: PlanSource;
  readonly header: PlanHeader;
  readonly state: PlanState;
  /** One sentence for the state, e.g. "The cluster is up to date: kubeadm v1.31.7 offers no newer version." */
  readonly stateText: string;
  readonly cards: readonly PlanCard[];
  readonly configRows: readonly ConfigRow[];
  /** Null without a cluster snapshot (a pasted plan for a cluster that is not in the kubeconfig). */
  readonly skew: readonly SkewImpact[] | null;
  readonly diagnostics: readonly PlanDiagnostic[];
  /** kubeadm could not reach dl.k8s.io and fell back to its own version (air-gapped): shown as warnings. */
  readonly fetchWarnings: readonly string[];
  /** The cluster's versions the plan was made against (see versionsKey); the host marks the view stale when they change. */
  readonly versions: string | null;
  /** True once the cluster's versions changed after the plan was made: the view offers Re-run. */
  readonly stale: boolean;
  /** Absent on a plan opened from a file or pasted (no node to ask), and on views stored before it existed. */
  readonly whatWillChange?: WhatWillChange | null;
  readonly unparsed: readonly string[];
  readonly raw: string;
  readonly format: string;
}
