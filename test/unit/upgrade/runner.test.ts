import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeExecutor, RunResult } from '../../../src/core/exec/executor';
import { DEFAULT_OPTIONS, phasesFor, type UpgradeContext } from '../../../src/core/upgrade/phases';
import { freshVersionsCommand } from '../../../src/core/upgrade/packages';
import type { ClusterOps, UpgradeHooks } from '../../../src/core/upgrade/ports';
import type { AuditEntry } from '../../../src/core/audit/entry';
import { runUpgrade } from '../../../src/core/upgrade/runner';
import { newRunState, progressLabel, type UpgradeRunState } from '../../../src/core/upgrade/state';
import { parseVersion } from '../../../src/core/version';

const ctx: UpgradeContext = {
  cluster: 'prod',
  node: 'w-1',
  role: 'worker',
  target: parseVersion('v1.32.3')!,
  packageManager: 'apt',
  packageVersion: '1.32.3-1.1',
  stamp: '20261122T0900Z',
  options: { ...DEFAULT_OPTIONS, readyTimeoutSeconds: 0 },
};

/** Scripted stand-ins for the node and the API: this tests the runner's sequencing logic only. */
function harness(opts: { repoHas?: string; failOn?: string; kubeadmSays?: string; readyAfter?: number; drainError?: string; decline?: string } = {}) {
  const ran: string[] = [];
  const audit: AuditEntry[] = [];
  const saved: string[] = [];
  let statusCalls = 0;
  let kubelet = 'v1.31.4';
  const executor: NodeExecutor = {
    description: 'test node',
    async run(command): Promise<RunResult> {
      ran.push(command);
      if (opts.failOn && command.includes(opts.failOn)) return { exitCode: 1, stdout: '', stderr: '[ERROR] something broke\nerror execution phase x' };
      if (command.includes('apt-cache madison')) return { exitCode: 0, stdout: ` kubeadm | ${opts.repoHas ?? '1.32.3-1.1'} | https://pkgs.k8s.io/core:/stable:/v1.32/deb  Packages\n`, stderr: '' };
      if (command.startsWith('kubeadm version')) return { exitCode: 0, stdout: `${opts.kubeadmSays ?? 'v1.32.3'}\n`, stderr: '' };
      if (command.includes('restart kubelet')) kubelet = 'v1.32.3';
      return { exitCode: 0, stdout: 'ok\n', stderr: '' };
    },
    dispose() {},
  };
  const events: string[] = [];
  const cluster: ClusterOps = {
    async drain(node) {
      events.push(`drain ${node}`);
      if (opts.drainError) throw new Error(opts.drainError);
    },
    async uncordon(node) {
      events.push(`uncordon ${node}`);
    },
    async nodeStatus() {
      statusCalls++;
      return { ready: statusCalls > (opts.readyAfter ?? 0), kubeletVersion: kubelet, unschedulable: true };
    },
  };
  const hooks: UpgradeHooks = {
    executor,
    cluster,
    async confirm(kind) {
      return kind !== opts.decline;
    },
    progress() {},
    async save(s) {
      saved.push(s.status);
    },
    audit: (e) => audit.push(e),
    sleep: async () => {},
  };
  return { hooks, ran, audit, events, saved, setReadyAfter: (n: number) => (opts.readyAfter = n) };
}

const fresh = () => newRunState('run-1', ctx, phasesFor(ctx), new Date('2026-11-22T09:00:00Z'));

test('a worker upgrade runs every step in order, audits node commands, ends uncordoned', async () => {
  const h = harness();
  const s = await runUpgrade(fresh(), h.hooks);
  assert.equal(s.status, 'done', s.error);
  assert.deepEqual(h.ran, [
    freshVersionsCommand('apt', 'kubeadm'),
    'apt-mark unhold kubeadm && apt-get update && apt-get install -y kubeadm=1.32.3-1.1 && apt-mark hold kubeadm',
    'kubeadm version -o short',
    'kubeadm upgrade node',
    'apt-mark unhold kubelet kubectl && apt-get update && apt-get install -y kubelet=1.32.3-1.1 kubectl=1.32.3-1.1 && apt-mark hold kubelet kubectl',
    'systemctl daemon-reload && systemctl restart kubelet',
  ]);
  assert.deepEqual(h.events, ['drain w-1', 'uncordon w-1']);
  // Each node command: a start line before it runs and an end line after, with the same id and the start time.
  assert.equal(h.audit.length, 12);
  assert.deepEqual(h.audit.map((e) => e.stage), Array.from({ length: 6 }, () => ['start', 'end']).flat());
  for (let i = 0; i < 12; i += 2) {
    const [start, end] = [h.audit[i]!, h.audit[i + 1]!];
    assert.equal(start.id, end.id);
    assert.equal(start.time, end.time);
    assert.equal(start.command, h.ran[i / 2]);
    assert.equal(start.exitCode, null);
    assert.equal(end.exitCode, 0);
  }
  assert.equal(new Set(h.audit.map((e) => e.id)).size, 6);
  assert.deepEqual(Object.keys(h.audit[1]!).sort(), ['cluster', 'command', 'durationMs', 'exitCode', 'id', 'node', 'phase', 'run', 'stage', 'time', 'where']);
  assert.equal(s.cordoned, false);
  assert.equal(progressLabel(s), 'upgraded 9/9');
});

