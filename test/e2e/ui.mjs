// UI e2e: Playwright drives code-server (real VS Code 1.139.1) in Debian's Chromium against the `mixed-skew` sandbox
// (every assertion below is about that scenario's skew: it is the only one this suite runs on).
//   node test/e2e/ui.mjs [--vsix dist/kubeadm-upgrade.vsix] [--keep-open]
// Screenshots of each state go to test-results/e2e/ui/; `--update-media` also refreshes media/*.png.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Suite, assert, fatal, waitUntil } from './lib/harness.mjs';
import { REPO, RESULTS, kubectl, log, ssh } from './lib/launch.mjs';
import { SSH_ANSWERS, drive, openBackupsView, openPlanView } from './lib/drive.mjs';
import { openSession, runAndClose, runIfMain } from './lib/session.mjs';

const WORKER = 'worker-1'; // mixed-skew: kubelet one minor behind the apiserver, its repo one minor behind too
const SCENARIO = 'mixed-skew';

export async function uiSuite({ env, vsix, updateMedia = false, keepOpen = false }) {
  const shots = path.join(RESULTS, 'e2e', 'ui');
  fs.rmSync(shots, { recursive: true, force: true });
  const suite = new Suite(`UI (Playwright + Chromium, code-server) on sandbox ${SCENARIO}`);
  const s = {};
  let sb, wb;
  const nodes = () => JSON.parse(kubectl(sb, 'get', 'nodes', '-o', 'json')).items;
  const media = (name) => (updateMedia ? path.join(REPO, 'media', name) : null);

  suite.test('sandbox, code-server and the workbench come up', async () => {
    ({ sb, wb } = await openSession(s, env, { vsix, scenario: SCENARIO, name: `e2e-ui-${process.pid}`, runDir: path.join(RESULTS, 'e2e', 'ui-run'), shots }));
    await wb.tidyLayout();
  });

  suite.test('the Explorer shows "Kubeadm Clusters" with the nodes, their versions and the skew icons', async () => {
    await wb.expandView();
    const expected = Object.fromEntries(nodes().map((n) => [n.metadata.name, n.status.nodeInfo.kubeletVersion]));
    // Skew each mixed-skew node must show (scenarios/mixed-skew.yaml): the worst finding colours the icon.
    const icons = { 'cp-1': 'server-environment', 'cp-2': 'warning', 'cp-3': 'server-environment', 'worker-1': 'server', 'worker-2': 'warning', 'worker-3': 'error', 'worker-4': 'error' };
    await waitUntil('every node in the tree', async () => {
      for (const name of Object.keys(expected)) if ((await wb.treeRow(name).count()) === 0) return false;
      return true;
    }, 60_000);
    for (const [name, version] of Object.entries(expected)) {
      const info = await wb.rowInfo(name);
      assert(info.description.startsWith(`kubelet ${version} · Ready`), `${name}: description "${info.description}" starts with "kubelet ${version} · Ready"`);
      assert(info.icon === icons[name], `${name}: icon ${info.icon} is ${icons[name]}`);
    }
    const cluster = await wb.page.locator('.pane-body .monaco-list-row[role="treeitem"][aria-level="1"]').first().innerText();
    assert(/\d+ errors?/.test(cluster), `cluster row "${cluster}" counts errors`);
    await wb.shot('01-tree');
  });

  suite.test('hovering a node shows its versions and findings', async () => {
    const w4 = await wb.hover('worker-4');
    assert(/kubelet/.test(w4) && /kube-proxy/.test(w4) && /Internal IP/.test(w4), `worker-4 hover lists versions: ${w4}`);
    assert(/kubelet-newer-than-apiserver/.test(w4), `worker-4 hover names kubelet-newer-than-apiserver: ${w4}`);
    await wb.shot('02-hover-worker-4');
    if (media('tree-skew.png')) await wb.shot('tree-skew', { path: media('tree-skew.png'), clip: { x: 0, y: 0, width: 900, height: 730 } });
    const cp2 = await wb.hover('cp-2');
    assert(/kube-controller-manager/.test(cp2) && /etcd/.test(cp2), `cp-2 hover lists control-plane components: ${cp2}`);
    const w3 = await wb.hover('worker-3');
    assert(/kubelet-too-old/.test(w3), `worker-3 hover names kubelet-too-old: ${w3}`);
    await wb.shot('03-hover-worker-3');
    await wb.page.mouse.move(1000, 700);
  });

  suite.test('palette "Kubeadm: Plan Upgrade" → the webview shows the plan tables', async () => {
    const header = await openPlanView(wb);
    const frame = wb.webview();
    assert(/kubeadm/.test(header), `plan header: ${header}`);
    const tables = await waitUntil('plan tables', async () => {
      const t = await frame.locator('vscode-table').evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-table'), text: e.textContent })));
      return t.length ? t : undefined;
    }, 30_000);
    const text = tables.map((t) => t.text).join('\n');
    log(`plan tables: ${tables.map((t) => t.id).join(', ')}`);
    assert(/kube-apiserver/.test(text), `a table lists kube-apiserver: ${text.slice(0, 400)}`);
    assert(/v1\.\d+\.\d+/.test(text), 'the tables show versions');
    await wb.hidePanel();
    await wb.page.waitForTimeout(500);
    await wb.shot('04-plan-webview');
    if (media('plan-webview.png')) await wb.shot('plan-webview', { path: media('plan-webview.png') });
  });

  /** Switches `kubeadm.execution` the way a user would, through the palette. */
  const setExecution = async (mode) => {
    await wb.command('Kubeadm: Choose How Steps Run…');
    await wb.waitQuickInput(/How upgrade steps run/);
    await wb.pick(new RegExp(`^${mode}`));
    await wb.page.waitForTimeout(1000);
    log(`kubeadm.execution = ${mode}`);
  };

  suite.test(`right-click ${WORKER} → "Upgrade Node…" → target → confirm → the node ends upgraded and schedulable (terminal executor)`, async () => {
    await wb.command('View: Close All Editors');
    // This worker runs its steps in an integrated terminal (ssh -t from a local shell, exit codes from shell
    // integration); the password node below goes through the ssh2 executor.
    await setExecution('terminal');
    const before = nodes().find((n) => n.metadata.name === WORKER);
    const apiserver = JSON.parse(kubectl(sb, 'version', '-o', 'json')).serverVersion.gitVersion;
    log(`${WORKER}: kubelet ${before.status.nodeInfo.kubeletVersion}, apiserver ${apiserver}`);
    await wb.contextMenu(WORKER, 'Upgrade Node…');
    const target = apiserver.replace(/\+.*$/, '');
    await drive(wb, `${WORKER} upgraded`, async () => {
      const failed = (await wb.notifications()).find((t) => /failed|cannot upgrade|stopped/i.test(t));
      if (failed) throw fatal(`the upgrade stopped: ${failed}`);
      const n = nodes().find((x) => x.metadata.name === WORKER);
      const info = await wb.rowInfo(WORKER).catch(() => ({ description: '' }));
      if (/failed|stopped/.test(info.description)) throw fatal(`the tree says: ${WORKER} ${info.description}`);
      return n.status.nodeInfo.kubeletVersion === target && !n.spec.unschedulable && info.description.startsWith(`kubelet ${target} · Ready`) ? n : undefined;
    }, [
      ...SSH_ANSWERS,
      { when: new RegExp(`^Upgrade ${WORKER} \\(kubelet`), pick: new RegExp(target.replace(/\./g, '\\.')), shot: '05-upgrade-target' },
      { when: /^Target version for/, input: target },
      { when: /^Check upgrade readiness of/i, button: 'Skip' },
      { when: new RegExp(`Upgrade ${WORKER} to`), button: 'Start Upgrade' },
      { when: /continue with/i, button: 'Continue' },
      { when: /^(Change the package repository|Drain the node|Upgrade the control plane)/i, button: 'Run' },
    ], 300_000);
    await setExecution('ssh');
    await wb.shot('06-worker-upgraded');
    if (media('worker-upgrade.png')) await wb.shot('worker-upgrade', { path: media('worker-upgrade.png') });
    const notes = await wb.notifications();
    log(`notifications: ${JSON.stringify(notes).slice(0, 300)}`);
  });

  suite.test("the password node (worker-2): sudo asks for the password in an input box; the node ends at the control plane's version", async () => {
    const node = 'worker-2';
    const target = JSON.parse(kubectl(sb, 'version', '-o', 'json')).serverVersion.gitVersion.replace(/\+.*$/, '');
    const is = (v) => v === target || v.startsWith(`${target} `);
    await wb.command('View: Close All Editors');
    let asked = 0;
    await wb.contextMenu(node, 'Upgrade Node…');
    await drive(wb, `${node} upgraded to ${target}`, async () => {
      const info = await wb.rowInfo(node).catch(() => ({ description: '' }));
      if (/failed|stopped/.test(info.description)) throw fatal(`the tree says: ${node} ${info.description}`);
      const n = nodes().find((x) => x.metadata.name === node);
      return is(n.status.nodeInfo.kubeletVersion) && !n.spec.unschedulable && info.description.startsWith(`kubelet ${target} · Ready`) ? n : undefined;
    }, [
      { when: /authenticity of host/i, button: 'Trust and Connect' },
      { when: /sudo password|Password for/i, get input() { asked++; return 'sandbox'; }, secret: true, shot: '08-sudo-password' },
      { when: new RegExp(`^Upgrade ${node} \\(kubelet`), pick: new RegExp(target.replace(/\./g, '\\.')) },
      { when: /^Check upgrade readiness of/i, button: 'Skip' },
      { when: new RegExp(`Upgrade ${node} to`), button: 'Start Upgrade' },
      { when: /continue with/i, button: 'Continue' },
      { when: /^(Change the package repository|Drain the node|Upgrade the control plane)/i, button: 'Run' },
    ], 300_000);
    assert(asked >= 1, 'sudo asked for the password');
    await wb.shot('09-password-node-upgraded');
  });

  suite.test('palette "Kubeadm: Show Backups and Recovery" lists the backup folders', async () => {
    // kubeadm writes /etc/kubernetes/tmp/kubeadm-backup-{manifests,etcd}-<timestamp>/ on control-plane upgrades;
    // a worker upgrade writes none, so give cp-1 one run's folders the way kubeadm names and fills them.
    const ts = new Date(Date.now() - 3_600_000).toISOString().slice(0, 19).replace(/[T:]/g, '-');
    const seeded = ssh(sb, 'cp-1', `set -e; cd /etc/kubernetes/tmp; mkdir -p kubeadm-backup-manifests-${ts} kubeadm-backup-etcd-${ts}/etcd; cp /etc/kubernetes/manifests/*.yaml kubeadm-backup-manifests-${ts}/; sudo cp -r /var/lib/etcd/member kubeadm-backup-etcd-${ts}/etcd/ 2>/dev/null || mkdir -p kubeadm-backup-etcd-${ts}/etcd/member; ls`);
    assert(seeded.code === 0, `seeding backups on cp-1: ${seeded.stderr}`);
    await wb.command('View: Close All Editors');
    const frame = await openBackupsView(wb);
    const text = await waitUntil('cp-1 backups listed', async () => {
      const t = await frame.locator('section.node[data-node="cp-1"]').textContent().catch(() => '');
      return t.includes(`kubeadm-backup-manifests-${ts}`) ? t : undefined;
    }, 60_000);
    assert(text.includes(`kubeadm-backup-etcd-${ts}`), 'the etcd backup is listed');
    await wb.hidePanel();
    await wb.shot('07-backups');
    if (media('backups.png')) await wb.shot('backups', { path: media('backups.png') });
  });

  // Issue #25 item 1: the recovery steps read as choices — one procedure per situation, never 1→10.
  suite.test('recovery steps grouped by situation, no primary button on a step that changes the node', async () => {
    const frame = wb.webview();
    const run = frame.locator('section.node[data-node="cp-1"] .run').first();
    const titles = await run.locator('details.situation > summary').allInnerTexts();
    assert(JSON.stringify(titles) === JSON.stringify(['kubeadm upgrade failed and did not roll back', 'The control plane is broken after the upgrade', 'etcd is broken']), `situations: ${JSON.stringify(titles)}`);
    assert((await run.locator('text=Each situation below is a separate procedure').count()) === 1, 'says the situations are alternatives');
    // Every Run button of a step that changes the node is secondary (not the blue primary), and says where it runs.
    const restores = run.locator('vscode-button[data-action="run"][data-danger="restore"]');
    assert((await restores.count()) >= 3, 'restore steps have Run buttons');
    for (const b of await restores.all()) {
      assert((await b.getAttribute('secondary')) !== null, `secondary: ${await b.getAttribute('data-title')}`);
      assert(/^Run on cp-1…$/.test(((await b.textContent()) ?? '').trim()), `says where: ${await b.textContent()}`);
    }
    // A situation opens as its own short procedure; the etcd one points to the snapshot restore.
    await run.locator('details.situation[data-situation="control-plane-broken"] > summary').click();
    await run.locator('details.situation[data-situation="etcd-broken"] > summary').click();
    const etcd = await run.locator('details.situation[data-situation="etcd-broken"]').innerText();
    assert(/etcd snapshots \(local copies\)/.test(etcd), 'points to the snapshot restore procedure');
    // Long commands wrap: no code block scrolls sideways.
    const scrolls = await frame.locator('.command pre').evaluateAll((pres) => pres.filter((p) => p.scrollWidth > p.clientWidth + 1).length);
    assert(scrolls === 0, `${scrolls} command(s) cut off behind a scroll bar`);
    await run.locator('details.situation[data-situation="control-plane-broken"]').scrollIntoViewIfNeeded();
    await wb.shot('08-recovery-situations');
    if (media('recovery-situations.png')) await wb.shot('recovery-situations', { path: media('recovery-situations.png') });
    await wb.command('View: Close All Editors');
  });

  // Issue #25 item 6: readiness leads to the fix — the node, the version, the command, and a button.
  suite.test('Check Upgrade Readiness…: a skew blocker names its node and version, with Upgrade Node as its button', async () => {
    const target = /K8S_NEW=(\S+)/.exec(fs.readFileSync(path.join(REPO, 'test/sandbox/build/versions.env'), 'utf8'))[1];
    const old = /K8S_OLD=(\S+)/.exec(fs.readFileSync(path.join(REPO, 'test/sandbox/build/versions.env'), 'utf8'))[1];
    await wb.command('View: Close All Editors');
    await wb.command('Kubeadm: Check Upgrade Readiness…');
    const frame = wb.webview();
    await drive(wb, 'the readiness report', async () => /blocker\(s\): do not upgrade yet|No blockers/.test((await frame.locator('body').textContent().catch(() => '')) ?? ''), [
      ...SSH_ANSWERS,
      { when: /^Cluster \(kubeconfig context\)/, pick: /kwok/ },
      { when: /target version/i, input: target },
    ], 240_000);
    // worker-3's kubelet is 4 minors behind: a blocker whose fix is Upgrade worker-3 to the control plane's version.
    const item = frame.locator('details.check.blocker[data-check="skew-path"][data-node="worker-3"]').filter({ has: frame.locator('vscode-button[data-action="upgrade"]') }).first();
    assert((await item.count()) === 1, 'worker-3 skew blocker with its button shown');
    const summary = item.locator('summary');
    assert((await summary.evaluate((e) => getComputedStyle(e).textTransform)) === 'none', 'the heading keeps its case');
    const fix = await item.locator('.fix').innerText();
    assert(fix.includes('worker-3') && fix.includes(old) && fix.includes('sudo kubeadm upgrade node'), `fix names node, version, command: ${fix}`);
    const button = item.locator('vscode-button[data-action="upgrade"]');
    assert((await button.innerText()).trim() === `Upgrade worker-3 to ${old}…`, `button: ${await button.innerText()}`);
    // worker-4's kubelet is newer than today's apiserver, and the target cures that: not a blocker of it.
    assert((await frame.locator('.check.blocker[data-check="skew-path"][data-node="worker-4"]').count()) === 0, 'worker-4 is not a blocker of the upgrade that cures it');
    // Nothing cut off: every blocker heading is shown whole.
    const [headings, cut] = await frame.locator('details.check > summary').evaluateAll((ss) => [ss.length, ss.filter((e) => e.scrollWidth > e.clientWidth + 1).length]);
    assert(headings > 0, 'the report shows check headings to measure');
    assert(cut === 0, `${cut} of ${headings} heading(s) cut off`);
    await item.scrollIntoViewIfNeeded();
    await wb.shot('10-readiness-fix');
    if (media('readiness-fix.png')) await wb.shot('readiness-fix', { path: media('readiness-fix.png') });
  });

  return runAndClose(suite, s, { keepOpen });
}

runIfMain(import.meta.url, (o) => uiSuite(o));
