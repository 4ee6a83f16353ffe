import * as path from 'node:path';
import { ApiClusterOps } from '../adapters/k8s/clusterOps';
import { KubeDrainApi } from '../adapters/k8s/drain';
import { ApiClusterSource } from '../adapters/k8s/apiClusterSource';
import { LocalExecutor } from '../adapters/local/localExecutor';
import { SshPool } from '../adapters/ssh/sshPool';
import { AuditedExecutor, unaudited } from '../adapters/storage/audited';
import { RunStore } from '../adapters/storage/runStore';
import type { NodeExecutor } from '../core/exec/executor';
import { validateNodeName } from '../core/exec/shell';
import { buildSnapshot } from '../core/snapshot/build';
import { dryRunScript, phasesFor } from '../core/upgrade/phases';
import { buildContext, gatherNodeFacts } from '../core/upgrade/prepare';
import { drainPreviewLines } from '../core/upgrade/drainPreview';
import { explainFailedRun, renderText } from '../core/explain';
import { runUpgrade } from '../core/upgrade/runner';
import { newRunState } from '../core/upgrade/state';
import { formatMinor, formatVersion, newestPatchOf, parseMinor, parseVersion } from '../core/version';
import { CLUSTER_ACCESS_FLAGS, parse, UsageError } from './args';
import { cliPrompts } from './cliPrompts';
import { contextFor } from './kubeContext';
import { cliAudit, cliStateDir } from './stateDir';
import { LeaseLock, localHolder, lockAuditTo } from '../adapters/k8s/leaseLock';
import { ClusterIdentityReader } from '../adapters/k8s/clusterIdentity';
import { stopReasonFor } from '../core/upgrade/stopReason';
import { LockForbiddenError, LockHeldError } from '../core/lock/lease';
import { UPGRADE_OPTION_FLAGS, upgradeOptionsFrom } from './upgradeOptionFlags';
import { UPGRADE_NODE_USAGE } from './usage';
import { cliClusterAccess } from './preflightCommand';
import { overridesFrom, readinessGate, snapshotGate } from './upgradeNodeGate';

/**
 * `kubeadm-upgrade upgrade-node`: the same sequence as the extension's "Upgrade Node…". Without --yes it stops
 * before the first change and prints the plan. Exit 0 only when the node ended at the target and schedulable.
 */
