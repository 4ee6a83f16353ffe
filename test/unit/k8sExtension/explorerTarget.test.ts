// The Kubernetes extension integration's pure half: its Clusters view items (as its API's resolveCommandTarget gives
// them) → our commands' arguments, the menu contributions in package.json against the contextValues its tree sets,
// and a node's skew findings on its item. The real extension in code-server: test/e2e/k8sExtension.mjs.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { evaluateSkew } from '../../../src/core/skew';
import { findingsOf } from '../../../src/core/skew/byNode';
import { buildSnapshot } from '../../../src/core/snapshot/build';
import {
  FORWARDED_COMMANDS,
  explorerTarget,
  followedKubeconfig,
  forwardedArgument,
  menuWhen,
  nodeDecoration,
} from '../../../src/ui/k8sExtension/explorerTarget';
import { rawDump } from '../helpers/dumps';

// The shapes its API gives (src/api/implementation/cluster-explorer/common.ts, adaptKubernetesExplorerNode, 1.4.1).
const NODE_KIND = { manifestKind: 'Node', abbreviation: 'node' };
const workerItem = { nodeType: 'resource', namespace: null, resourceKind: NODE_KIND, name: 'worker-3', metadata: {} } as const;
const cpItem = { ...workerItem, name: 'cp-1' } as const;
const podItem = { nodeType: 'resource', namespace: 'kube-system', resourceKind: { manifestKind: 'Pod', abbreviation: 'pod' }, name: 'etcd-cp-1' } as const;
const activeContext = { nodeType: 'context', name: 'kind-lab' } as const;
const inactiveContext = { nodeType: 'context.inactive', name: 'prod' } as const;

const byId = (id: string) => FORWARDED_COMMANDS.find((c) => c.id === id)!;
const isCp = (n: string) => n.startsWith('cp-');

describe('explorerTarget: its items → what our commands act on', () => {
  it('a Node resource item names its node; a context item (active or not) its context; anything else nothing', () => {
    assert.deepEqual(explorerTarget(workerItem), { kind: 'node', node: 'worker-3' });
    assert.deepEqual(explorerTarget(activeContext), { kind: 'context', context: 'kind-lab' });
    assert.deepEqual(explorerTarget(inactiveContext), { kind: 'context', context: 'prod' });
    assert.equal(explorerTarget(podItem), undefined);
    assert.equal(explorerTarget({ nodeType: 'folder.resource', resourceKind: NODE_KIND }), undefined);
    assert.equal(explorerTarget({ nodeType: 'error' }), undefined);
    assert.equal(explorerTarget(undefined), undefined, 'not one of its items (resolveCommandTarget gave nothing)');
  });

  it('forwardedArgument: a node gets its active context; Plan Upgrade on a worker takes the cluster (the plan runs on a control plane)', () => {
    const node = explorerTarget(workerItem)!;
    assert.deepEqual(forwardedArgument(byId('kubeadm.k8sExtension.upgradeNode'), node, 'kind-lab', isCp), { context: 'kind-lab', node: 'worker-3' });
    assert.deepEqual(forwardedArgument(byId('kubeadm.k8sExtension.drainNode'), node, 'kind-lab', isCp), { context: 'kind-lab', node: 'worker-3' });
    assert.deepEqual(forwardedArgument(byId('kubeadm.k8sExtension.planUpgrade'), node, 'kind-lab', isCp), { context: 'kind-lab' });
    assert.deepEqual(forwardedArgument(byId('kubeadm.k8sExtension.planUpgrade'), explorerTarget(cpItem)!, 'kind-lab', isCp), { context: 'kind-lab', node: 'cp-1' });
    const ctx = explorerTarget(inactiveContext)!;
    assert.deepEqual(forwardedArgument(byId('kubeadm.k8sExtension.upgradeCluster'), ctx, 'kind-lab', isCp), { context: 'prod' }, 'the item\'s own context, not the active one');
    assert.deepEqual(forwardedArgument(byId('kubeadm.k8sExtension.checkReadiness'), ctx, 'kind-lab', isCp), { context: 'prod' });
    assert.equal(forwardedArgument(byId('kubeadm.k8sExtension.upgradeNode'), ctx, 'kind-lab', isCp), undefined, 'a node command on a cluster item does nothing');
  });
});

