// The state after the first control plane's `kubeadm upgrade apply`, on the real sandbox (healthy scenario, cp-1
// upgraded with the CLI as an admin would): the tree calls it an upgrade in progress, shows what the procedure causes
// as expected (no error, no red node), and names the next step — `kubeadm upgrade node` on cp-2, then cp-3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiClusterSource } from '../../../src/adapters/k8s/apiClusterSource';
import { loadContexts } from '../../../src/adapters/k8s/kubeconfig';
import { main } from '../../../src/cli';
import { ClusterStore } from '../../../src/core/clusterStore';
import { nextStep, upgradeInProgress } from '../../../src/core/progress';
import { children } from '../../../src/ui/tree/elements';
import { present } from '../../../src/ui/tree/present';
import { AuditLog } from '../../../src/adapters/storage/auditLog';
import { listingCommand, parseListing } from '../../../src/core/backups/listing';
import { backupsViewModel } from '../../../src/core/backups/viewModel';
import { useSandbox, sandboxSshPool, SANDBOX_TARGET as TARGET } from '../sandbox';

let stateDir: string;
const sb = useSandbox('healthy', {
  setUp: () => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'views-state-'));
  },
  tearDown: () => {
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  },
});

test('after cp-1\'s apply: in progress, expected findings as info, Next step = kubeadm upgrade node on cp-2', { timeout: 900_000 }, async () => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['upgrade-node', 'cp-1', '--to', TARGET, '--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--yes', '--state-dir', stateDir], (s) => out.push(s), (s) => err.push(s));
  assert.equal(code, 0, err.join('\n').split('\n').slice(-15).join('\n'));

  const { contexts } = loadContexts([sb.kubeconfig]);
  const store = new ClusterStore();
  await store.setSources([new ApiClusterSource(contexts[0]!.name, contexts[0]!.config, 100, 200)]);
  try {
    const state = store.list()[0]!;
    assert.equal(state.status, 'ready', state.error?.message);
    const progress = upgradeInProgress(state.snapshot!)!;
    assert.ok(progress, 'the apiservers run two consecutive minors');
    assert.deepEqual([progress.upgraded, progress.pending], [['cp-1'], ['cp-2', 'cp-3']]);
    const bad = state.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule}@${f.node}`);
    assert.deepEqual(bad, [], 'nothing the procedure causes is an error');
    const kubelet = state.findings.find((f) => f.rule === 'kubelet-newer-than-apiserver' && f.node === 'cp-1');
    assert.ok(kubelet?.expected, `cp-1's upgraded kubelet is expected: ${JSON.stringify(state.findings.map((f) => `${f.severity}:${f.rule}@${f.node}`))}`);
    assert.match(kubelet.expected.text, /^expected until cp-2, cp-3 are upgraded/);
    const step = nextStep(state.snapshot!, progress)!;
    assert.deepEqual([step.kind, step.node, step.command, step.target, step.then], ['upgrade', 'cp-2', 'kubeadm upgrade node', TARGET, ['cp-3']]);

    const lines: string[] = [];
    const walk = (el?: Parameters<typeof children>[0], depth = 0) => {
      for (const c of children(el, store.list())) {
        const p = present(c);
        lines.push(`${'  '.repeat(depth)}${p.label} — ${p.description ?? ''} (${p.icon.id})`);
        walk(c, depth + 1);
      }
    };
    walk();
    assert.ok(lines.some((l) => l.trimStart() === `Next step: kubeadm upgrade node on cp-2 — to ${TARGET}, then cp-3 (debug-step-over)`), lines.join('\n'));
    assert.ok(lines.some((l) => l.trimStart().startsWith(`cp-1 — kubelet ${TARGET} · Ready`)), lines.join('\n'));
    assert.equal(lines.filter((l) => l.endsWith('(error)')).length, 0, lines.join('\n'));
  } finally {
    store.dispose();
  }
});

test('Backups and recovery after that run: "run again" is cp-1\'s own `kubeadm upgrade apply` to the target, not the setting', { timeout: 300_000 }, async () => {
  const pool = sandboxSshPool(sb);
  try {
    const r = await pool.getExecutor('cp-1').run(listingCommand(), { sudo: true, timeoutMs: 60_000 });
    assert.equal(r.exitCode, 0, r.stderr);
    const listing = parseListing(r.stdout);
    const entries = new AuditLog(path.join(stateDir, 'audit.jsonl')).read();
    const m = backupsViewModel('sandbox', [
      { node: 'cp-1', listing, etcdExternal: false, currentVersion: TARGET, targetVersion: 'v9.9.9', auditLog: null, auditEntries: entries },
    ]);
    const run = m.nodes[0]!.runs[0];
    assert.ok(run, `a backup run on cp-1: ${r.stdout.slice(0, 500)}`);
    const rerun = run.steps.find((s) => s.id === 'rerun')!;
    assert.match(String(rerun.command), new RegExp(`^sudo kubeadm upgrade apply .*${TARGET.replace(/\./g, '\\.')}`));
    assert.doesNotMatch(String(rerun.command), /v9\.9\.9|upgrade node/);
    assert.equal(m.nothingYet, null);
  } finally {
    pool.dispose();
  }
});
