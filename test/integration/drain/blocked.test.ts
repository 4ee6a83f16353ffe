// Drain worker-1 of the `blocked-drain` scenario over the real apiserver: the filters refuse the bare pod and the
// emptyDir pod before anything is evicted; with --force --delete-emptydir-data the PDB-protected pod keeps getting
// 429 until the timeout, and the error names the pod and the PDB. Uncordon works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { drain, preview, uncordon } from '../../../src/adapters/k8s/drain';
import { cordonCommand, drainCommand, uncordonCommand } from '../../../src/cli/drainCommands';
import type { DrainEvent } from '../../../src/core/drain/types';
import { useSandbox, waitFor } from '../sandbox';

let kc: KubeConfig;
const sb = useSandbox('blocked-drain', {
  setUp: () => {
    kc = new KubeConfig();
    kc.loadFromFile(sb.kubeconfig);
  },
});

const NODE = 'worker-1';
interface Pod { metadata: { name: string; uid: string; labels?: Record<string, string> }; spec: { nodeName?: string } }
const podsOn = async (): Promise<Pod[]> => (await sb.api('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3D${NODE}`)).body.items;
const unschedulable = async () => (await sb.api('GET', `/api/v1/nodes/${NODE}`)).body.spec.unschedulable === true;

async function singletonBudgetComputed() {
  await waitFor('PDB singleton computed', async () => {
    const r = await sb.api('GET', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/singleton');
    const s = r.body.status ?? {};
    return s.observedGeneration === r.body.metadata.generation && s.currentHealthy === 1 && s.disruptionsAllowed === 0 ? true : undefined;
  }, 120_000);
}

test('preview names the blocking PDB before anything happens', { timeout: 180_000 }, async () => {
  await singletonBudgetComputed();
  const p = await preview(kc, NODE, { force: true, deleteEmptyDirData: true });
  const singleton = p.plan.toEvict.find((x) => x.metadata?.labels?.['app'] === 'singleton')!;
  assert.ok(singleton);
  assert.deepEqual(p.pdbFindings.map((f) => [f.pod, f.pdbs, f.kind]), [[`default/${singleton.metadata!.name}`, ['default/singleton'], 'never']]);
  assert.equal(p.pdbFindings[0]!.reason, 'PDB default/singleton allows 0 disruptions (minAvailable 1 of 1 replica): this pod can never be evicted');
  assert.equal(await unschedulable(), false);
});

test('filters refuse the bare pod (--force) and the emptyDir pod (--delete-emptydir-data) before evicting anything', { timeout: 180_000 }, async () => {
  const before = await podsOn();
  const events: DrainEvent[] = [];
  const r = await drain(kc, NODE, { timeoutMs: 60_000 }, { onEvent: (e) => events.push(e) });
  assert.equal(r.ok, false);
  assert.deepEqual(r.errors, [
    'cannot delete Pods that declare no controller (use --force to override): default/bare-pod',
    'cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch-pod',
  ]);
  assert.equal(
    r.message,
    'error: unable to drain node "worker-1" due to error: [cannot delete Pods that declare no controller (use --force to override): default/bare-pod, cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch-pod], continuing command...',
  );
  assert.ok(!events.some((e) => e.type === 'evicting'), 'nothing evicted');
  assert.deepEqual((await podsOn()).map((p) => p.metadata.uid).sort(), before.map((p) => p.metadata.uid).sort(), 'every pod still there');
  assert.equal(await unschedulable(), true, 'cordoned (as kubectl: the cordon comes first and stays)');
});

test('with --force --delete-emptydir-data: the PDB-protected pod gets 429 until the timeout; error names pod and PDB', { timeout: 180_000 }, async () => {
  await singletonBudgetComputed();
  const singleton = (await podsOn()).find((p) => p.metadata.labels?.app === 'singleton')!;
  const name = singleton.metadata.name;
  const events: DrainEvent[] = [];
  const started = Date.now();
  const r = await drain(kc, NODE, { force: true, deleteEmptyDirData: true, timeoutMs: 12_000 }, { onEvent: (e) => events.push(e) });
  const took = Date.now() - started;
  assert.equal(r.ok, false);
  assert.ok(took >= 12_000 && took < 30_000, `stopped at the timeout (${took} ms)`);
  const retries = events.filter((e) => e.type === 'retrying' && e.pod === `default/${name}`);
  assert.ok(retries.length >= 2, `retried every 5 s (${retries.length})`);
  assert.equal(retries[0]!.message, `error when evicting pods/"${name}" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`);
  assert.deepEqual(r.errors, [`error when evicting pods/"${name}" -n "default": global timeout reached: 12s`]);
  assert.deepEqual(r.pending, [`default/${name}`]);
  assert.deepEqual(r.blockedBy.map((b) => [b.pod, b.pdbs]), [[`default/${name}`, ['default/singleton']]]);
  // (a CoreDNS replica may also run on worker-1: it is evicted too)
  assert.deepEqual(r.evicted.filter((k) => k.startsWith('default/')).sort(), ['default/bare-pod', 'default/scratch-pod']);
  const left = (await podsOn()).map((p) => p.metadata.name);
  assert.ok(left.includes(name), 'the protected pod is still there');
  assert.ok(!left.includes('bare-pod') && !left.includes('scratch-pod'));
});

test('CLI: blocked drain exits 1; stderr names the pod and the PDB', { timeout: 180_000 }, async () => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await drainCommand([NODE, '--kubeconfig', sb.kubeconfig, '--force', '--delete-emptydir-data', '--timeout', '6s'], (s) => out.push(s), (s) => err.push(s));
  assert.equal(code, 1);
  const text = err.join('\n');
  assert.match(text, /global timeout reached: 6s/);
  assert.match(text, /default\/singleton-\S+: PDB default\/singleton allows 0 disruptions \(minAvailable 1 of 1 replica\): this pod can never be evicted/);
  assert.match(text, /There are pending nodes to be drained:\n worker-1/);
  assert.equal(out[0], 'node/worker-1 already cordoned');
});

test('uncordon / cordon over the API and the CLI', { timeout: 60_000 }, async () => {
  assert.equal((await uncordon(kc, NODE)).message, 'node/worker-1 uncordoned');
  assert.equal(await unschedulable(), false);
  const out: string[] = [];
  assert.equal(await uncordonCommand([NODE, '--kubeconfig', sb.kubeconfig], (s) => out.push(s)), 0);
  assert.equal(await cordonCommand([NODE, '--kubeconfig', sb.kubeconfig], (s) => out.push(s)), 0);
  assert.equal(await unschedulable(), true);
  assert.equal(await uncordonCommand([NODE, '--kubeconfig', sb.kubeconfig], (s) => out.push(s)), 0);
  assert.deepEqual(out, ['node/worker-1 already uncordoned', 'node/worker-1 cordoned', 'node/worker-1 uncordoned']);
  const err: string[] = [];
  assert.equal(await cordonCommand(['worker-9', '--kubeconfig', sb.kubeconfig], () => {}, (s) => err.push(s)), 1);
  assert.deepEqual(err, ['Error from server (NotFound): nodes "worker-9" not found']);
});

test('--disable-eviction --grace-period 0: DELETE bypasses the PDB; the drain waits for the UID to change', { timeout: 180_000 }, async () => {
  const before = (await podsOn()).find((p) => p.metadata.labels?.app === 'singleton')!;
  const out: string[] = [];
  const err: string[] = [];
  const code = await drainCommand([NODE, '--kubeconfig', sb.kubeconfig, '--disable-eviction', '--grace-period', '0', '--timeout', '60s'], (s) => out.push(s), (s) => err.push(s));
  assert.equal(code, 0, err.join('\n'));
  assert.ok(out.includes(`pod/${before.metadata.name} deleted`), out.join('\n'));
  assert.equal(out.at(-1), 'node/worker-1 drained');
  // The Deployment pins its pods to worker-1 (spec.nodeName), so the replacement lands there again with a new UID.
  const now = await waitFor('replacement pod', async () => (await podsOn()).find((p) => p.metadata.labels?.app === 'singleton' && p.metadata.uid !== before.metadata.uid));
  assert.notEqual(now.metadata.uid, before.metadata.uid);
  assert.equal((await uncordon(kc, NODE)).message, 'node/worker-1 uncordoned');
});
