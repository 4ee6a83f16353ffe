import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { planCommand, rejectedOutputFlag, supportsJsonPlan } from '../../../src/core/upgrade/planCommand';

describe('kubeadm upgrade plan command', () => {
  it('uses -o json from kubeadm 1.30 (v1alpha3), text before', () => {
    assert.equal(supportsJsonPlan('v1.30.0'), true);
    assert.equal(supportsJsonPlan('v1.31.7'), true);
    assert.equal(supportsJsonPlan('v1.29.9'), false);
    assert.equal(supportsJsonPlan(null), false);
    assert.equal(supportsJsonPlan('garbage'), false);
  });

  it('normalises and quotes the target', () => {
    assert.equal(planCommand(null, false), 'kubeadm upgrade plan');
    assert.equal(planCommand('', true), 'kubeadm upgrade plan -o json');
    assert.equal(planCommand('1.32.3', true), 'kubeadm upgrade plan v1.32.3 -o json');
    assert.equal(planCommand('v1.32.0-rc.1', false), 'kubeadm upgrade plan v1.32.0-rc.1');
    assert.equal(planCommand('v1.32.3; rm -rf /', false), 'kubeadm upgrade plan', 'not a version: nothing of it reaches the shell');
  });

  it('recognises an old kubeadm refusing -o', () => {
    assert.equal(rejectedOutputFlag("unknown shorthand flag: 'o' in -o"), true);
    assert.equal(rejectedOutputFlag('unknown flag: --output'), true);
    assert.equal(rejectedOutputFlag('[preflight] Some fatal errors occurred'), false);
  });
});
