// One cluster run through the faults of an ordinary bad night, against the `apt` sandbox's real apiserver and sshd
// (issue 22, items 4, 7 and 10):
// - killed (SIGKILL) while worker-1's kubelet restart runs (after its drain): the audit keeps the command's start line, with no
//   end line, so the trace of what was running survives the crash;
// - the lock taken by another holder while the resumed run waits on that step: the run stops before its next step,
//   naming the holder, and the node stays cordoned; a resume while that holder's Lease is live is refused, naming it;
// - the cluster changed while nobody drove it (worker-1 uncordoned by hand, worker-2 deleted): the resume re-runs
//   readiness, drains worker-1 again before its next step, and runs nothing for worker-2 — it stops, naming it, until
//   the admin confirms skipping it (`--skip-deleted-nodes`, audited); then the run finishes and verifies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { resumeCommand } from '../../../src/cli/resumeCommand';
import { useSandboxWithDir, waitFor } from '../sandbox';
import { CordonWatch, sandboxPrompts, TARGET, withCapture } from './helpers';
import { KubeConfig } from '@kubernetes/client-node';

const REPO = path.resolve(__dirname, '../../..');
const LEASE = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kubeadm-upgrade';
const { sb, dir: stateDirOf } = useSandboxWithDir('apt', 'lock-changes-');

interface Line {
  time: string;
  run: string;
  node: string;
  phase: string;
  command: string;
  exitCode: number | null;
  id?: string;
  stage?: 'start' | 'end';
}
const conn = () => ['--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--state-dir', stateDirOf()];
const audit = (): Line[] => {
  const file = path.join(stateDirOf(), 'audit.jsonl');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line) : [];
};
/** Node commands started and never ended (a start line whose id has no end line). */
const unended = (lines: Line[]) => lines.filter((l) => l.stage === 'start' && !lines.some((e) => e.stage === 'end' && e.id === l.id));
const clusterRun = () => {
  const dir = path.join(stateDirOf(), 'cluster-runs');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  return files.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { id: string; status: string; error?: string; nodes: { name: string; status: string; skipReason?: string }[] })[0];
};
const node = (name: string) => JSON.parse(sb.kubectl('get', 'node', name, '-o', 'json')) as { spec: { unschedulable?: boolean }; status: { nodeInfo: { kubeletVersion: string } } };
const resume = (...extra: string[]) => withCapture((out, err) => resumeCommand([...conn(), ...extra], out, err, { prompts: sandboxPrompts }));

