import { formatVersion } from '../../version';
import { commandEvidence } from '../context';
import { NODE_FACTS_COMMAND, kubeletSwapConfig, parseNodeFacts } from '../parse/nodeFacts';
import type { ReadinessContext } from '../context';
import type { NodeSnapshot } from '../../snapshot/model';
import { result } from '../types';
import type { Check } from './check';
import { nodeAccess, perNode } from './nodeAccess';

const factsByNode = new WeakMap<ReadinessContext, Map<string, Promise<{ facts: ReturnType<typeof parseNodeFacts>; evidence: string[] }>>>();

function factsOf(ctx: ReadinessContext, n: NodeSnapshot) {
  let m = factsByNode.get(ctx);
  if (!m) factsByNode.set(ctx, (m = new Map()));
  let p = m.get(n.name);
  if (!p) {
    p = (async () => {
      await nodeAccess(ctx, n);
      const r = await ctx.run(n, NODE_FACTS_COMMAND);
      return { facts: parseNodeFacts(r.stdout), evidence: commandEvidence(String(NODE_FACTS_COMMAND), r) };
    })();
    m.set(n.name, p);
  }
  return p;
}

/**
 * `swap-enabled`: swap on a node is a blocker when the kubelet would refuse to start after the upgrade.
 * `kubeadm upgrade node` rewrites /var/lib/kubelet/config.yaml from the kubelet-config ConfigMap, so what counts is
 * that ConfigMap's failSwapOn (default true), unless a `--fail-swap-on` flag (kubeadm-flags.env, /etc/default/kubelet)
 * overrides it; memorySwap.swapBehavior says what workloads may then use (NoSwap, LimitedSwap).
 */
export const swapEnabled: Check = {
  id: 'swap-enabled',
  async run(ctx) {
    const cluster = await ctx.deps.api.configMap('kube-system', 'kubelet-config').then((d) => kubeletSwapConfig(d?.['kubelet'] ?? ''), (e: Error) => e);
    return perNode(ctx, 'swap-enabled', (await ctx.snapshot()).nodes, async (n) => {
      const { facts, evidence } = await factsOf(ctx, n);
      if (facts.swap.length === 0) return [result('swap-enabled', 'ok', n.name, `No swap on ${n.name}`, evidence)];
      const swapOn = `Swap is on on ${n.name} (${facts.swap.length} device(s))`;
      const nodeLine = `node /var/lib/kubelet/config.yaml: failSwapOn ${facts.nodeConfig.failSwapOn ?? 'not set'}, swapBehavior ${facts.nodeConfig.swapBehavior ?? 'not set'}`;
      if (cluster instanceof Error && facts.failSwapOnFlag === undefined) {
        return [result('swap-enabled', 'warning', n.name, `${swapOn}; whether the kubelet accepts it is unknown: ${cluster.message}`, [...evidence, nodeLine],
          'Check failSwapOn in the kubelet-config ConfigMap (kube-system); unless it is false, `swapoff -a` and remove swap from /etc/fstab.')];
      }
      const fromCluster = cluster instanceof Error ? undefined : cluster;
      const failSwapOn = facts.failSwapOnFlag ?? fromCluster?.failSwapOn ?? true;
      const source = facts.failSwapOnFlag !== undefined ? `--fail-swap-on=${facts.failSwapOnFlag} in the kubelet's flags` : fromCluster?.failSwapOn !== undefined ? `failSwapOn: ${fromCluster.failSwapOn} in the kubelet-config ConfigMap` : 'failSwapOn not set in the kubelet-config ConfigMap (default true)';
      const behavior = fromCluster?.swapBehavior ?? facts.nodeConfig.swapBehavior;
      const ev = [...evidence, `effective after the upgrade: ${source}`, `kubelet-config memorySwap.swapBehavior: ${fromCluster?.swapBehavior ?? 'not set (NoSwap)'}`, nodeLine];
      if (failSwapOn) {
        return [result('swap-enabled', 'blocker', n.name, `${swapOn} and the kubelet refuses to start with swap (${source}): after the upgrade it will not come back`, ev,
          `\`swapoff -a\` on ${n.name} and remove swap from /etc/fstab; or allow swap deliberately: failSwapOn: false (and memorySwap.swapBehavior: LimitedSwap or NoSwap) in the kubelet-config ConfigMap, which \`kubeadm upgrade node\` writes to every node.`)];
      }
      return [result('swap-enabled', 'info', n.name, `${swapOn}; the kubelet allows it (${source}), swapBehavior ${behavior ?? 'NoSwap (default)'}`, ev)];
    });
  },
};

/** Kubelet 1.35 refuses cgroup v1 unless KubeletConfiguration says `failCgroupV1: false`. */
const CGROUP_V1_REFUSED_FROM = 35;

export const cgroupV1: Check = {
  id: 'cgroup-v1',
  async run(ctx) {
    const kubeletConfig = (await ctx.deps.api.configMap('kube-system', 'kubelet-config').catch(() => undefined))?.['kubelet'] ?? '';
    const allowed = /^failCgroupV1:\s*false\s*$/m.test(kubeletConfig);
    const refused = ctx.target.major === 1 && ctx.target.minor >= CGROUP_V1_REFUSED_FROM && !allowed;
    return perNode(ctx, 'cgroup-v1', (await ctx.snapshot()).nodes, async (n) => {
      const { facts, evidence } = await factsOf(ctx, n);
      if (facts.cgroup === 'v2') return [result('cgroup-v1', 'ok', n.name, `${n.name} uses cgroup v2`, evidence)];
      if (facts.cgroup === 'unknown') return [result('cgroup-v1', 'warning', n.name, `Could not tell the cgroup version of ${n.name} (/sys/fs/cgroup is ${facts.cgroupFs || 'unreadable'})`, evidence, 'Check with `stat -fc %T /sys/fs/cgroup/` on the node.')];
      return [result('cgroup-v1', refused ? 'blocker' : 'warning', n.name,
        refused ? `${n.name} runs cgroup v1: the kubelet ${formatVersion(ctx.target)} refuses to start on it` : `${n.name} runs cgroup v1, which is deprecated${allowed ? ' (kubelet-config allows it: failCgroupV1: false)' : ''}`,
        [...evidence, `kubelet-config failCgroupV1: ${allowed ? 'false' : 'not set (default true from 1.35)'}`],
        'Move the node to cgroup v2 (systemd.unified_cgroup_hierarchy=1 on the kernel command line, a current distribution), or set failCgroupV1: false in the kubelet configuration knowingly.')];
    });
  },
};
