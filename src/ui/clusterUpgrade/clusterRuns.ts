import * as vscode from 'vscode';
import { ApiClusterSource } from '../../adapters/k8s/apiClusterSource';
import { ApiControlPlaneProbe } from '../../adapters/k8s/controlPlaneProbe';
import { KubeDrainApi } from '../../adapters/k8s/drain';
import type { ClusterRunStore } from '../../adapters/storage/clusterRunStore';
import type { ClusterEvent } from '../../core/clusterUpgrade/events';
import { runCluster } from '../../core/clusterUpgrade/orchestrator';
import type { ClusterPorts } from '../../core/clusterUpgrade/ports';
import { RunControl } from '../../core/clusterUpgrade/runControl';
import { readinessGateFrom, snapshotterFrom } from '../../core/clusterUpgrade/readinessPorts';
import { runReadiness } from '../../core/readiness';
import { readinessDeps } from '../upgrade/readinessDeps';
import { takeEtcdSnapshot } from '../upgrade/readinessDeps';
import { isUnfinished, overallLabel, type ClusterRunState } from '../../core/clusterUpgrade/state';
import { adoptSucceededNodeRun, owningClusterRun, stoppedClusterRunNote } from '../../core/clusterUpgrade/nodeRuns';
import type { UpgradeRunState } from '../../core/upgrade/state';
import { isExpired, type HeldLock } from '../../core/lock/lease';
import { claimRun, sameCluster, shownUnder } from '../../core/identity/clusterIdentity';
import { buildSnapshot } from '../../core/snapshot/build';
import { formatVersion } from '../../core/version';
import type { Services } from '../services';
import { ClusterUpgradePanel, type ClusterPanelAction } from '../webview/clusterUpgradePanel';
import { acquireInWindow } from './lockPrompt';
import { holderProcessGone } from '../../adapters/k8s/leaseLock';

/**
 * The window's cluster runs: the one running here (with its Pause/Cancel control and progress view) and the stopped
 * ones Resume can continue. Survives a reload through the store: a run that was `running` when its window closed is
 * shown as interrupted and resumable.
 */
