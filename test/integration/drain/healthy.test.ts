// Drain a worker of the `healthy` scenario over the real apiserver (kwok nodes, real controllers and scheduler):
// pods are evicted and recreated elsewhere, DaemonSet pods stay, the node is cordoned; uncordon undoes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { cordon, drain, preview, uncordon } from '../../../src/adapters/k8s/drain';
import { drainCommand, uncordonCommand } from '../../../src/cli/drainCommands';
import type { DrainEvent } from '../../../src/core/drain/types';
import { useSandbox, waitFor } from '../sandbox';

let kc: KubeConfig;
const sb = useSandbox('healthy', {
  setUp: () => {
    kc = new KubeConfig();
    kc.loadFromFile(sb.kubeconfig);
  },
});

interface Pod { metadata: { name: string; uid: string; ownerReferences?: { kind: string }[]; labels?: Record<string, string> }; spec: { nodeName?: string }; status: { phase?: string } }
const pods = async (): Promise<Pod[]> => (await sb.api('GET', '/api/v1/namespaces/default/pods')).body.items;
const isDs = (p: Pod) => p.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet') ?? false;
const unschedulable = async (node: string) => (await sb.api('GET', `/api/v1/nodes/${node}`)).body.spec.unschedulable === true;

async function budgetsReady() {
  for (const name of ['web', 'api']) {
    await waitFor(`PDB ${name} computed`, async () => {
      const r = await sb.api('GET', `/apis/policy/v1/namespaces/default/poddisruptionbudgets/${name}`);
      const s = r.body.status ?? {};
      return s.observedGeneration === r.body.metadata.generation && s.disruptionsAllowed === 1 ? true : undefined;
    }, 120_000);
  }
}

/** The worker running the most replicated pods, so the drain has work to do. */
async function busiestWorker(): Promise<string> {
  const count = new Map<string, number>();
  for (const p of await pods()) if (!isDs(p) && p.spec.nodeName?.startsWith('worker-')) count.set(p.spec.nodeName, (count.get(p.spec.nodeName) ?? 0) + 1);
  return [...count].sort((a, b) => b[1] - a[1])[0]![0];
}

test('drain a healthy worker: evicted, recreated elsewhere, DaemonSet pod skipped, node cordoned; uncordon', { timeout: 300_000 }, async () => {
  await budgetsReady();
  const node = await busiestWorker();
  const before = (await pods()).filter((p) => p.spec.nodeName === node);
  const movable = before.filter((p) => !isDs(p));
  const daemon = before.filter(isDs);
  assert.ok(movable.length > 0, 'the worker runs replicated pods');
  assert.equal(daemon.length, 1, 'one node-exporter pod on the worker');

  const p = await preview(kc, node);
  assert.deepEqual(p.plan.errors, []);
  assert.ok(p.plan.skipped.some((s) => s.pod === `default/${daemon[0]!.metadata.name}` && s.reason === 'ignoring DaemonSet-managed Pods'));
  assert.equal(await unschedulable(node), false, 'preview changes nothing');

  const events: DrainEvent[] = [];
  const r = await drain(kc, node, { timeoutMs: 180_000 }, { onEvent: (e) => events.push(e) });
  assert.equal(r.ok, true, `${r.message}\n${events.map((e) => e.message).join('\n')}`);
  assert.equal(r.message, `node/${node} drained`);
  assert.equal(events[0]!.message, `node/${node} cordoned`);
  assert.ok(events.some((e) => e.type === 'warning' && /^Warning: ignoring DaemonSet-managed Pods: .*default\/node-exporter-/.test(e.message)));
  for (const m of movable) {
    assert.ok(r.evicted.includes(`default/${m.metadata.name}`), `${m.metadata.name} evicted`);
    assert.ok(events.some((e) => e.type === 'evicted' && e.message === `pod/${m.metadata.name} evicted`));
  }
  assert.equal(await unschedulable(node), true, 'spec.unschedulable set by the strategic merge patch');

  // Nothing but the DaemonSet pod is left on the node; the Deployments are whole again on other workers.
  const left = (await pods()).filter((x) => x.spec.nodeName === node);
  assert.deepEqual(left.map((x) => x.metadata.uid), daemon.map((x) => x.metadata.uid));
  await waitFor('web and api recreated elsewhere', async () => {
    const now = (await pods()).filter((x) => !isDs(x) && x.status.phase === 'Running');
    const web = now.filter((x) => x.metadata.labels?.app === 'web');
    const api = now.filter((x) => x.metadata.labels?.app === 'api');
    return web.length === 3 && api.length === 2 && now.every((x) => x.spec.nodeName !== node) ? true : undefined;
  }, 120_000);

  assert.equal((await uncordon(kc, node)).message, `node/${node} uncordoned`);
  assert.equal(await unschedulable(node), false);
  assert.equal((await uncordon(kc, node)).message, `node/${node} already uncordoned`);
  assert.equal((await cordon(kc, node)).message, `node/${node} cordoned`);
  assert.equal((await cordon(kc, node)).message, `node/${node} already cordoned`);
  assert.equal((await uncordon(kc, node)).message, `node/${node} uncordoned`);
});

test('CLI: drain another worker exits 0 with kubectl\'s lines; uncordon exits 0', { timeout: 300_000 }, async () => {
  await budgetsReady();
  const node = await busiestWorker();
  const out: string[] = [];
  const err: string[] = [];
  const code = await drainCommand([node, '--kubeconfig', sb.kubeconfig, '--timeout', '3m'], (s) => out.push(s), (s) => err.push(s));
  assert.equal(code, 0, err.join('\n'));
  assert.equal(out[0], `node/${node} cordoned`);
  assert.equal(out.at(-1), `node/${node} drained`);
  assert.ok(out.some((l) => /^evicting pod default\//.test(l)));
  assert.ok(out.some((l) => /^pod\/\S+ evicted$/.test(l)));
  const u: string[] = [];
  assert.equal(await uncordonCommand([node, '--kubeconfig', sb.kubeconfig], (s) => u.push(s)), 0);
  assert.deepEqual(u, [`node/${node} uncordoned`]);
});
