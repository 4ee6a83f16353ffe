import type * as vscode from 'vscode';
import { versionsKey } from '../../core/clusterPanel/readiness';
import type { PlanViewModel } from '../../core/clusterPanel/model';
import type { ExecutionServices } from './hostServices';
import type { ClusterPanel } from './clusterPanel';

/**
 * Marks a plan view stale (with Re-run) once its cluster's versions differ from those it was made against — e.g.
 * after a node was upgraded. Stops listening when the panel closes or shows another view.
 */
export function markStaleOnChange(services: ExecutionServices, panel: ClusterPanel, view: PlanViewModel): void {
  const context = view.source.context;
  if (!context || view.versions === null) return;
  const onClose: vscode.Disposable[] = [];
  const stop = () => {
    unsubscribe();
    onClose.forEach((d) => d.dispose());
  };
  const unsubscribe = services.store.onDidChange((changed) => {
    if (changed !== undefined && changed !== context) return;
    const current = panel.currentView;
    if (current?.kind !== 'plan' || current.source.at !== view.source.at) return stop();
    const snapshot = services.store.get(context)?.snapshot;
    if (!snapshot || versionsKey(snapshot) === view.versions) return;
    panel.setView({ ...current, stale: true });
    stop();
  });
  onClose.push(panel.onDidDispose(stop));
}
