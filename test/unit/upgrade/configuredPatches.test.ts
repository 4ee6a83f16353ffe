// #26: Upgrade Node/Cluster use the patches folder a control plane's kubeadm configuration names (when no setting or
// --patches names one), and the dry run says which folder and where it came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildContext, gatherNodeFacts, type NodeFacts } from '../../../src/core/upgrade/prepare';
import { dryRunScript, DEFAULT_OPTIONS } from '../../../src/core/upgrade/phases';
import type { ClusterSnapshot } from '../../../src/core/snapshot/model';
import { parseVersion } from '../../../src/core/version';
import { SNAP, fakeExecutor, node, ok } from '../readiness/fakes';

const cp = (name: string) => ({ ...node(name, true), controlPlaneComponents: { 'kube-apiserver': { component: 'kube-apiserver' as const, version: parseVersion('v1.35.4'), source: 'x' } } });
const snap: ClusterSnapshot = { ...SNAP, nodes: [cp('cp-1'), node('w-1', false)] };
const T = parseVersion('v1.36.3')!;
const CONFIG = ['==> /etc/kubernetes/kubeadm-config.yaml <==', 'apiVersion: kubeadm.k8s.io/v1beta4', 'kind: InitConfiguration', 'patches:', '  directory: /etc/kubernetes/patches', ''].join('\n');

test('the node\'s facts carry the folder its kubeadm configuration names; its control plane\'s apply gets --patches, said where from', async () => {
  const facts = await gatherNodeFacts('cp-1', fakeExecutor('cp-1', { 'kubeadm-config.yaml': ok(CONFIG) }));
  const where = 'patches.directory of the InitConfiguration in /etc/kubernetes/kubeadm-config.yaml';
  assert.deepEqual(facts.configuredPatches, { apply: { dir: '/etc/kubernetes/patches', source: where }, node: { dir: '/etc/kubernetes/patches', source: where } });
  const { context } = buildContext('prod', snap, 'cp-1', facts, T, DEFAULT_OPTIONS, new Date());
  assert.equal(context.options.patchesDir, '/etc/kubernetes/patches');
  const script = dryRunScript(context);
  assert.match(script, new RegExp(`# --patches /etc/kubernetes/patches: named by ${where}\\nkubeadm upgrade (apply v1\\.36\\.3 --yes|node) --patches /etc/kubernetes/patches\\n`));
});

test('the setting (or --patches) wins over the configuration; a worker gets none; no configuration, no folder', async () => {
  const facts: NodeFacts = { ...(await gatherNodeFacts('cp-1', fakeExecutor('cp-1', { 'kubeadm-config.yaml': ok(CONFIG) }))) };
  const set = buildContext('prod', snap, 'cp-1', facts, T, { ...DEFAULT_OPTIONS, patchesDir: '/srv/patches' }, new Date()).context;
  assert.deepEqual([set.options.patchesDir, set.options.patchesSource], ['/srv/patches', undefined]);
  assert.equal(buildContext('prod', snap, 'w-1', facts, T, DEFAULT_OPTIONS, new Date()).context.options.patchesDir, undefined);
  const none = await gatherNodeFacts('cp-1', fakeExecutor('cp-1'));
  assert.equal(none.configuredPatches, undefined);
  assert.equal(buildContext('prod', snap, 'cp-1', none, T, DEFAULT_OPTIONS, new Date()).context.options.patchesDir, undefined);
});
