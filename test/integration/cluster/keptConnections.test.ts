// API requests share kept-alive connections (src/adapters/k8s/apiClient.ts) instead of one TCP connection and TLS
// handshake each, as client-node does on its own: counted as the sockets the process opens to the real apiserver.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import * as dc from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeDrainApi } from '../../../src/adapters/k8s/drain';
import { listAllPages } from '../../../src/adapters/k8s/pagedList';
import { startSandbox, type Sandbox } from '../sandbox';

let sb: Sandbox;
let kc: KubeConfig;
let port = 0;
let opened = 0;
const onSocket = (msg: unknown) => {
  const socket = (msg as { socket: Socket }).socket;
  // The remote port is known once connected; count the sockets to this sandbox's apiserver only.
  socket.once('connect', () => {
    if (socket.remotePort === port) opened++;
  });
};
before(async () => {
  sb = await startSandbox('healthy');
  kc = new KubeConfig();
  kc.loadFromFile(sb.kubeconfig);
  port = Number(new URL(kc.getCurrentCluster()!.server).port);
  dc.subscribe('net.client.socket', onSocket);
}, { timeout: 600_000 });
after(async () => {
  dc.unsubscribe('net.client.socket', onSocket);
  await sb?.down();
});

const socketsFor = async (fn: () => Promise<unknown>): Promise<number> => {
  const before = opened;
  await fn();
  return opened - before;
};

test('sequential API calls through one adapter use one connection; concurrent ones at most one each, kept for the next', async () => {
  const api = new KubeDrainApi(kc);
  const sequential = await socketsFor(async () => {
    let podsOnWorker1 = -1;
    for (let i = 0; i < 20; i++) {
      assert.equal(await api.getNodeUnschedulable('worker-1'), false);
      const pods = (await api.listPods('worker-1')).length;
      // `healthy` schedules web, api and node-exporter pods there; every read of the still cluster sees the same.
      if (i === 0) assert.ok(pods > 0, 'the healthy scenario has pods on worker-1');
      else assert.equal(pods, podsOnWorker1);
      podsOnWorker1 = pods;
    }
  });
  assert.ok(sequential <= 1, `40 sequential requests opened ${sequential} connections`);
  const concurrent = await socketsFor(() => Promise.all(Array.from({ length: 8 }, () => api.listPods('worker-1'))));
  assert.ok(concurrent <= 8, `8 concurrent requests opened ${concurrent} connections`);
  const again = await socketsFor(() => Promise.all(Array.from({ length: 8 }, () => api.listPods('worker-1'))));
  assert.equal(again, 0, 'the second burst reuses the connections of the first');
  // Another adapter on the same KubeConfig shares them too.
  assert.equal(await socketsFor(() => new KubeDrainApi(kc).getNodeUnschedulable('worker-1')), 0);
});

test('the pages of a paginated LIST share the connection', async () => {
  let pages = 0;
  const opened = await socketsFor(async () => {
    pages = (await listAllPages(kc, '/api/v1/nodes', { limit: 1 })).pages;
  });
  assert.ok(pages >= 3, `one page per node (${pages})`);
  assert.ok(opened <= 1, `${pages} pages opened ${opened} connections`);
});

test('credentials are still checked per request: a KubeConfig without the client certificate is refused, on its own connection', async () => {
  const anonymous = new KubeConfig();
  anonymous.loadFromOptions({
    clusters: kc.clusters,
    users: [{ name: 'nobody' }],
    contexts: [{ name: 'anon', cluster: kc.getCurrentCluster()!.name, user: 'nobody' }],
    currentContext: 'anon',
  });
  await new KubeDrainApi(kc).getNodeUnschedulable('worker-1'); // a kept, authenticated connection exists
  await assert.rejects(new KubeDrainApi(anonymous).getNodeUnschedulable('worker-1'), (e: { status?: number }) => e.status === 401 || e.status === 403);
});
