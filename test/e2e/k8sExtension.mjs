// UI e2e of the Kubernetes extension integration (issue #30 item 1), in code-server on the `mixed-skew` sandbox with
// the real Kubernetes extension (ms-kubernetes-tools.vscode-kubernetes-tools 1.4.1, its .vsix built from its source
// by setup.sh) installed beside ours. Only its settings name the sandbox's kubeconfig (`vs-kubernetes.kubeconfig`,
// kubectl from the sandbox): our view follows it, `kubeadm.kubeconfig` is not set. In *its* Clusters view: the
// context → Nodes → worker-3 shows our skew finding; right-click worker-1 → "Upgrade Node…" opens our flow for
// worker-1 (its target pick, which names the node and its kubelet); the cluster item offers Upgrade Cluster… and
// Check Upgrade Readiness….
//   node test/e2e/k8sExtension.mjs [--update-media] [--keep-open]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Suite, assert, waitUntil } from './lib/harness.mjs';
import { REPO, RESULTS, log, sandboxSettings } from './lib/launch.mjs';
import { SSH_ANSWERS, drive } from './lib/drive.mjs';
import { openSession, runAndClose, runIfMain } from './lib/session.mjs';

const PANE = 'Clusters'; // its view's title (package.json: extension.vsKubernetesExplorer, "Clusters")

