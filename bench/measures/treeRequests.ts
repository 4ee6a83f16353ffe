// Requests to draw the tree: one snapshot read by ApiClusterSource (every HTTP request the process sends, counted),
// against kubectl reading the same objects (six commands, a fresh discovery cache each, as a first run).
import { ApiClusterSource } from '../../src/adapters/k8s/apiClusterSource';
import { loadContexts } from '../../src/adapters/k8s/kubeconfig';
import type { Sandbox } from '../../test/integration/sandbox';
import { kubectl } from '../lib/kubectl';
import { row, type Row } from '../lib/report';
import { countRequests } from '../lib/requests';
import { summarize } from '../lib/stats';

const KUBECTL_READS = [
  ['get', 'nodes', '-o', 'json'],
  ['get', 'pods', '-n', 'kube-system', '-o', 'json'],
  ['get', 'configmap', 'kubeadm-config', '-n', 'kube-system', '-o', 'json'],
  ['get', 'daemonset', 'kube-proxy', '-n', 'kube-system', '-o', 'json'],
  ['get', 'deployment', 'coredns', '-n', 'kube-system', '-o', 'json'],
  ['version', '-o', 'json'],
];

export async function treeRequests(sb: Sandbox): Promise<Row[]> {
  const ctx = loadContexts([sb.kubeconfig]).contexts[0]!;
  const source = new ApiClusterSource(ctx.name, ctx.config);
  const { requests } = await countRequests(() => source.fetch());
  let theirs = 0;
  for (const args of KUBECTL_READS) theirs += (await kubectl(sb.kubeconfig, args)).requests;
  return [
    row({
      id: 'tree-requests',
      measure: 'requests to draw the tree (one snapshot)',
      ours: summarize([requests], 'count'),
      baseline: summarize([theirs], 'count'),
      baselineName: 'kubectl, same 6 reads',
      goal: '≤ 6 (+ pages)',
      pass: requests <= 6,
    }),
  ];
}
