// `--override ID[:NODE]`: validated check ids (an unknown one is exit 2 naming the known ones), and an override
// scoped to one node covers only that node's blocker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../../src/cli';
import { buildClusterPlan } from '../../../src/core/clusterUpgrade/plan';
import { CHECK_IDS } from '../../../src/core/readiness/types';
import { formatOverride, isOverridden, OverrideError, parseOverride } from '../../../src/core/readiness/overrides';

test('parseOverride: a known id, optionally :NODE; an unknown id names every known one; a bad node name is refused', () => {
  assert.deepEqual(parseOverride('pdb-blocks-drain'), { id: 'pdb-blocks-drain' });
  assert.deepEqual(parseOverride(' pdb-blocks-drain:worker-2 '), { id: 'pdb-blocks-drain', node: 'worker-2' });
  assert.equal(formatOverride(parseOverride('swap-enabled:cp-1')), 'swap-enabled:cp-1');
  assert.throws(() => parseOverride('pdb-block-drain'), (e: Error) => e instanceof OverrideError && CHECK_IDS.every((id) => e.message.includes(id)) && /unknown readiness check id "pdb-block-drain"/.test(e.message));
  assert.throws(() => parseOverride('pdb-blocks-drain:'), OverrideError);
  assert.throws(() => parseOverride('pdb-blocks-drain:w;rm -rf /'), OverrideError);
});

test('isOverridden: an unscoped override covers every blocker of its check; a scoped one only that node\'s', () => {
  const onW2 = { id: 'pdb-blocks-drain', node: 'worker-2' };
  const onW1 = { id: 'pdb-blocks-drain', node: 'worker-1' };
  const several = { id: 'pdb-blocks-drain', node: null };
  assert.equal(isOverridden(onW2, ['pdb-blocks-drain']), true);
  assert.equal(isOverridden(several, ['pdb-blocks-drain']), true);
  assert.equal(isOverridden(onW2, ['pdb-blocks-drain:worker-2']), true);
  assert.equal(isOverridden(onW1, ['pdb-blocks-drain:worker-2']), false);
  assert.equal(isOverridden(several, ['pdb-blocks-drain:worker-2']), false, 'a blocker about several nodes needs the unscoped override');
  assert.equal(isOverridden(onW2, ['swap-enabled:worker-2']), false);
  assert.equal(isOverridden(onW2, ['pdb-blocks-drain:worker-']), false);
});

test('the plan blocks on what the overrides do not cover', () => {
  const blockers = [
    { id: 'pdb-blocks-drain', node: 'worker-2', message: 'w2' },
    { id: 'pdb-blocks-drain', node: 'worker-1', message: 'w1' },
  ];
  const plan = buildClusterPlan({
    cluster: 'prod',
    snapshot: { nodes: [] } as never,
    target: { major: 1, minor: 32, patch: 3 } as never,
    order: [],
    contexts: {},
    budgets: [],
    maxUnavailable: '1',
    readiness: { blockers, notes: [] },
    overrides: ['pdb-blocks-drain:worker-2'],
    options: { drain: {} } as never,
  } as never);
  assert.deepEqual(plan.blocking.map((b) => b.message), ['w1']);
});

test('upgrade-cluster --override with an unknown id: exit 2 naming the known ids, before anything is read from the cluster', async () => {
  const errs: string[] = [];
  const code = await main(['upgrade-cluster', '--to', 'v1.36.3', '--override', 'pdb-block-drain', '--kubeconfig', '/nonexistent/kubeconfig'], () => {}, (s) => errs.push(s));
  assert.equal(code, 2);
  assert.match(errs.join('\n'), /unknown readiness check id "pdb-block-drain"; the check ids are: nodes-ready, .*pdb-blocks-drain/);
});

test('every check id has its check, in CHECK_IDS order (a check is found in its module by its id alone)', async () => {
  const { CHECKS } = await import('../../../src/core/readiness/run');
  assert.deepEqual(CHECKS.map((c) => c.id), [...CHECK_IDS]);
});
