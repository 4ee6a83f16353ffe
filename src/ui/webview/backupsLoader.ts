import * as vscode from 'vscode';
import { listingCommand, parseListing } from '../../core/backups/listing';
import { backupsViewModel, type BackupsViewModel, type NodeInput } from '../../core/backups/viewModel';
import type { NodeAccess } from '../../core/exec/nodeAccess';
import type { NodeSnapshot } from '../../core/snapshot/model';
import { formatVersion } from '../../core/version';
import type { ExecutionServices } from './hostServices';

/**
 * Reads the backups of every control-plane node of a cluster (or one node) through the configured executors: the
 * settings are read once for the whole listing, like any other command (ClusterAccess.nodes).
 */
export async function loadBackups(services: ExecutionServices, contextName: string, onlyNode?: string | null): Promise<BackupsViewModel> {
  const snapshot = services.store.get(contextName)?.snapshot;
  const nodes = (snapshot?.nodes ?? []).filter((n) => n.controlPlane && (!onlyNode || n.name === onlyNode));
  const current = snapshot?.kubernetesVersion ?? snapshot?.serverVersion;
  const target = vscode.workspace.getConfiguration('kubeadm').get<string>('targetVersion', '').trim() || null;
  const access = services.access.nodes(contextName);
  const inputs = await Promise.all(
    nodes.map(async (n): Promise<NodeInput> => {
      const audit = await Promise.resolve(services.auditLogFor?.(contextName, n.name)).catch(() => undefined);
      return {
        node: n.name,
        listing: await readListing(services, access, n).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) })),
        etcdExternal: etcdExternal(n),
        currentVersion: current ? formatVersion(current) : null,
        targetVersion: target,
        auditLog: audit?.text ?? null,
        auditEntries: audit?.entries ?? null,
      };
    }),
  );
  return { ...backupsViewModel(contextName, inputs, new Date().toISOString()), etcdSnapshots: services.etcdSnapshotsFor?.(contextName) ?? [] };
}

async function readListing(services: ExecutionServices, access: NodeAccess, node: NodeSnapshot): Promise<NodeInput['listing']> {
  const executor = await access.executorFor(node);
  const r = await executor.run(listingCommand(), { sudo: true, timeoutMs: 60_000 });
  services.log.appendLine(`[backups] ${executor.description}: listing exit ${r.exitCode ?? r.failure ?? 'unknown'}`);
  if (r.exitCode !== 0) return { error: r.failure ?? (r.stderr.trim() || `listing exited with ${r.exitCode}`) };
  const listing = parseListing(r.stdout);
  if (!listing.complete) return { error: 'The listing was cut off (no end marker): try again.' };
  return listing;
}

/** A control-plane node with a kube-apiserver but no etcd static Pod uses external etcd; unknown without pods. */
function etcdExternal(n: NodeSnapshot): boolean | null {
  if (n.controlPlaneComponents.etcd) return false;
  return n.controlPlaneComponents['kube-apiserver'] ? true : null;
}
