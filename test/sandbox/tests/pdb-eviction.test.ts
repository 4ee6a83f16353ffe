// A drain is only as good as its respect for PodDisruptionBudgets: prove against the real
// apiserver and disruption controller that an eviction violating a PDB gets HTTP 429,
// and that an unprotected pod's eviction is accepted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSandbox, waitFor } from '../../integration/sandbox';

const sb = useSandbox('blocked-drain');

const evict = (ns: string, pod: string) => sb.api('POST', `/api/v1/namespaces/${ns}/pods/${pod}/eviction`, {
  apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: ns },
});

test('evicting the only pod behind a minAvailable=1 PDB is refused with 429', async () => {
  // Wait until the real disruption controller has computed the budget for the running pod.
  await waitFor('PDB status', async () => {
    const r = await sb.api('GET', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/singleton');
    const s = r.body.status ?? {};
    return s.observedGeneration === r.body.metadata.generation && s.currentHealthy === 1 && s.disruptionsAllowed === 0 ? true : undefined;
  });
  const pods = await sb.api('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dsingleton');
  assert.equal(pods.body.items.length, 1);
  const pod = pods.body.items[0].metadata.name;
  const r = await evict('default', pod);
  assert.equal(r.status, 429, JSON.stringify(r.body));
  assert.equal(r.body.reason, 'TooManyRequests');
  assert.match(r.body.message, /disruption budget/);
  const still = await sb.api('GET', `/api/v1/namespaces/default/pods/${pod}`);
  assert.equal(still.status, 200, 'the protected pod must still exist');
});

test('evicting a pod no PDB covers is accepted (201)', async () => {
  const r = await evict('default', 'bare-pod');
  assert.equal(r.status, 201, JSON.stringify(r.body));
});
