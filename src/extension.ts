import * as path from 'node:path';
import * as vscode from 'vscode';
import { AuditLog } from './adapters/storage/auditLog';
import { RunStore } from './adapters/storage/runStore';
import { ClusterStore } from './core/clusterStore';
import { countBySeverity } from './core/skew';
import { treeNote, type ReadinessReport } from './core/readiness';
import { ClusterLoader } from './ui/clusterLoader';
import { chooseExecution } from './ui/commands/chooseExecution';
import { chooseKubeconfig } from './ui/commands/chooseKubeconfig';
import { copyFindings } from './ui/commands/copyFindings';
import { setCordonCommand } from './ui/commands/cordonNode';
import { drainNodeCommand } from './ui/commands/drainNode';
import { openKubeconfig } from './ui/commands/openKubeconfig';
import { previewUpgrade } from './ui/commands/previewUpgrade';
import { refresh } from './ui/commands/refresh';
import { resumeUpgrade } from './ui/commands/resumeUpgrade';
import { setTargetVersion } from './ui/commands/setTargetVersion';
import { showAuditLog } from './ui/commands/showAuditLog';
import { showRecoverySteps, showWhatHappenedCommand } from './ui/commands/showRecoverySteps';
import { upgradeNode } from './ui/commands/upgradeNode';
import { ExtensionClusterAccess } from './ui/clusterAccess';
import { openPlanOutput } from './ui/commands/openPlanOutput';
import { planUpgrade } from './ui/commands/planUpgrade';
import { showBackups } from './ui/commands/showBackups';
import { checkReadiness, showReadiness } from './ui/commands/checkReadiness';
import { snapshotEtcdCommand } from './ui/commands/snapshotEtcd';
import { registerPreUpgradeGate } from './ui/upgrade/preUpgradeGate';
import { localEtcdSnapshots, snapshotFolder } from './ui/upgrade/readinessDeps';
import { executionServices } from './ui/webview/hostServices';
import { registerClusterPanelSerializer } from './ui/webview/serializer';
import { refreshBackupsAfterRuns } from './ui/webview/backupsRefresh';
import type { Services } from './ui/services';
import { ClusterTreeProvider } from './ui/tree/clusterTreeProvider';
import { publishProblems, readinessProblems } from './ui/problems';
import { workspaceApiProblems } from './ui/workspaceApis';
import { persistKubeadmVersions } from './ui/kubeadmVersions';
import { VirtualDocs } from './ui/virtualDocs';
import { registerFirstSteps } from './ui/firstSteps';
import { onLoaderSettingsChange } from './ui/settingsWatch';
import { UpgradeService } from './ui/upgrade/upgradeService';
import { commandRegistrar } from './ui/commands/register';
import { ClusterRunStore } from './adapters/storage/clusterRunStore';
import { ClusterRuns } from './ui/clusterUpgrade/clusterRuns';
import { upgradeCluster } from './ui/commands/upgradeCluster';
import { resumeClusterUpgrade } from './ui/commands/resumeClusterUpgrade';
import { ClusterPanel } from './ui/webview/clusterPanel';
import { ClusterUpgradePanel } from './ui/webview/clusterUpgradePanel';
import type { ViewModel } from './core/clusterPanel/protocol';
import { skippedRecordWarning } from './ui/skippedRecords';
import { ResultsByCluster } from './core/identity/resultsByCluster';
import { shownReadinessNote, type ReadinessNote } from './core/readiness/treeNoteAge';
import { versionsKey } from './core/clusterPanel/readiness';
import { registerKubernetesExtension } from './ui/k8sExtension/integration';

export const VIEW_ID = 'kubeadmClusters';

/**
 * What activate() returns: the services, and what the plan view shows now (the model its webview renders), so a
 * test in the extension host asserts on what the Plan Upgrade command rendered, not on a plan of its own.
 */
