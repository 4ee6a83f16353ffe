import type * as vscode from 'vscode';
import type { Services } from '../services';
import { loadBackups } from './backupsLoader';
import type { ExecutionServices } from './hostServices';
import { ClusterPanel } from './clusterPanel';

/**
 * An upgrade writes new kubeadm-backup-* folders: when the last run on the cluster of an open Backups view ends,
 * the view reads the backups again (a run that fails half-way is exactly when they matter).
 */
export function refreshBackupsAfterRuns(services: Services, execution: ExecutionServices): vscode.Disposable {
  let wasRunning = new Set<string>();
  return services.upgrades.onDidChange(() => {
    const panel = ClusterPanel.current('backups');
    const view = panel?.currentView;
    const running = new Set(
      services.store
        .list()
        .filter((c) => (c.snapshot?.nodes ?? []).some((n) => services.upgrades.isRunning(c.contextName, n.name)))
        .map((c) => c.contextName),
    );
    const ended = [...wasRunning].filter((c) => !running.has(c));
    wasRunning = running;
    if (!panel || view?.kind !== 'backups' || !view.context || !ended.includes(view.context)) return;
    const only = view.nodes.length === 1 ? view.nodes[0]!.node : null;
    panel.notice('info', 'An upgrade run ended: reading the backups again…');
    void loadBackups(execution, view.context, only).then((v) => panel.setView(v));
  });
}
