// The one composition behind `kubeadm-upgrade diff` and the Plan view's "What will change": a control plane's diff
// from REAL kubeadm output (test/fixtures/kubeadm/diff), or why it could not run and what to do.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { upgradeDiffFor } from '../../../src/core/manifestDiff/forNode';
import type { NodeExecutor, RunResult } from '../../../src/core/exec/executor';
import { parseVersion } from '../../../src/core/version';
import { node } from '../readiness/fakes';

const DIR = resolve(process.cwd(), 'test/fixtures/kubeadm/diff');
const sample = (prefix: string) => readFileSync(resolve(DIR, readdirSync(DIR).find((f) => f.startsWith(prefix))!), 'utf8');
const cp1 = { ...node('cp-1', true), controlPlaneComponents: { 'kube-apiserver': { component: 'kube-apiserver' as const, version: parseVersion('v1.35.4'), source: 'x' } } };
const executor = (answer: (cmd: string) => RunResult): NodeExecutor => ({ description: 'fake cp-1', dispose() {}, run: async (c) => answer(String(c)) });

describe('upgradeDiffFor', () => {
  it('kubeadm\'s diffs to the target and the current version: the changes and the hand edits lost', async () => {
    const o = await upgradeDiffFor(cp1, 'v1.36.3', async () => executor((c) => ({ exitCode: 0, stdout: c.includes('v1.36.3') ? sample('D03_') : sample('D02_'), stderr: '' })));
    assert.equal(o.kind, 'diff');
    if (o.kind !== 'diff') return;
    assert.equal(o.diff.current, 'v1.35.4');
    assert.ok(o.diff.changes.some((c) => c.component === 'kube-apiserver' && c.image?.to.endsWith(':v1.36.3')));
    assert.ok(o.diff.lost.some((l) => l.text === '--event-ttl=2h0m0s'));
  });
  it('no way to reach the node (no SSH mapping): could not run, saying how to map it', async () => {
    const o = await upgradeDiffFor(cp1, 'v1.36.3', async () => { throw new Error('no SSH host for cp-1 (kubeadm.ssh.hosts, ssh_config)'); });
    assert.deepEqual([o.kind, o.node], ['notRun', 'cp-1']);
    if (o.kind !== 'notRun') return;
    assert.match(o.reason, /^cannot run commands on cp-1: no SSH host for cp-1/);
    assert.match(o.fix, /kubeadm\.ssh\.hosts/);
  });
  it('kubeadm not installed on the node: could not run, saying to install it', async () => {
    const o = await upgradeDiffFor(cp1, 'v1.36.3', async () => executor(() => ({ exitCode: 127, stdout: '', stderr: 'bash: line 1: kubeadm: command not found' })));
    assert.equal(o.kind, 'notRun');
    if (o.kind !== 'notRun') return;
    assert.match(o.reason, /^kubeadm is not installed on cp-1/);
    assert.match(o.fix, /^Install kubeadm on the node/);
  });
  it('kubeadm\'s own error (RBAC not ready, D06): its message, and what the diff needs', async () => {
    const o = await upgradeDiffFor(cp1, 'v1.36.3', async () => executor(() => ({ exitCode: 1, stdout: sample('D06_'), stderr: '' })));
    assert.equal(o.kind, 'notRun');
    if (o.kind !== 'notRun') return;
    assert.match(o.reason, /^kubeadm upgrade diff v1\.36\.3 on cp-1 failed: /);
    assert.match(o.fix, /admin\.conf/);
  });
  it('no kube-apiserver mirror pod version: could not run, before anything runs on the node', async () => {
    const o = await upgradeDiffFor(node('cp-1', true), 'v1.36.3', async () => assert.fail('nothing runs'));
    assert.equal(o.kind, 'notRun');
  });
});