test('a failing kubeadm step stops there, before any drain: not cordoned; resume completes from that step', async () => {
  const h = harness({ failOn: 'kubeadm upgrade node' });
  const s = await runUpgrade(fresh(), h.hooks);
  assert.equal(s.status, 'failed');
  assert.match(s.error!, /Step 4\/9 "kubeadm upgrade node" failed: exit code 1: \[ERROR\] something broke \| error execution phase x/);
  assert.equal(s.cordoned, false);
  assert.equal(progressLabel(s), 'upgrade failed at 4/9');
  const h2 = harness();
  const resumed = await runUpgrade(s, h2.hooks);
  assert.equal(resumed.status, 'done');
  assert.equal(h2.ran[0], 'kubeadm upgrade node', 'resume re-runs the failed step first, not the finished ones');
});

test('a failure after the drain leaves the node cordoned and says so', async () => {
  const h = harness({ failOn: 'restart kubelet' });
  const s = await runUpgrade(fresh(), h.hooks);
  assert.equal(s.status, 'failed');
  assert.equal(s.cordoned, true);
  assert.match(s.error!, /w-1 is left cordoned \(SchedulingDisabled\)/);
  assert.deepEqual(h.events, ['drain w-1']);
});

test('a blocked drain fails the run with the drain\'s reason, node cordoned', async () => {
  const h = harness({ drainError: 'Cannot evict pod default/web-0: PDB default/web-pdb allows 0 disruptions' });
  const s = await runUpgrade(fresh(), h.hooks);
  assert.equal(s.status, 'failed');
  assert.match(s.error!, /web-pdb allows 0 disruptions.*left cordoned/);
});

test('a repository without the target fails before installing anything, listing what it has', async () => {
  const h = harness({ repoHas: '1.31.9-1.1' });
  const s = await runUpgrade(fresh(), h.hooks);
  assert.match(s.error!, /does not offer kubeadm v1\.32\.3 \(available: 1\.31\.9-1\.1\)/);
  assert.deepEqual(h.ran, [freshVersionsCommand('apt', 'kubeadm')]);
});

test('kubeadm not at the target after install is a failure', async () => {
  const s = await runUpgrade(fresh(), harness({ kubeadmSays: 'v1.31.4' }).hooks);
  assert.match(s.error!, /kubeadm reports v1\.31\.4, expected v1\.32\.3/);
});

test('a node that never gets Ready times out, cordoned', async () => {
  const s = await runUpgrade(fresh(), harness({ readyAfter: 1000 }).hooks);
  assert.equal(s.status, 'failed');
  assert.match(s.error!, /did not become Ready at kubelet v1\.32\.3 within 0 s \(last seen: NotReady, kubelet v1\.32\.3\)/);
  assert.equal(s.cordoned, true);
});

test('a declined confirmation cancels before that step; an abort stops at the next step boundary', async () => {
  const h = harness({ decline: 'drain' });
  const s = await runUpgrade(fresh(), h.hooks);
  assert.equal(s.status, 'cancelled');
  assert.match(s.error!, /Not confirmed: "Drain w-1"/);
  assert.deepEqual(h.events, []);
  const ac = new AbortController();
  ac.abort();
  const s2 = await runUpgrade(fresh(), harness().hooks, ac.signal);
  assert.equal(s2.status, 'cancelled');
});

