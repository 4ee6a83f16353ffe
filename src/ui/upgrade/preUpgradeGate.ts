import * as vscode from 'vscode';
import { SnapshotError } from '../../core/etcd/snapshot';
import { blockersForNode, type CheckId, type ReadinessReport } from '../../core/readiness';
import type { ClusterState } from '../../core/clusterStore';
import type { NodeAccess } from '../../core/exec/nodeAccess';
import type { NodeSnapshot } from '../../core/snapshot/model';
import type { UpgradeContext } from '../../core/upgrade/phases';
import { formatVersion } from '../../core/version';
import type { Services } from '../services';
import { auditCommand, takeEtcdSnapshot } from './readinessDeps';

/**
 * Before Upgrade Node starts: the readiness report (blockers stop the upgrade unless the user overrides those check
 * ids, each override audited) and, before `kubeadm upgrade apply` on the first control plane, an etcd snapshot (a
 * failure stops the upgrade unless the user explicitly goes on without one, audited). Registered by the extension;
 * prepareUpgrade calls it just before its final "Start Upgrade?" question.
 */
export interface GateDeps {
  readonly services: Services;
  showReadiness(nodes: NodeAccess, target: string): Promise<ReadinessReport | undefined>;
  snapshotDir(): string;
}

let gateDeps: GateDeps | undefined;

export function registerPreUpgradeGate(deps: GateDeps): vscode.Disposable {
  gateDeps = deps;
  return { dispose: () => (gateDeps = undefined) };
}

/** True when the upgrade may start. */
export async function preUpgradeGate(cluster: ClusterState, node: NodeSnapshot, ctx: UpgradeContext, nodes: NodeAccess): Promise<boolean> {
  const g = gateDeps;
  if (!g) return true;
  const target = formatVersion(ctx.target);
  const offer = await vscode.window.showInformationMessage(
    `Check upgrade readiness of ${cluster.contextName} for ${target} before upgrading ${node.name}?`,
    { modal: true, detail: 'Nodes, control plane, etcd, PDBs, webhooks, deprecated APIs, certificates, node access, repositories, swap/cgroup, skew. Read-only.' },
    'Check Readiness',
    'Skip',
  );
  if (offer === undefined) return false;
  if (offer === 'Skip') auditCommand(g.services, cluster.contextName, node.name, 'readiness-skipped', `readiness check skipped before upgrading ${node.name} to ${target}`, null, 'user');
  else if (!(await readinessAllows(g, nodes, node.name, target))) return false;
  if (ctx.role === 'first-control-plane') return snapshotAllows(g, nodes, node);
  return true;
}

async function readinessAllows(g: GateDeps, nodes: NodeAccess, nodeName: string, target: string): Promise<boolean> {
  const contextName = nodes.cluster;
  const report = await g.showReadiness(nodes, target);
  if (!report) {
    const go = await vscode.window.showWarningMessage('Kubeadm: the readiness report could not be made. Upgrade anyway?', { modal: true }, 'Upgrade Anyway');
    if (go) auditCommand(g.services, contextName, nodeName, 'readiness-override', 'readiness report failed; user went on', null, 'user');
    return go === 'Upgrade Anyway';
  }
  // Another node's own matter (unreachable, its repository, its drain) is shown in the report, not a reason to stop here.
  const blockers = blockersForNode(report, nodeName).blocking;
  if (blockers.length === 0) return true;
  const ids = [...new Set(blockers.map((b) => b.id))];
  // The first button is the dialog's default (Enter): not upgrading is the default; overriding is a deliberate choice.
  const pick = await vscode.window.showErrorMessage(
    `Kubeadm: ${blockers.length} blocker(s) for ${target}: ${ids.join(', ')}.`,
    { modal: true, detail: blockers.slice(0, 12).map((b) => `• [${b.id}]${b.node ? ` ${b.node}` : ''} ${b.message}`).join('\n') },
    'Cancel Upgrade',
    'Override…',
  );
  if (pick !== 'Override…') return false;
  const chosen = await vscode.window.showQuickPick(
    ids.map((id) => ({ label: id, description: `${blockers.filter((b) => b.id === id).length} blocker(s)`, picked: false })),
    { canPickMany: true, title: 'Override which checks? (each is recorded in the audit log)' },
  );
  const overridden = (chosen ?? []).map((c) => c.label as CheckId);
  for (const id of overridden) auditCommand(g.services, contextName, nodeName, 'readiness-override', `override blocker check ${id} for ${target}`, null, 'user');
  return blockersForNode(report, nodeName, overridden).blocking.length === 0;
}

async function snapshotAllows(g: GateDeps, nodes: NodeAccess, node: NodeSnapshot): Promise<boolean> {
  const contextName = nodes.cluster;
  try {
    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Kubeadm: etcd snapshot on ${node.name} before kubeadm upgrade apply` }, (p) =>
      takeEtcdSnapshot(g.services, nodes, node, g.snapshotDir(), (s) => p.report({ message: s })),
    );
    if (outcome.kind === 'external') void vscode.window.showInformationMessage(`Kubeadm: ${outcome.note}`);
    else g.services.log.appendLine(`[etcd-snapshot] before apply: ${outcome.record.localPath} sha256 ${outcome.record.sha256}`);
    return true;
  } catch (e) {
    const reason = e instanceof SnapshotError || e instanceof Error ? e.message : String(e);
    const go = await vscode.window.showErrorMessage(`Kubeadm: the etcd snapshot failed, so the upgrade stops here.`, { modal: true, detail: reason }, 'Continue Without Snapshot');
    if (go) auditCommand(g.services, contextName, node.name, 'etcd-snapshot-override', `upgrade continued without an etcd snapshot: ${reason}`, null, 'user');
    return go === 'Continue Without Snapshot';
  }
}
