// One identity per cluster, one owner per run, against two real sandboxes (`apt`: cp-1, worker-1, worker-2 each)
// whose kubeconfigs both name their context `kubernetes-admin@kubernetes`, as every kubeadm admin.conf does:
//  - a cluster run on A killed at its first control plane; `resume --yes --kubeconfig B.conf` is refused naming both
//    clusters, and B is untouched (no login on any of its nodes, no Lease, versions and cordons as they were);
//    `resume` with A's kubeconfig finds the run by A's identity and takes back the dead process's lock at once;
//  - an ssh_config that points cp-1 at worker-2's sshd is refused by the host check (machine ids), naming both;
//  - `upgrade-cluster` on B running in one process, `resume` from a second process with the same state folder is
//    refused naming the holder's process, and the first run finishes alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { parse as parseYaml, stringify } from 'yaml';
import { resumeCommand } from '../../../src/cli/resumeCommand';
import { useSandbox, waitFor, type Sandbox } from '../sandbox';
import { cli, sandboxPrompts, TARGET, withCapture } from '../clusterUpgrade/helpers';

const ADMIN_CONTEXT = 'kubernetes-admin@kubernetes';
const LEASE = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kubeadm-upgrade';
const REPO = path.resolve(__dirname, '../../..');
let stateDir: string;
let work: string;

/** The sandbox's kubeconfig renamed as kubeadm names admin.conf: cluster `kubernetes`, user `kubernetes-admin`. */
function asAdminConf(sb: Sandbox, name: string): string {
  const kc = parseYaml(fs.readFileSync(sb.kubeconfig, 'utf8')) as { clusters: { name: string }[]; users: { name: string }[]; contexts: { name: string; context: { cluster: string; user: string } }[]; 'current-context': string };
  kc.clusters[0]!.name = 'kubernetes';
  kc.users[0]!.name = 'kubernetes-admin';
  kc.contexts = [{ name: ADMIN_CONTEXT, context: { cluster: 'kubernetes', user: 'kubernetes-admin' } }];
  kc['current-context'] = ADMIN_CONTEXT;
  const file = path.join(work, `${name}.conf`);
  fs.writeFileSync(file, stringify(kc), { mode: 0o600 });
  return file;
}

const A = useSandbox('apt', {
  setUp: () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'identity-'));
    stateDir = path.join(work, 'state');
  },
});
const B = useSandbox('apt', {
  tearDown: () => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  },
});

const nodeFacts = (sb: Sandbox) =>
  (JSON.parse(sb.kubectl('get', 'nodes', '-o', 'json')).items as { metadata: { name: string }; spec: { unschedulable?: boolean }; status: { nodeInfo: { kubeletVersion: string } } }[])
    .map((n) => `${n.metadata.name} ${n.status.nodeInfo.kubeletVersion} ${n.spec.unschedulable ? 'cordoned' : 'schedulable'}`)
    .sort();
const logins = (sb: Sandbox) => sb.nodes.map((n) => (sb.sshdLog(n.name).match(/Accepted publickey/g) ?? []).length).reduce((a, b) => a + b, 0);
const clusterRuns = () => {
  const dir = path.join(stateDir, 'cluster-runs');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { id: string; status: string; identity?: { namespaceUid: string }; nodes: { name: string; status: string; step?: { index: number } }[] }) : [];
};
const uid = async (sb: Sandbox) => (await sb.api('GET', '/api/v1/namespaces/kube-system')).body.metadata.uid as string;

/** A cluster command in its own process (a second terminal); resolves with its exit code and output. */
function child(args: string[]): { proc: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'test/integration/identity/child.ts'), ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  proc.stdout!.resume();
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, err })));
  return { proc, done };
}

test('a run on A killed at its first control plane: resume with B\'s kubeconfig (same context name) is refused naming both, B untouched; A\'s resumes', { timeout: 1_500_000 }, async () => {
  const aConf = asAdminConf(A, 'A');
  const bConf = asAdminConf(B, 'B');
  const [uidA, uidB] = [await uid(A), await uid(B)];
  assert.notEqual(uidA, uidB);

  const run = child(['upgrade-cluster', '--to', TARGET, '--skip-snapshot', '--yes', '--kubeconfig', aConf, '--ssh-config', A.sshConfig!, '--state-dir', stateDir]);
  // Killed (SIGKILL: no clean-up at all) while its first control plane is at its second step or later.
  await waitFor('A\'s run at cp-1', () => clusterRuns().find((r) => r.nodes.some((n) => n.name === 'cp-1' && n.status === 'running' && (n.step?.index ?? 0) >= 2)), 600_000);
  run.proc.kill('SIGKILL');
  const killed = await run.done;
  assert.equal(killed.signal, 'SIGKILL', killed.err);
  const [stopped] = clusterRuns();
  assert.equal(stopped?.status, 'running', 'a killed run is left as it was');
  assert.equal(stopped?.identity?.namespaceUid, uidA, 'the run records A\'s identity');

  const bBefore = nodeFacts(B);
  const bLogins = logins(B);
  const refused = await withCapture((out, err) => resumeCommand(['--yes', '--kubeconfig', bConf, '--ssh-config', B.sshConfig!, '--state-dir', stateDir], out, err, { prompts: sandboxPrompts }));
  assert.equal(refused.code, 1, refused.err);
  assert.match(refused.err, new RegExp(`refused: The unfinished cluster run ${stopped!.id} .* belongs to the cluster https://127\\.0\\.0\\.1:\\d+ \\(CA sha256 [0-9a-f]{12}…, kube-system uid ${uidA}\\), but the context kubernetes-admin@kubernetes reaches https://127\\.0\\.0\\.1:\\d+ \\(CA sha256 [0-9a-f]{12}…, kube-system uid ${uidB}\\): a different cluster`));
  assert.doesNotMatch(refused.err, /Resuming/);
  // B untouched: nobody logged in to its nodes, no lock taken, every node as it was.
  assert.equal(logins(B), bLogins, 'no SSH login on any of B\'s nodes');
  assert.equal((await B.api('GET', LEASE)).status, 404, 'no Lease on B');
  assert.deepEqual(nodeFacts(B), bBefore);
  assert.equal(clusterRuns()[0]?.status, 'running', 'A\'s run file is not rewritten by the refusal');

  // With A's kubeconfig the run is found by identity; the killed process's lock is known dead (its pid is gone).
  const resumeA = () => withCapture((out, err) => resumeCommand(['--yes', '--kubeconfig', aConf, '--ssh-config', A.sshConfig!, '--state-dir', stateDir], out, err, { prompts: sandboxPrompts }));
  // One resume, wherever the kill landed: a step it interrupted before it started is started again as a new try
  // within this resume (src/core/upgrade/runner.ts), never reported as "ended without an exit status".
  const resumed = await resumeA();
  assert.equal(resumed.code, 0, `${resumed.err}\n${resumed.out}`);
  assert.doesNotMatch(resumed.err, /ended without an exit status/);
  assert.match(resumed.err, new RegExp(`Resuming ${stopped!.id}`));
  for (const line of nodeFacts(A)) assert.match(line, new RegExp(` ${TARGET.replace(/\./g, '\\.')} schedulable$`), line);
  assert.deepEqual(nodeFacts(B), bBefore, 'B still untouched');
});