export class ClusterRuns implements vscode.Disposable {
  private readonly runs = new Map<string, ClusterRunState>();
  private active: { run: ClusterRunState; control: RunControl } | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    readonly store: ClusterRunStore,
    private readonly services: Services,
    /** Where etcd snapshots go (kubeadm.etcdSnapshot.folder, else global storage): read when a run takes one. */
    private readonly snapshotDir: () => string,
  ) {}

  /**
   * Reads the stored runs. Returns the ones that were in progress (running or paused) when their window closed, so
   * activation can put them back in front of the admin.
   */
  async restore(): Promise<ClusterRunState[]> {
    const interrupted: ClusterRunState[] = [];
    for (const r of await this.store.list()) {
      // Another window (or a terminal) may be driving it right now: such a run is neither rewritten nor reopened here.
      if (r.status === 'running' && this.active?.run.id !== r.id && (await this.maybeLiveElsewhere(r))) {
        if (!this.runs.has(r.cluster) || this.runs.get(r.cluster)!.updatedAt < r.updatedAt) this.runs.set(r.cluster, r);
        continue;
      }
      if ((r.status === 'running' || r.status === 'paused') && this.active?.run.id !== r.id) interrupted.push(r);
      if (r.status === 'running' && this.active?.run.id !== r.id) {
        r.status = 'cancelled';
        r.error = `Interrupted: the window running it closed. ${r.error ?? ''}`.trim();
        r.recovery = ['Resume (Kubeadm: Resume Cluster Upgrade): the guards run again and the interrupted node continues from its step.'];
        await this.store.save(r);
      }
      if (!this.runs.has(r.cluster) || this.runs.get(r.cluster)!.updatedAt < r.updatedAt) this.runs.set(r.cluster, r);
    }
    await this.setContext();
    this.changed.fire();
    return interrupted.filter((r) => this.runs.get(r.cluster) === r);
  }

  /**
   * Whether a run stored as `running` may be driven by another live process: its cluster's Lease is held for this run
   * by a holder whose renewals look alive. When that cannot be known (the context gone or reaching another cluster, the
   * API not answering), it may be: the run is then left untouched.
   */
  private async maybeLiveElsewhere(r: ClusterRunState): Promise<boolean> {
    try {
      const reached = await this.services.access.identityFor(r.cluster);
      if (r.identity && !sameCluster(r.identity, reached)) return true;
      const lease = await this.services.access.lockFor(r.cluster).peek();
      return !!lease && lease.holder?.runId === r.id && !isExpired(lease, new Date()) && !holderProcessGone(lease.holder);
    } catch {
      return true;
    }
  }

  /**
   * After a window reload: reopens the Cluster Upgrade view of each run the reload interrupted, stopped, with its
   * Resume button (the panel itself is not restored by VS Code: a run's live state lives in this window only).
   */
  async reopenInterrupted(): Promise<void> {
    for (const run of await this.restore()) {
      ClusterUpgradePanel.show(run.id, (a) => {
        if (a === 'resume') void vscode.commands.executeCommand('kubeadm.resumeClusterUpgrade', run.id);
      }).update(run, false);
    }
  }

  /** The tree label of a node in this cluster's latest run, while it is not finished. */
  labelFor(cluster: string, node: string, clusterKey?: string): string | undefined {
    const r = this.runs.get(cluster);
    if (!r || r.status === 'done' || !shownUnder(r.identity, clusterKey)) return undefined;
    const n = r.nodes.find((x) => x.name === node);
    if (!n || n.status === 'done' || n.status === 'skipped') return undefined;
    if (n.status === 'running' && n.step) return `cluster upgrade: ${n.step.index}/${n.step.total}`;
    return `cluster upgrade: ${n.status}${n.batch ? ` (batch ${n.batch})` : ''}`;
  }

  /** The cluster item's note while its latest run is stopped (only under a context reaching that run's cluster). */
  noteFor(cluster: string, clusterKey?: string): string | undefined {
    const r = this.runs.get(cluster);
    if (!r || this.active?.run.id === r.id || !shownUnder(r.identity, clusterKey)) return undefined;
    return stoppedClusterRunNote(r);
  }

  /** The stopped cluster run a node run belongs to: Resume of that node run goes through it. */
  async ownerOf(nodeRunId: string): Promise<ClusterRunState | undefined> {
    return owningClusterRun((await this.store.list()).filter((r) => this.active?.run.id !== r.id), nodeRunId);
  }

  /**
   * A node run that succeeded outside the cluster run (Upgrade Node, or a Resume before this rule): the stopped cluster
   * run of that cluster takes the node as done, so its view, the tree and its Resume agree with the cluster.
   */
  async nodeRunEnded(nodeRun: UpgradeRunState): Promise<void> {
    if (nodeRun.status !== 'done') return;
    for (const r of await this.store.list()) {
      if (this.active?.run.id === r.id || !adoptSucceededNodeRun(r, nodeRun)) continue;
      await this.store.save(r);
      if (!this.runs.has(r.cluster) || this.runs.get(r.cluster)!.id === r.id) this.runs.set(r.cluster, r);
      this.services.log.appendLine(`Cluster upgrade ${r.id}: ${nodeRun.context.node} upgraded by its own run ${nodeRun.id}; counted as done.`);
    }
    await this.setContext();
    this.changed.fire();
  }

  unfinished(cluster?: string): ClusterRunState[] {
    return [...this.runs.values()].filter((r) => isUnfinished(r) && (!cluster || r.cluster === cluster) && this.active?.run.id !== r.id);
  }

  isActive(cluster: string): boolean {
    return this.active?.run.cluster === cluster;
  }

  /**
   * Runs (or resumes) under the cluster lock, with the progress view and a notification counting nodes. Undefined when
   * it did not run (the context reaches another cluster, or the lock was not taken): that was said already, once.
   */
  async run(run: ClusterRunState, planText?: string): Promise<ClusterRunState | undefined> {
    if (this.active) throw new Error(`A cluster upgrade of ${this.active.run.cluster} is already running in this window.`);
    const ctx = this.services.loader.context(run.cluster);
    if (!ctx) throw new Error(`context ${run.cluster} is not in the kubeconfig any more`);
    // The run belongs to one cluster: the context must reach that one (a kubeadm context name proves nothing).
    const claim = claimRun(run.identity, await this.services.access.identityFor(run.cluster), {
      started: run.nodes.some((n) => n.status !== 'queued' && n.status !== 'skipped'),
      what: `The cluster run ${run.id}`,
      context: run.cluster,
    });
    if ('refused' in claim) {
      void vscode.window.showErrorMessage(`Kubeadm: refused to resume the upgrade of ${run.cluster}: the context reaches another cluster.`, { modal: true, detail: claim.refused });
      return undefined;
    }
    run.identity = claim.identity;
    const lock = await acquireInWindow(this.services.access.lockFor(run.cluster), run.id);
    if (!lock.held) return undefined;
    const held: HeldLock = lock.held;
    const control = new RunControl();
    this.active = { run, control };
    this.runs.set(run.cluster, run);
    const panel = ClusterUpgradePanel.show(run.id, (a) => this.onAction(a, run, control));
    if (planText) panel.planText = planText;
    const log = this.services.log;
    log.appendLine(`Cluster upgrade ${run.id}: ${run.cluster} → ${formatVersion(run.target)}`);
    try {
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Upgrading ${run.cluster} to ${formatVersion(run.target)}`, cancellable: true }, async (progress, token) => {
        token.onCancellationRequested(() => control.cancel());
        const ports = this.ports(run, held, (e) => {
          if (e.event === 'output') panel.appendOutput(e.node, e.text);
          else {
            if (e.event === 'node-start') panel.clearOutput(e.node);
            log.appendLine(`[${run.cluster}] ${JSON.stringify(e)}`);
          }
          if (e.event === 'node-done' || e.event === 'node-failed' || e.event === 'node-start' || e.event === 'batch') progress.report({ message: overallLabel(run) });
          panel.update(run, true);
          this.changed.fire();
        });
        const result = await runCluster(run, ports, control);
        panel.update(result, false);
        return result;
      });
    } finally {
      await held.release().catch((e: unknown) => log.appendLine(`could not release the cluster lock: ${(e as Error).message}`));
      this.active = undefined;
      await this.setContext();
      this.changed.fire();
      void this.services.store.refresh(run.cluster);
    }
  }

  private onAction(action: ClusterPanelAction, run: ClusterRunState, control: RunControl): void {
    if (action === 'pause') control.pause();
    else if (action === 'continue') control.continue();
    else if (action === 'cancel') control.cancel();
    else if (action === 'resume') void vscode.commands.executeCommand('kubeadm.resumeClusterUpgrade', run.id);
    else if (action === 'copy-report' && run.verification) void vscode.env.clipboard.writeText(JSON.stringify(run.verification, null, 2));
  }

  private ports(run: ClusterRunState, held: HeldLock, event: (e: ClusterEvent) => void): ClusterPorts {
    const ctx = this.services.loader.context(run.cluster)!;
    // One access to the nodes for the whole run: the settings as they were when it started, each node's executor
    // fetched once and used by its steps and the etcd snapshot.
    const nodes = this.services.access.nodes(run.cluster);
    const upgrades = this.services.upgrades;
    const drainApi = new KubeDrainApi(ctx.config);
    const probe = new ApiControlPlaneProbe(ctx.config);
    const snapshot = async () => buildSnapshot((await new ApiClusterSource(ctx.name, ctx.config).fetch()).objects);
    const node = async (name: string) => {
      const n = (await snapshot()).nodes.find((x) => x.name === name);
      if (!n) throw new Error(`node ${name} is not in ${run.cluster}`);
      return n;
    };
    return {
      snapshot,
      executorFor: async (name) => nodes.executorFor(await node(name)),
      cluster: this.services.access.clusterOpsFor(run.cluster),
      drainApi,
      probe,
      addons: () => probe.addons(),
      snapshotter: snapshotterFrom(async (name) => takeEtcdSnapshot(this.services, nodes, await node(name), this.snapshotDir())),
      confirmApply: async (phase, c) =>
        (await vscode.window.showWarningMessage(`Upgrade the control plane with kubeadm upgrade apply? (${c.node}, ${c.cluster})`, { modal: true, detail: `This will run:\n\n${phase.script}` }, 'Run')) === 'Run',
      saveCluster: async (s) => {
        await this.store.save(s);
        this.changed.fire();
      },
      saveNode: async (s) => {
        await upgrades.store.save(s);
        upgrades.remember(s);
      },
      loadNode: async (id) => (await upgrades.store.list()).find((r) => r.id === id),
      audit: (entry) => upgrades.audit.append(entry),
      event,
      lockNode: (n: string) => held.setNode(n),
      lockLost: () => held.lost,
      lockCheck: () => held.check(),
      clusterIdentity: () => this.services.access.identityFor(run.cluster),
      readiness: readinessGateFrom((t, resume) => runReadiness({ ...readinessDeps(this.services, nodes, run.id), ...resume }, t)),
      // Nothing runs while this waits; dismissing it stops the run as paused (Resume goes on).
      continueAfterAddons: async (text) =>
        (await vscode.window.showWarningMessage(`Kubeadm: ${run.cluster}: ${text}`, { modal: true, detail: 'Upgrade the CNI as its own docs say, wait until its pods are Ready on every node, then continue. Cancel stops the run here as paused; Resume goes on later.' }, 'Continue: the CNI Is Upgraded')) === 'Continue: the CNI Is Upgraded',
      confirmSkipDeleted: async (name) =>
        (await vscode.window.showWarningMessage(`Kubeadm: ${name} is no longer in ${run.cluster}. Skip it and go on with the rest of the upgrade?`, { modal: true, detail: 'It was deleted (or renamed) since the run planned it. Nothing is run for a skipped node; the verification at the end checks the nodes that are there.' }, 'Skip It')) === 'Skip It',
    };
  }

  private async setContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'kubeadm.clusterUpgradeStopped', this.unfinished().length > 0);
  }

  dispose(): void {
    this.active?.control.cancel();
    this.changed.dispose();
  }
}
