// The explainer on what the sandbox really prints: the real kubeadm's `upgrade plan`, and the stand-in's
// `upgrade apply` / `upgrade node` (test/sandbox/kubeadm-standin.ts) run by the product's own upgrade sequence over
// SSH. Each output is explained with nothing unknown; a refused apply is explained as the version-policy failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explain, isBadInput, stepOutput, type ExplainResult } from '../../../src/core/explain';
import { runUpgrade } from '../../../src/core/upgrade/runner';
import { parseVersion } from '../../../src/core/version';
import { engineHooks, prepareNodeRun } from '../nodeRun';
import { SANDBOX_TARGET as TARGET, useSandbox, sandboxSshPool } from '../sandbox';

const sb = useSandbox('apt');

function explained(text: string, what: string): ExplainResult {
  const r = explain(text);
  if (isBadInput(r)) throw new Error(`${what}: ${r.bad}`);
  assert.deepEqual(r.unknown, [], `${what}: every line is known\n${text}`);
  return r;
}

test('the real kubeadm upgrade plan (with and without a target) is explained: plan, succeeded, nothing unknown', { timeout: 300_000 }, () => {
  for (const cmd of ['sudo kubeadm upgrade plan', `sudo kubeadm upgrade plan ${TARGET}`]) {
    const r = sb.ssh('cp-1', cmd);
    assert.equal(r.code, 0, r.stderr);
    const x = explained(`$ ${cmd}\n${r.stdout}\n${r.stderr}`, cmd).explanation;
    assert.equal(x.command, 'plan');
    assert.equal(x.outcome, 'succeeded');
    assert.deepEqual(x.failures, []);
  }
});

test('the stand-in refusing a skipped minor is explained as the version-policy failure', { timeout: 120_000 }, () => {
  const v = parseVersion(TARGET)!;
  const tooFar = `v${v.major}.${v.minor + 2}.0`;
  const r = sb.ssh('cp-1', `sudo kubeadm upgrade apply ${tooFar} --yes`);
  assert.notEqual(r.code, 0);
  const x = explained(`${r.stdout}\n${r.stderr}`, 'refused apply').explanation;
  assert.equal(x.outcome, 'failed');
  assert.ok(x.failures.some((f) => f.id === 'version-skips-minor'), JSON.stringify(x.failures));
});

test('apply on the control plane and node on a worker, run by the upgrade sequence: each kubeadm step explained', { timeout: 1_200_000 }, async () => {
  const pool = sandboxSshPool(sb);
  try {
    for (const node of ['cp-1', 'worker-2']) {
      const executor = pool.getExecutor(node);
      const { run } = await prepareNodeRun(sb, node, executor, `it-explain-${node}`);
      // The transcript as the run output shows it: a `▶ N/M title` header per step, then the step's output.
      let transcript = '';
      const result = await runUpgrade(
        run,
        engineHooks(sb, executor, {
          progress: (e) => {
            if (e.type === 'phase') transcript += `\n▶ ${e.index + 1}/${e.total} ${e.phase.title}\n`;
            else if (e.type === 'output') transcript += e.text;
          },
        }),
      );
      assert.equal(result.status, 'done', result.error);
      const index = result.phases.findIndex((p) => p.id === 'kubeadm-upgrade');
      const output = stepOutput(transcript, { index, total: result.phases.length, title: result.phases[index]!.title });
      const x = explained(output, `${node} kubeadm upgrade`).explanation;
      assert.equal(x.outcome, 'succeeded', output);
      assert.deepEqual(x.failures, []);
      if (node === 'cp-1') {
        assert.equal(x.command, 'apply');
        assert.equal(x.targetVersion, TARGET);
        assert.ok(x.upgraded.includes('kube-apiserver'), JSON.stringify(x.upgraded));
        assert.ok(x.backups.some((b) => /\/etc\/kubernetes\/tmp\/kubeadm-backup-manifests-[\d-]+$/.test(b)), JSON.stringify(x.backups));
      } else {
        assert.equal(x.command, 'node');
        assert.ok(x.backups.some((b) => /kubeadm-kubelet-config-\d{4}(-\d{2}){5}$/.test(b)), JSON.stringify(x.backups));
      }
    }
  } finally {
    pool.dispose();
  }
});