test('the host reached over SSH must be the Node: cp-1 mapped to worker-2\'s sshd is refused, naming both machine ids', { timeout: 600_000 }, async () => {
  const bConf = asAdminConf(B, 'B');
  const port = (n: string) => B.nodes.find((x) => x.name === n)!.sshPort!;
  const wrong = path.join(work, 'wrong_ssh_config');
  fs.writeFileSync(wrong, fs.readFileSync(B.sshConfig!, 'utf8').replace(`Port ${port('cp-1')}\n`, `Port ${port('worker-2')}\n`));
  const before = nodeFacts(B);
  const r = await cli('upgrade-node', 'cp-1', '--to', TARGET, '--yes', '--kubeconfig', bConf, '--ssh-config', wrong, '--state-dir', path.join(work, 'wrong-state'));
  assert.equal(r.code, 1, r.err);
  const machineId = (n: string) => B.ssh(n, 'cat /etc/machine-id').stdout.trim();
  assert.match(machineId('cp-1'), /^[0-9a-f]{32}$/);
  assert.notEqual(machineId('cp-1'), machineId('worker-2'));
  assert.match(r.err, new RegExp(`The host reached for cp-1 \\(.*:${port('worker-2')}\\) is not cp-1: its machine id is ${machineId('worker-2')} \\(hostname worker-2\\), but the Node cp-1 reports machine id ${machineId('cp-1')}`));
  assert.deepEqual(nodeFacts(B), before, 'nothing changed');
  assert.equal((await B.api('GET', LEASE)).status, 404, 'the lock was released');
});

test('upgrade-cluster running in one process: resume from a second process with the same state folder is refused naming the holder; the first finishes alone', { timeout: 1_500_000 }, async () => {
  const bConf = asAdminConf(B, 'B');
  const uidB = await uid(B);
  const first = child(['upgrade-cluster', '--to', TARGET, '--skip-snapshot', '--yes', '--kubeconfig', bConf, '--ssh-config', B.sshConfig!, '--state-dir', stateDir]);
  // Past the control plane (whose apply restarts the apiserver): a worker is being upgraded.
  const running = await waitFor('B\'s run at a worker', () => clusterRuns().find((r) => r.identity?.namespaceUid === uidB && r.status === 'running' && r.nodes.some((n) => n.name.startsWith('worker') && n.status === 'running')), 600_000);
  const second = child(['resume', '--yes', '--kubeconfig', bConf, '--ssh-config', B.sshConfig!, '--state-dir', stateDir]);
  const refused = await second.done;
  assert.equal(refused.code, 1, refused.err);
  assert.match(refused.err, new RegExp(`Resuming ${running.id}`));
  assert.match(refused.err, new RegExp(`refused: This run is being driven by another live process: the Lease kube-system/kubeadm-upgrade is held by .*\\(cli, run ${running.id}, process ${first.proc.pid}-[0-9a-f]{8}`));
  const finished = await first.done;
  assert.equal(finished.code, 0, finished.err);
  const audit = fs.readFileSync(path.join(stateDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { run: string; phase: string; failure?: string; node: string });
  assert.equal(audit.filter((e) => e.run === running.id && e.phase === 'cluster-run').length, 1, 'one process drove the run');
  // The host check ran on every node before its first step, and passed on the sandbox's own mapping.
  const nodeRunIds = new Set(clusterRuns().find((r) => r.id === running.id)!.nodes.map((n) => (n as { runId?: string }).runId));
  const hostChecks = audit.filter((e) => e.phase === 'confirm-host' && nodeRunIds.has(e.run));
  assert.deepEqual(hostChecks.map((e) => `${e.node} ${e.failure ?? 'ok'}`).sort(), ['cp-1 ok', 'worker-1 ok', 'worker-2 ok']);
  for (const line of nodeFacts(B)) assert.match(line, new RegExp(` ${TARGET.replace(/\./g, '\\.')} schedulable$`), line);
  const v = await cli('verify', '--to', TARGET, '--kubeconfig', bConf, '--state-dir', stateDir);
  assert.equal(v.code, 0, v.out);
});
