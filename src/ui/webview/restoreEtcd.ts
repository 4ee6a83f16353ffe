import * as vscode from 'vscode';
import type { ViewModel, WebviewMessage } from '../../core/clusterPanel/protocol';
import { isExternalEtcd } from '../../core/etcd/commands';
import { externalEndpoints, readEtcdMembers, restoreStamp } from '../../core/etcd/restoreInputs';
import { buildRestorePlan, planSteps } from '../../core/etcd/restorePlan';
import { runRestorePlan } from '../../core/etcd/restoreRun';
import { renderRestoreOutcome, renderRestorePlan } from '../../core/etcd/restoreText';
import { readinessDeps } from '../upgrade/readinessDeps';
import type { ExecutionServices } from './hostServices';

type RestoreMessage = Extract<WebviewMessage, { type: 'restoreEtcd' }>;

/**
 * "Restore the cluster from this snapshot…" in Backups and Recovery: the same procedure as `kubeadm-upgrade
 * restore-etcd` (src/core/etcd/restorePlan.ts). Only a snapshot the view listed, whose local file still has its
 * sha256. The procedure for this cluster's topology is built from every control plane's etcd manifest and opened in
 * an editor (every command there to read and copy); ONE modal confirmation; then node by node through each node's
 * executor, audited, with progress in the notification and the output in the "Kubeadm" channel. External etcd: the
 * steps only (Copy), nothing is run.
 */
export async function restoreEtcdFromView(services: ExecutionServices, message: RestoreMessage, view: ViewModel | undefined): Promise<void> {
  const snap = view?.kind === 'backups' && view.context === message.context ? view.etcdSnapshots?.find((s) => s.record.sha256 === message.sha256) : undefined;
  if (!snap || !message.context) {
    void vscode.window.showErrorMessage('Kubeadm: this snapshot is not one the view listed; nothing was run.');
    return;
  }
  if (snap.localIntact !== true) {
    void vscode.window.showErrorMessage(`Kubeadm: ${snap.record.localPath} is ${snap.localIntact === null ? 'gone' : 'no longer the file that was recorded (sha256 differs)'}; nothing was run.`);
    return;
  }
  const contextName = message.context;
  const cluster = services.store.get(contextName)?.snapshot;
  if (!cluster) {
    void vscode.window.showErrorMessage(`Kubeadm: ${contextName} is not loaded (refresh the Kubeadm view).`);
    return;
  }
  const access = services.access.nodes(contextName);
  const byName = new Map(cluster.nodes.map((n) => [n.name, n]));
  const executorFor = (name: string) => access.executorFor(byName.get(name)!);
  const cps = cluster.nodes.filter((n) => n.controlPlane).map((n) => n.name);
  const workers = cluster.nodes.filter((n) => !n.controlPlane).map((n) => n.name);
  const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Kubeadm: reading the etcd members of ${contextName}` }, async () => {
    const config = await readinessDeps(services, access, 'etcd-restore').api.configMap('kube-system', 'kubeadm-config').catch(() => undefined);
    const cc = config?.['ClusterConfiguration'];
    const external = isExternalEtcd(cc);
    return buildRestorePlan({
      cluster: contextName,
      snapshot: { fileName: snap.record.remotePath.split('/').pop()!, sha256: snap.record.sha256, localPath: snap.record.localPath },
      controlPlanes: cps,
      members: external ? [] : await readEtcdMembers(cps, executorFor),
      workers,
      external,
      externalEndpoints: externalEndpoints(cc),
      stamp: restoreStamp(new Date()),
    });
  });
  const doc = await vscode.workspace.openTextDocument({ content: renderRestorePlan(plan), language: 'shellscript' });
  await vscode.window.showTextDocument(doc, { preview: false });
  if (!plan.runnable) {
    void vscode.window.showInformationMessage('Kubeadm: this cluster uses external etcd. The restore steps are in the editor for your own tooling; nothing was run.');
    return;
  }
  const ok = await vscode.window.showWarningMessage(
    `Restore etcd of ${contextName} from this snapshot on ${plan.controlPlanes.join(', ')}?`,
    {
      modal: true,
      detail:
        `Taken on ${snap.record.node} at ${snap.record.takenAt} (revision ${snap.record.status.revision}). Every kube-apiserver and etcd member of the cluster is stopped, ` +
        `every member is restored from this one file, then everything is started again: ${planSteps(plan).length} steps, shown in the editor, run as root through each node's executor and audited. ` +
        'Everything written to the cluster after the snapshot was taken is lost.',
    },
    'Restore',
  );
  if (ok !== 'Restore') return;
  services.log.appendLine(`[etcd-restore] ${contextName}: restoring from ${snap.record.localPath} (run restore-${plan.stamp})`);
  services.log.show(true);
  const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Kubeadm: restoring etcd of ${contextName}` }, (p) =>
    runRestorePlan(plan, {
      executorFor,
      upload: async (_node, ex, local, remote, onBytes) => {
        if (!ex.writeFile) throw new Error(`${ex.description} cannot copy files`);
        await ex.writeFile(local, remote, onBytes);
      },
      audit: (e) => services.upgrades.audit.append(e),
      progress: (e) => {
        if (e.type === 'step') {
          p.report({ message: `${e.index + 1}/${e.total} ${e.step.node}: ${e.step.title}`, increment: 100 / e.total });
          services.log.appendLine(`==> ${e.index + 1}/${e.total} [${e.step.node}] ${e.step.title}`);
        } else if (e.type === 'output') services.log.append(e.text);
        else {
          p.report({ message: e.text });
          services.log.appendLine(e.text);
        }
      },
      now: () => new Date(),
    }),
  );
  const text = renderRestoreOutcome(plan, outcome);
  services.log.appendLine(text);
  if (outcome.ok) void vscode.window.showInformationMessage(`Kubeadm: ${text.split('\n')[0]}`);
  else void vscode.window.showErrorMessage(`Kubeadm: ${text.split('\n')[0]}`, { modal: true, detail: text.split('\n').slice(1).join('\n') });
}