test('an abort during a step lets that step finish and stops before the next one', async () => {
  const h = harness();
  const ac = new AbortController();
  const run = h.hooks.executor.run.bind(h.hooks.executor);
  h.hooks.executor.run = async (command, options) => {
    const r = await run(command, options);
    if (command.includes('kubeadm upgrade node')) ac.abort(); // the user cancels while kubeadm runs
    return r;
  };
  const s = await runUpgrade(fresh(), h.hooks, ac.signal);
  assert.equal(s.status, 'cancelled');
  assert.equal(s.phases.find((x) => x.id === 'kubeadm-upgrade')!.status, 'done', 'kubeadm upgrade is never interrupted');
  assert.equal(s.phases.find((x) => x.id === 'drain')!.status, 'pending');
  assert.deepEqual(h.events, [], 'nothing after the boundary ran: no drain');
  assert.ok(!h.ran.some((c) => c.includes('kubelet=')), 'no kubelet install');
});

test('state is saved at every step', async () => {
  const h = harness();
  const state: UpgradeRunState = fresh();
  await runUpgrade(state, h.hooks);
  assert.ok(h.saved.length >= 2 * 9);
  assert.equal(h.saved.at(-1), 'done');
});

test('a glob package version is pinned to the exact build the repository lists', async () => {
  const h = harness({ repoHas: '1.32.3-1.1' });
  const s = await runUpgrade(newRunState('run-g', { ...ctx, packageVersion: '1.32.3-*' }, phasesFor({ ...ctx, packageVersion: '1.32.3-*' }), new Date()), h.hooks);
  assert.equal(s.status, 'done', s.error);
  assert.equal(s.context.packageVersion, '1.32.3-1.1');
  assert.ok(h.ran.some((c) => c.includes('apt-get install -y kubeadm=1.32.3-1.1')), h.ran.join('\n'));
});

test('long steps run detached, named by run, step and try: a resume of a running or dropped step re-attaches (same try), one that ended with an exit code starts a new try', async () => {
  const seen: { command: string; detached?: string; timeoutMs?: number }[] = [];
  let failKubeadm: RunResult | undefined = { exitCode: 1, stdout: '', stderr: 'boom' };
  const h = harness();
  const inner = h.hooks.executor;
  const executor: NodeExecutor = {
    description: 'test node',
    async run(command, o = {}) {
      seen.push({ command, ...(o.detached ? { detached: `${o.detached.runId}/${o.detached.step}` } : {}) });
      if (command === 'kubeadm upgrade node' && failKubeadm) return failKubeadm;
      return inner.run(command, o);
    },
    dispose() {},
  };
  const hooks = { ...h.hooks, executor };
  const s = await runUpgrade(fresh(), hooks);
  assert.equal(s.status, 'failed');
  const detachedOf = (cmd: string) => seen.filter((x) => x.command.startsWith(cmd)).map((x) => x.detached);
  assert.deepEqual(detachedOf('apt-get update -q'), [undefined], 'read-only checks are not detached');
  assert.deepEqual(detachedOf('kubeadm version'), [undefined]);
  assert.deepEqual(detachedOf('apt-mark unhold kubeadm'), ['run-1/install-kubeadm-1']);
  assert.deepEqual(detachedOf('kubeadm upgrade node'), ['run-1/kubeadm-upgrade-1']);

  // Ended with exit code 1 → the retry is a new try.
  failKubeadm = { exitCode: null, stdout: '', stderr: '', failure: 'connection lost' };
  const s2 = await runUpgrade(s, hooks);
  assert.equal(s2.status, 'failed');
  assert.deepEqual(detachedOf('kubeadm upgrade node'), ['run-1/kubeadm-upgrade-1', 'run-1/kubeadm-upgrade-2']);
  // No exit code (connection lost): the same try, so the node re-attaches instead of starting it again.
  failKubeadm = undefined;
  const s3 = await runUpgrade(s2, hooks);
  assert.equal(s3.status, 'done', s3.error);
  assert.deepEqual(detachedOf('kubeadm upgrade node'), ['run-1/kubeadm-upgrade-1', 'run-1/kubeadm-upgrade-2', 'run-1/kubeadm-upgrade-2']);
  assert.deepEqual(detachedOf('systemctl'), ['run-1/restart-kubelet-1']);

  // A step left 'running' by a reload is re-attached with its try too.
  const reloaded = fresh();
  reloaded.phases.forEach((p, i) => (p.status = i < 3 ? 'done' : 'pending'));
  reloaded.phases[3]!.status = 'running';
  reloaded.phases[3]!.attempt = 4;
  seen.length = 0;
  await runUpgrade(reloaded, hooks);
  assert.deepEqual(detachedOf('kubeadm upgrade node'), ['run-1/kubeadm-upgrade-4']);
});

