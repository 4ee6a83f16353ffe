import * as vscode from 'vscode';
import { runReadiness, summaryText, type ReadinessReport } from '../../core/readiness';
import { readinessViewModel } from '../../core/readiness/viewModel';
import { formatVersion, parseVersion } from '../../core/version';
import type { NodeAccess } from '../../core/exec/nodeAccess';
import { readinessDeps } from '../upgrade/readinessDeps';
import type { ExecutionServices } from '../webview/hostServices';
import { messageHandler } from '../webview/messageHandler';
import { ClusterPanel } from '../webview/clusterPanel';
import type { CommandSpec } from './command';
import type { ClusterState } from '../../core/clusterStore';

/** Asks for the target when none was given: the setting kubeadm.targetVersion, else an input box. */
export async function askTarget(preset: string | undefined): Promise<string | undefined> {
  const setting = vscode.workspace.getConfiguration('kubeadm').get<string>('targetVersion', '').trim();
  const given = preset ?? (setting || undefined);
  if (given && parseVersion(given)) return formatVersion(parseVersion(given)!);
  const text = await vscode.window.showInputBox({
    title: 'Kubeadm: Check Upgrade Readiness — target version',
    placeHolder: 'v1.36.3',
    validateInput: (v) => (/^v?\d+\.\d+\.\d+$/.test(v.trim()) ? undefined : 'Enter a full version, e.g. v1.36.3'),
  });
  return text ? formatVersion(parseVersion(text.trim())!) : undefined;
}

/** Runs the report with a panel that shows "running", then the results. Returns the report (undefined on failure). */
export async function showReadiness(services: ExecutionServices, extensionUri: vscode.Uri, nodes: NodeAccess, target: string, onReport?: (contextName: string, report: ReadinessReport, clusterKey?: string) => void): Promise<ReadinessReport | undefined> {
  const contextName = nodes.cluster;
  // The cluster the report is made on: its note and problems are shown for that cluster only.
  const clusterKey = services.store.keyOf(contextName);
  const panel = ClusterPanel.show(extensionUri, readinessViewModel(contextName, target, null, true), messageHandler(services));
  try {
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Kubeadm: checking upgrade readiness of ${contextName}` },
      () => runReadiness(readinessDeps(services, nodes), parseVersion(target)!),
    );
    panel.setView(readinessViewModel(contextName, target, report));
    onReport?.(contextName, report, clusterKey);
    services.log.appendLine(`[readiness] ${contextName} → ${target}: ${summaryText(report)}`);
    return report;
  } catch (e) {
    panel.setView(readinessViewModel(contextName, target, null, false, e instanceof Error ? e.message : String(e)));
    return undefined;
  }
}

/** Kubeadm: Check Upgrade Readiness… (cluster item, palette; `{context, target}` from the panel's Re-run). */
export function checkReadiness(services: ExecutionServices, extensionUri: vscode.Uri, onReport?: (contextName: string, report: ReadinessReport, clusterKey?: string) => void): CommandSpec<ClusterState> {
  return {
    id: 'kubeadm.checkReadiness',
    resolve: (c) => c.cluster('Kubeadm: Check Upgrade Readiness'),
    run: async (cluster, c) => {
      const target = await askTarget(c.target.version);
      if (!target) return;
      await showReadiness(services, extensionUri, services.access.nodes(cluster.contextName), target, onReport);
    },
  };
}
