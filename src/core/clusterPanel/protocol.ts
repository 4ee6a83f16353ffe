// The one message protocol between the plan/backups panel host (src/ui/webview) and its front end (webview/).
// Both sides import this file; both check what they receive with the guards below (a message is untrusted input).
import type { BackupsViewModel } from '../backups/viewModel';
import type { PlanViewModel } from './model';
import type { ReadinessViewModel } from '../readiness/viewModel';

/** Shown while `kubeadm upgrade plan` runs: its output streams in. */
export interface RunningView {
  readonly kind: 'running';
  readonly title: string;
  readonly context: string | null;
  readonly node: string | null;
  readonly command: string;
  readonly output: string;
}

/**
 * What a panel shows instead of its result once its context reaches another cluster (every kubeadm admin.conf names
 * its context `kubernetes-admin@kubernetes`): the result is not shown, only whose it was and what to do.
 */
export interface OtherClusterView {
  readonly kind: 'otherCluster';
  /** The panel it replaced the result of. */
  readonly slot: 'plan' | 'backups' | 'readiness';
  readonly context: string;
  /** Plain sentences: the cluster the result was made for, the one the context reaches now, what to run. */
  readonly text: string;
}

export type ViewModel = PlanViewModel | BackupsViewModel | RunningView | ReadinessViewModel | OtherClusterView;

/** What the webview keeps with vscode.setState, and what the serializer gets back after a reload. */
export interface WebviewState {
  readonly view: ViewModel;
}

// NOTIFICATIONS (host → webview)
export type HostMessage =
  | { readonly type: 'show'; readonly view: ViewModel }
  | { readonly type: 'append'; readonly text: string }
  | { readonly type: 'notice'; readonly level: 'info' | 'error'; readonly text: string };

// COMMANDS (webview → host)
export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'copy'; readonly text: string }
  // "Run in terminal…" and "Run on node…" on a step: only its id (stepKey) and the command shown. The host looks the
  // step up in the view it rendered and takes the context, node, title and danger from there, never from here.
  | { readonly type: 'runInTerminal'; readonly step: string; readonly command: string }
  | { readonly type: 'upgradeNode'; readonly context: string | null; readonly node: string | null; readonly target: string }
  | { readonly type: 'showBackups'; readonly context: string | null; readonly node: string | null }
  | { readonly type: 'cleanup'; readonly context: string | null; readonly node: string; readonly paths: readonly string[] }
  | { readonly type: 'refresh' }
  /** Kubeadm: Snapshot etcd on that control plane (the one snapshot path: verified, copied off, recorded). */
  | { readonly type: 'snapshotEtcd'; readonly context: string | null; readonly node: string }
  /** The etcd restore procedure for the whole cluster from the listed snapshot with this sha256 (one confirmation). */
  | { readonly type: 'restoreEtcd'; readonly context: string | null; readonly sha256: string }
  | { readonly type: 'runOnNode'; readonly step: string; readonly command: string };

/** The id a recovery step's Run button carries: node, backup run and step, unique within a backups view. */
export function stepKey(node: string, runId: string, stepId: string): string {
  return `${node}/${runId}/${stepId}`;
}

/** The id of a restore step of an etcd snapshot this extension took (the snapshot named by its sha256). */
export function snapshotStepKey(node: string, sha256: string, stepId: string): string {
  return stepKey(node, `etcd-snapshot-${sha256}`, stepId);
}

/** The id of the "take an etcd snapshot first" command of a backups view with nothing in it yet. */
export function firstSnapshotKey(node: string): string {
  return stepKey(node, 'before-upgrade', 'etcd-snapshot');
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === 'string';
const strOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const strArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(str);

export function isViewModel(v: unknown): v is ViewModel {
  if (!isObj(v)) return false;
  switch (v.kind) {
    case 'plan':
      return isObj(v.header) && isObj(v.source) && Array.isArray(v.cards) && Array.isArray(v.configRows) && Array.isArray(v.diagnostics) && str(v.raw);
    case 'backups':
      return strOrNull(v.context) && Array.isArray(v.nodes) && Array.isArray(v.rolledBack) && Array.isArray(v.notRolledBack);
    case 'running':
      return str(v.title) && str(v.command) && str(v.output) && strOrNull(v.context) && strOrNull(v.node);
    case 'readiness':
      return strOrNull(v.context) && str(v.target) && typeof v.running === 'boolean' && isObj(v.counts) && Array.isArray(v.groups);
    case 'otherCluster':
      return (v.slot === 'plan' || v.slot === 'backups' || v.slot === 'readiness') && str(v.context) && str(v.text);
    default:
      return false;
  }
}

export function isWebviewState(v: unknown): v is WebviewState {
  return isObj(v) && isViewModel(v.view);
}

export function isHostMessage(v: unknown): v is HostMessage {
  if (!isObj(v)) return false;
  switch (v.type) {
    case 'show':
      return isViewModel(v.view);
    case 'append':
      return str(v.text);
    case 'notice':
      return (v.level === 'info' || v.level === 'error') && str(v.text);
    default:
      return false;
  }
}

export function isWebviewMessage(v: unknown): v is WebviewMessage {
  if (!isObj(v)) return false;
  switch (v.type) {
    case 'ready':
    case 'refresh':
      return true;
    case 'copy':
      return str(v.text);
    case 'runInTerminal':
    case 'runOnNode':
      return str(v.step) && str(v.command);
    case 'upgradeNode':
      return strOrNull(v.context) && strOrNull(v.node) && str(v.target);
    case 'showBackups':
      return strOrNull(v.context) && strOrNull(v.node);
    case 'cleanup':
      return strOrNull(v.context) && str(v.node) && strArray(v.paths);
    case 'snapshotEtcd':
      return strOrNull(v.context) && str(v.node);
    case 'restoreEtcd':
      return strOrNull(v.context) && str(v.sha256) && /^[0-9a-f]{64}$/.test(v.sha256);
    default:
      return false;
  }
}

/** Every command a view offers to run, so the host only runs what it showed (never text a webview made up). */
export function offeredCommands(view: ViewModel): Set<string> {
  const out = new Set<string>();
  if (view.kind === 'plan') {
    for (const c of view.cards) if (c.applyCommand) out.add(c.applyCommand);
  } else if (view.kind === 'backups') {
    for (const n of view.nodes) for (const r of n.runs) for (const s of r.steps) if (s.command) out.add(s.command);
  }
  return out;
}
