import * as vscode from 'vscode';
import type { AuditLog } from '../../adapters/storage/auditLog';
import { unaudited } from '../../adapters/storage/audited';
import type { RunStore } from '../../adapters/storage/runStore';
import type { NodeExecutor } from '../../core/exec/executor';
import type { NodeAccess } from '../../core/exec/nodeAccess';
import type { NodeSnapshot } from '../../core/snapshot/model';
import type { ConfirmKind, Phase, UpgradeContext } from '../../core/upgrade/phases';
import type { UpgradeHooks } from '../../core/upgrade/ports';
import type { HeldLock } from '../../core/lock/lease';
import { runUpgrade } from '../../core/upgrade/runner';
import { asRestored, progressLabel, type UpgradeRunState } from '../../core/upgrade/state';
import { formatVersion } from '../../core/version';
import { drainPreviewLines } from '../../core/upgrade/drainPreview';
import { RunOutput } from './runOutput';
import type { DrainPreview } from '../../core/drain/preview';
import { confirmDrain } from '../confirmDrain';
import type { VirtualDocs } from '../virtualDocs';
import { claimRun, shownUnder } from '../../core/identity/clusterIdentity';
import { stopReasonFor } from '../../core/upgrade/stopReason';
import { acquireInWindow } from '../clusterUpgrade/lockPrompt';
import type { ClusterAccess } from '../clusterAccess';

const CONFIRM_TEXT: Record<ConfirmKind, string> = {
  repo: 'Change the package repository to the new minor?',
  apply: 'Upgrade the control plane with kubeadm upgrade apply?',
  drain: 'Drain the node (evict its pods)?',
};

