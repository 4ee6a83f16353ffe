// The paginated LIST against a real kube-apiserver: small pages still return every node exactly once, the
// projection keeps what the snapshot reads, and failures carry the HTTP status like client-node's errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadContexts } from '../../../src/adapters/k8s/kubeconfig';
import { failureFacts } from '../../../src/adapters/k8s/failure';
import { ListFailure, listAllPages } from '../../../src/adapters/k8s/pagedList';
import { buildSnapshot } from '../../../src/core/snapshot/build';
import { slimNode, slimPod } from '../../../src/core/snapshot/slim';
import { useSandbox } from '../sandbox';

const sb = useSandbox('mixed-skew');

const config = () => loadContexts([sb.kubeconfig]).contexts[0]!.config;

test('paging returns every node once, one request per page', async () => {
  const expected = (JSON.parse(sb.kubectl('get', 'nodes', '-o', 'json')) as { items: { metadata: { name: string } }[] }).items.map((n) => n.metadata.name).sort();
  assert.ok(expected.length >= 3, 'the scenario has several nodes');
  const r = await listAllPages<{ metadata: { name: string } }>(config(), '/api/v1/nodes', { limit: 2 });
  assert.deepEqual(r.items.map((n) => n.metadata.name).sort(), expected);
  assert.equal(r.pages, Math.ceil(expected.length / 2));
  assert.match(r.resourceVersion ?? '', /^\d+$/);
});

test('the slim projection builds the same snapshot as the full objects', async () => {
  const kc = config();
  const full = await listAllPages(kc, '/api/v1/nodes');
  const slim = await listAllPages(kc, '/api/v1/nodes', { limit: 1, project: slimNode });
  const pods = await listAllPages(kc, '/api/v1/namespaces/kube-system/pods');
  const slimPods = await listAllPages(kc, '/api/v1/namespaces/kube-system/pods', { limit: 3, project: slimPod });
  const a = buildSnapshot({ nodes: full.items as never, systemPods: pods.items as never });
  const b = buildSnapshot({ nodes: slim.items, systemPods: slimPods.items });
  assert.deepEqual(b, a);
});

test('a failure carries the HTTP status and the server\'s message', async () => {
  await assert.rejects(listAllPages(config(), '/api/v1/namespaces/kube-system/nosuchresource'), (e: unknown) => {
    assert.ok(e instanceof ListFailure);
    assert.equal(failureFacts(e).httpStatus, 404);
    return true;
  });
});
