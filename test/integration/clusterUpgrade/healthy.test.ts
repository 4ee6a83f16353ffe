// Upgrade Cluster against the sandbox's real apiserver and sshd (`healthy`: 3 control planes + 3 workers):
// verify fails before and passes after; the control planes never overlap (audit timestamps and a real watch of the
// cordons); with --max-unavailable 2 at most two workers are cordoned at once, and two really are; workloads keep
// their replicas; a second upgrade-cluster, and the extension's side of the lock, are refused while it runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { binaries } from '../../sandbox/lib/paths';
import { loadContexts, type ContextEntry } from '../../../src/adapters/k8s/kubeconfig';
import { LeaseLock, localHolder } from '../../../src/adapters/k8s/leaseLock';
import { upgradeClusterCommand } from '../../../src/cli/upgradeClusterCommand';
import { LockHeldError } from '../../../src/core/lock/lease';
import { AuditLog } from '../../../src/adapters/storage/auditLog';
import { useSandbox, waitFor } from '../sandbox';
import { auditSpans, cli, CordonWatch, sandboxPrompts, TARGET, withCapture } from './helpers';
import { assertValidJsonOutput } from '../../schemas';

let ctx: ContextEntry;
let stateDir: string;
const sb = useSandbox('healthy', {
  setUp: () => {
    ctx = loadContexts([sb.kubeconfig]).contexts[0]!;
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-upgrade-'));
  },
  tearDown: () => {
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  },
});

const conn = () => ['--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--state-dir', stateDir];
const nodes = () => JSON.parse(sb.kubectl('get', 'nodes', '-o', 'json')).items as { metadata: { name: string }; spec: { unschedulable?: boolean }; status: { nodeInfo: { kubeletVersion: string } } }[];
const replicas = () =>
  (JSON.parse(sb.kubectl('get', 'deployments', '-n', 'default', '-o', 'json')).items as { metadata: { name: string }; spec: { replicas: number } }[]).map((d) => `${d.metadata.name}=${d.spec.replicas}`).sort();
const lease = async () => (await sb.api('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kubeadm-upgrade')).status;

test('verify fails before the upgrade; the plan without --yes changes nothing and keeps PDB-sharing workers apart', { timeout: 300_000 }, async () => {
  const v = await cli('verify', '--to', TARGET, '--kubeconfig', sb.kubeconfig, '--state-dir', stateDir);
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, /NOT PASSED/);
  assert.match(v.out, /✖ kubelet-version\s+worker-1/);

  // The readiness report runs for real before the plan: the sandbox's password node (worker-3) needs its sudo
  // password for the node-access check, which the test's prompts give (a user would type it).
  const r = await withCapture((out, err) => upgradeClusterCommand(['--to', TARGET, '--max-unavailable', '2', '--skip-snapshot', ...conn()], out, err, { prompts: sandboxPrompts }));
  assert.equal(r.code, 1, r.err);
  assert.doesNotMatch(r.err, /blocked by readiness check/, 'healthy has no readiness blocker');
  assert.match(r.err, /Stopped before the first change/);
  assert.match(r.out, /1\. cp-1 \(first control plane: kubeadm upgrade apply\)/);
  assert.match(r.out, /2\. cp-2 \(control plane: kubeadm upgrade node\), then the control-plane health gate/);
  // web (3 replicas, one per worker) allows 1 disruption: no two workers may drain together.
  assert.match(r.out, /kept out: PDB default\/web allows 1 disruption/);
  assert.match(r.out, /## worker-2[\s\S]*kubectl drain worker-2/);
  assert.match(r.out, /Estimated API downtime: None expected: 3 control planes/);
  assert.ok(nodes().every((n) => n.spec.unschedulable !== true), 'nothing cordoned');
  assert.equal(await lease(), 404, 'no lock left behind by a plan');
});

