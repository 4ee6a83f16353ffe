// UI e2e of the Upgrade Readiness report (issue #11), in code-server on the `not-ready-to-upgrade` sandbox: the
// palette command asks the cluster and the target, and the webview shows the blockers (cgroup v1 for a 1.36 kubelet,
// the PDB with 0 allowed disruptions, the Fail-policy webhook without endpoints), each with its node and fix, and the
// NotReady worker as a warning.
//   node test/e2e/readiness.mjs [--vsix dist/kubeadm-upgrade.vsix] [--update-media]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Suite, assert, waitUntil } from './lib/harness.mjs';
import { REPO, RESULTS } from './lib/launch.mjs';
import { SSH_ANSWERS, drive } from './lib/drive.mjs';
import { openSession, runAndClose, runIfMain } from './lib/session.mjs';

export async function readinessSuite({ env, vsix, updateMedia = false }) {
  const shots = path.join(RESULTS, 'e2e', 'readiness');
  fs.rmSync(shots, { recursive: true, force: true });
  const suite = new Suite('Upgrade Readiness (issue #11) on sandbox not-ready-to-upgrade');
  const s = {};
  let wb;

  suite.test('Check Upgrade Readiness… shows the blockers, each with its node and fix', async () => {
    const target = /K8S_NEW=(\S+)/.exec(fs.readFileSync(path.join(REPO, 'test/sandbox/build/versions.env'), 'utf8'))[1];
    ({ wb } = await openSession(s, env, { vsix, scenario: 'not-ready-to-upgrade', name: `e2e-readiness-${process.pid}`, runDir: path.join(RESULTS, 'e2e', 'readiness-run'), shots, extraEnv: { KUBEADM_UPGRADE_FOCUS_VIEW: '1' } }));
    await wb.tidyLayout();
    await waitUntil('worker-1 in the tree', async () => (await wb.treeRow('worker-1').count()) > 0, 60_000);
    await wb.command('Kubeadm: Check Upgrade Readiness…');
    const frame = wb.webview();
    const body = async () => (await frame.locator('body').textContent().catch(() => '')) ?? '';
    await drive(wb, 'the readiness report', async () => /blocker\(s\): do not upgrade yet/.test(await body()), [
      ...SSH_ANSWERS,
      { when: /^Cluster \(kubeconfig context\)/, pick: /kwok/ },
      { when: /target version/i, input: target },
    ], 240_000);
    const text = await body();
    assert(text.includes(`→ ${target}`), `the report names the target ${target}`);
    // Blockers: cgroup v1 on worker-1 (target ≥ 1.35), the PDB with 0 disruptions, the Fail webhook without endpoints.
    for (const [check, what] of [['cgroup-v1', 'worker-1'], ['pdb-blocks-drain', 'singleton'], ['webhook-unavailable', 'sandbox-policy']]) {
      const item = frame.locator(`.check.blocker[data-check="${check}"]`);
      assert((await item.count()) > 0, `a ${check} blocker is shown`);
      // The node is the item's data-node; the heading (a <summary>, in its own case) and the evidence are its text.
      const named = `${(await item.first().getAttribute('data-node')) ?? ''} ${(await item.first().textContent()) ?? ''}`;
      assert(named.includes(what), `${check} names ${what}: ${named.slice(0, 300)}`);
    }
    // A NotReady worker is a warning (a NotReady control plane would be a blocker).
    assert((await frame.locator('.check.warning[data-check="nodes-ready"][data-node="worker-3"]').count()) > 0, 'worker-3 NotReady is a warning');
    assert(/Fix:/.test(text), 'blockers carry their fix');
    await wb.shot('01-readiness-blockers');
    if (updateMedia) await wb.shot('readiness', { path: path.join(REPO, 'media', 'readiness.png') });
  });

  return runAndClose(suite, s, { stopOnFailure: true });
}

runIfMain(import.meta.url, (o) => readinessSuite(o));
