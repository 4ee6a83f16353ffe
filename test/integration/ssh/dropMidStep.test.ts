// A dropped connection in the middle of the worst steps, against the sandbox's real sshd and real apiserver:
// the session's sshd process is killed during the first control plane's `kubeadm upgrade apply` and during a
// worker's package install. Each step must complete on the node exactly once (one kubeadm backup folder), the run
// re-attaches to it and ends at the target, schedulable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type SshPool } from '../../../src/adapters/ssh';
import { runUpgrade } from '../../../src/core/upgrade/runner';
import { engineHooks, prepareNodeRun } from '../nodeRun';
import { SANDBOX_TARGET, useSandbox, sandboxSshPool } from '../sandbox';

let pool: SshPool;
const sb = useSandbox('healthy', {
  setUp: () => {
    pool = sandboxSshPool(sb);
  },
  tearDown: () => {
    pool?.dispose();
  },
});

const nodeRoot = (node: string) => path.join(path.dirname(sb.kubeconfig), 'nodes', node, 'root');
const stepLog = (node: string, runId: string, step: string) => path.join(nodeRoot(node), 'var/lib/kubeadm-upgrade/runs', runId, `${step}.log`);

async function upgradeWithDrop(node: string, fault: string) {
  fs.writeFileSync(path.join(nodeRoot(node), 'etc', 'sandbox-faults.env'), `${fault}=drop\n`);
  const ex = pool.getExecutor(node);
  const runId = `drop-${node}`;
  const { run } = await prepareNodeRun(sb, node, ex, runId);
  const connectsBefore = ex.connectCount;
  const messages: string[] = [];
  const result = await runUpgrade(run, engineHooks(sb, ex, { progress: (e) => e.type === 'message' && messages.push(e.text) }));
  assert.equal(result.status, 'done', `${result.error}\n${messages.join('\n')}`);
  assert.equal(fs.readFileSync(path.join(nodeRoot(node), 'etc', 'sandbox-faults.env'), 'utf8').trim(), '', 'the drop fault fired');
  assert.ok(ex.connectCount > connectsBefore, 'the connection was lost and reopened');
  assert.ok(messages.some((m) => /keeps running on the node; re-attaching/.test(m)), messages.join('\n'));
  const node_ = JSON.parse(sb.kubectl('get', 'node', node, '-o', 'json'));
  assert.equal(node_.status.nodeInfo.kubeletVersion, SANDBOX_TARGET);
  assert.equal(node_.spec.unschedulable, undefined);
  return { runId };
}

test('sshd session killed mid `kubeadm upgrade apply` on the first control plane: applied once, re-attached, run ends at the target', { timeout: 600_000 }, async () => {
  const { runId } = await upgradeWithDrop('cp-1', 'kubeadm_upgrade_apply');
  const tmp = fs.readdirSync(path.join(nodeRoot('cp-1'), 'etc/kubernetes/tmp'));
  assert.equal(tmp.filter((d) => d.startsWith('kubeadm-backup-manifests-')).length, 1, `exactly one apply: ${tmp.join(', ')}`);
  const log = fs.readFileSync(stepLog('cp-1', runId, 'kubeadm-upgrade-1'), 'utf8');
  assert.equal(log.match(/\[upgrade\] SUCCESS!/g)?.length, 1, log);
});

test('sshd session killed mid package install on a worker: installed once, re-attached, run ends at the target', { timeout: 600_000 }, async () => {
  const { runId } = await upgradeWithDrop('worker-1', 'apt_install');
  const log = fs.readFileSync(stepLog('worker-1', runId, 'install-kubeadm-1'), 'utf8');
  assert.equal(log.match(/Setting up kubeadm/g)?.length, 1, log);
});