test('killed mid-step, the lock taken, the cluster changed: the start line stays, the run stops naming the holder, resume re-drains, stops for the deleted node until confirmed, then finishes', { timeout: 1_200_000 }, async () => {
  const kc = new KubeConfig();
  kc.loadFromFile(sb.kubeconfig);
  const cordons = new CordonWatch(kc, (n) => n.startsWith('cp-'));
  await cordons.start();
  try {
    // 1. worker-1's kubelet restart (after its drain) hangs (until the fault is cleared); the run is killed while it runs.
    sb.setFault('worker-1', 'kubelet_restart', 'hang');
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'test/integration/identity/child.ts'), 'upgrade-cluster', '--to', TARGET, '--skip-snapshot', '--yes', ...conn()], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
    let childErr = '';
    proc.stderr!.on('data', (d: Buffer) => (childErr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_c, signal) => resolve(signal)));
    const running = await waitFor('worker-1 kubelet restart started', () => unended(audit()).find((l) => l.node === 'worker-1' && /systemctl restart kubelet/.test(l.command)), 900_000);
    await new Promise((r) => setTimeout(r, 2000)); // it is hanging, not racing to its end
    proc.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL', childErr);
    const afterKill = audit();
    assert.ok(unended(afterKill).some((l) => l.id === running.id), 'the command running when the process died keeps its start line, with no end');
    assert.equal(running.exitCode, null);
    assert.equal(node('worker-1').spec.unschedulable, true, 'worker-1 was drained before its step');

    // 2. Resumed (readiness runs again: the run was killed); while it waits on the hanging step, another holder takes
    //    the Lease (as a second admin's tool would once it judged ours gone). Then the step is let go.
    const resumed = resume();
    // Past readiness, back on worker-1 (a line for it after the readiness line): waiting on the hanging step.
    await waitFor('the resumed run back on worker-1', () => {
      const lines = audit();
      const checked = lines.findIndex((l) => l.phase === 'readiness-on-resume');
      return checked >= 0 && lines.slice(checked + 1).some((l) => l.node === 'worker-1') ? true : undefined;
    }, 300_000);
    await new Promise((r) => setTimeout(r, 3000));
    const read = await sb.api('GET', LEASE);
    if (read.status !== 200) {
      const early = await resumed;
      assert.fail(`the resume ended before the Lease could be taken (${early.code}):\n${early.err}\n${early.out}`);
    }
    const lease = read.body;
    const now = new Date().toISOString().replace(/Z$/, '000Z');
    const other = 'alice@bastion-2:4242-0badcafe/cli/cluster-other';
    const taken = await sb.api('PUT', LEASE, {
      ...lease,
      metadata: { ...lease.metadata, annotations: { 'kubeadm-upgrade.io/user': 'alice', 'kubeadm-upgrade.io/host': 'bastion-2', 'kubeadm-upgrade.io/tool': 'cli', 'kubeadm-upgrade.io/runId': 'cluster-other', 'kubeadm-upgrade.io/node': '', 'kubeadm-upgrade.io/process': '4242-0badcafe' } },
      spec: { ...lease.spec, holderIdentity: other, acquireTime: now, renewTime: now, leaseDurationSeconds: 600 },
    });
    assert.equal(taken.status, 200, JSON.stringify(taken.body));
    sb.setFault('worker-1', 'kubelet_restart', '');
    const stopped = await resumed;
    assert.notEqual(stopped.code, 0, stopped.err);
    assert.match(stopped.err, /the readiness checks run again/);
    assert.match(stopped.err, new RegExp(`The cluster lock was lost \\(the Lease kube-system/kubeadm-upgrade is now held by ${other.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\): stopped before the next step`));
    assert.equal(node('worker-1').spec.unschedulable, true, 'stopped mid-node: worker-1 stays cordoned');
    assert.notEqual(node('worker-2').status.nodeInfo.kubeletVersion, TARGET, 'worker-2 not upgraded');
    assert.equal(node('worker-2').spec.unschedulable ?? false, false, 'nor drained');
    assert.ok(audit().some((l) => l.phase === 'lease-lost' && l.command.includes(other)), 'the loss is audited');
    const leaseNow = (await sb.api('GET', LEASE)).body;
    assert.equal(leaseNow.spec.holderIdentity, other, 'the other holder\'s Lease is left alone');

    // 3. While that holder's Lease is live, resume is refused, naming it; nothing runs.
    const linesBefore = audit().length;
    const refused = await resume();
    assert.notEqual(refused.code, 0, refused.err);
    assert.match(refused.err, /alice@bastion-2/);
    assert.equal(audit().filter((l) => l.stage === 'start').length, audit().slice(0, linesBefore).filter((l) => l.stage === 'start').length, 'no node command ran');

    // 4. The other holder is done (its Lease released); meanwhile worker-1 was uncordoned by hand and worker-2 deleted.
    assert.equal((await sb.api('DELETE', LEASE)).status, 200);
    sb.kubectl('uncordon', 'worker-1');
    sb.kubectl('delete', 'node', 'worker-2', '--wait=false');
    await waitFor('worker-2 gone', () => (sb.kubectl('get', 'nodes', '-o', 'name').includes('node/worker-2') ? undefined : true), 60_000);
    const historyBefore = cordons.history.length;
    const linesBeforeChanged = audit().length;
    const changed = await resume();
    assert.notEqual(changed.code, 0, `${changed.err}\n${changed.out}`);
    assert.match(changed.err, /worker-1 is schedulable again since its drain \(uncordoned by hand\?\): it is drained again before the next step/);
    assert.ok(cordons.history.slice(historyBefore).some((h) => h.cordoned.includes('worker-1')), 'worker-1 cordoned again before its next step');
    assert.match(changed.err, /worker-2 is no longer in the cluster: re-run with --skip-deleted-nodes to skip it/);
    const since = audit().slice(linesBeforeChanged);
    assert.equal(since.filter((l) => l.node === 'worker-2' && l.stage === 'start').length, 0, 'nothing was run for worker-2');
    assert.equal(node('worker-1').status.nodeInfo.kubeletVersion, TARGET, 'worker-1 finished');
    assert.equal(node('worker-1').spec.unschedulable ?? false, false, 'and is schedulable');

    // 5. Confirmed: worker-2 skipped (audited), the run finishes and verifies.
    const done = await resume('--skip-deleted-nodes');
    assert.equal(done.code, 0, `${done.err}\n${done.out}`);
    const run = clusterRun();
    assert.equal(run?.status, 'done');
    assert.match(run?.nodes.find((n) => n.name === 'worker-2')?.skipReason ?? '', /no longer in the cluster \(deleted\?\): skipped, as confirmed/);
    assert.ok(audit().some((l) => l.phase === 'skip-deleted-node' && l.command.startsWith('worker-2')), 'the skip is audited');
    assert.deepEqual(unended(audit()).map((l) => l.id), [running.id], 'every other command has its end line');
  } finally {
    cordons.stop();
    sb.setFault('worker-1', 'kubelet_restart', '');
  }
});
