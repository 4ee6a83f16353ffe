import { formatVersion } from '../../version';
import { commandEvidence } from '../context';
import { NODE_FACTS_COMMAND, parseNodeFacts } from '../parse/nodeFacts';
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

export const swapEnabled: Check = {
  id: 'swap-enabled',
  async run(ctx) {
    return perNode(ctx, 'swap-enabled', (await ctx.snapshot()).nodes, async (n) => {
      const { facts, evidence } = await factsOf(ctx, n);
      if (facts.swap.length === 0) return [result('swap-enabled', 'ok', n.name, `No swap on ${n.name}`, evidence)];
      return [result('swap-enabled', 'warning', n.name, `Swap is on on ${n.name} (${facts.swap.length} device(s))`, evidence,
        'Unless the kubelet is configured for swap (failSwapOn: false, memorySwap.swapBehavior), it refuses to start: `swapoff -a` and remove swap from /etc/fstab, or configure swap support deliberately.')];
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
