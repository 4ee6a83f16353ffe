import * as path from 'node:path';
import { etcdSnapshotStore } from '../adapters/storage/etcdSnapshots';
import { isExternalEtcd } from '../core/etcd/commands';
import { everyPercent, snapshotEtcd, SnapshotError, type SnapshotOutcome, type SnapshotRecord } from '../core/etcd/snapshot';
import { validateNodeName } from '../core/exec/shell';
import { CLUSTER_ACCESS_FLAGS, parse, UsageError } from './args';
import { printJson } from './jsonOutput';
import { cliClusterAccess, type CliClusterAccess } from './preflightCommand';
import { cliStateDir } from './stateDir';
import { SNAPSHOT_ETCD_USAGE } from './usage';


/** Takes a verified etcd snapshot on `node` (default: the first Ready control plane) into `outDir`. */
export async function takeSnapshot(access: CliClusterAccess, nodeName: string | undefined, outDir: string, progress?: (s: string) => void): Promise<SnapshotOutcome> {
  const snap = await access.deps.snapshot();
  const cps = snap.nodes.filter((n) => n.controlPlane);
  const node = nodeName ? snap.nodes.find((n) => n.name === nodeName) : (cps.find((n) => n.readiness === 'Ready') ?? cps[0]);
  if (!node) throw new UsageError(nodeName ? `node ${nodeName} is not in ${access.contextName}` : `no control-plane node in ${access.contextName}`);
  if (!node.controlPlane) throw new UsageError(`${node.name} is not a control-plane node: etcd snapshots are taken on a control plane`);
  const config = await access.deps.api.configMap('kube-system', 'kubeadm-config');
  const executor = await access.deps.executorFor(node);
  return snapshotEtcd(
    {
      cluster: access.contextName,
      executor,
      etcdExternal: isExternalEtcd(config?.['ClusterConfiguration']),
      stage: etcdSnapshotStore.stage,
      writeRecord: etcdSnapshotStore.writeRecord,
      now: new Date(),
      ...(progress ? { progress, onBytes: everyPercent(progress) } : {}),
    },
    node.name,
    outDir,
  );
}

/** `kubeadm-upgrade snapshot-etcd`: exit 0 with a verified local copy (or external etcd, noted), 1 on failure, 2 on bad input. */
export async function snapshotEtcdCommand(argv: string[], out: (s: string) => void, err: (s: string) => void = (s) => process.stderr.write(s + '\n')): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CLUSTER_ACCESS_FLAGS,
    node: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(' ')}\nusage: ${SNAPSHOT_ETCD_USAGE}`);
  if (values.node) {
    try {
      validateNodeName(values.node);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const outDir = path.resolve(values.out ?? path.join(cliStateDir(), 'etcd-snapshots'));
  const access = cliClusterAccess({ kubeconfig: values.kubeconfig, context: values.context, sshConfig: values['ssh-config'], acceptNewHostKeys: values['accept-new-host-keys'], err, run: 'etcd-snapshot', phase: 'etcd-snapshot' });
  try {
    const outcome = await takeSnapshot(access, values.node, outDir, (s) => err(`==> ${s}`));
    if (outcome.kind === 'external') {
      if (values.json) out(printJson('EtcdSnapshot', { result: 'external', note: outcome.note }));
      else out(outcome.note);
      return 0;
    }
    const r = outcome.record;
    if (values.json) out(printJson('EtcdSnapshot', { result: 'saved', ...recordFields(r) }));
    else {
      out(`etcd snapshot of ${r.cluster} from ${r.node}: ${r.localPath}`);
      out(`sha256 ${r.sha256}  revision ${r.status.revision}  keys ${r.status.totalKey}  size ${r.status.totalSize} bytes  hash ${r.status.hash}`);
      out(`kept on the node too: ${r.remotePath}`);
    }
    return 0;
  } catch (e) {
    if (e instanceof SnapshotError) {
      err(`kubeadm-upgrade snapshot-etcd: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    access.dispose();
  }
}

/** The saved record's fields for `--json` (kind EtcdSnapshot): its own `kind` is the record file's, not the output's. */
function recordFields(r: SnapshotRecord): Omit<SnapshotRecord, 'kind'> {
  return { cluster: r.cluster, node: r.node, remotePath: r.remotePath, localPath: r.localPath, sha256: r.sha256, status: r.status, takenAt: r.takenAt };
}
