import * as vscode from 'vscode';
import type { ClusterState } from '../../core/clusterStore';
import type { NodeSnapshot } from '../../core/snapshot/model';
import { snapshotFolder, takeEtcdSnapshot } from '../upgrade/readinessDeps';
import type { Services } from '../services';
import type { CommandSpec } from './command';
import { runOwnCommand } from './register';

/** Kubeadm: Snapshot etcd — a verified snapshot from a control plane, copied into the snapshot folder with its sha256. */
export function snapshotEtcdCommand(services: Services, globalStorage: string): CommandSpec<{ cluster: ClusterState; node: NodeSnapshot }> {
  return {
    id: 'kubeadm.snapshotEtcd',
    resolve: async (c) => {
      const cluster = await c.cluster('Kubeadm: Snapshot etcd');
      const node = cluster && (await c.controlPlane(cluster, 'Snapshot etcd on which control plane?'));
      return cluster && node ? { cluster, node } : undefined;
    },
    failure: () => 'etcd snapshot failed',
    run: async ({ cluster, node }) => {
      const outDir = snapshotFolder(globalStorage);
      const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Kubeadm: etcd snapshot on ${node.name}` }, (p) =>
        takeEtcdSnapshot(services, services.access.nodes(cluster.contextName), node, outDir, (s) => p.report({ message: s })),
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
      if (pick === 'Show Backups') await runOwnCommand('kubeadm.showBackups', { context: cluster.contextName, node: node.name });
      if (pick === 'Reveal File') await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(r.localPath));
    },
  };
}
