import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterState } from '../../../src/core/clusterStore';
import { evaluateSkew } from '../../../src/core/skew';
import { buildSnapshot } from '../../../src/core/snapshot/build';
import { children, type TreeElement } from '../../../src/ui/tree/elements';
import { contextValue, present } from '../../../src/ui/tree/present';
import { parseVersion } from '../../../src/core/version';
import { rawDump } from '../helpers/dumps';

function state(name: string): ClusterState {
  const snapshot = buildSnapshot(rawDump(name));
  return { contextName: `ctx-${name}`, server: 'https://10.0.0.1:6443', key: 'https://10.0.0.1:6443#', status: 'ready', snapshot, findings: evaluateSkew(snapshot), warnings: [] };
}

function walk(el: TreeElement | undefined, clusters: ClusterState[], depth = 0): string[] {
  return children(el, clusters).flatMap((c) => {
    const p = present(c);
    return [`${'  '.repeat(depth)}${p.label}${p.description ? ` — ${p.description}` : ''} [${p.contextValue}] (${p.icon.id})`, ...walk(c, clusters, depth + 1)];
  });
}

test('cluster item: context name, apiserver versions and a findings badge; Control plane and Workers groups', () => {
  const [cluster] = children(undefined, [state('mixed-skew')]);
  const p = present(cluster!);
  assert.equal(p.label, 'ctx-mixed-skew');
  assert.equal(p.description, 'v1.30.6, v1.31.2 · upgrade to 1.31 in progress · 7 errors, 2 warnings');
  assert.equal(p.icon.id, 'error');
  assert.equal(p.icon.color, 'list.errorForeground');
  assert.equal(p.contextValue, 'kubeadm:cluster+skewed');
  const groups = children(cluster, [state('mixed-skew')]).filter((e) => e.kind === 'group').map((e) => present(e));
  assert.deepEqual(groups.map((g) => [g.label, g.description]), [['Control plane', '3'], ['Workers', '5']]);
});

test('node items: version and state, icon by worst finding, facet contextValue', () => {
  const lines = walk(undefined, [state('mixed-skew')]);
  const line = (name: string) => lines.find((l) => l.trimStart().startsWith(name + ' — '))!;
  assert.match(line('worker-old'), /worker-old — kubelet v1\.27\.16 · Ready \[kubeadm:node\+worker\+skewed\] \(error\)/);
  assert.match(line('worker-edge'), /kubelet v1\.28\.15 · Ready \[kubeadm:node\+worker\+skewed\] \(warning\)/);
  assert.match(line('worker-down'), /kubelet v1\.30\.6 · NotReady, cordoned \[kubeadm:node\+worker\+cordoned\+notReady\] \(server\)/);
  assert.match(line('cp-2'), /\[kubeadm:node\+controlPlane\+skewed\] \(warning\)/);
});

test('node children: its findings, then component versions', () => {
  const s = state('mixed-skew');
  const cp2 = children(undefined, [s]).flatMap((c) => children(c, [s])).flatMap((g) => children(g, [s])).find((e) => e.kind === 'node' && e.node.name === 'cp-2')!;
  const rows = children(cp2, [s]).map((e) => present(e)).map((p) => `${p.label}=${p.description}`);
  // two findings first: kube-controller-manager one minor behind its apiserver (a warning), then the mixed apiservers,
  // which the upgrade in progress explains (info, expected until cp-2 — the last one — is upgraded)
  assert.deepEqual(rows.slice(0, 2), [
    'kube-controller-manager v1.29.10 is one minor behind kube-apiserver v1.30.6=supported during an upgrade, finish upgrading this control plane',
    'kube-apiserver instances run v1.30.6 and v1.31.2 (an upgrade in progress)=expected until cp-2 is upgraded to v1.31.2',
  ]);
  assert.equal(rows.length, 9);
  assert.ok(rows.includes('kube-controller-manager=v1.29.10'), rows.join('\n'));
  assert.ok(rows.includes('etcd=3.5.15-0'), rows.join('\n'));
  assert.ok(rows.includes('container runtime=containerd://1.7.22'), rows.join('\n'));
});

