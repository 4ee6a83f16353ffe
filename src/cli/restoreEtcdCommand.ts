import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiClusterSource } from '../adapters/k8s/apiClusterSource';
import { ApiReadinessProbes } from '../adapters/k8s/readinessProbes';
import { SshPool } from '../adapters/ssh/sshPool';
import { AuditedExecutor, unaudited } from '../adapters/storage/audited';
import { etcdSnapshotStore } from '../adapters/storage/etcdSnapshots';
import { isExternalEtcd } from '../core/etcd/commands';
import { ManifestError } from '../core/etcd/manifest';
import { externalEndpoints, MemberReadError, readEtcdMembers, restoreStamp } from '../core/etcd/restoreInputs';
import { buildRestorePlan, RestorePlanError, type RestorePlan } from '../core/etcd/restorePlan';
import { runRestorePlan, type RestoreOutcome } from '../core/etcd/restoreRun';
import { renderRestoreOutcome, renderRestorePlan, restorePlanJson } from '../core/etcd/restoreText';
import { bytesOfTotal, type SnapshotRecord } from '../core/etcd/snapshot';
import type { NodeExecutor } from '../core/exec/executor';
import { validateNodeName } from '../core/exec/shell';
import { buildSnapshot } from '../core/snapshot/build';
import type { SshPrompts } from '../core/ssh/prompts';
import { CLUSTER_ACCESS_FLAGS, parse, UsageError } from './args';
import { cliPrompts } from './cliPrompts';
import { contextFor } from './kubeContext';
import { cliAudit, cliStateDir } from './stateDir';
import { RESTORE_ETCD_USAGE } from './usage';

/** What the cluster's topology is, read from the API when it answers, or named with --control-planes when it does not. */
interface Topology {
  readonly controlPlanes: string[];
  readonly workers: string[];
  readonly addresses: Map<string, string | undefined>;
  readonly external: boolean;
  readonly endpoints: string[];
}

/**
 * `kubeadm-upgrade restore-etcd --snapshot FILE`: the etcd restore procedure for the cluster's topology (every control
 * plane, never one member alone). --dry-run prints it (--json: kind RestorePlan with each node's steps); without
 * --yes it prints it and stops; --yes is the one confirmation, then every step runs node by node, audited. Exit 0 when
 * restored (or printed with --dry-run), 1 when a step failed or --yes was missing, 2 on bad input.
 */
