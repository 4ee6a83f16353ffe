// The `healthy` sandbox (3 control planes, 3 workers, a password node) has no blocker for the next minor: every
// check runs for real (SSH, sudo, kubeadm certs check-expiration, etcdctl) and none blocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHECK_IDS, readinessExitCode, runReadiness } from '../../../src/core/readiness';
import { parseVersion } from '../../../src/core/version';
import { useSandbox, SANDBOX_TARGET as TARGET } from '../sandbox';
import { sandboxAccess } from './helpers';

const sb = useSandbox('healthy');

test('healthy: no blocker, every check ran, on every node where it applies', { timeout: 300_000 }, async () => {
  const access = sandboxAccess(sb);
  try {
    const report = await runReadiness(access.deps, parseVersion(TARGET)!);
    const show = report.checks.map((r) => `${r.severity} ${r.id} ${r.node ?? '-'} ${r.message}`).join('\n');
    assert.deepEqual(report.checks.filter((r) => r.severity === 'blocker').map((r) => r.message), [], show);
    assert.equal(readinessExitCode(report), 0);
    assert.deepEqual(report.checks.filter((r) => r.notRun).map((r) => r.message), [], show);
    for (const id of CHECK_IDS) assert.ok(report.checks.some((r) => r.id === id), `${id} reported`);
    assert.equal(report.checks.filter((r) => r.id === 'node-access' && r.severity === 'ok').length, 6);
    assert.equal(report.checks.filter((r) => r.id === 'certificate-expiry' && r.severity === 'ok').length, 3);
  } finally {
    access.dispose();
  }
});
