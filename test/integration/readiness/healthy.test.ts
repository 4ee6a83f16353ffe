// The `healthy` sandbox (3 control planes, 3 workers, a password node) has no blocker for the next minor: every
// check runs for real (SSH, sudo, kubeadm certs check-expiration, etcdctl) and none blocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHECK_IDS, ON_REQUEST_CHECKS, readinessExitCode, runReadiness } from '../../../src/core/readiness';
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
    // kwok control planes run no container runtime, so `images-available` cannot look there: it says so (crictl's
    // own error for a missing containerd socket), as a warning, never ok. Every other check ran.
    const notRun = report.checks.filter((r) => r.notRun);
    assert.deepEqual(notRun.filter((r) => r.id !== 'images-available').map((r) => r.message), [], show);
    assert.deepEqual(notRun.map((r) => `${r.node}: ${/crictl images on cp-\d: .*dial unix \/run\/containerd\/containerd\.sock: connect: no such file or directory/.test(r.message)}`), ['cp-1: true', 'cp-2: true', 'cp-3: true'], show);
    assert.ok(notRun.every((r) => r.severity === 'warning'), show);
    for (const id of CHECK_IDS.filter((i) => !ON_REQUEST_CHECKS.includes(i))) assert.ok(report.checks.some((r) => r.id === id), `${id} reported`);
    assert.ok(!report.checks.some((r) => ON_REQUEST_CHECKS.includes(r.id)), 'on-request checks are not in the default report');
    assert.equal(report.checks.filter((r) => r.id === 'node-access' && r.severity === 'ok').length, 6);
    assert.equal(report.checks.filter((r) => r.id === 'certificate-expiry' && r.severity === 'ok').length, 3);
  } finally {
    access.dispose();
  }
});