test('upgrade-cluster --yes --max-unavailable 2: every node at the target, control planes one at a time, two workers at once, verified', { timeout: 1_800_000 }, async () => {
  // Let web's budget allow two disruptions so two workers can really share a batch (the plan above proved that at 1
  // they may not): the batching must then use it, and never exceed it.
  sb.kubectl('patch', 'pdb', 'web', '-n', 'default', '--type', 'merge', '-p', '{"spec":{"maxUnavailable":2}}');
  await waitFor('web PDB allows 2', async () => (await sb.api('GET', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/web')).body?.status?.disruptionsAllowed === 2, 60_000);
  const before = replicas();
  const cps = new Set(['cp-1', 'cp-2', 'cp-3']);
  const watch = new CordonWatch(ctx.config, (n) => cps.has(n));
  await watch.start();

  // No --skip-snapshot: the run takes a real etcd snapshot before the first control plane changes.
  const running = withCapture((out, err) => upgradeClusterCommand(['--to', TARGET, '--max-unavailable', '2', '--yes', '--json', ...conn()], out, err, { prompts: sandboxPrompts }));

  // While it runs: the lock names the holder, for a second CLI run and for the extension's side alike.
  await waitFor('the cluster lock', async () => ((await lease()) === 200 ? true : undefined), 120_000);
  const second = await cli('upgrade-cluster', '--to', TARGET, '--skip-snapshot', '--yes', ...conn());
  assert.equal(second.code, 1);
  assert.match(second.err, /refused: Another upgrade is running on this cluster: the Lease kube-system\/kubeadm-upgrade is held by \S+@\S+ \(cli, run cluster-\S+.* since \d{4}-/);
  const ext = new LeaseLock(ctx.config);
  await assert.rejects(ext.acquire(localHolder('vscode', 'ext-run'), async () => false), (e: unknown) => e instanceof LockHeldError && /\(cli, run cluster-/.test(e.message));
  // A manual drain while the run's Lease is live: refused, naming the holder (nothing is asked of the API but the Lease).
  const manual = await cli('drain', 'worker-3', '--kubeconfig', sb.kubeconfig);
  assert.equal(manual.code, 1, manual.err);
  assert.match(manual.err, /Drain of worker-3 refused: Another upgrade is running on this cluster: the Lease kube-system\/kubeadm-upgrade is held by \S+@\S+ \(cli, run cluster-/);

  const r = await running;
  watch.stop();
  assert.equal(r.code, 0, `${r.err}\n${r.out.slice(-3000)}`);
  const events = r.out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { event: string; [k: string]: unknown });
  for (const line of r.out.split('\n').filter((l) => l.startsWith('{'))) assertValidJsonOutput(line, 'UpgradeClusterEvent'); // schemas/v1
  assert.deepEqual(events.filter((e) => e.event === 'done').map((e) => e.status), ['done']);
  assert.equal(events.find((e) => e.event === 'verify')?.passed, true);
  // The etcd snapshot exists, is a valid snapshot (etcdutl reads it) and its sha256 is what the run recorded.
  const snap = events.find((e) => e.event === 'snapshot') as { node: string; path: string; sha256: string } | undefined;
  assert.ok(snap?.path, JSON.stringify(snap));
  assert.equal(snap.node, 'cp-1');
  assert.equal(path.dirname(snap.path), path.join(stateDir, 'etcd-snapshots'));
  assert.equal(createHash('sha256').update(fs.readFileSync(snap.path)).digest('hex'), snap.sha256);
  const status = spawnSync(binaries().etcdutl, ['snapshot', 'status', snap.path, '-w', 'json'], { encoding: 'utf8' });
  assert.equal(status.status, 0, status.stderr);
  assert.ok((JSON.parse(status.stdout) as { totalKey: number }).totalKey > 10);
  const batches = events.filter((e) => e.event === 'batch').map((e) => e.nodes as string[]);
  assert.ok(batches.some((b) => b.length === 2), JSON.stringify(batches));
  assert.ok(batches.every((b) => b.length <= 2));

  for (const n of nodes()) {
    assert.equal(n.status.nodeInfo.kubeletVersion, TARGET, `${n.metadata.name} kubelet`);
    assert.notEqual(n.spec.unschedulable, true, `${n.metadata.name} schedulable`);
  }
  assert.deepEqual(replicas(), before);
  assert.equal(await lease(), 404, 'the lock is released at the end');

  // Control planes never overlap: by the cordon watch and by the audit log's command times.
  assert.equal(watch.maxControlPlanes, 1, JSON.stringify(watch.history));
  assert.equal(watch.maxWorkers, 2, JSON.stringify(watch.history));
  // The upgrade's own steps: the readiness report, the etcd snapshot and the plan's package facts (phase `command`,
  // audited now in the CLI too) read every node at the start, read-only.
  const spans = auditSpans(path.join(stateDir, 'audit.jsonl'), (e) => e.phase !== 'readiness' && e.phase !== 'command');
  const cpSpans = ['cp-1', 'cp-2', 'cp-3'].map((n) => spans.get(n)!);
  assert.ok(cpSpans.every(Boolean), JSON.stringify([...spans]));
  for (let i = 1; i < cpSpans.length; i++) assert.ok(cpSpans[i - 1]!.end <= cpSpans[i]!.start, `cp-${i} and cp-${i + 1} overlap: ${JSON.stringify(cpSpans)}`);
  const lastCp = Math.max(...cpSpans.map((s) => s.end));
  for (const w of ['worker-1', 'worker-2', 'worker-3']) assert.ok(spans.get(w)!.start >= lastCp, `${w} started before the control planes were done`);

  // The CLI run audits every cordon, eviction and uncordon under its run id, and every action (API change or node
  // command) has a start line and an end line with one id.
  const entries = new AuditLog(path.join(stateDir, 'audit.jsonl')).read();
  const runId = entries.find((e) => e.phase === 'cluster-run')!.run;
  const ofRun = entries.filter((e) => e.run === runId);
  for (const w of ['worker-1', 'worker-2', 'worker-3']) {
    for (const phase of ['cordon', 'uncordon']) assert.ok(ofRun.some((e) => e.node === w && e.phase === phase && e.stage === 'end' && e.exitCode === 0), `${w} ${phase} audited`);
  }
  assert.ok(ofRun.some((e) => e.phase === 'evict' && e.stage === 'end' && e.exitCode === 0), 'evictions audited');
  const ids = (stage: string) => entries.filter((e) => e.stage === stage).map((e) => e.id).sort();
  assert.deepEqual(ids('start'), ids('end'), 'each start has its end (the run finished)');
  assert.ok(entries.some((e) => e.node === 'cp-1' && e.stage === 'start' && /kubeadm upgrade apply/.test(e.command)), 'the apply step: its start line');

  const v = await cli('verify', '--to', TARGET, '--kubeconfig', sb.kubeconfig, '--state-dir', stateDir, '--json');
  assert.equal(v.code, 0, v.out);
  assert.equal(JSON.parse(v.out).passed, true);
  assertValidJsonOutput(v.out, 'Verification');
});