test('node tooltip lists kubelet, kube-proxy, runtime, OS, kernel, IP, control-plane versions and findings', () => {
  const s = state('mixed-skew');
  const node = s.snapshot!.nodes.find((n) => n.name === 'cp-3')!;
  const p = present({ kind: 'node', cluster: s, node, findings: s.findings.filter((f) => f.node === 'cp-3') });
  for (const text of ['kubelet | v1.31.2', 'kube-proxy | v1.31.2', 'Container runtime | containerd://1.7.22', 'OS image | Ubuntu 22.04.4 LTS', 'Kernel | 5.15.0-119-generic', 'Internal IP | 10.0.0.13', 'kube-apiserver | v1.31.2', 'kube-controller-manager | v1.31.2', 'kube-scheduler | v1.29.10', 'etcd | 3.5.15-0', 'kube-scheduler-too-old']) {
    assert.ok(p.tooltip!.includes(text), `tooltip lacks "${text}":\n${p.tooltip}`);
  }
});

test('an unreachable cluster shows an error item with the server message, never an empty tree', () => {
  const s: ClusterState = {
    contextName: 'prod',
    server: 'https://10.1.1.1:6443',
    key: 'https://10.1.1.1:6443#',
    status: 'error',
    error: { kind: 'forbidden', message: 'Forbidden (403) at prod: RBAC does not allow this user to read nodes', detail: 'nodes is forbidden: User "dev" cannot list resource "nodes"' },
    findings: [],
    warnings: [],
  };
  const [cluster] = children(undefined, [s]);
  assert.equal(present(cluster!).description, 'unreachable');
  const [err] = children(cluster, [s]);
  const p = present(err!);
  assert.equal(p.contextValue, 'kubeadm:error+forbidden');
  assert.match(p.label, /Forbidden \(403\)/);
  assert.match(p.tooltip!, /cannot list resource/);
});

test('contextValue facets', () => {
  assert.equal(contextValue('node', { controlPlane: true, cordoned: true, skewed: false }), 'kubeadm:node+controlPlane+cordoned');
  assert.equal(contextValue('cluster'), 'kubeadm:cluster');
});

test('a node with an upgrade run shows its progress and facets', () => {
  const s = state('healthy');
  const node = s.snapshot!.nodes.find((n) => n.name === 'worker-1')!;
  const running = present({ kind: 'node', cluster: s, node, findings: [], runLabel: 'upgrading 4/9' });
  assert.equal(running.description, 'kubelet v1.31.2 · Ready · upgrading 4/9');
  assert.equal(running.contextValue, 'kubeadm:node+worker+upgrading');
  assert.equal(running.icon.id, 'sync~spin');
  const failed = present({ kind: 'node', cluster: s, node: { ...node, unschedulable: true }, findings: [], runLabel: 'upgrade failed at 6/9' });
  assert.equal(failed.description, 'kubelet v1.31.2 · cordoned · upgrade failed at 6/9');
  assert.equal(failed.contextValue, 'kubeadm:node+worker+cordoned+upgradeStopped');
});

test('mid-upgrade (after cp-2\'s apply): a Next step item that starts Upgrade Node on cp-1; expected findings are info', () => {
  const s = state('mid-upgrade');
  const [cluster] = children(undefined, [s]);
  assert.equal(present(cluster!).description, 'v1.31.2, v1.32.0 · upgrade to 1.32 in progress · 1 warning');
  const first = present(children(cluster, [s])[0]!);
  assert.equal(first.label, 'Next step: kubeadm upgrade node on cp-1');
  assert.equal(first.description, 'to v1.32.0, then cp-3');
  assert.match(first.tooltip!, /Click to run \*\*Upgrade Node\*\* on cp-1/);
  assert.deepEqual(first.command, { command: 'kubeadm.upgradeNode', title: 'Upgrade cp-1', arguments: [{ context: 'ctx-mid-upgrade', node: 'cp-1', target: 'v1.32.0' }] });
  const lines = walk(undefined, [s]);
  assert.ok(lines.some((l) => /^ {4}cp-2 — kubelet v1\.32\.0 · Ready \[kubeadm:node\+controlPlane\] \(server-environment\)$/.test(l)), lines.join('\n'));
  assert.ok(
    lines.includes('      kubelet v1.32.0 is newer than the oldest kube-apiserver (v1.31.2) — expected until cp-1, cp-3 are upgraded to v1.32.0 [kubeadm:finding+info+expected] (info)'),
    lines.join('\n'),
  );
  assert.equal(lines.filter((l) => l.includes('(error)')).length, 0);
});

test('a node\'s kubeadm version, when known from the node, is in its description', () => {
  const s = state('healthy');
  const node = { ...s.snapshot!.nodes[0]!, kubeadm: { component: 'kubeadm' as const, version: parseVersion('v1.31.2'), source: 'kubeadm version' } };
  assert.equal(present({ kind: 'node', cluster: s, node, findings: [] }).description, 'kubelet v1.31.2 · kubeadm v1.31.2 · Ready');
});
