import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { keptAgent } from '../../../src/adapters/k8s/apiClient';

const fresh = (o: https.AgentOptions = {}) => new https.Agent({ ca: 'CA', cert: 'CERT-A', key: 'KEY-A', ...o });

test('keptAgent: one kept-alive agent per KubeConfig and TLS identity, carrying the same TLS options', () => {
  const kc = new KubeConfig();
  const a = keptAgent(kc, fresh());
  assert.equal(keptAgent(kc, fresh()), a, 'a second request with the same identity reuses the agent');
  const opts = (a as https.Agent & { options: https.AgentOptions & { keepAlive?: boolean } }).options;
  assert.equal(opts.keepAlive, true);
  assert.deepEqual([opts.ca, opts.cert, opts.key], ['CA', 'CERT-A', 'KEY-A']);
  assert.notEqual(keptAgent(kc, fresh({ cert: 'CERT-B', key: 'KEY-B' })), a, 'another client certificate: another connection');
  assert.notEqual(keptAgent(kc, fresh({ rejectUnauthorized: false })), a, 'another verification: another connection');
  assert.notEqual(keptAgent(kc, fresh({ servername: 'api.example' })), a);
  assert.notEqual(keptAgent(new KubeConfig(), fresh()), a, 'another KubeConfig: its own agents');
  const plain = keptAgent(kc, new http.Agent());
  assert.ok(!(plain instanceof https.Agent), 'plain http stays plain http');
});

test('keptAgent: a proxy agent (a subclass) is used as client-node made it', () => {
  class ProxyAgent extends https.Agent {}
  const p = new ProxyAgent();
  assert.equal(keptAgent(new KubeConfig(), p), p);
});
