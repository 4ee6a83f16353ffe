// The plan view's diagnostics: an expired certificate gets the certificate commands, not a generic "fix the cause".
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { parsePlan } from '../../../src/core/plan';
import { fixture, FIXTURES } from './helpers';

test('plan diagnostics: x509 expiry says check-expiration, renew all and how to restart the control-plane pods', () => {
  const text = [
    '[preflight] Running pre-flight checks.',
    '[upgrade/config] Reading configuration from the cluster...',
    fixture(readdirSync(FIXTURES).find((f) => f.startsWith('C01_'))!).split('\n')[2]!,
  ].join('\n');
  const plan = parsePlan(text);
  const d = plan.diagnostics.find((x) => /x509/.test(x.message));
  assert.ok(d, JSON.stringify(plan.diagnostics));
  assert.equal(d.severity, 'error');
  assert.match(d.fix, /kubeadm certs check-expiration/);
  assert.match(d.fix, /kubeadm certs renew all/);
  assert.match(d.fix, /\/etc\/kubernetes\/manifests/);
});
