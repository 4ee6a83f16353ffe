import type { DrainPreview } from '../drain';
import type { NodeExecutor } from '../exec/executor';
import type { DrainSettings } from '../drain/settings';
import type { ConfirmKind, Phase, UpgradeContext } from './phases';
import type { UpgradeRunState } from './state';
import type { AuditEntry } from '../audit/entry';
import type { NodeHostFacts } from './nodeHost';

/** What the upgrade needs from the cluster's API (src/adapters/k8s implements it). */
export interface ClusterOps {
  /** Cordons and drains; throws an Error whose message names the blocking pods and PDBs. */
  drain(node: string, settings: DrainSettings, onProgress: (message: string) => void, signal?: AbortSignal): Promise<void>;
  uncordon(node: string): Promise<void>;
  nodeStatus(node: string): Promise<NodeStatus | undefined>;
  /** What the drain would do (pods to evict, blocking PDBs), read before anything is cordoned. */
  previewDrain?(node: string, settings: DrainSettings): Promise<DrainPreview>;
  /**
   * Optional: the Node's host as its kubelet reports it (machine id, Hostname address), undefined when there is no such
   * Node. With it, a run first checks that the host its executor reaches is this Node (src/core/upgrade/nodeHost.ts).
   */
  nodeHostFacts?(node: string): Promise<NodeHostFacts | undefined>;
  /** Optional: calls `onStatus` on every change of the Node (a watch), so the Ready wait ends without polling; returns the stop function. */
  watchNodeStatus?(node: string, onStatus: (s: NodeStatus | undefined) => void): () => void;
}

export interface NodeStatus {
  ready: boolean;
  kubeletVersion?: string;
  unschedulable: boolean;
}

export type ProgressEvent =
  | { readonly type: 'phase'; readonly index: number; readonly total: number; readonly phase: Phase }
  | { readonly type: 'output'; readonly text: string }
  | { readonly type: 'message'; readonly text: string };

/** Everything the runner calls out to; the UI and the CLI each provide one. */
export interface UpgradeHooks {
  readonly executor: NodeExecutor;
  readonly cluster: ClusterOps;
  /** Asked before repo changes, apply and drain, with the exact text of what will run. */
  confirm(kind: ConfirmKind, phase: Phase, context: UpgradeContext): Promise<boolean>;
  progress(event: ProgressEvent): void;
  save(state: UpgradeRunState): Promise<void>;
  audit(entry: AuditEntry): void;
  /**
   * Optional: a detached step (kubeadm upgrade, package install, …) is still running after `minutes`. Never a kill:
   * the UI offers "keep waiting / show the log"; without this hook a progress message says it.
   */
  stillRunning?(phase: Phase, minutes: number): void;
  /**
   * Asked before every step, the run's safe points: why it must stop now (the cluster lock lost, the cluster reached
   * is not the run's), or undefined to go on. Never interrupts a step that is running.
   */
  stopReason?(): Promise<string | undefined>;
  /** Injected so tests need not wait real seconds. */
  sleep?(ms: number): Promise<void>;
  now?(): Date;
}
