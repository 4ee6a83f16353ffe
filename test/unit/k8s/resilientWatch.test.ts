// The watch loop against a stub apiserver that answers every watch with an ERROR 410 event and closes the stream
// (what a restarted apiserver does with a stale resourceVersion): the loop must list again and watch from the new
// resourceVersion, never re-send the stale one, and back off with jitter within its cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { backoffDelay } from '../../../src/adapters/k8s/backoff';
import { ResilientWatch } from '../../../src/adapters/k8s/resilientWatch';

test('backoff: doubles from the base, stays within the cap, jitter keeps at least half', () => {
  const o = { baseMs: 1000, capMs: 30_000 };
  assert.equal(backoffDelay(0, o, () => 1), 0);
  assert.deepEqual([1, 2, 3, 4, 5, 6, 10, 100].map((n) => backoffDelay(n, o, () => 1)), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  assert.deepEqual([1, 2, 6].map((n) => backoffDelay(n, o, () => 0)), [500, 1000, 15000]);
});

test('an ERROR (410) event drops the resourceVersion: one list, then a watch from the list\'s resourceVersion', async () => {
  const seen: string[] = [];
  let listRv = 100;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (url.searchParams.get('watch') === 'true') {
      seen.push(`watch rv=${url.searchParams.get('resourceVersion') ?? ''}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version' } }) + '\n');
    } else {
      seen.push('list');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'NodeList', apiVersion: 'v1', metadata: { resourceVersion: String(++listRv) }, items: [] }));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'stub', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'stub', cluster: 'stub', user: 'u' }],
    currentContext: 'stub',
  });
  const core = kc.makeApiClient(CoreV1Api);
  const counters = { watches: 0, lists: 0 };
  const relists: boolean[] = [];
  let errors = 0;
  const w = new ResilientWatch(kc, '/api/v1/nodes', () => core.listNode(), { event: () => {}, relisted: (_i, after) => relists.push(after), error: () => errors++ }, counters, { baseMs: 5, capMs: 40 }, () => 0.5);
  w.start('7');
  try {
    const deadline = Date.now() + 20_000;
    while (seen.length < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  } finally {
    w.stop();
    server.close();
  }
  const first = seen.slice(0, 12);
  assert.deepEqual(first.slice(0, 4), ['watch rv=7', 'list', 'watch rv=101', 'list']);
  // Strictly alternating: never two watches in a row, and never the stale resourceVersion again.
  for (let i = 0; i < first.length; i++) assert.equal(first[i]!.startsWith('watch'), i % 2 === 0, first.join(', '));
  const rvs = first.filter((s) => s.startsWith('watch')).map((s) => s.slice('watch rv='.length));
  assert.equal(new Set(rvs).size, rvs.length, `a resourceVersion was reused: ${rvs.join(', ')}`);
  assert.ok(relists.every(Boolean) && relists.length >= 5, 'each relist after a failure asks for one refresh');
  assert.ok(errors >= 5);
  assert.equal(counters.watches + counters.lists >= first.length, true);
});
