// kubeadm's warning when the control planes run different kube-apiserver versions (phases/upgrade/compute.go, a klog
// W line: `Different API server versions in the cluster were discovered: v1.33.0 on nodes [cp1], v1.32.4 on nodes
// [cp2 cp3]. Please upgrade …`). kubeadm then plans from the newest and may print no table at all, so the plan reads
// "up to date" while a control plane is behind: the diagnostic names every version and its nodes.
import { compareVersionStrings, normalizeKubeVersion } from './versions';
import type { PlanDiagnostic } from './types';

export interface ApiserverVersion {
  readonly version: string;
  readonly nodes: readonly string[];
}

const WARNING = /Different API server versions in the cluster were discovered: (.*?)\.?(?:\s+Please upgrade.*)?$/;

/** The versions and nodes the warning lists, newest first; null when the line is not that warning. */
export function apiserverVersions(message: string): ApiserverVersion[] | null {
  const m = WARNING.exec(message);
  if (!m) return null;
  const out = [...m[1]!.matchAll(/(v?\d+\.\d+\.\d+\S*?) on nodes \[([^\]]*)\]/g)].map((x) => ({
    version: normalizeKubeVersion(x[1]) ?? x[1]!,
    nodes: x[2]!.split(/\s+/).filter(Boolean),
  }));
  return out.length ? out.sort((a, b) => compareVersionStrings(b.version, a.version)) : null;
}

export function apiserverVersionsDiagnostic(list: readonly ApiserverVersion[]): PlanDiagnostic {
  const [newest, ...behind] = list;
  const nodes = behind.flatMap((b) => b.nodes);
  return {
    severity: 'warning',
    message: `Different API server versions in the cluster: ${list.map((v) => `${v.version} on ${v.nodes.join(', ')}`).join('; ')}.`,
    fix:
      `An upgrade is half done: ${nodes.join(', ')} still run${nodes.length === 1 ? 's' : ''} ${behind.map((b) => b.version).join(', ')}. ` +
      `Run "kubeadm upgrade node" on ${nodes.length === 1 ? 'it' : 'each of them, one at a time,'} to bring ${nodes.length === 1 ? 'it' : 'them'} to ${newest!.version}, then plan again.`,
  };
}
