// Wait-for-Ready tail after a kubelet restart: from the moment the Node turns Ready (seen by the bench's own watch)
// to the moment the upgrade's wait returns. Ours: the wait with ApiClusterOps's watch on the Node; baseline: the
// same wait with the watch taken away, i.e. polling with a GET every 2 s (the previous behaviour).
import { KubeConfig, Watch, type V1Node } from '@kubernetes/client-node';
import { ApiClusterOps } from '../../src/adapters/k8s/clusterOps';
import { KubeDrainApi } from '../../src/adapters/k8s/drain';
import type { ClusterOps } from '../../src/core/upgrade/ports';
import { waitNodeReady } from '../../src/core/upgrade/waitReady';
import { parseVersion } from '../../src/core/version';
import type { Sandbox } from '../../test/integration/sandbox';
import { row, type Row } from '../lib/report';
import { alternate, summarize } from '../lib/stats';

const isReady = (n: V1Node) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** Restarts the kubelet over SSH (the node goes NotReady before the command returns), then times the wait's tail. */
async function tail(sb: Sandbox, kc: KubeConfig, node: string, ops: ClusterOps): Promise<number> {
  let readyAt: bigint | undefined;
  let sawNotReady = false;
  const controller = await new Watch(kc).watch('/api/v1/nodes', { fieldSelector: `metadata.name=${node}` }, (_phase, obj: V1Node) => {
    if (!isReady(obj)) sawNotReady = true;
    else if (sawNotReady && readyAt === undefined) readyAt = process.hrtime.bigint();
  }, () => {});
  try {
    const r = sb.ssh(node, 'sudo systemctl restart kubelet');
    if (r.code !== 0) throw new Error(`kubelet restart on ${node}: ${r.stderr}`);
    const target = parseVersion((await ops.nodeStatus(node))?.kubeletVersion)!;
    await waitNodeReady({ node, target, timeoutSeconds: 120, cluster: ops, progress: () => {} });
    const doneAt = process.hrtime.bigint();
    // The bench's watch may deliver the same event a moment after the wait saw it: give it a little time.
    for (let i = 0; i < 100 && readyAt === undefined; i++) await new Promise((res) => setTimeout(res, 10));
    if (readyAt === undefined) throw new Error('the bench did not see the Ready transition');
    return Math.max(0, Number(doneAt - readyAt) / 1e6);
  } finally {
    controller.abort();
  }
}

export async function readyTail(sb: Sandbox, node: string, runs: number): Promise<Row[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(sb.kubeconfig);
  const watching = new ApiClusterOps(kc, new KubeDrainApi(kc));
  // The previous behaviour: the same operations without the watch, so the wait polls.
  const polling: ClusterOps = { drain: (...a) => watching.drain(...a), uncordon: (n) => watching.uncordon(n), nodeStatus: (n) => watching.nodeStatus(n) };
  const [ours, base] = await alternate(runs, () => tail(sb, kc, node, watching), () => tail(sb, kc, node, polling));
  const o = summarize(ours, 'ms');
  return [row({ id: 'ready-tail', measure: 'wait-for-Ready tail after kubelet restart', ours: o, baseline: summarize(base, 'ms'), baselineName: 'GET every 2 s', goal: '≤ 100 ms', pass: o.median <= 100 })];
}