test('Cancel during a detached step: it is not stopped ("cannot stop safely now; it will finish"), the run stops after it', async () => {
  const h = harness();
  const abort = new AbortController();
  const messages: string[] = [];
  const inner = h.hooks.executor;
  const hooks: UpgradeHooks = {
    ...h.hooks,
    progress: (e) => e.type === 'message' && messages.push(e.text),
    executor: {
      description: 'test node',
      async run(command, o) {
        if (command === 'kubeadm upgrade node') abort.abort(); // the user presses Cancel mid-step
        return inner.run(command, o);
      },
      dispose() {},
    },
  };
  const s = await runUpgrade(fresh(), hooks, abort.signal);
  assert.equal(s.status, 'cancelled');
  assert.ok(messages.some((m) => /"kubeadm upgrade node" cannot stop safely now; it will finish/.test(m)), messages.join('\n'));
  assert.equal(s.phases.find((p) => p.id === 'kubeadm-upgrade')!.status, 'done', 'the step finished');
  assert.match(s.error!, /Cancelled before "Drain w-1"/);
});

test('resume finds the step by id: a run saved with another step order resumes at its failed step', async () => {
  const h = harness({ failOn: 'kubeadm upgrade node' });
  const s = await runUpgrade(fresh(), h.hooks);
  assert.equal(s.status, 'failed');
  // An older layout: the same steps saved in another order, plus one the current layout no longer has.
  s.phases.reverse();
  s.phases.push({ id: 'stop-apiserver', title: 'gone', status: 'pending' });
  s.status = 'interrupted';
  assert.equal(progressLabel(s).startsWith('upgrade interrupted at'), true);
  const h2 = harness();
  const resumed = await runUpgrade(s, h2.hooks);
  assert.equal(resumed.status, 'done', resumed.error);
  assert.equal(h2.ran[0], 'kubeadm upgrade node');
  assert.deepEqual(resumed.phases.map((p) => p.id), phasesFor(ctx).map((p) => p.id));
});

test('a run read back as running after a reload is interrupted: the tree offers Resume, not "upgrading" forever', async () => {
  const { asRestored } = await import('../../../src/core/upgrade/state');
  const { present } = await import('../../../src/ui/tree/present');
  const s = fresh();
  s.phases[0]!.status = 'done';
  s.phases[1]!.status = 'running';
  const restored = asRestored(s);
  assert.equal(restored.status, 'interrupted');
  assert.equal(progressLabel(restored), 'upgrade interrupted at 2/9');
  assert.equal(asRestored({ ...s, status: 'failed' }).status, 'failed');
  const node = { name: 'w-1', controlPlane: false, readiness: 'Ready', unschedulable: true, controlPlaneComponents: {} } as never;
  const cluster = { contextName: 'prod', server: undefined, status: 'ready', findings: [], warnings: [] } as never;
  const p = present({ kind: 'node', cluster, node, findings: [], runLabel: progressLabel(restored) });
  assert.match(p.contextValue, /\+upgradeStopped/);
  assert.doesNotMatch(p.contextValue, /\+upgrading/);
});

test('a detached step that ended without an exit status for good (lost: reboot, kill): the resume runs it as a new try', async () => {
  const h = harness();
  const seen: (string | undefined)[] = [];
  let lose = true;
  const executor: NodeExecutor = {
    description: 'test node',
    async run(command, o): Promise<RunResult> {
      if (command === 'kubeadm upgrade node') {
        seen.push(o?.detached ? `${o.detached.runId}/${o.detached.step}` : undefined);
        if (lose) return { exitCode: null, stdout: 'begin\n', stderr: '', failure: 'the step ended without an exit status (the node rebooted?): w-1 rebooted', lost: true };
      }
      return h.hooks.executor.run(command, o);
    },
    dispose() {},
  };
  const hooks = { ...h.hooks, executor };
  const s = await runUpgrade(fresh(), hooks);
  assert.equal(s.status, 'failed');
  assert.match(s.error!, /ended without an exit status \(the node rebooted\?\)/);
  const step = s.phases.find((p) => p.id === 'kubeadm-upgrade')!;
  assert.equal(step.lost, true);
  assert.equal(step.exitCode, null);
  lose = false;
  const s2 = await runUpgrade(s, hooks);
  assert.equal(s2.status, 'done', s2.error);
  assert.deepEqual(seen, ['run-1/kubeadm-upgrade-1', 'run-1/kubeadm-upgrade-2'], 'a new try, never a re-attach to the dead one');
  assert.equal(s2.phases.find((p) => p.id === 'kubeadm-upgrade')!.lost, undefined);
});

