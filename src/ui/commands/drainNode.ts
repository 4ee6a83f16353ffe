import * as vscode from 'vscode';
import { KubeDrainApi } from '../../adapters/k8s/drain';
import { auditedDrainApi } from '../../adapters/storage/audited';
import { drainNode as runDrain, previewDrain } from '../../core/drain';
import { drainOptionsFrom } from '../../core/drain/settings';
import { goAheadDespiteLock } from '../lockCheck';
import type { Services } from '../services';
import { readSettings } from '../settings';
import { drainPreviewLines } from '../../core/upgrade/drainPreview';
import { confirmDrain } from '../confirmDrain';
import type { CommandSpec } from './command';
import type { NodeRef } from './nodePickers';

/**
 * Kubeadm: Drain Node… — shows first what the drain will do (kubectl's filter verdicts, and which PDBs will block
 * and why), asks, then cordons and evicts with per-pod progress. Nothing is evicted when a filter refuses a pod.
 */
export function drainNodeCommand(services: Services): CommandSpec<NodeRef> {
  return {
    id: 'kubeadm.drainNode',
    resolve: (c) => c.node(),
    failure: (ref) => `drain of ${ref.node.name} failed`,
    run: (ref) => drain(services, ref),
  };
}

async function drain(services: Services, ref: NodeRef): Promise<void> {
  const ctx = services.loader.context(ref.cluster.contextName);
  if (!ctx) return;
  const node = ref.node.name;
  if (!(await goAheadDespiteLock(services, ref.cluster.contextName, node, `Drain of ${node}`))) return;
  // Every cordon, eviction and deletion gets an audit line.
  const api = auditedDrainApi(new KubeDrainApi(ctx.config), (e) => services.upgrades.audit.append(e), { cluster: ref.cluster.contextName, node, where: `API ${ctx.server ?? ''}` });
  const d = readSettings().upgrade.drain;
  const options = drainOptionsFrom(d);
  const preview = await previewDrain(api, node, options);
  const lines = drainPreviewLines(preview, node, d);
  if (preview.plan.errors.length > 0) {
    void vscode.window.showErrorMessage(`Kubeadm: cannot drain ${node}.`, { modal: true, detail: `${lines.join('\n')}\n\nChange kubeadm.drain.force / kubeadm.drain.deleteEmptyDirData to allow these pods.` });
    return;
  }
  if (!(await confirmDrain(services.docs, { node, question: `Drain ${node} (${ref.cluster.contextName})?`, detail: lines.join('\n'), preview, run: 'Drain' }))) return;
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Draining ${node}`, cancellable: true }, (progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    return runDrain(api, node, options, {
      signal: abort.signal,
      onEvent: (e) => {
        services.log.appendLine(`[drain ${node}] ${e.message}`);
        progress.report({ message: e.message });
      },
    });
  });
  void services.store.refresh(ref.cluster.contextName);
  if (result.ok) void vscode.window.showInformationMessage(`Kubeadm: ${result.message}`);
  else void vscode.window.showErrorMessage(`Kubeadm: ${result.message}`, { modal: true, detail: [...result.errors, ...result.blockedBy.map((b) => b.reason), `${node} stays cordoned.`].join('\n') });
}
