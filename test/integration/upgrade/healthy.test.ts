// The whole product path against the sandbox's real apiserver and real sshd: upgrade the `healthy` scenario
// (3 control planes + 3 workers) one node at a time, first control plane → other control planes → workers,
// over SSH. Every node must end at the target and schedulable, workloads keep their replica counts, and
// kubeadm's backups exist on the control planes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SshPool } from '../../../src/adapters/ssh';
import { listingCommand, parseListing } from '../../../src/core/backups/listing';
import { parsePlan } from '../../../src/core/plan';
import { KUBEADM_VERSION_COMMAND, planCommand, supportsJsonPlan } from '../../../src/core/upgrade/planCommand';
import { main } from '../../../src/cli';
import { phasesFor } from '../../../src/core/upgrade/phases';
import { runUpgrade } from '../../../src/core/upgrade/runner';
import { engineHooks, prepareNodeRun } from '../nodeRun';
import { SANDBOX_TARGET as TARGET, useSandbox, sandboxSshPool } from '../sandbox';

let stateDir: string;
const sb = useSandbox('healthy', {
  setUp: () => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'upgrade-state-'));
  },
});

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const nodes = () => JSON.parse(sb.kubectl('get', 'nodes', '-o', 'json')).items as { metadata: { name: string }; spec: { unschedulable?: boolean }; status: { nodeInfo: { kubeletVersion: string } } }[];
const replicas = () =>
  (JSON.parse(sb.kubectl('get', 'deployments', '-n', 'default', '-o', 'json')).items as { metadata: { name: string }; spec: { replicas: number } }[]).map((d) => `${d.metadata.name}=${d.spec.replicas}`).sort();

test('without --yes the CLI stops before the first change and prints the plan', { timeout: 120_000 }, async () => {
  const r = await cli('upgrade-node', 'cp-1', '--to', TARGET, '--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!);
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /Stopped before the first change/);
  assert.match(r.out, new RegExp(`kubeadm upgrade apply ${TARGET.replace(/\./g, '\\.')} --yes`));
  assert.match(r.out, /Switch the package repository/);
  assert.equal(nodes().find((n) => n.metadata.name === 'cp-1')!.spec.unschedulable, undefined, 'nothing was changed');
});

/** The same executor the extension's Plan Upgrade and backups view use (ssh mode). */
function withPool<T>(fn: (pool: SshPool) => Promise<T>): Promise<T> {
  const pool = sandboxSshPool(sb);
  return fn(pool).finally(() => pool.dispose());
}

test('Plan Upgrade on a control plane: the real kubeadm prints a plan, in text and JSON, parsed with nothing left over', { timeout: 300_000 }, async () => {
  await withPool(async (pool) => {
    const ex = pool.getExecutor('cp-1');
    const version = (await ex.run(KUBEADM_VERSION_COMMAND)).stdout.trim();
    for (const json of [false, supportsJsonPlan(version)]) {
      const r = await ex.run(planCommand(TARGET, json), { sudo: true, timeoutMs: 240_000 });
      assert.equal(r.exitCode, 0, r.stderr);
      const plan = parsePlan(`${r.stdout}\n${r.stderr}`);
      assert.deepEqual(plan.unparsed, [], `json=${json}: ${plan.unparsed.join('\n')}`);
      assert.equal(plan.format, json ? 'json' : 'text');
      assert.ok(plan.availableUpgrades.some((u) => u.targetVersion === TARGET), JSON.stringify(plan.availableUpgrades.map((u) => u.targetVersion)));
      assert.deepEqual(plan.diagnostics.filter((d) => d.severity === 'error'), []);
    }
  });
});

test('a worker before the first control plane is refused with the reason', { timeout: 120_000 }, async () => {
  const r = await cli('upgrade-node', 'worker-1', '--to', TARGET, '--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--yes');
  assert.equal(r.code, 1);
  assert.match(r.err, /refused: The control plane is at v1\.\d+\.\d+: upgrade the first control-plane node/);
});

/** What a node's sshd saw in `log` after `from` characters: logins accepted, and connections (client ports) of any outcome. */
function sshdSessions(log: string, from: number): { accepted: number; connections: number } {
  // The end of a connection opened before `from` (the gate's readiness logs into every node, and that connection closes
  // later) is not a connection of this upgrade: its disconnect lines are left out.
  const lines = log.slice(from).split('\n').filter((l) => !/^(Received disconnect|Disconnected from) /.test(l));
  const ports = new Set(lines.map((l) => / 127\.0\.0\.1 port (\d+)/.exec(l)?.[1]).filter(Boolean));
  return { accepted: lines.filter((l) => l.startsWith('Accepted ')).length, connections: ports.size };
}

