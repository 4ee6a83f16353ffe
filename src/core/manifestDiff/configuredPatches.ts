import { parseAllDocuments } from 'yaml';
import type { NodeExecutor } from '../exec/executor';
import { quote, raw, type ShellCommand } from '../exec/shell';
import { parseHeadListing } from './patches';

/**
 * The patches folder a control plane was set up with, found in its kubeadm configuration: kubeadm keeps only the
 * ClusterConfiguration in the cluster (the kubeadm-config ConfigMap, which has no patches field), so the folder is
 * named only in the configuration file given to `kubeadm init/join/upgrade --config` on the node — kubeadm v1beta4
 * (and v1beta3) `InitConfiguration.patches.directory`, `JoinConfiguration.patches.directory`,
 * `UpgradeConfiguration.apply.patches.directory` / `.node.patches.directory`. Those files are looked for where
 * kubeadm's docs and the common installers leave them.
 */

/** Where kubeadm configuration files are kept: the docs' and kubespray's, Cluster API's bootstrap files. */
export const KUBEADM_CONFIG_FILES: readonly string[] = [
  '/etc/kubernetes/kubeadm-config.yaml',
  '/etc/kubernetes/kubeadm.yaml',
  '/etc/kubernetes/kubeadm-upgrade.yaml',
  '/run/kubeadm/kubeadm.yaml',
  '/run/kubeadm/kubeadm-join-config.yaml',
];

/** Prints each of those files that exists (`head -v` headers); read-only, never fails on a missing one. */
export function kubeadmConfigFilesCommand(files: readonly string[] = KUBEADM_CONFIG_FILES): ShellCommand {
  return raw(`for f in ${files.map(quote).join(' ')}; do if [ -f "$f" ] && [ -r "$f" ]; then head -v -n 100000 -- "$f"; fi; done; true`);
}

/** A patches folder and where it was named, for the plan and the report ("patches.directory of the JoinConfiguration in /etc/kubernetes/kubeadm.yaml"). */
export interface ConfiguredPatches {
  readonly dir: string;
  readonly source: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const dirOf = (patches: unknown): string | undefined => {
  const d = isObj(patches) ? patches['directory'] : undefined;
  return typeof d === 'string' && d.startsWith('/') && !/[\n\0]/.test(d) && !d.split('/').includes('..') ? d.replace(/(.)\/+$/, '$1') : undefined;
};

/**
 * The patches folder named in the node's kubeadm configuration files, or undefined. `role`: the first control plane
 * runs `kubeadm upgrade apply` (UpgradeConfiguration `apply` first), the others `upgrade node` (`node` first); then
 * the JoinConfiguration and InitConfiguration the node was set up with. Files in the order given, documents in order.
 */
export function configuredPatches(files: readonly { path: string; content: string }[], role: 'apply' | 'node'): ConfiguredPatches | undefined {
  const found: { rank: number; dir: string; source: string }[] = [];
  for (const f of files) {
    let docs: unknown[];
    try {
      docs = parseAllDocuments(f.content).map((d) => d.toJS() as unknown);
    } catch {
      continue;
    }
    for (const d of docs) {
      if (!isObj(d) || typeof d['kind'] !== 'string' || !/^kubeadm\.k8s\.io\//.test(String(d['apiVersion']))) continue;
      const at = (rank: number, dir: string | undefined, field: string) => dir && found.push({ rank, dir, source: `${field} of the ${String(d['kind'])} in ${f.path}` });
      if (d['kind'] === 'UpgradeConfiguration') {
        const apply = isObj(d['apply']) ? dirOf(d['apply']['patches']) : undefined;
        const node = isObj(d['node']) ? dirOf(d['node']['patches']) : undefined;
        at(role === 'apply' ? 0 : 1, apply, 'apply.patches.directory');
        at(role === 'node' ? 0 : 1, node, 'node.patches.directory');
      } else if (d['kind'] === 'JoinConfiguration') at(2, dirOf(d['patches']), 'patches.directory');
      else if (d['kind'] === 'InitConfiguration') at(3, dirOf(d['patches']), 'patches.directory');
    }
  }
  const best = found.sort((a, b) => a.rank - b.rank)[0];
  return best ? { dir: best.dir, source: best.source } : undefined;
}

/** The node's configured patches folder (read-only); undefined when none is named or the files cannot be read. */
export async function findConfiguredPatches(executor: NodeExecutor, role: 'apply' | 'node'): Promise<ConfiguredPatches | undefined> {
  const r = await executor.run(kubeadmConfigFilesCommand(), { sudo: true, timeoutMs: 60_000 });
  if (r.exitCode !== 0) return undefined;
  return configuredPatches(parseHeadListing(r.stdout), role);
}
