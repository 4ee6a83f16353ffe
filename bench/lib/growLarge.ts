// Grows the `large` sandbox to twice its nodes: as many Node objects again (the generated workers' template), then
// waits until the kube-proxy DaemonSet has a Pod on each, so kube-system grows with the nodes as in a real cluster.
// The default namespace's load Pods are not added: the `skew` read never lists them.
import { apiFromKubeconfig, createAll } from '../../test/sandbox/lib/api';
import { nodeObject } from '../../test/sandbox/lib/node-objects';
import { loadScenario } from '../../test/sandbox/lib/scenario';
import { waitFor } from '../../test/integration/sandbox';

export async function doubleNodes(kubeconfig: string): Promise<{ before: number; after: number }> {
  const api = apiFromKubeconfig(kubeconfig);
  const count = async () => {
    const r = await api.request('GET', '/api/v1/nodes?limit=1');
    return (r.body.items?.length ?? 0) + (r.body.metadata?.remainingItemCount ?? 0) as number;
  };
  const before = await count();
  const kubeProxy = async () => (await api.request('GET', '/apis/apps/v1/namespaces/kube-system/daemonsets/kube-proxy')).body.status ?? {};
  const desiredBefore = ((await kubeProxy()).desiredNumberScheduled ?? 0) as number;
  const sc = loadScenario('large');
  const template = sc.template ?? sc.nodes[sc.nodes.length - 1]!;
  const generated = sc.generate!.workers;
  const extra = Array.from({ length: before }, (_, i) => {
    const name = `node-${String(generated + i + 1).padStart(4, '0')}`;
    return nodeObject({ ...template, name, role: 'worker', password: false, faults: {} }, before + i);
  });
  await createAll(api, () => '/api/v1/nodes', extra, 16, (n) => process.stderr.write(`[bench] more nodes: ${n}/${extra.length}\n`));
  const after = await count();
  // Every new node is one more kube-proxy Pod (the DaemonSet's count, not the node count: it may skip some nodes).
  await waitFor(`kube-proxy on the ${extra.length} new nodes`, async () => {
    const st = await kubeProxy();
    process.stderr.write(`[bench] kube-proxy pods: ${st.currentNumberScheduled}/${st.desiredNumberScheduled}\n`);
    if (st.desiredNumberScheduled >= desiredBefore + extra.length && st.currentNumberScheduled === st.desiredNumberScheduled) return true;
    await new Promise((r) => setTimeout(r, 10_000));
    return undefined;
  }, 1_200_000);
  return { before, after };
}
