// Snapshot → tree items for 5,000 nodes with a finding each, pure and on generated data: the Workers group's
// children and each node's TreeItem fields (what getTreeItem reads; the hover is built only on hover now).
// Baseline: the previous algorithm, run here side by side — each node's findings filtered from the whole list,
// and every node's hover built up front.
import type { ClusterState } from '../../src/core/clusterStore';
import { evaluateSkew } from '../../src/core/skew';
import type { Finding } from '../../src/core/skew';
import { cluster, cp, worker } from '../../test/unit/helpers/snapshot';
import { children, type TreeElement } from '../../src/ui/tree/elements';
import { nodeTooltip, present } from '../../src/ui/tree/present';
import { row, type Row } from '../lib/report';
import { alternate, msSince, summarize } from '../lib/stats';

/** 3 control planes at 1.36 and `workers` kubelets at 1.33 (at the skew limit: one warning each). */
export function largeCluster(workers = 5000): ClusterState {
  const v = '1.36.3';
  const nodes = [
    ...['cp-1', 'cp-2', 'cp-3'].map((n) => cp(n, { apiserver: v, controllerManager: v, scheduler: v, etcd: '3.6.8-0', kubelet: v, kubeProxy: v })),
    ...Array.from({ length: workers }, (_, i) => worker(`worker-${i}`, { kubelet: '1.33.5', kubeProxy: '1.33.5' })),
  ];
  const snapshot = cluster(nodes, v, v);
  return { contextName: 'large', server: 'https://127.0.0.1:6443', key: 'https://127.0.0.1:6443#', status: 'ready', snapshot, findings: evaluateSkew(snapshot), warnings: [] };
}

/** What the tree does to show the Workers group: its children, then each child's TreeItem fields. */
function drawOurs(state: ClusterState): number {
  const group = children({ kind: 'cluster', cluster: state }, [state]).find((e) => e.kind === 'group' && e.role === 'workers')!;
  // A fresh findings array each time, so the per-array index is rebuilt inside the measure, not reused from the last run.
  const fresh: ClusterState = { ...state, findings: [...state.findings] };
  let n = 0;
  for (const el of children({ ...group, cluster: fresh } as TreeElement, [fresh])) {
    const p = present(el);
    n += p.label.length + (p.description?.length ?? 0);
  }
  return n;
}

function drawBaseline(state: ClusterState): number {
  let n = 0;
  for (const node of state.snapshot!.nodes.filter((x) => !x.controlPlane)) {
    const findings: Finding[] = state.findings.filter((f) => f.node === node.name);
    const p = present({ kind: 'node', cluster: state, node, findings });
    n += p.label.length + (p.description?.length ?? 0) + nodeTooltip(node, findings).length;
  }
  return n;
}

export async function treeItems(runs: number): Promise<Row[]> {
  const state = largeCluster();
  const perNode = state.findings.filter((f) => f.node?.startsWith('worker-')).length;
  // Warm both paths once (JIT), then alternate.
  drawOurs(state);
  drawBaseline(state);
  const [a, b] = await alternate(
    runs,
    async () => {
      const t0 = process.hrtime.bigint();
      drawOurs(state);
      return msSince(t0);
    },
    async () => {
      const t0 = process.hrtime.bigint();
      drawBaseline(state);
      return msSince(t0);
    },
  );
  const ours = summarize(a, 'ms');
  return [
    row({
      id: 'tree-items',
      measure: `snapshot → tree items, 5,000 workers (${perNode} findings)`,
      ours,
      baseline: summarize(b, 'ms'),
      baselineName: 'filter per node + hovers up front',
      goal: '≤ 30 ms',
      pass: ours.median <= 30,
    }),
  ];
}
