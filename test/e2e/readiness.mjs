// UI e2e of the Upgrade Readiness report (issue #11), in code-server on the `not-ready-to-upgrade` sandbox: the
// palette command asks the cluster and the target, and the webview shows the blockers (cgroup v1 for a 1.36 kubelet,
// the PDB with 0 allowed disruptions, the Fail-policy webhook without endpoints), each with its node and fix, and the
// NotReady worker as a warning.
//   node test/e2e/readiness.mjs [--vsix dist/kubeadm-upgrade.vsix] [--update-media]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Suite, assert, printSummary, waitUntil } from './lib/harness.mjs';
import { REPO, RESULTS, buildVsix, cleanup, sandboxSettings, setup, startCodeServer, startSandbox } from './lib/launch.mjs';
import { Workbench, openBrowser } from './lib/workbench.mjs';
import { drive, SSH_ANSWERS } from './views.mjs';

export async function readinessSuite({ env, vsix, updateMedia = false }) {
  const shots = path.join(RESULTS, 'e2e', 'readiness');
  fs.rmSync(shots, { recursive: true, force: true });
  const suite = new Suite('Upgrade Readiness (issue #11) on sandbox not-ready-to-upgrade');
  let sb, cs, browser, wb;

  suite.test('Check Upgrade Readiness… shows the blockers, each with its node and fix', async () => {
    sb = await startSandbox('not-ready-to-upgrade', `e2e-readiness-${process.pid}`);
    const target = /K8S_NEW=(\S+)/.exec(fs.readFileSync(path.join(REPO, 'test/sandbox/build/versions.env'), 'utf8'))[1];
    cs = await startCodeServer(env, { vsix, settings: sandboxSettings(sb, 'ssh'), runDir: path.join(RESULTS, 'e2e', 'readiness-run'), extraEnv: { KUBEADM_UPGRADE_FOCUS_VIEW: '1' } });
    browser = await openBrowser(env);
    wb = await Workbench.open(browser, cs.url, shots);
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
      // The node is the item's data-node, the objects are in its evidence (the heading is an attribute of the collapsible).
      const named = `${(await item.first().getAttribute('data-node')) ?? ''} ${(await item.first().textContent()) ?? ''} ${(await item.first().locator('vscode-collapsible').getAttribute('heading')) ?? ''}`;
      assert(named.includes(what), `${check} names ${what}: ${named.slice(0, 300)}`);
    }
    // A NotReady worker is a warning (a NotReady control plane would be a blocker).
    assert((await frame.locator('.check.warning[data-check="nodes-ready"][data-node="worker-3"]').count()) > 0, 'worker-3 NotReady is a warning');
    assert(/Fix:/.test(text), 'blockers carry their fix');
    await wb.shot('01-readiness-blockers');
    if (updateMedia) await wb.shot('readiness', { path: path.join(REPO, 'media', 'readiness.png') });
  });

  const results = await suite.run({ stopOnFailure: true, onFailure: async (name) => { if (wb) await wb.shot(`failure-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40)}`); } });
  await browser?.close().catch(() => {});
  await cs?.stop();
  sb?.down();
  return results;
}

// Standalone: node test/e2e/readiness.mjs
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = Date.now();
  (async () => {
    const env = setup();
    const i = process.argv.indexOf('--vsix');
    const vsix = i > 0 ? process.argv[i + 1] : buildVsix();
    const results = await readinessSuite({ env, vsix, updateMedia: process.argv.includes('--update-media') });
    const s = printSummary(results, Date.now() - t0);
    await cleanup();
    process.exit(s.failed > 0 ? 1 : 0);
  })();
}
