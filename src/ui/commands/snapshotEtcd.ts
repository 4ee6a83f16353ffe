import * as vscode from 'vscode';
import { SnapshotError } from '../../core/etcd/snapshot';
import { snapshotFolder, takeEtcdSnapshot } from '../upgrade/readinessDeps';
import type { Services } from '../services';
import { commandTarget, pickCluster, pickControlPlaneNode } from './nodePickers';

/** Kubeadm: Snapshot etcd — a verified snapshot from a control plane, copied into the snapshot folder with its sha256. */
export function snapshotEtcdCommand(services: Services, globalStorage: string) {
  return async (arg?: unknown) => {
    const preset = commandTarget(arg);
    const cluster = await pickCluster(services, preset.context, 'Kubeadm: Snapshot etcd');
    if (!cluster) return;
    const node = await pickControlPlaneNode(cluster, preset.node, 'Snapshot etcd on which control plane?');
    if (!node) return;
    const outDir = snapshotFolder(globalStorage);
    try {
      const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Kubeadm: etcd snapshot on ${node.name}` }, (p) =>
        takeEtcdSnapshot(services, cluster.contextName, node, outDir, (s) => p.report({ message: s })),
      );
      if (outcome.kind === 'external') {
        void vscode.window.showInformationMessage(`Kubeadm: ${outcome.note}`, { modal: true });
        return;
      }
      const r = outcome.record;
      services.log.appendLine(`[etcd-snapshot] ${r.node}: ${r.localPath} sha256 ${r.sha256} revision ${r.status.revision} keys ${r.status.totalKey}`);
      const pick = await vscode.window.showInformationMessage(
        `Kubeadm: etcd snapshot saved (${(r.status.totalSize / 1024 ** 2).toFixed(1)} MiB, revision ${r.status.revision}, ${r.status.totalKey} keys).`,
        { detail: `${r.localPath}\nsha256 ${r.sha256}\nAlso kept on ${r.node}: ${r.remotePath}` },
        'Show Backups',
        'Reveal File',
      );
      if (pick === 'Show Backups') await vscode.commands.executeCommand('kubeadm.showBackups', { context: cluster.contextName, node: node.name });
      if (pick === 'Reveal File') await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(r.localPath));
    } catch (e) {
      void vscode.window.showErrorMessage(`Kubeadm: etcd snapshot failed: ${e instanceof SnapshotError || e instanceof Error ? e.message : String(e)}`);
    }
  };
}
