// #25 item 7: a drain whose evicted pod's replacement can only run on the node being drained (nodeSelector
// kubernetes.io/hostname) — the node is cordoned, the real scheduler leaves the replacement Pending, the PDB never
// gets its pod back — is reported as such at the first refused eviction, not as "will retry" until the timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { drain } from '../../../src/adapters/k8s/drain';
import type { DrainEvent } from '../../../src/core/drain/types';
import { useSandbox, waitFor } from '../sandbox';

let kc: KubeConfig;
const sb = useSandbox('blocked-drain', {
  setUp: () => {
    kc = new KubeConfig();
    kc.loadFromFile(sb.kubeconfig);
  },
});

const NODE = 'worker-2';
const NS = 'kubeadm-upgrade-pinned';

test('the replacement pinned to the cordoned node is named, and the drain stops long before its timeout', { timeout: 240_000 }, async () => {
  assert.equal((await sb.api('POST', '/api/v1/namespaces', { metadata: { name: NS } })).status, 201);
  const labels = { app: 'pinned' };
  const created = await sb.api('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, {
    metadata: { name: 'pinned', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { nodeSelector: { 'kubernetes.io/hostname': NODE }, containers: [{ name: 'app', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53' }] } },
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal((await sb.api('POST', `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets`, { metadata: { name: 'pinned' }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } })).status, 201);
  await waitFor('both pinned pods running on worker-2 and the budget allowing one disruption', async () => {
    const pods = (await sb.api('GET', `/api/v1/namespaces/${NS}/pods`)).body.items as { spec: { nodeName?: string }; status: { phase?: string } }[];
    const pdb = (await sb.api('GET', `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets/pinned`)).body;
    return pods.length === 2 && pods.every((p) => p.spec.nodeName === NODE && p.status.phase === 'Running') && pdb.status?.disruptionsAllowed === 1 && pdb.status?.observedGeneration === pdb.metadata.generation ? true : undefined;
  }, 120_000);

  const events: DrainEvent[] = [];
  const started = Date.now();
  const r = await drain(kc, NODE, { timeoutMs: 150_000, force: true }, { onEvent: (e) => events.push(e) });
  const took = Date.now() - started;
  assert.equal(r.ok, false, r.message);
  const pinned = r.errors.find((e) => e.includes('cannot be scheduled: it is pinned to worker-2 (nodeSelector kubernetes.io/hostname=worker-2), which is cordoned'));
  assert.ok(pinned, `the error names the pinned replacement: ${r.errors.join(' | ')}`);
  assert.match(pinned, new RegExp(`PodDisruptionBudget ${NS}/pinned will refuse to evict pinned-`));
  assert.ok(took < 60_000, `stopped at once (${took} ms), not at the 150 s timeout`);
  // The replacement the message names is really Pending and unscheduled, per the API.
  const name = /pod kubeadm-upgrade-pinned\/(\S+), the replacement/.exec(pinned)![1]!;
  const replacement = (await sb.api('GET', `/api/v1/namespaces/${NS}/pods/${name}`)).body;
  assert.equal(replacement.status.phase, 'Pending');
  assert.equal(replacement.spec.nodeName, undefined);
});
