import { compareVersions, formatVersion, parseVersion, type KubeVersion } from '../version';
import type { StaticPodStatus } from './ports';

const GATED = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;

export interface GateResult {
  readonly ok: boolean;
  /** Empty when ok; otherwise what is still wrong, one line each. */
  readonly problems: readonly string[];
}

/**
 * The control-plane health gate after one control plane's upgrade, before the next starts: its apiserver,
 * controller-manager and scheduler static pods Ready at the target, its etcd Ready (at the version kubeadm chose),
 * and the apiserver's `/readyz` answering ok with its etcd check passing.
 */
export function evaluateGate(node: string, target: KubeVersion, pods: readonly StaticPodStatus[], readyz: { status: number; body: string }): GateResult {
  const problems: string[] = [];
  for (const c of GATED) {
    const p = pods.find((x) => x.component === c);
    const v = p ? parseVersion(p.image.split(':').pop()) : undefined;
    if (!p) problems.push(`${c}-${node}: no static pod`);
    else if (!v || compareVersions(v, target) !== 0) problems.push(`${c}-${node}: image ${p.image}, expected ${formatVersion(target)}`);
    else if (!p.ready) problems.push(`${c}-${node}: not Ready`);
  }
  const etcd = pods.find((x) => x.component === 'etcd');
  // External etcd has no static pod here: then /readyz's etcd check is the only word on etcd.
  if (etcd && !etcd.ready) problems.push(`etcd-${node}: not Ready`);
  if (readyz.status !== 200) problems.push(`/readyz answered ${readyz.status === 0 ? 'nothing' : readyz.status}${readyz.body ? `: ${firstFailed(readyz.body)}` : ''}`);
  else if (/\[-\]etcd\b/.test(readyz.body)) problems.push(`/readyz: etcd check failing: ${firstFailed(readyz.body)}`);
  return { ok: problems.length === 0, problems };
}

function firstFailed(body: string): string {
  return body.split('\n').filter((l) => l.startsWith('[-]')).slice(0, 3).join('; ') || body.trim().split('\n')[0]!.slice(0, 200);
}