export interface ExtensionApi {
  readonly services: Services;
  readonly shownPlanView: () => ViewModel | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const log = vscode.window.createOutputChannel('Kubeadm Upgrade');
  const store = new ClusterStore();
  const loader = new ClusterLoader(store, log);
  // Runs live in workspace storage (resume belongs to the workspace); the audit log is global, one file.
  const audit = new AuditLog(path.join(context.globalStorageUri.fsPath, 'audit.jsonl'));
  const access = new ExtensionClusterAccess(loader, (entry) => audit.append(entry));
  const runsDir = path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'runs');
  const upgrades = new UpgradeService(new RunStore(runsDir, (file, reason) => log.appendLine(`Skipped run file ${file}: ${reason}`)), audit, access, log);
  const services: Services = { store, loader, log, upgrades, access };
  const clusterRuns = new ClusterRuns(new ClusterRunStore(path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'cluster-runs'), (file, reason) => log.appendLine(`Skipped cluster run file ${file}: ${reason}`)), services, () => snapshotFolder(context.globalStorageUri.fsPath));
  services.clusterRuns = clusterRuns;
  upgrades.onRunEnded = (run) => clusterRuns.nodeRunEnded(run);
  ClusterUpgradePanel.keyOf = (ctxName) => store.keyOf(ctxName);
  const planServices = {
    ...executionServices(services, upgrades.audit),
    etcdSnapshotsFor: (ctxName: string) => localEtcdSnapshots(snapshotFolder(context.globalStorageUri.fsPath), ctxName, skippedRecordWarning(log, 'etcd snapshot record'), store.keyOf(ctxName)),
  };
  const docs = new VirtualDocs();
  services.docs = docs;
  upgrades.docs = docs;
  // The last readiness report's note, for the cluster it was made on (never another one behind the same context name).
  const readinessNotes = new ResultsByCluster<ReadinessNote>((ctxName) => store.keyOf(ctxName));
  const provider = new ClusterTreeProvider(
    store,
    // A run's label only under a context that reaches the run's cluster.
    (cluster, node) => clusterRuns.labelFor(cluster, node, store.keyOf(cluster)) ?? upgrades.labelFor(cluster, node, store.keyOf(cluster)),
    (ctxName) => {
      const note = readinessNotes.get(ctxName);
      const readiness = note ? shownReadinessNote(note, versionsKey(store.get(ctxName)?.snapshot)) : undefined;
      // Said in the tree too, not only in a notification: the other file's cluster is not shown (kubectl's merge rule).
      return [clusterRuns.noteFor(ctxName, store.keyOf(ctxName)), readiness, loader.shadowedNote(ctxName)].filter(Boolean).join(' · ') || undefined;
    },
  );
  const readinessDiagnostics = readinessProblems(docs, store);
  const workspaceApis = workspaceApiProblems();
  context.subscriptions.push(workspaceApis);
  const onReport = (ctxName: string, report: ReadinessReport, clusterKey?: string) => {
    readinessNotes.set(ctxName, { text: treeNote(report), at: new Date(), versions: versionsKey(store.get(ctxName)?.snapshot) }, clusterKey);
    readinessDiagnostics.publish(ctxName, report, clusterKey);
    void workspaceApis.check(report.target).catch((e: unknown) => log.appendLine(`[readiness] workspace YAML not checked: ${e instanceof Error ? e.message : String(e)}`));
    provider.refresh();
  };
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });

  // The view's badge counts unsupported components across clusters, so a problem shows even when collapsed.
  const unsubscribeBadge = store.onDidChange(() => {
    const errors = store.list().reduce((n, c) => n + countBySeverity(c.findings).error, 0);
    view.badge = errors > 0 ? { value: errors, tooltip: `${errors} version-skew error(s)` } : undefined;
  });

  // Every command goes through the one wrapper: its argument read once, its failure reported (ui/commands/command.ts).
  const register = commandRegistrar(store);
  context.subscriptions.push(
    log,
    provider,
    view,
    loader,
    access,
    upgrades,
    upgrades.onDidChange(() => provider.refresh()),
    clusterRuns,
    clusterRuns.onDidChange(() => provider.refresh()),
    { dispose: store.onDidChange(() => ClusterUpgradePanel.refreshAll()) },
    register(upgradeCluster(services)),
    register(resumeClusterUpgrade(services)),
    { dispose: unsubscribeBadge },
    docs,
    readinessDiagnostics,
    publishProblems(store, docs),
    refreshBackupsAfterRuns(services, planServices),
    persistKubeadmVersions(store, context.globalState),
    { dispose: () => store.dispose() },
    register(refresh(services)),
    register(openKubeconfig(services)),
    register(chooseKubeconfig()),
    register(chooseExecution()),
    register(setTargetVersion(services)),
    register(copyFindings(services)),
    register(upgradeNode(services)),
    register(previewUpgrade(services, docs)),
    register(resumeUpgrade(services)),
    register(showRecoverySteps(services)),
    register(showWhatHappenedCommand(services)),
    register(showAuditLog(services, docs)),
    register(drainNodeCommand(services)),
    register(setCordonCommand(services, true)),
    register(setCordonCommand(services, false)),
    register(planUpgrade(planServices, context.extensionUri)),
    register(openPlanOutput(planServices, context.extensionUri)),
    register(showBackups(planServices, context.extensionUri)),
    registerClusterPanelSerializer(context.extensionUri, planServices, context.workspaceState),
    ClusterPanel.useClusters(store),
    register(checkReadiness(planServices, context.extensionUri, onReport)),
    register(snapshotEtcdCommand(services, context.globalStorageUri.fsPath)),
    registerPreUpgradeGate({
      services,
      showReadiness: (nodes, target) => showReadiness(planServices, context.extensionUri, nodes, target, onReport),
      snapshotDir: () => snapshotFolder(context.globalStorageUri.fsPath),
    }),
    onLoaderSettingsChange(() => void loader.load()),
    registerFirstSteps(context.globalState),
    registerKubernetesExtension(store, log),
  );
  // `npm run demo` (and the e2e runs) open an empty workspace and want the view in front: expanded and focused.
  if (process.env.KUBEADM_UPGRADE_FOCUS_VIEW === '1') void vscode.commands.executeCommand(`${VIEW_ID}.focus`);
  void upgrades.restore();
  void clusterRuns.reopenInterrupted();
  // Not awaited: an unreachable cluster must not hold up activation; the tree shows "Loading…" meanwhile.
  void loader.load().catch((e: unknown) => log.appendLine(`load failed: ${String(e)}`));
  return { services, shownPlanView: () => ClusterPanel.current('plan')?.currentView };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
