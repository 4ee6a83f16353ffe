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
import { Suite, assert, fatal, waitUntil } from './lib/harness.mjs';
import { REPO, RESULTS, kubectl, log, sandboxFault } from './lib/launch.mjs';
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
    // The sandbox's plan offers an upgrade: at least one card, and every card is headed by its target version.
    const headings = await frame.locator('section.card h3').allInnerTexts();
    assert(headings.length > 0, 'the plan view shows at least one upgrade card');
    for (const h of headings) assert(/^Upgrade to v\d+\.\d+\.\d+/.test(h), `card heading names the target: ${h}`);
    await wb.hidePanel();
    await wb.shot('04-plan');
    if (media('plan-webview.png')) await wb.shot('plan-webview', { path: media('plan-webview.png') });
  });

  suite.test('Plan view: "What will change" per control plane, from kubeadm upgrade diff on each (issue #26)', async () => {
    const frame = wb.webview();
    const section = frame.locator('section.what-will-change[data-running="false"]');
    await waitUntil('the diffs of every control plane', async () => ((await section.count().catch(() => 0)) > 0 ? true : undefined), 180_000);
    const cps = JSON.parse(kubectl(sb, 'get', 'nodes', '-l', 'node-role.kubernetes.io/control-plane', '-o', 'json')).items.map((n) => n.metadata.name).sort();
    const shown = (await section.locator('.wwc-node').evaluateAll((els) => els.map((e) => [e.getAttribute('data-node'), e.getAttribute('data-state')]))).sort();
    // Each control plane answers with kubeadm's own diff (the sandbox's nodes run the real kubeadm binary).
    assert(JSON.stringify(shown) === JSON.stringify(cps.map((n) => [n, 'diff'])), `a diff per control plane ${cps.join(', ')}: ${JSON.stringify(shown)}`);
    const target = await section.getAttribute('data-target');
    const rows = await section.locator('.wwc-node[data-node="cp-1"] vscode-table[data-table="manifest-changes"] vscode-table-row.image').allInnerTexts();
    assert(rows.some((r) => r.includes('kube-apiserver') && r.includes(`kube-apiserver:${target}`)), `cp-1's kube-apiserver image moves to ${target}: ${rows.join(' | ')}`);
    // The kwok stand-in manifests differ from kubeadm's own (issue #26, part 3): they show as "will be lost", counted.
    assert((await section.locator('.wwc-node[data-node="cp-1"] [data-lost]').count()) === 1, 'the "will be lost" line is there');
    // The section's heading at the top of the view: the screenshot shows its start, cp-1's table and its "will be lost" line.
    await section.locator('h2').evaluate((h) => h.scrollIntoView({ block: 'start' }));
    await wb.hidePanel();
    await wb.shot('04b-plan-what-will-change');
    if (media('plan-what-will-change.png')) await wb.shot('plan-what-will-change', { path: media('plan-what-will-change.png') });
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

  // A node upgrade that stops (a sandbox fault fails the kubelet restart on cp-2, the next control plane after cp-1's
  // apply), then a window reload: the tree still shows the stopped run, and Resume from its context menu finishes it
  // once the fault is gone.
  const UPGRADE_ANSWERS = () => [
    ...SSH_ANSWERS,
    { when: /^Upgrade cp-2 \(kubelet/, pick: new RegExp(newVersion.replace(/\./g, '\\.')) },
    { when: /^Check upgrade readiness of/i, button: 'Skip' },
    { when: /Upgrade cp-2 to/, button: 'Start Upgrade' },
    { when: /continue with|resume the upgrade of cp-2/i, button: 'Continue' },
    { when: /^(Change the package repository|Drain the node|Upgrade the control plane)/i, button: 'Run' },
  ];
  const cp2 = () => JSON.parse(kubectl(sb, 'get', 'node', 'cp-2', '-o', 'json'));

  suite.test('Upgrade Node on cp-2 fails at the kubelet restart (sandbox fault): the tree says where it stopped', async () => {
    sandboxFault(sb, 'cp-2', 'kubelet_restart', 'fail');
    await wb.contextMenu('cp-2', 'Upgrade Node…');
    const label = await drive(wb, 'cp-2 stopped', async () => {
      const d = (await wb.rowInfo('cp-2')).description;
      return /upgrade failed at \d+\/\d+/.test(d) ? d : undefined;
    }, UPGRADE_ANSWERS(), 300_000);
    log(`cp-2: ${label}`);
    assert(cp2().spec.unschedulable === true, 'the failed node stays cordoned');
    assert(cp2().status.nodeInfo.kubeletVersion !== newVersion, 'its kubelet did not move');
    s.stoppedLabel = /upgrade failed at \d+\/\d+/.exec(label)[0];
  });

  suite.test('after a window reload the tree shows the stopped upgrade, and "Resume Upgrade" finishes it', async () => {
    const page = wb.page;
    const reloaded = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 60_000 });
    await wb.command('Developer: Reload Window');
    await reloaded;
    await wb.expandView();
    const restored = await waitUntil('the restored stopped run in the tree', async () => {
      const d = (await wb.rowInfo('cp-2')).description;
      return d.includes(s.stoppedLabel) ? d : undefined;
    }, 120_000);
    log(`after the reload, cp-2: ${restored}`);
    await wb.shot('08-stopped-after-reload');
    sandboxFault(sb, 'cp-2', 'kubelet_restart', 'none');
    await wb.contextMenu('cp-2', 'Resume Upgrade');
    await drive(wb, 'cp-2 upgraded', async () => {
      const d = (await wb.rowInfo('cp-2')).description;
      if (/upgrade failed at/.test(d) && !d.includes(s.stoppedLabel)) throw fatal(`the resumed upgrade failed again: ${d}`);
      const n = cp2();
      return n.status.nodeInfo.kubeletVersion === newVersion && !n.spec.unschedulable && d.startsWith(`kubelet ${newVersion} · Ready`) && !/upgrade/.test(d) ? d : undefined;
    }, UPGRADE_ANSWERS(), 300_000);
  });

  // Drain / Cordon / Uncordon from the tree's context menu on worker-2 (healthy: it runs one `web` and maybe an `api`
  // pod, both under PDBs allowing one disruption, and a node-exporter DaemonSet pod, which a drain leaves).
  const NODE = 'worker-2';
  const apiNode = () => JSON.parse(kubectl(sb, 'get', 'node', NODE, '-o', 'json'));
  const podsOn = () => JSON.parse(kubectl(sb, 'get', 'pods', '-A', '-o', 'json', '--field-selector', `spec.nodeName=${NODE}`)).items
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => ({ name: `${p.metadata.namespace}/${p.metadata.name}`, daemonSet: (p.metadata.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet') }));
  const treeSays = (re) => waitUntil(`the tree to show ${NODE} ${re}`, async () => re.test((await wb.rowInfo(NODE)).description), 60_000);

  suite.test(`right-click ${NODE} → "Drain Node…": the preview names its pods, Drain evicts them and leaves it cordoned`, async () => {
    const before = podsOn();
    const evictable = before.filter((p) => !p.daemonSet);
    assert(evictable.length >= 1, `${NODE} runs a pod a drain evicts: ${JSON.stringify(before)}`);
    await wb.contextMenu(NODE, 'Drain Node…');
    const confirm = await drive(wb, 'the drain confirmation', async () => undefined, [{ when: new RegExp(`^Drain ${NODE} \\(`), stop: true }], 60_000);
    log(`drain confirmation: ${confirm.message}\n${confirm.detail}`);
    for (const p of evictable) assert(confirm.detail.includes(p.name.split('/')[1]), `the preview names ${p.name}: ${confirm.detail}`);
    assert(!apiNode().spec.unschedulable, 'nothing changes before the confirmation');
    await wb.clickDialogButton('Drain');
    await waitUntil(`${NODE} drained`, async () => apiNode().spec.unschedulable === true && podsOn().every((p) => p.daemonSet), 180_000);
    assert(podsOn().some((p) => p.daemonSet), 'the DaemonSet pod stays (kubectl drain --ignore-daemonsets)');
    await treeSays(/ · cordoned/);
    await wb.shot('09-drained');
  });

  suite.test(`"Uncordon Node" on the drained ${NODE}: schedulable again, in the API and in the tree`, async () => {
    await wb.contextMenu(NODE, 'Uncordon Node');
    await waitUntil(`${NODE} schedulable`, async () => !apiNode().spec.unschedulable, 60_000);
    await treeSays(/ · Ready$/);
  });

  suite.test(`"Cordon Node" on ${NODE}: unschedulable, its pods untouched; "Uncordon Node" undoes it`, async () => {
    const before = podsOn().map((p) => p.name).sort();
    await wb.contextMenu(NODE, 'Cordon Node');
    await waitUntil(`${NODE} cordoned`, async () => apiNode().spec.unschedulable === true, 60_000);
    await treeSays(/ · cordoned/);
    assert(JSON.stringify(podsOn().map((p) => p.name).sort()) === JSON.stringify(before), 'a cordon evicts nothing');
    await wb.contextMenu(NODE, 'Uncordon Node');
    await waitUntil(`${NODE} schedulable`, async () => !apiNode().spec.unschedulable, 60_000);
    await treeSays(/ · Ready$/);
  });

  return runAndClose(suite, s, { keepOpen });
}

runIfMain(import.meta.url, (o) => viewsSuite(o));
