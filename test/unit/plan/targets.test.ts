// planTargets: what the UI offers as upgrade targets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parsePlan, planTargets, type AvailableUpgrade } from '../../../src/core/plan';
import { fixture } from './helpers';

function upgrade(targetVersion: string | null): AvailableUpgrade {
  return { description: 'x', targetVersion, applyCommand: null, note: null, components: [] };
}

describe('planTargets', () => {
  it('lists the distinct targets of a plan, lowest first', () => {
    const plan = parsePlan(fixture('S00_seed-notebook_kubeadm-1.21.14_plan_count-format_tab-expanded.txt'));
    assert.deepEqual(planTargets(plan), ['v1.20.15', 'v1.21.14']);
  });

  it('drops duplicates and unknown targets, and orders by semver rather than by text', () => {
    const plan = {
      availableUpgrades: [upgrade('v1.10.0'), upgrade(null), upgrade('v1.9.11'), upgrade('v1.10.0'), upgrade('v1.10.0-rc.1')],
    };
    assert.deepEqual(planTargets(plan), ['v1.9.11', 'v1.10.0-rc.1', 'v1.10.0']);
  });

  it('is empty for a plan with nothing to upgrade', () => {
    assert.deepEqual(planTargets(parsePlan('')), []);
  });
});
