import * as vscode from 'vscode';
import type { NodeExecutor, RunResult } from '../../core/exec/executor';
import { parsePlan } from '../../core/plan';
import { planViewModel } from '../../core/clusterPanel/build';
import { HAS_ADMIN_CONF_COMMAND, KUBEADM_VERSION_COMMAND, planCommand, rejectedOutputFlag, supportsJsonPlan } from '../../core/upgrade/planCommand';
import type { ClusterState } from '../../core/clusterStore';
import { gatherNodeFacts } from '../../core/upgrade/prepare';
import { targetChoices, type TargetChoice } from '../../core/upgrade/targetChoices';
import { parseVersion } from '../../core/version';
import { readSettings, type Settings } from '../settings';
import type { ExecutionServices } from '../webview/hostServices';
import { messageHandler } from '../webview/messageHandler';
import { ClusterPanel } from '../webview/clusterPanel';
import { CommandFailure, type CommandSpec } from './command';
import type { NodeSnapshot } from '../../core/snapshot/model';
import { markStaleOnChange } from '../webview/stalePlan';
import { fillWhatWillChange } from './planWhatWillChange';

const TITLE = 'Kubeadm: Plan Upgrade';

/**
 * Kubeadm: Plan Upgrade — runs `kubeadm upgrade plan [vX.Y.Z]` on a control-plane node through the configured
 * executor (`-o json` where kubeadm supports it), streams the output, then shows the plan view.
 */
export function planUpgrade(services: ExecutionServices, extensionUri: vscode.Uri): CommandSpec<{ cluster: ClusterState; node: NodeSnapshot }> {
  return {
    id: 'kubeadm.planUpgrade',
    resolve: async (c) => {
      const cluster = await c.cluster(TITLE);
      const node = cluster && (await c.controlPlane(cluster, TITLE));
      return cluster && node ? { cluster, node } : undefined;
    },
    failure: ({ node }) => `kubeadm upgrade plan on ${node.name} failed`,
    run: async ({ cluster, node }) => {
      const settings = readSettings();
      const executor = await services.access
        .nodes(cluster.contextName, settings)
        .executorFor(node)
        .catch((e: unknown) => {
          throw new CommandFailure(`cannot reach ${node.name}`, e);
        });
      const target = await pickPlanTarget(services, cluster, node.name, executor, settings);
      if (target === undefined) return;
      await runPlan(services, extensionUri, executor, cluster.contextName, node.name, target.trim() || null, settings);
    },
  };
}

async function runPlan(services: ExecutionServices, extensionUri: vscode.Uri, executor: NodeExecutor, context: string, node: string, target: string | null, settings: Settings): Promise<void> {
  const log = services.log;
  log.show(true);
  const adminConf = await executor.run(HAS_ADMIN_CONF_COMMAND, { sudo: true, timeoutMs: 30_000 });
  if (adminConf.exitCode !== 0) {
    void vscode.window.showErrorMessage(
      adminConf.exitCode === 1
        ? `Kubeadm: ${node} has no /etc/kubernetes/admin.conf: run the plan on a control-plane node that has it.`
        : `Kubeadm: cannot run commands on ${node} (${executor.description}): ${adminConf.failure ?? adminConf.stderr.trim()}`,
    );
    return;
  }
  const version = await executor.run(KUBEADM_VERSION_COMMAND, { sudo: true, timeoutMs: 30_000 });
  const kubeadmVersion = version.exitCode === 0 ? version.stdout.trim() : null;
  if (kubeadmVersion && parseVersion(kubeadmVersion)) services.store.setKubeadmVersion(context, node, kubeadmVersion);
  let command = planCommand(target, supportsJsonPlan(kubeadmVersion));
  log.appendLine(`[plan] ${executor.description}: kubeadm ${kubeadmVersion ?? 'version unknown'}; running: ${command}`);

  const panel = ClusterPanel.show(extensionUri, { kind: 'running', title: 'kubeadm upgrade plan', context, node, command, output: '' }, messageHandler(services));
  const controller = new AbortController();
  let combined = '';
  const onOutput = (chunk: string) => {
    combined += chunk;
    log.append(chunk);
    panel.append(chunk);
  };
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `kubeadm upgrade plan on ${node}`, cancellable: true },
    async (_progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      let r: RunResult = await executor.run(command, { sudo: true, timeoutMs: 300_000, signal: controller.signal, onOutput });
      if (r.exitCode !== 0 && rejectedOutputFlag(r.stderr) && !controller.signal.aborted) {
        command = planCommand(target, false);
        log.appendLine(`[plan] kubeadm refused -o json; running: ${command}`);
        combined = '';
        r = await executor.run(command, { sudo: true, timeoutMs: 300_000, signal: controller.signal, onOutput });
      }
      return r;
    },
  );
  log.appendLine(`[plan] exit ${result.exitCode ?? result.failure ?? 'unknown'}`);
  // stdout and stderr as they came, so klog and preflight lines sit where kubeadm printed them.
  const text = combined || result.stdout + result.stderr;
  const plan = parsePlan(text);
  const snapshot = services.store.get(context)?.snapshot;
  const view = planViewModel(plan, snapshot, { source: { origin: 'run', context, node, label: executor.description, at: new Date().toISOString() }, raw: text, nodeKubeadmVersion: kubeadmVersion });
  panel.setView(view);
  markStaleOnChange(services, panel, view);
  if (result.exitCode !== 0 && view.state !== 'failed') {
    panel.notice('error', `kubeadm upgrade plan ${result.failure ?? `exited with ${result.exitCode}`}: see the raw output.`);
  }
  await fillWhatWillChange(services, panel, view, settings);
}

/**
 * The target: the versions the node's package repository offers (patches of the running minor and the next minor),
 * or none (kubeadm looks up what it can upgrade to), or one typed in. Over SSH only: in terminal mode reading the
 * repository would type commands into the node's terminal just to fill a list.
 */
async function pickPlanTarget(services: ExecutionServices, cluster: ClusterState, nodeName: string, executor: NodeExecutor, settings: Settings): Promise<string | undefined> {
  const configured = settings.targetVersion;
  let choices: TargetChoice[] = [];
  if (settings.execution === 'ssh') {
    try {
      const facts = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Reading the kubeadm versions of ${nodeName}'s package repository…` },
        () => gatherNodeFacts(nodeName, executor),
      );
      choices = targetChoices(cluster.snapshot, facts.versions);
    } catch (e) {
      services.log.appendLine(`[plan] cannot read ${nodeName}'s package repository: ${(e as Error).message}`);
    }
  }
  type Item = vscode.QuickPickItem & { value: string | null };
  const items: Item[] = [
    { label: 'No target', description: 'kubeadm lists the versions it can upgrade to', value: '' },
    ...choices.map((c) => ({ label: c.version, description: `${c.note} · in ${nodeName}'s package repository${c.version === configured ? ' · kubeadm.targetVersion' : ''}`, value: c.version })),
    { label: 'Type a version…', value: null },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: TITLE,
    placeHolder: choices.length ? `Target version: what ${nodeName}'s package repository offers` : `Target version (${nodeName}'s package repository could not be read)`,
  });
  if (!picked) return undefined;
  if (picked.value !== null) return picked.value;
  return vscode.window.showInputBox({
    title: TITLE,
    prompt: 'A full version (vMAJOR.MINOR.PATCH)',
    value: configured,
    validateInput: (v) => (parseVersion(v) ? undefined : 'Not a Kubernetes version (vMAJOR.MINOR.PATCH)'),
  });
}
