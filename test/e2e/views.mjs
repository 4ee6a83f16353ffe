// UI e2e of what the admin reads (issue #15), in code-server on the `healthy` sandbox, before and after the first
// control plane's `kubeadm upgrade apply`:
//   - the demo's launch: an empty workspace with the Kubeadm view expanded and focused;
//   - node rows labelled `kubelet vX`; Backups before any upgrade said once; the Plan view (node's kubeadm, target
//     heading, made-at time);
//   - after cp-1's apply (run with the CLI, as an admin might from a shell): "upgrade … in progress", the Next step
//     item, no error icon, the expected findings in the Problems panel, the Plan view marked stale, and Preview
//     (Dry Run) of cp-2 as a read-only `dry-run: cp-2 → <version>` document.
//   node test/e2e/views.mjs [--vsix dist/kubeadm-upgrade.vsix] [--update-media] [--keep-open]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Suite, assert, waitUntil } from './lib/harness.mjs';
import { REPO, RESULTS, kubectl, log } from './lib/launch.mjs';
import { SSH_ANSWERS, drive, openBackupsView, openPlanView } from './lib/drive.mjs';
import { openSession, runAndClose, runIfMain } from './lib/session.mjs';

export async function viewsSuite({ env, vsix, updateMedia = false, keepOpen = false }) {
  const shots = path.join(RESULTS, 'e2e', 'views');
  fs.rmSync(shots, { recursive: true, force: true });
  const suite = new Suite('Views (issue #15) on sandbox healthy, then after the first control plane\'s apply');
  const s = {};
  let sb, wb, oldVersion, newVersion;
  const media = (name) => (updateMedia ? path.join(REPO, 'media', name) : null);
  const rowsText = () => wb.page.locator('.pane-body .monaco-list-row[role="treeitem"]').allInnerTexts();

  suite.test('the demo launch: an empty workspace, the Kubeadm view expanded and focused', async () => {
    ({ sb, wb } = await openSession(s, env, {
      vsix, scenario: 'healthy', name: `e2e-views-${process.pid}`, runDir: path.join(RESULTS, 'e2e', 'views-run'), shots, extraEnv: { KUBEADM_UPGRADE_FOCUS_VIEW: '1' },
      between: ({ cs: started }) => assert(fs.readdirSync(started.folder).length === 0, `the workspace ${started.folder} is empty`),
    }));
    oldVersion = JSON.parse(kubectl(sb, 'version', '-o', 'json')).serverVersion.gitVersion.replace(/\+.*$/, '');
    const versions = fs.readFileSync(path.join(REPO, 'test/sandbox/build/versions.env'), 'utf8');
    newVersion = /K8S_NEW=(\S+)/.exec(versions)[1];
    await waitUntil('the view expanded without a click', async () => (await wb.viewHeader().getAttribute('aria-expanded')) === 'true', 60_000);
    const focused = await waitUntil('focus inside the Kubeadm view', () => wb.page.evaluate(() => {
      const header = [...document.querySelectorAll('.pane-header')].find((h) => h.textContent.includes('Kubeadm Clusters'));
      return !!header && !!document.activeElement && header.parentElement.contains(document.activeElement);
    }), 30_000);
    assert(focused, 'the Kubeadm view has the focus');
    await wb.shot('01-focused-on-open');
    await wb.tidyLayout();
  });

  suite.test('node rows say what the version is: "kubelet vX · Ready"', async () => {
    await waitUntil('worker-1 in the tree', async () => (await wb.treeRow('worker-1').count()) > 0, 60_000);
    const info = await wb.rowInfo('cp-1');
    assert(info.description.startsWith(`kubelet ${oldVersion} · `), `cp-1: "${info.description}"`);
  });

  suite.test('Backups before any upgrade: said once for all control planes, with an etcd snapshot to take', async () => {
    const frame = await openBackupsView(wb);
    const text = await waitUntil('the nothing-yet banner', async () => {
      const t = await frame.locator('body').textContent().catch(() => '');
      return /No backups yet/.test(t) ? t : undefined;
    }, 60_000);
    assert((text.match(/No backups yet/g) ?? []).length === 1, 'said once');
    assert(!/No kubeadm-backup-\* folder/.test(text), 'no per-node "No kubeadm-backup-* folder"');
    assert(/etcdctl/.test(text) && /snapshot save/.test(text), 'offers an etcd snapshot');
    await wb.shot('02-backups-before');
    await wb.command('View: Close All Editors');
  });

  suite.test('Plan view: the node\'s kubeadm in the header, cards headed by their target, when it was made', async () => {
    const header = await openPlanView(wb);
    const frame = wb.webview();
    const nodeKubeadm = spawnSync('ssh', ['-F', sb.sshConfig, '-o', 'BatchMode=yes', 'cp-1', 'kubeadm version -o short'], { encoding: 'utf8' }).stdout.trim();
    assert(header.includes(nodeKubeadm), `header names the node's kubeadm ${nodeKubeadm}: ${header}`);
    assert(/made \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/.test(header), `header says when it was made: ${header}`);
    const raw = await frame.locator('pre.raw-text').textContent();
    if (/could not fetch a Kubernetes version from the internet/.test(raw)) {
      assert((await frame.locator('section.fetch-warnings').count()) === 1, 'kubeadm\'s fallback is shown as a warning');
    }
    for (const h of await frame.locator('section.card h3').allInnerTexts()) assert(/^Upgrade to v\d+\.\d+\.\d+/.test(h) || !/series/.test(h), `card heading names the target: ${h}`);
    await wb.hidePanel();
    await wb.shot('04-plan');
    if (media('plan-webview.png')) await wb.shot('plan-webview', { path: media('plan-webview.png') });
  });

  suite.test('after cp-1\'s `kubeadm upgrade apply` (through the CLI): "in progress", a Next step item, no error icon', async () => {
    const cli = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'upgrade-node', 'cp-1', '--to', newVersion, '--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig, '--accept-new-host-keys', '--yes'], {
      encoding: 'utf8',
      timeout: 600_000,
      env: { ...process.env, XDG_STATE_HOME: path.join(RESULTS, 'e2e', 'views-cli-state') },
    });
    log(`CLI upgrade-node cp-1 → exit ${cli.status}\n${(cli.stdout + cli.stderr).split('\n').slice(-8).join('\n')}`);
    assert(cli.status === 0, `upgrade-node cp-1 --to ${newVersion} succeeded`);
    const newMinor = newVersion.replace(/^v(\d+\.\d+)\..*$/, '$1');
    const rows = await waitUntil('the tree to show the upgrade in progress', async () => {
      const t = await rowsText();
      return t.some((r) => r.includes(`upgrade to ${newMinor} in progress`)) && t.some((r) => /^Next step: kubeadm upgrade node on cp-2/.test(r)) ? t : undefined;
    }, 120_000);
    log(`tree:\n  ${rows.join('\n  ').replace(/\n(?! {2})/g, ' ')}`);
    const next = rows.find((r) => r.startsWith('Next step:'));
    assert(next.includes(`to ${newVersion}, then cp-3`), `next step: ${next}`);
    for (const name of ['cp-1', 'cp-2', 'cp-3', 'worker-1', 'worker-2', 'worker-3']) {
      const info = await wb.rowInfo(name);
      assert(info.icon !== 'error', `${name} is not red mid-upgrade (icon ${info.icon})`);
    }
    const cp1 = await wb.rowInfo('cp-1');
    assert(cp1.description.startsWith(`kubelet ${newVersion}`), `cp-1: ${cp1.description}`);
    await wb.treeRow('cp-1').click();
    await wb.page.keyboard.press('ArrowRight');
    await wb.page.waitForTimeout(500);
    await wb.shot('05-tree-mid-upgrade');
    if (media('tree-upgrade.png')) await wb.shot('tree-upgrade', { path: media('tree-upgrade.png'), clip: { x: 0, y: 0, width: 900, height: 730 } });
  });

  suite.test('the Problems panel lists the findings of the cluster, the expected ones as such', async () => {
    await wb.command('View: Focus Problems (Errors, Warnings, Infos)');
    const text = await waitUntil('kubeadm entries in Problems', async () => {
      const t = await wb.page.locator('.markers-panel').innerText().catch(() => '');
      return /expected until cp-2, cp-3 are upgraded/.test(t) ? t : undefined;
    }, 60_000);
    assert(/kubeadm skew/.test(text), 'entries come from "kubeadm skew"');
    await wb.shot('06-problems');
    await wb.hidePanel();
  });

  suite.test('the Plan view made before the apply is marked stale, with Re-run', async () => {
    await wb.page.locator('.tabs-container .tab', { hasText: /Kubeadm Plan/ }).first().click();
    const frame = wb.webview();
    await waitUntil('the stale banner', async () => (await frame.locator('[data-stale="true"]').count().catch(() => 0)) > 0, 60_000);
    assert((await frame.locator('[data-stale="true"] vscode-button', { hasText: 'Re-run plan' }).count()) === 1, 'Re-run is offered');
    await wb.shot('07-plan-stale');
  });

  suite.test('Preview (Dry Run) of cp-2 opens a read-only "dry-run: cp-2 → vX" document, never a dirty Untitled editor', async () => {
    await wb.contextMenu('cp-2', 'Preview Upgrade (Dry Run)…');
    const tab = await drive(wb, 'the dry-run tab', async () => {
      const t = wb.page.locator('.tabs-container .tab', { hasText: new RegExp(`^dry-run: cp-2 → ${newVersion.replace(/\./g, '\\.')}`) });
      return (await t.count()) ? t.first() : undefined;
    }, [
      ...SSH_ANSWERS,
      { when: /^Upgrade cp-2 \(kubelet/, pick: new RegExp(newVersion.replace(/\./g, '\\.')) },
      { when: /continue with/i, button: 'Continue' },
    ], 120_000);
    const label = (await tab.innerText()).trim();
    const cls = (await tab.getAttribute('class')) ?? '';
    assert(!/\bdirty\b/.test(cls), `the tab is not dirty (${cls})`);
    assert(!/Untitled/.test(label), `no Untitled editor: ${label}`);
    const editorText = await wb.page.locator('.editor-instance .view-lines').first().innerText();
    assert(/kubeadm/.test(editorText), 'the script is shown');
    await wb.shot('03-dry-run');
    await wb.command('View: Close All Editors');
    await waitUntil('no unsaved-changes dialog', async () => !(await wb.dialog()), 5000);
  });

  return runAndClose(suite, s, { keepOpen });
}

runIfMain(import.meta.url, (o) => viewsSuite(o));