/** Runs upgrades with VS Code progress, confirmations and output; remembers each node's run for the tree. */
export class UpgradeService implements vscode.Disposable {
  private readonly runs = new Map<string, UpgradeRunState>();
  /** Read-only pages (the PDB a hopeless drain names); set once the extension has created them. */
  docs?: VirtualDocs;
  /** Told of every run that ended here (the cluster runs take a node's success as theirs: one truth for the tree). */
  onRunEnded?: (state: UpgradeRunState) => Promise<void>;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    readonly store: RunStore,
    readonly audit: AuditLog,
    /** The cluster's API and lock; the node is reached through the NodeAccess of the command that runs it. */
    private readonly access: Pick<ClusterAccess, 'clusterOpsFor' | 'lockFor' | 'identityFor'>,
    private readonly log: vscode.OutputChannel,
  ) {}

  /**
   * After a window reload: each node's latest run. A run saved as `running` has nothing running it in this window
   * any more, so it is shown as interrupted (the node offers Resume) instead of "upgrading" forever.
   */
  async restore(): Promise<void> {
    for (const r of await this.store.list()) {
      const key = this.key(r.context.cluster, r.context.node);
      if (this.runs.has(key)) continue;
      this.runs.set(key, this.active.has(key) ? r : asRestored(r));
    }
    this.changed.fire();
  }

  /**
   * Records a node run that another runner (the cluster upgrade) saved, so the node's label and its Resume follow
   * that run: without it, a node run this window restored as interrupted kept saying so after the cluster run had
   * resumed and finished it.
   */
  remember(state: UpgradeRunState): void {
    this.runs.set(this.key(state.context.cluster, state.context.node), state);
    this.changed.fire();
  }

  /**
   * `upgrading 4/10` for the node's tree item, while a run is going or after it stopped short — only under a context
   * that reaches the run's cluster (`clusterKey`, `ClusterState.key`), never on another cluster's node of that name.
   */
  labelFor(cluster: string, node: string, clusterKey?: string): string | undefined {
    const r = this.runs.get(this.key(cluster, node));
    return r && r.status !== 'done' && shownUnder(r.identity, clusterKey) ? progressLabel(r) : undefined;
  }

  isRunning(cluster: string, node: string): boolean {
    return this.runs.get(this.key(cluster, node))?.status === 'running' && this.active.has(this.key(cluster, node));
  }

  private readonly active = new Set<string>();

  /** `nodes` is the calling command's access: the executor it already fetched for `node` is the one the steps use. */
  async run(state: UpgradeRunState, node: NodeSnapshot, nodes: NodeAccess): Promise<UpgradeRunState> {
    const c = state.context;
    const key = this.key(c.cluster, c.node);
    if (this.active.has(key)) throw new Error(`An upgrade of ${c.node} is already running.`);
    const fresh = state.phases.every((p) => p.status === 'pending');
    // The run belongs to one cluster: the context must reach that one (a kubeadm context name proves nothing).
    const what = `The upgrade run ${state.id} of ${c.node}`;
    const claim = claimRun(state.identity, await this.access.identityFor(c.cluster), { started: !fresh, what, context: c.cluster });
    if ('refused' in claim) {
      void vscode.window.showErrorMessage(`Kubeadm: refused to run the upgrade of ${c.node}: the context reaches another cluster.`, { modal: true, detail: claim.refused });
      return state;
    }
    state.identity = claim.identity;
    // One upgrader per cluster, whichever window or CLI: refused here (with who holds it) before anything starts.
    const lock = await acquireInWindow(this.access.lockFor(c.cluster), state.id, c.node);
    if (!lock.held) {
      // A started run is left as it is: another live process may be driving it.
      if (fresh) {
        state.status = 'cancelled';
        state.error = lock.refused;
        await this.store.save(state);
      }
      return state;
    }
    const held: HeldLock = lock.held;
    this.active.add(key);
    this.runs.set(key, state);
    const output = new RunOutput(`kubeadm upgrade: ${c.node}`, this.log);
    output.show();
    output.line(`\x1b[1mUpgrading ${c.node} (${c.role}) in ${c.cluster} to ${formatVersion(c.target)}\x1b[0m`);
    let executor: NodeExecutor | undefined;
    try {
      executor = await nodes.executorFor(node);
      output.line(`Commands run through: ${executor.description}`);
      // The runner writes its own audit lines (with run id and step): give it the executor without the wrapper's.
      const ex = unaudited(executor);
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Upgrading ${c.node} to ${formatVersion(c.target)}`, cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => {
            output.line('\x1b[33mCancellation requested: stopping at the next safe point.\x1b[0m');
            abort.abort();
          });
          const hooks: UpgradeHooks = {
            executor: ex,
            cluster: this.access.clusterOpsFor(c.cluster),
            confirm: (kind, phase, ctx) => this.confirm(kind, phase, ctx),
            progress: (e) => {
              if (e.type === 'phase') {
                progress.report({ message: `${e.index + 1}/${e.total} ${e.phase.title}`, increment: 100 / e.total });
                output.line(`\n\x1b[36m▶ ${e.index + 1}/${e.total} ${e.phase.title}\x1b[0m`);
                if (e.phase.action.kind === 'node') output.line(`$ ${e.phase.script}`);
              } else if (e.type === 'output') {
                output.write(e.text);
              } else {
                progress.report({ message: e.text });
                output.line(e.text);
              }
            },
            save: async (s) => {
              await this.store.save(s);
              this.changed.fire();
            },
            audit: (entry) => this.audit.append(entry),
            // Before every step: the lock still ours, the cluster reached still the run's.
            stopReason: stopReasonFor({ lockCheck: () => held.check(), recorded: () => state.identity, reach: () => this.access.identityFor(c.cluster), what, context: c.cluster }),
            // A detached step past its expected time is never killed: say so, and offer its log.
            stillRunning: (phase, minutes) => {
              output.line(`\x1b[33m"${phase.title}" is still running after ${minutes} min; it is not stopped.\x1b[0m`);
              void vscode.window
                .showWarningMessage(`Kubeadm: "${phase.title}" on ${c.node} is still running after ${minutes} min. It is not stopped.`, 'Keep Waiting', 'Show the Log')
                .then((choice) => choice === 'Show the Log' && output.show());
            },
          };
          const result = await runUpgrade(state, hooks, abort.signal);
          await this.onRunEnded?.(result).catch((e: unknown) => output.line(`warning: the cluster run could not record this node: ${(e as Error).message}`));
          output.line(result.status === 'done' ? `\n\x1b[32m✔ ${c.node} is at ${formatVersion(c.target)} and schedulable.\x1b[0m` : `\n\x1b[31m✖ ${result.error}\x1b[0m`);
          return result;
        },
      );
    } catch (e) {
      state.status = 'failed';
      state.error = `Could not start: ${(e as Error).message}`;
      await this.store.save(state);
      output.line(`\x1b[31m✖ ${state.error}\x1b[0m`);
      return state;
    } finally {
      await held.release().catch((e: unknown) => output.line(`warning: could not release the cluster lock: ${(e as Error).message}`));
      this.active.delete(key);
      this.changed.fire();
    }
  }

  private async confirm(kind: ConfirmKind, phase: Phase, ctx: UpgradeContext): Promise<boolean> {
    if (kind === 'drain') return this.confirmDrain(phase, ctx);
    const answer = await vscode.window.showWarningMessage(
      `${CONFIRM_TEXT[kind]} (${ctx.node}, ${ctx.cluster})`,
      { modal: true, detail: `This will run:\n\n${phase.script}` },
      'Run',
    );
    return answer === 'Run';
  }

  /**
   * The drain step's question shows, before anything is cordoned, what Drain Node… shows: the pods to evict and
   * which PodDisruptionBudgets will block which pods. A filter refusal (a pod the drain may not touch) stops here.
   */
  private async confirmDrain(phase: Phase, ctx: UpgradeContext): Promise<boolean> {
    const ops = this.access.clusterOpsFor(ctx.cluster);
    let detail = `This will run:\n\n${phase.script}`;
    let preview: DrainPreview | null = null;
    if (ops.previewDrain) {
      try {
        preview = await ops.previewDrain(ctx.node, ctx.options.drain);
        const lines = drainPreviewLines(preview, ctx.node, ctx.options.drain);
        if (preview.plan.errors.length > 0) {
          void vscode.window.showErrorMessage(`Kubeadm: cannot drain ${ctx.node}; it was not cordoned.`, {
            modal: true,
            detail: `${lines.join('\n')}\n\nChange kubeadm.drain.force / kubeadm.drain.deleteEmptyDirData to allow these pods, then resume.`,
          });
          return false;
        }
        detail = lines.join('\n');
      } catch (e) {
        detail = `The drain could not be previewed (${(e as Error).message}).\n\n${detail}`;
      }
    }
    return confirmDrain(this.docs, { node: ctx.node, question: `${CONFIRM_TEXT.drain} (${ctx.node}, ${ctx.cluster})`, detail, preview, run: 'Run' });
  }

  private key(cluster: string, node: string): string {
    return `${cluster}\u0000${node}`;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