export async function upgradeNodeCommand(argv: string[], out: (s: string) => void, err: (s: string) => void = (s) => process.stderr.write(s + '\n')): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CLUSTER_ACCESS_FLAGS,
    to: { type: 'string' },
    local: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    yes: { type: 'boolean', default: false },
    'state-dir': { type: 'string' },
    'take-over-expired-lock': { type: 'boolean', default: false },
    override: { type: 'string', multiple: true, default: [] },
    'skip-snapshot': { type: 'boolean', default: false },
    ...UPGRADE_OPTION_FLAGS,
  });
  overridesFrom(values.override); // bad ids are bad input (exit 2) before anything is read
  const options = upgradeOptionsFrom(values);
  const nodeName = positionals[0];
  if (!nodeName || positionals.length > 1) throw new UsageError(`give one NODE\nusage: ${UPGRADE_NODE_USAGE}`);
  try {
    validateNodeName(nodeName);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  let target = parseVersion(values.to);
  const minorOnly = parseMinor(values.to);
  if (!values.to || (!target && !minorOnly)) {
    throw new UsageError(`--to vX.Y.Z is required: a full version such as v1.32.3, or a minor such as 1.32 for the newest patch the node's repository offers (got ${values.to ?? 'nothing'})`);
  }

  const ctx = contextFor(values.kubeconfig, values.context);
  const snapshot = buildSnapshot((await new ApiClusterSource(ctx.name, ctx.config).fetch()).objects);
  const node = snapshot.nodes.find((n) => n.name === nodeName);
  if (!node) throw new UsageError(`node ${nodeName} is not in ${ctx.name}`);

  const pool = values.local ? undefined : new SshPool({ prompts: cliPrompts(values['accept-new-host-keys'], err), ...(values['ssh-config'] ? { configFile: values['ssh-config'] } : {}) });
  const stateDir = cliStateDir(values['state-dir']);
  const audit = cliAudit(stateDir);
  // Every command on the node (fact gathering included) gets an audit line; the runner writes its own for its steps.
  const raw: NodeExecutor = pool ? pool.executorForNode(node) : new LocalExecutor();
  const executor = new AuditedExecutor(raw, audit.sink, { cluster: ctx.name, node: nodeName });
  try {
    const facts = await gatherNodeFacts(nodeName, executor);
    if (!target) {
      // `--to 1.31`: the newest 1.31 patch the node's repository lists, said out loud; never a guess.
      const newest = newestPatchOf(minorOnly!, facts.versions.map((p) => p.version));
      const offered = facts.versions.slice(0, 8).map((p) => formatVersion(p.version)).join(', ') || 'nothing';
      if (!newest) throw new UsageError(`--to ${values.to}: the package repository on ${nodeName} offers no ${formatMinor(minorOnly!)} release (it offers: ${offered}); give a full version such as v${formatMinor(minorOnly!)}.0`);
      target = newest;
      err(`--to ${values.to}: using ${formatVersion(newest)}, the newest ${formatMinor(minorOnly!)} patch the package repository on ${nodeName} offers.`);
    }
    const { context, guards } = buildContext(ctx.name, snapshot, nodeName, facts, target, options, new Date());
    const refused = guards.filter((g) => g.severity === 'refuse');
    for (const g of guards) err(`${g.severity === 'refuse' ? 'refused' : 'note'}: ${g.reason}`);
    if (refused.length > 0) return 1;
    // The extension's gate (readiness, then a snapshot before apply), over the same SSH pool and audit log.
    const gateAccess = () => cliClusterAccess({ acceptNewHostKeys: values['accept-new-host-keys'], err, ...(pool ? { shared: { ctx, pool, audit: audit.log } } : { sshConfig: values['ssh-config'] }) });
    const access = gateAccess();
    const gate = { overrides: values.override, skipSnapshot: values['skip-snapshot'], snapshotDir: path.join(stateDir, 'etcd-snapshots'), audit: audit.sink, err };
    let ready: boolean;
    try {
      ready = await readinessGate(access, context, gate);
    } finally {
      access.dispose();
    }
    if (values['dry-run'] || !values.yes) {
      out(dryRunScript(context));
      if (context.role === 'first-control-plane') out(values['skip-snapshot'] ? '# no etcd snapshot before apply (--skip-snapshot)' : `# before kubeadm upgrade apply: an etcd snapshot on ${nodeName} (verified, copied to ${gate.snapshotDir})`);
      if (!values['dry-run']) err('Stopped before the first change: re-run with --yes to upgrade.');
      return values['dry-run'] && ready ? 0 : 1;
    }
    if (!ready) return 1;
    const store = new RunStore(path.join(stateDir, 'runs'), (file, reason) => err(`warning: skipped run file ${file}: ${reason}`));
    const ops = new ApiClusterOps(ctx.config, new KubeDrainApi(ctx.config), { sink: audit.sink, cluster: ctx.name });
    const state = newRunState(`${context.stamp}-${nodeName}`, context, phasesFor(context), new Date());
    // The run records the cluster it is for; every step checks the context still reaches it.
    const identity = new ClusterIdentityReader(ctx.config);
    state.identity = await identity.read();
    // One upgrader per cluster: the Lease is held for the whole run, whoever else (CLI or extension) tries.
    const lock = new LeaseLock(ctx.config, lockAuditTo(audit.sink, ctx.name, state.id, nodeName));
    let held;
    try {
      held = await lock.acquire(
        localHolder('cli', state.id, nodeName),
        async (message) => {
          if (values['take-over-expired-lock']) err(`${message}\nTaking it over if nobody renews it (--take-over-expired-lock).`);
          return values['take-over-expired-lock'];
        },
        err,
      );
    } catch (e) {
      if (!(e instanceof LockHeldError || e instanceof LockForbiddenError)) throw e;
      err(`refused: ${e.message}${e instanceof LockHeldError && e.expired ? ' Re-run with --take-over-expired-lock to take it over.' : ''}`);
      return 1;
    }
    // The snapshot before apply, with the cluster's lock held (nobody else is upgrading meanwhile).
    const snapAccess = gateAccess();
    const snapshotted = await snapshotGate(snapAccess, context, gate).finally(() => snapAccess.dispose());
    if (!snapshotted) {
      await held.release().catch((e: unknown) => err(`warning: could not release the cluster lock: ${(e as Error).message}`));
      return 1;
    }
    const result = await runUpgrade(state, {
      executor: unaudited(executor),
      cluster: ops,
      // --yes is the confirmation of every step it printed. Before the drain cordons, it says which pods will be
      // evicted and which PodDisruptionBudgets will block, and stops when a pod may not be drained at all.
      confirm: async (kind) => {
        if (kind !== 'drain') return true;
        const preview = await ops.previewDrain(nodeName, context.options.drain);
        for (const line of drainPreviewLines(preview, nodeName, context.options.drain)) err(line);
        return preview.plan.errors.length === 0;
      },
      progress: (e) => {
        if (e.type === 'phase') err(`==> ${e.index + 1}/${e.total} ${e.phase.title}`);
        else if (e.type === 'output') process.stderr.write(e.text);
        else err(e.text);
      },
      save: (s) => store.save(s),
      audit: audit.sink,
      // Before every step: the lock still ours, the cluster reached still the run's.
      stopReason: stopReasonFor({ lockCheck: () => held.check(), recorded: () => state.identity, reach: () => identity.read(), what: `The upgrade run ${state.id} of ${nodeName}`, context: ctx.name }),
    }).finally(() => held.release().catch((e: unknown) => err(`warning: could not release the cluster lock: ${(e as Error).message}`)));
    if (result.status !== 'done') {
      err(`kubeadm-upgrade upgrade-node: ${result.error ?? result.status} (run ${result.id}, state in ${stateDir})`);
      // What happened: the failed step explained from its own output (as `kubeadm-upgrade explain` would).
      const what = explainFailedRun(result);
      if (what) err(`What happened:\n${renderText(what.result)}`);
      return 1;
    }
    out(`${nodeName} is at ${formatVersion(context.target)} and schedulable.`);
    return 0;
  } finally {
    executor.dispose();
    pool?.dispose();
  }
}
