import * as os from 'node:os';
import * as path from 'node:path';
import { ApiReadinessProbes } from '../../adapters/k8s/readinessProbes';
import { AuditedExecutor, unaudited } from '../../adapters/storage/audited';
import { etcdSnapshotStore } from '../../adapters/storage/etcdSnapshots';
import { isExternalEtcd } from '../../core/etcd/commands';
import { everyPercent, snapshotEtcd, type SnapshotOutcome } from '../../core/etcd/snapshot';
import type { NodeAccess } from '../../core/exec/nodeAccess';
import { upgradeOptionDeps, type ReadinessDeps } from '../../core/readiness';
import type { NodeSnapshot } from '../../core/snapshot/model';
import type { Services } from '../services';
import { kubeadmSetting, readSettings, upgradeOptionsFor } from '../settings';
import { etcdSnapshotViews, type EtcdSnapshotView } from '../../core/backups/etcdSnapshots';

/** The readiness checks' access for one cluster of the tree: its API through the kubeconfig, its nodes through the command's access. */
export function readinessDeps(services: Services, nodes: NodeAccess, run = 'readiness'): ReadinessDeps {
  const contextName = nodes.cluster;
  const ctx = services.loader.context(contextName);
  if (!ctx) throw new Error(`context ${contextName} is not in the kubeconfig any more`);
  const options = upgradeOptionsFor(readSettings(), contextName);
  return {
    api: new ApiReadinessProbes(ctx.config),
    snapshot: async () => {
      const s = services.store.get(contextName)?.snapshot;
      if (!s) throw new Error(`${contextName} is not loaded (refresh the Kubeadm view)`);
      return s;
    },
    // The node's executor, its audit lines labelled with what runs the commands (readiness, etcd-snapshot, a run id).
    executorFor: async (node) => new AuditedExecutor(unaudited(await nodes.executorFor(node)), (e) => services.upgrades.audit.append(e), { cluster: contextName, node: node.name, run, phase: run === 'etcd-snapshot' ? run : 'readiness' }),
    now: new Date(),
    ...upgradeOptionDeps(options),
  };
}

export function auditCommand(services: Services, cluster: string, node: string, phase: string, command: string, exitCode: number | null, where: string): void {
  services.upgrades.audit.append({ time: new Date().toISOString(), run: phase, cluster, node, phase, command, where, exitCode, durationMs: 0 });
}

/** `kubeadm.etcdSnapshot.folder`, else the extension's global storage (etcd-snapshots/). */
export function snapshotFolder(globalStorage: string): string {
  const set = kubeadmSetting('etcdSnapshot.folder', '').trim();
  return set ? path.resolve(set.replace(/^~(?=$|\/)/, os.homedir())) : path.join(globalStorage, 'etcd-snapshots');
}

/** Takes a verified etcd snapshot on a control plane and copies it into the snapshot folder. */
export async function takeEtcdSnapshot(services: Services, nodes: NodeAccess, node: NodeSnapshot, outDir: string, progress?: (s: string) => void): Promise<SnapshotOutcome> {
  const contextName = nodes.cluster;
  const deps = readinessDeps(services, nodes, 'etcd-snapshot');
  const config = await deps.api.configMap('kube-system', 'kubeadm-config');
  return snapshotEtcd(
    {
      cluster: contextName,
      ...(services.store.keyOf(contextName) ? { clusterKey: services.store.keyOf(contextName)! } : {}),
      executor: await deps.executorFor(node),
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

/** The snapshots in the local folder for one cluster, with each file's sha256 re-checked and its restore steps. */
export function localEtcdSnapshots(folder: string, contextName: string, onSkip?: (file: string, reason: string) => void, clusterKey?: string): EtcdSnapshotView[] {
  return etcdSnapshotViews(etcdSnapshotStore.list(folder, onSkip), contextName, (p) => {
    try {
      return etcdSnapshotStore.sha256Of(p);
    } catch {
      return null;
    }
  }, clusterKey);
}
