import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readinessProblems } from '../../../src/core/readiness/problems';
import { result, type ReadinessReport } from '../../../src/core/readiness/types';

test('Problems panel: blockers are errors, warnings and checks that could not run are warnings, ok and info are left out', () => {
  const report: ReadinessReport = {
    target: 'v1.36.3',
    generatedAt: '2026-12-02T07:00:00Z',
    checks: [
      result('nodes-ready', 'blocker', 'worker-3', 'worker-3 is NotReady', [], 'kubectl describe node worker-3'),
      result('swap-enabled', 'warning', 'worker-2', 'swap is on'),
      result('cni-addons', 'info', null, 'calico v3.28 found'),
      result('etcd-health', 'ok', 'cp-1', '3 members healthy'),
      { ...result('pdb-blocks-drain', 'warning', null, 'could not list PDBs'), notRun: 'permission missing: poddisruptionbudgets.policy' },
    ],
  };
  const { text, problems } = readinessProblems('prod', report);
  const lines = text.split('\n');
  assert.deepEqual(problems.map((p) => [p.code, p.severity]), [['nodes-ready', 'error'], ['swap-enabled', 'warning'], ['pdb-blocks-drain', 'warning']]);
  assert.equal(problems[0]!.message, 'worker-3: worker-3 is NotReady');
  assert.equal(problems[2]!.message, 'could not run: permission missing: poddisruptionbudgets.policy');
  for (const p of problems) assert.match(lines[p.line]!, new RegExp(`\\b${p.code}\\b`), 'each problem points at its own line');
  assert.match(lines[problems[0]!.line]!, /Fix: kubectl describe node worker-3/);
  assert.doesNotMatch(text, /calico|3 members/);
  assert.match(readinessProblems('prod', { ...report, checks: [] }).text, /No blocker, no warning\./);
});

test('a skew finding already in the skew problems is not counted again by readiness (on its page, said where it is counted)', () => {
  const report: ReadinessReport = {
    target: 'v1.36.3',
    generatedAt: '2026-12-02T07:00:00Z',
    checks: [
      result('skew-path', 'blocker', 'worker-3', 'kubelet v1.32.1 on worker-3 would be 4 minors behind v1.36.3', ['kubelet v1.32.1 [kubelet-too-old]'], 'Upgrade worker-3'),
      result('skew-path', 'warning', 'worker-2', 'kubelet v1.33.0 on worker-2 at the limit', ['kubelet v1.33.0 [kubelet-at-skew-limit]'], 'Upgrade worker-2'),
    ],
  };
  const shown = (node: string | null, rule: string) => node === 'worker-3' && rule === 'kubelet-too-old';
  const { text, problems } = readinessProblems('prod', report, shown);
  assert.deepEqual(problems.map((p) => p.message), ['worker-2: kubelet v1.33.0 on worker-2 at the limit']);
  assert.match(text, /worker-3: kubelet v1\.32\.1 .* \(Also a kubeadm skew problem \[kubelet-too-old\]: counted there\.\)/);
  assert.equal(readinessProblems('prod', report).problems.length, 2, 'without skew problems both count');
});
