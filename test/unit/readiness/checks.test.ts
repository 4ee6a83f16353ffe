// The readiness checks over a fake API and fake nodes (pure core logic): each problem gives its check id, severity and
// object names; a check that cannot look (403, unreachable node) says why and is never ok; the JSON contract.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { readinessExitCode, readinessJson, remainingBlockers, runReadiness, treeNote } from '../../../src/core/readiness';
import { T, deps, fakeApi } from './fakes';

describe('runReadiness', () => {
  it('names the object or node for each problem, with the severity of the issue table', async () => {
    const report = await runReadiness(deps(fakeApi()), T);
    const find = (id: string, node: string | null = null) => report.checks.filter((r) => r.id === id && (node === null || r.node === node));
    assert.equal(find('nodes-ready', 'w-1')[0]!.severity, 'warning');
    assert.match(find('pdb-blocks-drain')[0]!.message, /prod\/one/);
    assert.equal(find('pdb-blocks-drain')[0]!.severity, 'blocker');
    assert.match(find('pods-stuck-terminating')[0]!.message, /prod\/stuck/);
    assert.equal(find('webhook-unavailable')[0]!.severity, 'blocker');
    assert.match(find('webhook-unavailable')[0]!.message, /policy/);
    const deprecated = find('deprecated-api-in-use');
    assert.equal(deprecated.find((r) => /flowschemas/.test(r.message))!.severity, 'blocker');
    assert.equal(deprecated.find((r) => /componentstatuses/.test(r.message))!.severity, 'warning');
    assert.ok(find('certificate-expiry', 'cp-1').some((r) => r.severity === 'warning' && /apiserver/.test(r.message)));
    assert.ok(find('certificate-expiry', 'cp-1').some((r) => r.severity === 'blocker' && /super-admin\.conf/.test(r.message)));
    // No kubelet-config ConfigMap and no --fail-swap-on flag: failSwapOn defaults to true, the kubelet would not start.
    assert.equal(find('swap-enabled', 'w-1')[0]!.severity, 'blocker');
    assert.equal(find('cgroup-v1', 'w-1')[0]!.severity, 'blocker');
    assert.equal(find('cgroup-v1', 'cp-1')[0]!.severity, 'ok');
    assert.equal(find('etcd-health')[0]!.severity, 'blocker');
    assert.ok(find('control-plane-health').some((r) => r.severity === 'blocker' && /readyz/.test(r.message)));
    assert.equal(find('cni-addons')[0]!.severity, 'info');
    assert.match(find('cni-addons')[0]!.message, /calico-node/);
    assert.ok(find('package-repo', 'w-1')[0]!.message.includes('switches it to v1.36'));
    assert.equal(readinessExitCode(report), 1);
  });

  it('reports a check it may not run (403) and an unreachable node as such, never ok', async () => {
    const report = await runReadiness(
      deps(fakeApi({ pdbs: async () => Promise.reject(new Error('permission missing: the kubeconfig user may not list poddisruptionbudgets.policy (HTTP 403)')) }), { 'w-1': new Error('connect ECONNREFUSED 10.0.0.21:22') }),
      T,
    );
    const pdb = report.checks.filter((r) => r.id === 'pdb-blocks-drain');
    assert.equal(pdb.length, 1);
    assert.notEqual(pdb[0]!.severity, 'ok');
    assert.match(pdb[0]!.message, /Could not run: permission missing.*poddisruptionbudgets/);
    const access = report.checks.find((r) => r.id === 'node-access' && r.node === 'w-1')!;
    assert.equal(access.severity, 'blocker');
    assert.match(access.message, /not reachable.*ECONNREFUSED/);
    for (const id of ['swap-enabled', 'cgroup-v1', 'package-repo']) {
      const r = report.checks.find((x) => x.id === id && x.node === 'w-1')!;
      assert.ok(r.notRun, `${id} on w-1 says it did not run`);
      assert.notEqual(r.severity, 'ok');
    }
  });

  it('prints the kubeadm-upgrade/v1 Readiness JSON and lets overrides clear blockers by id', async () => {
    const report = await runReadiness(deps(fakeApi()), T, { only: ['pdb-blocks-drain', 'cni-addons'] });
    const json = readinessJson(report) as { apiVersion: string; kind: string; target: string; checks: Record<string, unknown>[] };
    assert.equal(json.apiVersion, 'kubeadm-upgrade/v1');
    assert.equal(json.kind, 'Readiness');
    assert.equal(json.target, 'v1.36.3');
    assert.deepEqual(Object.keys(json.checks[0]!).sort(), ['evidence', 'fix', 'id', 'message', 'node', 'severity']);
    assert.equal(remainingBlockers(report).length, 1);
    assert.equal(treeNote(report), 'readiness v1.36.3: 1 blocker');
    assert.equal(remainingBlockers(report, ['pdb-blocks-drain']).length, 0);
  });
});