test('full upgrade: first control plane, other control planes, workers — all at the target, schedulable, nothing lost', { timeout: 1_800_000 }, async () => {
  const before = replicas();
  const all = sb.nodes.map((n) => n.name);
  for (const node of ['cp-1', 'cp-2', 'cp-3', 'worker-1', 'worker-2']) {
    const logStart = new Map(all.map((n) => [n, sb.sshdLog(n).length]));
    const r = await cli('upgrade-node', node, '--to', TARGET, '--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--yes', '--state-dir', stateDir);
    assert.equal(r.code, 0, `${node}: ${r.err.split('\n').slice(-15).join('\n')}`);
    assert.match(r.out, new RegExp(`${node} is at ${TARGET.replace(/\./g, '\\.')} and schedulable`));
    // One SSH handshake per node per Upgrade Node: every step (facts, checks, snapshot, kubeadm, packages, kubelet
    // restart) shares the one kept connection; the other nodes are not logged into at all.
    const seen = Object.fromEntries(all.map((n) => [n, sshdSessions(sb.sshdLog(n), logStart.get(n)!)]));
    const others = Object.fromEntries(all.filter((n) => n !== node).map((n) => [n, seen[n]!.connections]));
    assert.deepEqual(seen[node], { accepted: 1, connections: 1 }, `${node}'s sshd during its upgrade:\n${sb.sshdLog(node).slice(logStart.get(node)!).split('\n').filter((l) => / port \d+/.test(l)).join('\n')}`);
    assert.deepEqual(Object.values(others).filter((c) => c > 1), [], `other nodes' connections: ${JSON.stringify(others)}`);
    // #26: pre-pull is the default: each control plane gets the target's images (kubeadm config images pull, looked
    // up with crictl inspecti) before its kubeadm upgrade and its drain; workers run no control-plane image. (After
    // the count of SSH sessions above: the look below is one more.)
    const steps = `${r.err}\n${r.out}`.split('\n').filter((l) => l.startsWith('==>'));
    const pull = steps.findIndex((l) => l.includes(`Pull the images of ${TARGET} not on ${node} yet`));
    if (node.startsWith('cp-')) {
      assert.ok(pull >= 0 && pull < steps.findIndex((l) => /kubeadm upgrade (apply|node)/.test(l)) && pull < steps.findIndex((l) => l.includes(`Drain ${node}`)), steps.join('\n'));
      // The sandbox's `kubeadm config images pull` recorded them where its crictl stand-in looks them up.
      assert.match(sb.ssh(node, `crictl inspecti registry.k8s.io/kube-apiserver:${TARGET}`).stdout, new RegExp(`"registry\\.k8s\\.io/kube-apiserver:${TARGET.replace(/\./g, '\\.')}"`));
    } else assert.equal(pull, -1, steps.join('\n'));
  }
  // worker-3 logs in with a sudo that asks for a password: answered through the prompt interface, in memory only.
  const asked: string[] = [];
  const pool = new SshPool({
    configFile: sb.sshConfig!,
    prompts: {
      confirmUnknownHost: async () => false,
      askPassphrase: async () => undefined,
      askSudoPassword: async (host, user) => {
        asked.push(`${user}@${host}`);
        return 'sandbox';
      },
    },
  });
  try {
    const executor = pool.getExecutor('worker-3');
    const { run, guards } = await prepareNodeRun(sb, 'worker-3', executor, 'it-worker-3');
    assert.deepEqual(guards.filter((g) => g.severity === 'refuse'), []);
    const audit: { phase: string; command: string }[] = [];
    const result = await runUpgrade(run, engineHooks(sb, executor, { audit: (e) => audit.push(e) }));
    assert.equal(result.status, 'done', result.error);
    assert.ok(asked.length >= 1, 'sudo asked for the password');
    // The audit records exactly the step's command: the password went to sudo's stdin, never into a command line.
    const scripts = new Map(phasesFor(result.context).map((p) => [p.id as string, p.action.kind === 'node' ? p.action.command : p.script]));
    // Before the first step the host is confirmed to be the Node (#22 item 11): its own audited read, no password in it.
    assert.ok(audit.some((e) => e.phase === 'confirm-host'), 'the host check is audited');
    for (const e of audit) {
      if (e.phase === 'confirm-host') assert.ok(!e.command.includes("'sandbox'") && /machine-id/.test(e.command), e.command);
      else assert.equal(e.command, scripts.get(e.phase), `audit of ${e.phase}`);
    }
  } finally {
    pool.dispose();
  }

  for (const n of nodes()) {
    assert.equal(n.status.nodeInfo.kubeletVersion, TARGET, `${n.metadata.name} kubelet`);
    assert.notEqual(n.spec.unschedulable, true, `${n.metadata.name} schedulable`);
  }
  assert.deepEqual(replicas(), before);
  const cm = JSON.parse(sb.kubectl('get', 'cm', '-n', 'kube-system', 'kubeadm-config', '-o', 'json')).data.ClusterConfiguration as string;
  assert.match(cm, new RegExp(`kubernetesVersion: ${TARGET.replace(/\./g, '\\.')}`));
  for (const cp of ['cp-1', 'cp-2', 'cp-3']) {
    const ls = sb.ssh(cp, 'ls /etc/kubernetes/tmp');
    assert.match(ls.stdout, /kubeadm-backup-manifests-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d/, `${cp}: ${ls.stdout}${ls.stderr}`);
  }
  // The backups view's listing finds the folders `kubeadm upgrade` wrote on the first control plane.
  await withPool(async (pool) => {
    const r = await pool.getExecutor('cp-1').run(listingCommand(), { sudo: true, timeoutMs: 60_000 });
    assert.equal(r.exitCode, 0, r.stderr);
    const listing = parseListing(r.stdout);
    assert.equal(listing.complete, true);
    assert.ok(listing.backups.some((b) => b.kind === 'manifests' && b.time !== null && b.files.length > 0), JSON.stringify(listing.backups.map((b) => [b.name, b.kind])));
  });
  // The audit log of the CLI runs names every command, where it ran and its exit code.
  const lines = fs.readFileSync(path.join(stateDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { node: string; phase: string; exitCode: number | null; where: string });
  // Written when it started (no exit code yet, #22 item 7) and when it ended.
  assert.ok(lines.some((l) => l.node === 'cp-1' && l.phase === 'kubeadm-upgrade' && l.exitCode === null), 'the apply on cp-1 has its start line');
  const apply = lines.find((l) => l.node === 'cp-1' && l.phase === 'kubeadm-upgrade' && l.exitCode !== null);
  assert.equal(apply?.exitCode, 0, 'the apply on cp-1 is in the audit log');
  assert.match(apply.where, /^ssh \S+@127\.0\.0\.1:\d+/);
});