describe('package.json: the menus in its view, without a hard dependency', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    extensionDependencies?: string[];
    contributes: { commands: { command: string; title: string }[]; menus: Record<string, { command: string; when?: string }[]> };
  };
  const items = pkg.contributes.menus['view/item/context']!;

  it('each forwarded command is contributed with our title, on its items, hidden from the palette; no extensionDependencies', () => {
    assert.equal(pkg.extensionDependencies, undefined);
    for (const c of FORWARDED_COMMANDS) {
      const ours = pkg.contributes.commands.find((x) => x.command === c.target);
      const fwd = pkg.contributes.commands.find((x) => x.command === c.id);
      assert.ok(ours && fwd, c.id);
      assert.equal(fwd.title, ours.title, `${c.id} reads as ${c.target} does`);
      assert.deepEqual(items.filter((m) => m.command === c.id).map((m) => m.when), [menuWhen(c.on)]);
      assert.ok(pkg.contributes.menus['commandPalette']!.some((m) => m.command === c.id && m.when === 'false'), `${c.id} hidden from the palette`);
    }
    assert.deepEqual(
      FORWARDED_COMMANDS.map((c) => `${c.on}:${pkg.contributes.commands.find((x) => x.command === c.id)!.title}`),
      ['node:Upgrade Node…', 'node:Drain Node…', 'node:Plan Upgrade', 'context:Upgrade Cluster…', 'context:Check Upgrade Readiness…'],
    );
  });

  it('the when clauses match the contextValues its tree sets (1.4.1) on Node and cluster items, and no other', () => {
    const regexOf = (on: 'node' | 'context') => {
      const when = items.find((m) => m.command === FORWARDED_COMMANDS.find((c) => c.on === on)!.id)!.when!;
      assert.match(when, /^view == extension\.vsKubernetesExplorer && viewItem =~ \//);
      const src = when.split(' =~ ')[1]!;
      return new RegExp(src.slice(1, src.lastIndexOf('/')), src.slice(src.lastIndexOf('/') + 1));
    };
    const node = regexOf('node');
    // node.resource.ts: `vsKubernetes.resource.${kind.abbreviation}`; explorer.ts appends `k8s-watchable` (Node has an apiName).
    assert.ok(node.test('vsKubernetes.resource.nodek8s-watchable'));
    assert.ok(node.test('vsKubernetes.resource.node'));
    for (const other of ['vsKubernetes.resource.podk8s-watchable', 'vsKubernetes.resource.namespacek8s-watchable', 'vsKubernetes.resource.namespace.inactivek8s-watchable', 'vsKubernetes.cluster', 'vsKubernetes.kind']) {
      assert.ok(!node.test(other), other);
    }
    const ctx = regexOf('context');
    // node.context.ts: `vsKubernetes.cluster` / `vsKubernetes.minikubeCluster`, `.inactive` when not current.
    for (const v of ['vsKubernetes.cluster', 'vsKubernetes.cluster.inactive', 'vsKubernetes.minikubeCluster', 'vsKubernetes.minikubeCluster.inactive']) assert.ok(ctx.test(v), v);
    for (const other of ['vsKubernetes.resource.nodek8s-watchable', 'vsKubernetes.helmRelease', 'kubernetes.cloudExplorer.cluster']) assert.ok(!ctx.test(other), other);
  });
});

describe('nodeDecoration: a node\'s skew findings on its item', () => {
  const snapshot = buildSnapshot(rawDump('mixed-skew'));
  const findings = evaluateSkew(snapshot);

  it('the worst finding in the description, every finding with its rule in the tooltip; nothing for a node without findings', () => {
    const worker3 = findingsOf(findings, 'worker-old');
    assert.ok(worker3.some((f) => f.rule === 'kubelet-too-old'));
    const d = nodeDecoration(worker3)!;
    assert.match(d.description, /^kubeadm error: kube(let|-proxy) v1\.27\.16 is 4 minors behind kube-apiserver v1\.31\.2 \(\+1\)$/);
    for (const f of worker3) assert.ok(d.tooltip.includes(`${f.severity.toUpperCase()} ${f.rule}: `), f.rule);
    const healthy = buildSnapshot(rawDump('healthy'));
    const none = evaluateSkew(healthy);
    assert.ok(healthy.nodes.length > 0);
    for (const n of healthy.nodes) assert.equal(nodeDecoration(findingsOf(none, n.name)), undefined, n.name);
  });
});

describe('followedKubeconfig: ours when set, else the Kubernetes extension\'s when it is installed', () => {
  it('picks, and expands ${userHome} as that extension does', () => {
    assert.deepEqual(followedKubeconfig(['/a'], '/b', true, '/home/u'), ['/a']);
    assert.deepEqual(followedKubeconfig([], ' ${userHome}/.kube/b ', true, '/home/u'), ['/home/u/.kube/b']);
    assert.deepEqual(followedKubeconfig([], '/b', false, '/home/u'), []);
    assert.deepEqual(followedKubeconfig([], '', true, '/home/u'), []);
    assert.deepEqual(followedKubeconfig([], 42, true, '/home/u'), []);
  });
});
