// One `skew` read of a cluster in a process of its own, so its peak memory (maxRSS) is its own.
// usage: node --import tsx bench/children/skew.ts ours|paged|plain KUBECONFIG → one JSON line {ms, maxRssMiB, nodes}
import { ApiClusterSource } from '../../src/adapters/k8s/apiClusterSource';
import { loadContexts } from '../../src/adapters/k8s/kubeconfig';
import { listAllPages } from '../../src/adapters/k8s/pagedList';
import { buildSnapshot } from '../../src/core/snapshot/build';
import type { RawClusterObjects } from '../../src/core/snapshot/raw';
import { slimNode, slimPod } from '../../src/core/snapshot/slim';
import { evaluateSkew } from '../../src/core/skew';

async function main() {
  const [mode, kubeconfig] = process.argv.slice(2);
  const ctx = loadContexts([kubeconfig!]).contexts[0]!;
  const t0 = process.hrtime.bigint();
  let nodes = 0;
  if (mode === 'ours') {
    // The extension's read (ApiClusterSource: paged, projected LISTs of nodes and kube-system pods, the other reads
    // through client-node), then the snapshot and the findings.
    const { objects } = await new ApiClusterSource(ctx.name, ctx.config).fetch();
    evaluateSkew(buildSnapshot(objects));
    nodes = objects.nodes.length;
  } else if (mode === 'paged') {
    // The two big LISTs alone, paginated and projected as ApiClusterSource reads them (pagedList.ts + slim.ts).
    const [n, p] = await Promise.all([
      listAllPages(ctx.config, '/api/v1/nodes', { project: slimNode }),
      listAllPages(ctx.config, '/api/v1/namespaces/kube-system/pods', { project: slimPod }),
    ]);
    const objects: RawClusterObjects = { nodes: n.items, systemPods: p.items };
    evaluateSkew(buildSnapshot(objects));
    nodes = n.items.length;
  } else {
    // The floor: the same two LISTs in one response each, JSON.parse'd, nothing else.
    const [n] = await Promise.all([listAllPages(ctx.config, '/api/v1/nodes', { limit: 0 }), listAllPages(ctx.config, '/api/v1/namespaces/kube-system/pods', { limit: 0 })]);
    nodes = n.items.length;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, nodes }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
