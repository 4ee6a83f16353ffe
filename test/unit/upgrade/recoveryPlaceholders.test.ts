// Show Recovery Steps: no unfilled placeholder. `apply --force` names the version the cluster runs now, or says
// exactly what to fill in and where to read it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_OPTIONS } from '../../../src/core/upgrade/phases';
import { recoveryMarkdown } from '../../../src/core/upgrade/recovery';
import { newRunState } from '../../../src/core/upgrade/state';
import { parseVersion } from '../../../src/core/version';

const run = newRunState('r1', { cluster: 'prod', node: 'cp-1', role: 'first-control-plane', target: parseVersion('v1.36.3')!, packageManager: 'apt', packageVersion: '1.36.3-1.1', stamp: '20261207T140000Z', options: DEFAULT_OPTIONS }, [], new Date('2026-12-07T14:00:00Z'));

test('apply --force is filled with the version the cluster runs now', () => {
  const md = recoveryMarkdown(run, [], 'v1.35.4');
  assert.match(md, /^sudo kubeadm upgrade apply --force v1\.35\.4$/m);
  assert.doesNotMatch(md, /<current version>/);
});

test('unknown current version: the line says what to fill in and where to read it', () => {
  const md = recoveryMarkdown(run, [], null);
  assert.doesNotMatch(md, /<current version>/);
  assert.match(md, /^# sudo kubeadm upgrade apply --force VERSION$/m);
  assert.match(md, /Fill in VERSION: the version the cluster runs now .*kubeadm-config.*kubernetesVersion/);
});