test('a detached try that provably never started (no pid file, no log) is started again at once as a new try, said and audited; not a "rebooted?" failure', async () => {
  const h = harness();
  const seen: string[] = [];
  const messages: string[] = [];
  const saves: (number | undefined)[] = [];
  let neverStarted = 1;
  const executor: NodeExecutor = {
    description: 'test node',
    async run(command, o): Promise<RunResult> {
      if (command === 'kubeadm upgrade node') {
        seen.push(`${o!.detached!.runId}/${o!.detached!.step}`);
        if (neverStarted-- > 0) return { exitCode: null, stdout: '', stderr: '', failure: 'the step never started on w-1 (no pid file, no log, no process runs it)', lost: true, neverStarted: true };
      }
      return h.hooks.executor.run(command, o);
    },
    dispose() {},
  };
  const hooks: UpgradeHooks = {
    ...h.hooks,
    executor,
    progress: (e) => {
      if (e.type === 'message') messages.push(e.text);
    },
    save: async (st) => {
      saves.push(st.phases.find((p) => p.id === 'kubeadm-upgrade')!.attempt);
    },
  };
  const s = await runUpgrade(fresh(), hooks);
  assert.equal(s.status, 'done', s.error);
  assert.deepEqual(seen, ['run-1/kubeadm-upgrade-1', 'run-1/kubeadm-upgrade-2'], 'the new try in the same run, no second resume');
  assert.ok(messages.includes('the step never started on w-1 (no pid file, no log, no process runs it): starting it again as try 2'), messages.join('\n'));
  assert.ok(!messages.some((m) => /without an exit status|rebooted/.test(m)), messages.join('\n'));
  assert.ok(saves.includes(2), 'the new try is saved before it starts (a crash now re-attaches to it)');
  const lines = h.audit.filter((e) => e.phase === 'kubeadm-upgrade');
  assert.deepEqual(lines.map((e) => e.stage), ['start', 'end', 'start', 'end'], 'each try its own start and end lines');
  assert.equal(lines[1]!.id, lines[0]!.id);
  assert.notEqual(lines[2]!.id, lines[0]!.id);
  assert.equal(lines[1]!.exitCode, null);
  assert.equal(lines[1]!.failure, 'the step never started on w-1 (no pid file, no log, no process runs it): starting it again as try 2');
  assert.equal(lines[3]!.exitCode, 0);

  // Never started twice in a row: reported as such (once), and the next resume is a new try again.
  neverStarted = 2;
  seen.length = 0;
  messages.length = 0;
  const again = fresh();
  const s2 = await runUpgrade(again, hooks);
  assert.equal(s2.status, 'failed');
  assert.match(s2.error!, /the step never started on w-1 \(no pid file, no log, no process runs it\)/);
  assert.doesNotMatch(s2.error!, /starting it again/);
  assert.deepEqual(seen, ['run-1/kubeadm-upgrade-1', 'run-1/kubeadm-upgrade-2'], 'started again once only');
  const s3 = await runUpgrade(s2, hooks);
  assert.equal(s3.status, 'done', s3.error);
  assert.deepEqual(seen, ['run-1/kubeadm-upgrade-1', 'run-1/kubeadm-upgrade-2', 'run-1/kubeadm-upgrade-3']);
});

test('a detached step gets the run\'s Cancel signal (it ends only the wait to reconnect; the executor never kills the step)', async () => {
  const h = harness();
  const abort = new AbortController();
  const signals: (AbortSignal | undefined)[] = [];
  const executor: NodeExecutor = {
    description: 'test node',
    async run(command, o): Promise<RunResult> {
      if (o?.detached) signals.push(o.signal);
      return h.hooks.executor.run(command, o);
    },
    dispose() {},
  };
  await runUpgrade(fresh(), { ...h.hooks, executor }, abort.signal);
  assert.ok(signals.length > 0 && signals.every((s) => s === abort.signal));
});