export async function restoreEtcdCommand(argv: string[], out: (s: string) => void, err: (s: string) => void = (s) => process.stderr.write(s + '\n'), prompts?: SshPrompts): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CLUSTER_ACCESS_FLAGS,
    snapshot: { type: 'string' },
    'control-planes': { type: 'string' },
    workers: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    yes: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'state-dir': { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(' ')}\nusage: ${RESTORE_ETCD_USAGE}`);
  if (!values.snapshot) throw new UsageError(`--snapshot FILE is required (a snapshot taken with snapshot-etcd, or any etcd snapshot file)\nusage: ${RESTORE_ETCD_USAGE}`);
  const snapshot = localSnapshot(path.resolve(values.snapshot), err);
  const names = (flag: string, v: string | undefined) => (v ? v.split(',').map((n) => n.trim()).filter(Boolean).map((n) => checkedName(flag, n)) : undefined);
  const cpFlag = names('--control-planes', values['control-planes']);
  const workerFlag = names('--workers', values.workers);

  const ctx = contextFor(values.kubeconfig, values.context);
  const topology = await readTopology(ctx, cpFlag, workerFlag);
  const stateDir = cliStateDir(values['state-dir']);
  const audit = cliAudit(stateDir);
  const pool = new SshPool({ prompts: prompts ?? cliPrompts(values['accept-new-host-keys'], err), ...(values['ssh-config'] ? { configFile: values['ssh-config'] } : {}) });
  const executors = new Map<string, NodeExecutor>();
  const executorFor = async (node: string): Promise<NodeExecutor> => {
    let ex = executors.get(node);
    if (!ex) {
      const ip = topology.addresses.get(node);
      ex = new AuditedExecutor(pool.getExecutor(node, ip ? { internalIP: ip } : {}), audit.sink, { cluster: ctx.name, node, run: 'restore-etcd' });
      executors.set(node, ex);
    }
    return ex;
  };
  try {
    let plan: RestorePlan;
    try {
      const members = topology.external ? [] : await readEtcdMembers(topology.controlPlanes, executorFor);
      plan = buildRestorePlan({
        cluster: ctx.name,
        snapshot: { fileName: path.basename(snapshot.path), sha256: snapshot.sha256, localPath: snapshot.path },
        controlPlanes: topology.controlPlanes,
        members,
        workers: topology.workers,
        external: topology.external,
        externalEndpoints: topology.endpoints,
        stamp: restoreStamp(new Date()),
      });
    } catch (e) {
      if (e instanceof MemberReadError || e instanceof ManifestError || e instanceof RestorePlanError) {
        err(`kubeadm-upgrade restore-etcd: ${e.message}`);
        return 1;
      }
      throw e;
    }
    const show = () => out(values.json ? JSON.stringify(restorePlanJson(plan), null, 2) : renderRestorePlan(plan));
    if (values['dry-run'] || !plan.runnable) {
      show();
      if (!plan.runnable && !values['dry-run']) err('External etcd: nothing was run. Copy the steps for your own tooling.');
      return values['dry-run'] || !plan.runnable ? 0 : 1;
    }
    if (!values.yes) {
      show();
      err('Stopped before the first change: this stops every kube-apiserver and etcd of the cluster and restores etcd from the snapshot. Re-run with --yes to restore.');
      return 1;
    }
    err(`==> restoring etcd of ${ctx.name} from ${snapshot.path} on ${plan.controlPlanes.join(', ')} (run restore-${plan.stamp}; audit log ${path.join(stateDir, 'audit.jsonl')})`);
    const outcome: RestoreOutcome = await runRestorePlan(plan, {
      executorFor: async (node) => unaudited(await executorFor(node)),
      upload: async (_node, ex, local, remote, onBytes) => {
        if (!ex.writeFile) throw new Error(`${ex.description} cannot copy files`);
        await ex.writeFile(local, remote, onBytes);
      },
      audit: audit.sink,
      progress: (e) => {
        if (e.type === 'step') err(`==> ${e.index + 1}/${e.total} [${e.step.node}] ${e.step.title}`);
        else if (e.type === 'output') process.stderr.write(e.text);
        else err(e.text);
      },
      now: () => new Date(),
    });
    if (values.json) out(JSON.stringify({ apiVersion: 'kubeadm-upgrade/v1', kind: 'RestoreResult', cluster: ctx.name, stamp: plan.stamp, ...outcome }, null, 2));
    else out(renderRestoreOutcome(plan, outcome));
    return outcome.ok ? 0 : 1;
  } finally {
    for (const ex of executors.values()) ex.dispose();
    pool.dispose();
  }
}

function checkedName(flag: string, n: string): string {
  try {
    return validateNodeName(n);
  } catch (e) {
    throw new UsageError(`${flag}: ${(e as Error).message}`);
  }
}

/** The local snapshot file and its sha256 (streamed); a record beside it (`FILE.json`) must agree, or the file changed. */
function localSnapshot(file: string, err: (s: string) => void): { path: string; sha256: string; record: SnapshotRecord | null } {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`--snapshot ${file}: no such file`);
  const sha256 = etcdSnapshotStore.sha256Of(file);
  let record: SnapshotRecord | null = null;
  try {
    record = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as SnapshotRecord;
  } catch {
    record = null;
  }
  if (record && record.sha256 !== sha256) throw new UsageError(`--snapshot ${file}: its sha256 ${sha256} is not the one recorded when it was taken (${record.sha256}): the file changed or is damaged`);
  const size = fs.statSync(file).size;
  err(`snapshot ${file}: ${bytesOfTotal(size, size).replace(/ of .*/, '')}, sha256 ${sha256}${record ? ` (taken on ${record.node} at ${record.takenAt}, revision ${record.status.revision})` : ''}`);
  return { path: file, sha256, record };
}

/**
 * Control planes and workers from the API; when it does not answer (etcd broken, the apiservers down) the admin names
 * them with --control-planes (and --workers). Names given are used as given: never a guess.
 */
async function readTopology(ctx: ReturnType<typeof contextFor>, cps: string[] | undefined, workers: string[] | undefined): Promise<Topology> {
  try {
    const snap = buildSnapshot((await new ApiClusterSource(ctx.name, ctx.config).fetch()).objects);
    const config = await new ApiReadinessProbes(ctx.config).configMap('kube-system', 'kubeadm-config').catch(() => undefined);
    const cc = config?.['ClusterConfiguration'];
    const apiCps = snap.nodes.filter((n) => n.controlPlane).map((n) => n.name);
    return {
      controlPlanes: cps ?? apiCps,
      workers: workers ?? snap.nodes.filter((n) => !n.controlPlane).map((n) => n.name),
      addresses: new Map(snap.nodes.map((n) => [n.name, n.internalIP])),
      external: isExternalEtcd(cc),
      endpoints: externalEndpoints(cc),
    };
  } catch (e) {
    if (!cps) throw new UsageError(`the API of ${ctx.name} does not answer (${(e as Error).message.split('\n')[0]}): name the control planes with --control-planes cp-1,cp-2,cp-3 (and the workers with --workers)`);
    return { controlPlanes: cps, workers: workers ?? [], addresses: new Map(), external: false, endpoints: [] };
  }
}
