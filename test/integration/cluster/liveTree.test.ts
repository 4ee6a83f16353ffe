// The tree and the skew CLI against a real kube-apiserver (the sandbox's mixed-skew scenario): the snapshot is
// read with the fixed set of requests, the findings match the scenario's versions, and watches refresh the store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClusterSource } from '../../../src/adapters/k8s/apiClusterSource';
import { loadContexts } from '../../../src/adapters/k8s/kubeconfig';
import { main } from '../../../src/cli';
import { ClusterStore } from '../../../src/core/clusterStore';
import { children } from '../../../src/ui/tree/elements';
import { present } from '../../../src/ui/tree/present';
import { useSandbox, waitFor } from '../sandbox';
import { assertValidJsonOutput } from '../../schemas';

const sb = useSandbox('mixed-skew');

function source(): ApiClusterSource {
  const { contexts } = loadContexts([sb.kubeconfig]);
  assert.equal(contexts.length, 1);
  return new ApiClusterSource(contexts[0]!.name, contexts[0]!.config, 100, 200);
}

test('the tree shows every sandbox node with its versions and the scenario\'s skew findings', async () => {
  const store = new ClusterStore();
  await store.setSources([source()]);
  const state = store.list()[0]!;
  assert.equal(state.status, 'ready', state.error?.message);
  const expected = JSON.parse(sb.kubectl('get', 'nodes', '-o', 'json')) as { items: { metadata: { name: string }; status: { nodeInfo: { kubeletVersion: string } } }[] };
  const lines: string[] = [];
  const walk = (el?: Parameters<typeof children>[0]) => {
    for (const c of children(el, store.list())) {
      const p = present(c);
      lines.push(`${p.label} — ${p.description ?? ''} [${p.contextValue}]`);
      walk(c);
    }
  };
  walk();
  for (const n of expected.items) {
    assert.ok(lines.some((l) => l.startsWith(`${n.metadata.name} — kubelet ${n.status.nodeInfo.kubeletVersion} · Ready`)), `${n.metadata.name} missing:\n${lines.join('\n')}`);
  }
  const rules = state.findings.map((f) => `${f.rule}@${f.node ?? '-'}`);
  // mixed-skew: a kubelet at n-4, one at n-3, one newer than the apiserver, a controller-manager a minor behind
  assert.ok(rules.some((r) => r.startsWith('kubelet-too-old@')), rules.join());
  assert.ok(rules.some((r) => r.startsWith('kubelet-at-skew-limit@')), rules.join());
  assert.ok(rules.some((r) => r.startsWith('kubelet-newer-than-apiserver@')), rules.join());
  assert.ok(rules.some((r) => r.startsWith('kube-controller-manager-behind-apiserver@')), rules.join());
  // control-plane nodes carry their static pods' versions
  const cp = state.snapshot!.nodes.find((n) => n.controlPlane)!;
  assert.ok(cp.controlPlaneComponents['kube-apiserver']?.version);
  assert.ok(cp.controlPlaneComponents.etcd?.version);
  assert.ok(state.snapshot!.kubernetesVersion, 'kubeadm-config kubernetesVersion');
  store.dispose();
});

test('a cordon made outside the extension reaches the store through the watch', async () => {
  const store = new ClusterStore();
  await store.setSources([source()]);
  const worker = store.list()[0]!.snapshot!.nodes.find((n) => !n.controlPlane)!;
  assert.equal(worker.unschedulable, false);
  sb.kubectl('cordon', worker.name);
  try {
    await waitFor('watch refresh', () => store.list()[0]!.snapshot!.nodes.find((n) => n.name === worker.name)!.unschedulable || undefined, 30_000);
  } finally {
    sb.kubectl('uncordon', worker.name);
    store.dispose();
  }
});

test('kubeadm-upgrade skew --kubeconfig: exit 1 with the errors, JSON contract', async () => {
  const out: string[] = [];
  const code = await main(['skew', '--kubeconfig', sb.kubeconfig, '--json'], (s) => out.push(s), () => {});
  assert.equal(code, 1);
  assertValidJsonOutput(out.join('\n'), 'SkewReport'); // schemas/v1
  const parsed = JSON.parse(out.join('\n')) as { apiserverVersions: string[]; findings: { rule: string }[] };
  assert.equal(parsed.apiserverVersions.length, 1);
  assert.ok(parsed.findings.some((f) => f.rule === 'kubelet-too-old'));
});