export async function k8sExtensionSuite({ env, vsix, updateMedia = false, keepOpen = false }) {
  const shots = path.join(RESULTS, 'e2e', 'k8s-extension');
  fs.rmSync(shots, { recursive: true, force: true });
  const suite = new Suite('Kubernetes extension: our actions in its Clusters view (issue #30) on sandbox mixed-skew');
  const s = {};
  let wb;
  let sb;

  suite.test('its Clusters view: the node shows our skew finding; right-click worker-1 → "Upgrade Node…" opens our flow for worker-1', async () => {
    if (!env.K8S_EXT_VSIX || !fs.existsSync(env.K8S_EXT_VSIX)) throw new Error(`no Kubernetes extension .vsix (setup.sh: ${env.K8S_EXT_VSIX})`);
    ({ sb, wb } = await openSession(s, env, {
      vsix,
      otherVsixes: [env.K8S_EXT_VSIX],
      scenario: 'mixed-skew',
      name: `e2e-k8sext-${process.pid}`,
      runDir: path.join(RESULTS, 'e2e', 'k8s-extension-run'),
      shots,
      extraEnv: { KUBEADM_UPGRADE_FOCUS_VIEW: '1' },
      settings: (box) => {
        const ours = sandboxSettings(box, 'ssh');
        delete ours['kubeadm.kubeconfig'];
        return {
          ...ours,
          // Its settings only: our view follows its kubeconfig (kubeadm.kubeconfig is not set).
          'vs-kubernetes': {
            'vs-kubernetes.kubeconfig': box.kubeconfig,
            'vs-kubernetes.kubectl-path': box.kubectlBin,
            'vs-kubernetes.suppress-kubectl-not-found-alerts': true,
            'vs-kubernetes.suppress-helm-not-found-alerts': true,
            'vs-kubernetes.ignore-recommendations': true,
            'vs-kubernetes.disable-context-info-status-bar': true,
            'vs-kubernetes.disable-namespace-info-status-bar': true,
          },
          'vscode-kubernetes.kubectl-path': box.kubectlBin,
          'vscode-kubernetes.kubectl-path-linux': box.kubectlBin,
        };
      },
    }));
    const context = /current-context: (\S+)/.exec(fs.readFileSync(sb.kubeconfig, 'utf8'))?.[1];
    assert(context, `the sandbox kubeconfig has a current-context (${sb.kubeconfig})`);
    // Ours loaded the sandbox through its setting: worker-1 in the Kubeadm Clusters view.
    await wb.tidyLayout();
    await waitUntil('worker-1 in the Kubeadm Clusters view (followed vs-kubernetes.kubeconfig)', async () => (await wb.treeRow('worker-1').count()) > 0, 60_000);

    await wb.command('Kubernetes: Focus on Clusters View');
    const row = (label) => wb.paneRow(PANE, label);
    const expand = async (label) => {
      const r = row(label);
      await r.first().waitFor({ timeout: 60_000 });
      if ((await r.first().getAttribute('aria-expanded')) !== 'true') await r.first().click();
    };
    await expand(context);
    await expand('Nodes');
    await row('worker-1').first().waitFor({ timeout: 60_000 });
    // Its other views (Helm Repos, Clouds) folded: the screenshot is about Clusters.
    for (const title of ['Helm Repos', 'Clouds']) {
      const h = wb.page.locator('.pane-header', { hasText: title });
      if ((await h.count()) && (await h.first().getAttribute('aria-expanded')) === 'true') await h.first().click();
    }
    // Our node UI customizer: worker-3's kubelet and kube-proxy are 4 minors behind (mixed-skew): the worst finding
    // (errors first, then by rule) on its item; worker-1 has none and shows nothing of ours.
    const w3 = await waitUntil('worker-3 in its view shows our skew finding', async () => {
      const d = (await row('worker-3').locator('.label-description').innerText().catch(() => '')).trim();
      return /^kubeadm error: kube(let|-proxy) v\S+ is \d+ minors (behind|from)/.test(d) ? d : undefined;
    }, 60_000);
    assert(!/kubeadm/.test(await row('worker-1').locator('.label-description').innerText().catch(() => '')), 'worker-1 (no finding) shows nothing of ours');
    log(`worker-3 in its Clusters view: ${w3}`);

    // The cluster (context) item offers the cluster actions; the node item ours (and not the cluster's).
    await wb.treeSettled();
    await row(context).first().click({ button: 'right' });
    const menu = wb.page.locator('.monaco-menu');
    await menu.waitFor();
    const ctxEntries = await menu.locator('.action-item').allInnerTexts();
    assert(ctxEntries.some((t) => t.includes('Upgrade Cluster…')) && ctxEntries.some((t) => t.includes('Check Upgrade Readiness…')), `its cluster item offers ours: ${ctxEntries.join(' | ')}`);
    await wb.page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });

    await row('worker-1').first().click({ button: 'right' });
    await menu.waitFor();
    const nodeEntries = await menu.locator('.action-item').allInnerTexts();
    for (const e of ['Upgrade Node…', 'Drain Node…', 'Plan Upgrade']) assert(nodeEntries.some((t) => t.includes(e)), `its node item offers ${e}: ${nodeEntries.join(' | ')}`);
    assert(!nodeEntries.some((t) => t.includes('Upgrade Cluster…')), 'no cluster action on a node item');
    await wb.page.waitForTimeout(300);
    await wb.shot('01-node-context-menu');
    if (updateMedia) await wb.shot('k8s-extension', { path: path.join(REPO, 'media', 'k8s-extension.png') });
    await wb.page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });

    await wb.contextMenu('worker-1', 'Upgrade Node…', row('worker-1').first());
    // Our flow: its first question is the target for worker-1, titled with the node and its kubelet.
    const q = await drive(wb, 'our Upgrade Node flow for worker-1', async () => {
      const input = await wb.quickInput();
      return input && /^Upgrade worker-1 \(kubelet v/.test(input.title) ? input : undefined;
    }, [...SSH_ANSWERS], 60_000);
    log(`our flow: ${q.title} — ${q.rows.slice(0, 3).join(' / ')}`);
    assert(q.rows.length > 0, 'the target pick offers versions');
    await wb.shot('02-our-upgrade-flow');
    await wb.page.keyboard.press('Escape');
  });

  return runAndClose(suite, s, { stopOnFailure: true, keepOpen });
}

runIfMain(import.meta.url, (o) => k8sExtensionSuite(o));
