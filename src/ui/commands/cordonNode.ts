import * as vscode from 'vscode';
import { KubeDrainApi } from '../../adapters/k8s/drain';
import { auditedDrainApi } from '../../adapters/storage/audited';
import { setCordon } from '../../core/drain';
import { resolveNode, type NodeArg } from '../pickNode';
import type { Services } from '../services';

/** Kubeadm: Cordon Node / Uncordon Node — kubectl's cordon and uncordon (no request when already in that state). */
export function setCordonCommand(services: Services, unschedulable: boolean) {
  return async (arg?: NodeArg) => {
    const ref = await resolveNode(services, arg, (n) => n.unschedulable !== unschedulable);
    if (!ref) return;
    const ctx = services.loader.context(ref.cluster.contextName);
    if (!ctx) return;
    try {
      const api = auditedDrainApi(new KubeDrainApi(ctx.config), (e) => services.upgrades.audit.append(e), { cluster: ref.cluster.contextName, node: ref.node.name, where: `API ${ctx.server ?? ''}` });
      const r = await setCordon(api, ref.node.name, unschedulable);
      void services.store.refresh(ref.cluster.contextName);
      void vscode.window.showInformationMessage(`Kubeadm: ${r.message}`);
    } catch (e) {
      void vscode.window.showErrorMessage(`Kubeadm: ${unschedulable ? 'cordon' : 'uncordon'} of ${ref.node.name} failed: ${(e as Error).message}`);
    }
  };
}
