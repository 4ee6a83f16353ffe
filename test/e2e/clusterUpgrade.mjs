// UI e2e of Upgrade Cluster (issue #12), in code-server on the `healthy` sandbox (3 control planes + 3 workers,
// worker-3 the password node): "Kubeadm: Upgrade Cluster…" from the palette → the target → the readiness result and
// the whole plan (the Cluster Upgrade view and the one confirmation) → Start → `kubeadm upgrade apply` confirmed →
// the run, with worker-3's sudo password typed in an input box. Mid-run, with a worker running, the window is
// reloaded: the Cluster Upgrade view comes back by itself, stopped, with Resume; Resume finishes the run and the view
// shows every node done and the verification passed. The cluster is checked with kubectl, not only the view.
//   node test/e2e/clusterUpgrade.mjs [--vsix dist/kubeadm-upgrade.vsix] [--update-media] [--keep-open]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Suite, assert, fatal, waitUntil } from './lib/harness.mjs';
import { REPO, RESULTS, kubectl, log, processesMentioning, startSandbox } from './lib/launch.mjs';
import { drive } from './lib/drive.mjs';
import { openSession, runAndClose, runIfMain } from './lib/session.mjs';

const NODES = ['cp-1', 'cp-2', 'cp-3', 'worker-1', 'worker-2', 'worker-3'];
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function clusterUpgradeSuite({ env, vsix, updateMedia = false, keepOpen = false }) {
  const shots = path.join(RESULTS, 'e2e', 'cluster-upgrade');
  fs.rmSync(shots, { recursive: true, force: true });
  const suite = new Suite('Upgrade Cluster (issue #12) on sandbox healthy, with a window reload mid-run');
  const s = {};
  const target = /K8S_NEW=(\S+)/.exec(fs.readFileSync(path.join(REPO, 'test/sandbox/build/versions.env'), 'utf8'))[1];
  const minor = target.replace(/^v(\d+)\.(\d+)\..*$/, '$1.$2');
  const nodes = () => JSON.parse(kubectl(s.sb, 'get', 'nodes', '-o', 'json')).items;
  const frame = () => s.wb.webview();
  const panelText = async (sel) => ((await frame().locator(sel).first().textContent({ timeout: 2000 }).catch(() => '')) ?? '').trim();
  const rowStatus = async () => frame().locator('#nodes tr.node').evaluateAll((rows) => rows.map((r) => ({ node: r.getAttribute('data-node'), status: r.className.replace(/^node node-/, ''), text: r.textContent })));
  let context;
  // worker-3 (the password node) asks for its sudo password in an input box, per connection: count the answers.
  let sudoAsked = 0;
  const answers = [
    { when: /authenticity of host/i, button: 'Trust and Connect' },
    { when: /^sudo password for \S+@worker-3$/, get input() { sudoAsked++; return 'sandbox'; }, secret: true },
  ];

  suite.test('sandbox healthy, code-server and the workbench come up with every node in the tree', async () => {
    await openSession(s, env, { vsix, scenario: 'healthy', name: `e2e-cluster-${process.pid}`, runDir: path.join(RESULTS, 'e2e', 'cluster-upgrade-run'), shots, extraEnv: { KUBEADM_UPGRADE_FOCUS_VIEW: '1' } });
    await s.wb.tidyLayout();
    await waitUntil('every node in the tree', async () => {
      for (const n of NODES) if ((await s.wb.treeRow(n).count()) === 0) return false;
      return true;
    }, 90_000);
    context = JSON.parse(kubectl(s.sb, 'config', 'view', '-o', 'json'))['current-context'];
    assert(nodes().every((n) => n.status.nodeInfo.kubeletVersion !== target), `no node is at ${target} yet`);
  });

  suite.test('palette "Upgrade Cluster…": pick the target; the readiness result and the whole plan are shown before one confirmation', async () => {
    await s.wb.command('Kubeadm: Upgrade Cluster…');
    let targetRows = [];
    const confirm = await drive(s.wb, 'the confirmation of the whole run', async () => undefined, [
      ...answers,
      { when: /^Upgrade which cluster/, pick: new RegExp(`^${escape(context)}`) },
      // cp-1's repository is the current minor's (pkgs.k8s.io has one per minor): the next minor's repository is read
      // (without changing the node) and its versions offered; the minor typed in resolves to its newest patch.
      { when: /^Upgrade .+ \(at v[\d.]+\) to/, pick: /Another version/, check: (q) => { targetRows = q.rows; }, shot: '01-target' },
      { when: /^Target version for /, input: minor },
      { when: /^Upgrade .+ to v[\d.]+\?/, stop: true },
    ], 300_000);
    log(`targets offered: ${JSON.stringify(targetRows)}\nconfirmation: ${confirm.message}\n${confirm.detail}`);
    assert(targetRows.some((r) => r.includes(target) && r.includes(`offered by the v${minor} repository`) && r.includes('switches the repo minor')), `the target pick offers the next minor's ${target} from its repository: ${targetRows}`);
    assert(targetRows.some((r) => /Another version/.test(r) && !/e\.g\./.test(r)), `"Another version…" shows no example that looks like a value: ${targetRows}`);
    assert(confirm.detail.includes(`Target: ${minor} → ${target}, the newest ${minor} patch offered (the v${minor} repository).`), `the typed ${minor} is said to resolve to ${target}: ${confirm.detail}`);
    assert(confirm.message === `Upgrade ${context} to ${target}?`, `the confirmation names the cluster and target: ${confirm.message}`);
    assert(confirm.buttons.includes('Start Upgrade Cluster'), `buttons: ${confirm.buttons}`);
    // The order (first control plane → the others one at a time → workers), one worker per batch (maxUnavailable 1),
    // each batch's PDB impact (web allows 1 disruption), the API downtime, the readiness result.
    assert(confirm.detail.includes('Order: cp-1 → cp-2 → cp-3 → worker-'), `order: ${confirm.detail}`);
    const batches = confirm.detail.split('\n').filter((l) => /^Batch \d+: /.test(l));
    assert(batches.length === 3 && batches.every((b) => /^Batch \d+: worker-\d \(/.test(b)), `three one-worker batches: ${batches}`);
    assert(/API downtime: /.test(confirm.detail), 'the API downtime is said');
    assert(/cni-addons/.test(confirm.detail), 'the readiness result (the CNI reminder) is in the confirmation');
    // Behind the dialog, the Cluster Upgrade view already holds the plan: every node queued, the commands per node.
    const plan = await waitUntil('the plan in the Cluster Upgrade view', async () => {
      const t = await panelText('#plan');
      return /Commands per node/.test(t) ? t : undefined;
    }, 30_000);
    assert(!/BLOCKER/.test(plan), 'healthy has no readiness blocker');
    assert(/note: info cni-addons/.test(plan), 'the plan lists the readiness notes');
    for (const n of NODES) assert(plan.includes(`## ${n}\n`), `the plan has ${n}'s commands`);
    assert(/kubeadm upgrade apply/.test(plan) && /kubectl drain worker-1/.test(plan), 'the commands include apply and the drains');
    assert(/PDB impact: .*web/.test(plan), `the batches show the PDB impact: ${plan.split('\n').filter((l) => /batch \d/.test(l)).join(' | ')}`);
    const rows = await rowStatus();
    assert(rows.length === NODES.length && rows.every((r) => r.status === 'queued'), `every node queued: ${JSON.stringify(rows.map((r) => `${r.node}:${r.status}`))}`);
    assert((await frame().locator('p.info', { hasText: 'cni-addons' }).count()) >= 1, 'the view shows the readiness notes');
    await s.wb.shot('02-confirm-plan');
    await s.wb.clickDialogButton('Start Upgrade Cluster');
  });

  suite.test('the run: apply confirmed, worker-3\'s sudo password typed; a worker\'s row runs step i of n', async () => {
    const running = await drive(s.wb, 'a worker running', async () => {
      const rows = await rowStatus();
      const failed = rows.find((r) => r.status === 'failed');
      if (failed) throw fatal(`${failed.node} failed: ${failed.text}`);
      const w = rows.find((r) => r.status === 'running' && /^worker-/.test(r.node) && /step \d+ of \d+/.test(r.text));
      return w && rows.filter((r) => r.node.startsWith('cp-')).every((r) => r.status === 'done') ? w : undefined;
    }, [
      ...answers,
      { when: /^Upgrade the control plane with kubeadm upgrade apply\? \(cp-1/, button: 'Run' },
    ], 900_000);
    log(`running: ${running.node}: ${running.text}`);
    // The view re-renders on every step event: read the line until a render has it (one read can fall between two).
    const overall = await waitUntil('the overall line', async () => { const t = await panelText('#overall'); return t.startsWith('3/6 nodes done · running') ? t : undefined; }, 10_000).catch(() => panelText('#overall'));
    assert(overall.startsWith('3/6 nodes done · running'), `overall: ${overall}`);
    const tree = await s.wb.rowInfo(running.node);
    assert(/cluster upgrade: \d+\/\d+/.test(tree.description), `the tree shows ${running.node}'s step: ${tree.description}`);
    await s.wb.hidePanel();
    await s.wb.shot('03-progress');
    if (updateMedia) await s.wb.shot('cluster-upgrade-progress', { path: path.join(REPO, 'media', 'cluster-upgrade-progress.png') });
    s.interrupted = running.node;
  });

  suite.test('a window reload mid-run: the Cluster Upgrade view reopens by itself, stopped, with Resume', async () => {
    const page = s.wb.page;
    const reloaded = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 60_000 });
    await s.wb.command('Developer: Reload Window');
    await reloaded;
    await page.locator('.pane-header', { hasText: 'Kubeadm Clusters' }).waitFor({ timeout: 120_000 });
    const hosts = await waitUntil('one extension host (the reloaded window\'s)', async () => {
      const h = processesMentioning(s.cs.runDir).filter((p) => { try { return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('extensionHost'); } catch { return false; } });
      return h.length === 1 ? h : undefined;
    }, 60_000);
    log(`extension host after the reload: pid ${hosts[0]}`);
    const tab = page.locator('.tabs-container .tab', { hasText: `Cluster Upgrade: ${context}` });
    await tab.first().waitFor({ timeout: 120_000 });
    await waitUntil('Resume in the reopened view', async () => (await frame().locator('button[data-action="resume"]').count().catch(() => 0)) > 0, 60_000);
    // Read until it says so: the view renders again while the reloaded window loads the cluster.
    const overall = await waitUntil('the view to say the run was interrupted', async () => {
      const t = await panelText('#overall');
      return /· cancelled — Interrupted: the window running it closed/.test(t) ? t : undefined;
    }, 30_000);
    log(`after the reload: ${overall}`);
    const rows = await rowStatus();
    for (const n of ['cp-1', 'cp-2', 'cp-3']) assert(rows.find((r) => r.node === n)?.status === 'done', `${n} stays done: ${JSON.stringify(rows.map((r) => `${r.node}:${r.status}`))}`);
    await waitUntil(`the tree labels ${s.interrupted} with the stopped run`, async () => /cluster upgrade/.test((await s.wb.rowInfo(s.interrupted)).description), 60_000);
    // #25 item 9: the cluster item itself says its cluster run is stopped.
    await waitUntil('the cluster item names the stopped cluster run', async () => new RegExp(`cluster upgrade to ${escape(target)} (stopped|interrupted)`).test((await s.wb.rowInfo(context)).description), 60_000);
    await s.wb.shot('04-reopened-after-reload');
  });

  suite.test('Resume finishes the run: every row done, the verification report passed', async () => {
    await frame().locator('button[data-action="resume"]').click();
    const done = await drive(s.wb, 'the verification report', async () => {
      const rows = await rowStatus();
      const failed = rows.find((r) => r.status === 'failed');
      if (failed) throw fatal(`${failed.node} failed: ${failed.text}`);
      const report = await panelText('#report');
      // The rows above may come from the render before the one that added the report (two reads, the view re-renders
      // between them): the rows that go with the report are read after it, from the same final render.
      return /^Verification: /.test(report) ? { rows: await rowStatus(), report } : undefined;
    }, [
      ...answers,
      { when: /take over the expired upgrade lock/i, button: 'Take Over' },
    ], 900_000);
    assert(sudoAsked >= 1, 'worker-3 asked for its sudo password in an input box');
    assert(done.report === 'Verification: passed', `the report: ${done.report}`);
    assert(done.rows.length === NODES.length && done.rows.every((r) => r.status === 'done'), `every row done: ${JSON.stringify(done.rows.map((r) => `${r.node}:${r.status}`))}`);
    assert((await panelText('#overall')).startsWith('6/6 nodes done · done'), `overall: ${await panelText('#overall')}`);
    const failedChecks = await frame().locator('tr.check-fail').count();
    assert(failedChecks === 0, `${failedChecks} failed verification check(s)`);
    assert((await frame().locator('tr.check-pass').count()) >= NODES.length, 'the report lists its passed checks');
    await waitUntil('the notification', async () => (await s.wb.notifications()).some((t) => t.includes(`${context} is at ${target}; verification passed`)), 30_000);
    await frame().locator('#report').scrollIntoViewIfNeeded();
    await s.wb.shot('05-report');
    if (updateMedia) await s.wb.shot('cluster-upgrade-report', { path: path.join(REPO, 'media', 'cluster-upgrade-report.png') });
  });

  suite.test('the cluster itself: every kubelet at the target, every node schedulable', async () => {
    for (const n of nodes()) {
      assert(n.status.nodeInfo.kubeletVersion === target, `${n.metadata.name}: kubelet ${n.status.nodeInfo.kubeletVersion} is ${target}`);
      assert(!n.spec.unschedulable, `${n.metadata.name} is schedulable`);
    }
    const apiserver = JSON.parse(kubectl(s.sb, 'version', '-o', 'json')).serverVersion.gitVersion.replace(/\+.*$/, '');
    assert(apiserver === target, `the apiserver is at ${target}: ${apiserver}`);
    // At the target, Ready, and no run label left (no "upgrade interrupted" from the node run the reload stopped).
    const at = new RegExp(`^kubelet ${escape(target)}( · kubeadm \\S+)? · Ready$`);
    for (const n of NODES) {
      const d = await waitUntil(`the tree to show ${n} at ${target} with no run label`, async () => {
        const t = (await s.wb.rowInfo(n)).description;
        return at.test(t) ? t : undefined;
      }, 30_000).catch(async () => (await s.wb.rowInfo(n)).description);
      assert(at.test(d), `the tree shows ${n} as "${d}"`);
    }
  });

  // Issue #25 items 2 and 3, on screen: kubeadm names every admin.conf's context `kubernetes-admin@kubernetes`, so an
  // admin who points the settings at another cluster's admin.conf reaches another cluster under the same name.
  suite.test('settings pointed at another cluster under the same context name: the finished run says "Another cluster now" and offers no Resume; both files listed: the tree names both, and shows both on request', async () => {
    const other = await startSandbox('mixed-skew', `e2e-other-${process.pid}`);
    const otherFile = path.join(s.cs.runDir, 'other-admin.conf');
    fs.copyFileSync(other.kubeconfig, otherFile);
    const otherContext = JSON.parse(kubectl({ ...other, kubeconfig: otherFile }, 'config', 'view', '-o', 'json'))['current-context'];
    if (otherContext !== context) kubectl({ ...other, kubeconfig: otherFile }, 'config', 'rename-context', otherContext, context);
    const otherServer = JSON.parse(kubectl({ ...other, kubeconfig: otherFile }, 'config', 'view', '--minify', '-o', 'json')).clusters[0].cluster.server;
    // The kubeconfig setting is machine-scoped: a code-server window reads it from the machine's settings (launch.mjs).
    const machineSettings = path.join(s.cs.runDir, 'user/Machine/settings.json');
    const settings = JSON.parse(fs.readFileSync(machineSettings, 'utf8'));
    const firstFile = settings['kubeadm.kubeconfig'];
    const setSettings = (changes) => fs.writeFileSync(machineSettings, JSON.stringify(Object.assign(settings, changes), null, 2));
    setSettings({ 'kubeadm.kubeconfig': otherFile });
    const note = await waitUntil('the Cluster Upgrade view to mark the finished run as another cluster\'s', async () => {
      const t = await panelText('#other-cluster');
      return /Another cluster now/.test(t) ? t : undefined;
    }, 90_000);
    assert(note.includes(`The context ${context} now reaches`) && note.includes('another cluster under the same context name'), `the mark says what changed: ${note}`);
    assert((await frame().locator('button[data-action="resume"]').count()) === 0, 'no Resume for another cluster\'s run');
    await s.wb.shot('06-another-cluster');
    if (updateMedia) await s.wb.shot('cluster-upgrade-another-cluster', { path: path.join(REPO, 'media', 'cluster-upgrade-another-cluster.png') });
    // Both files: kubectl's merge shows the first; the tree says the name is defined twice, naming both servers.
    setSettings({ 'kubeadm.kubeconfig': [firstFile, otherFile] });
    const shadowed = await waitUntil('the cluster item to say its name is defined in 2 files', async () => {
      const d = (await s.wb.rowInfo(context)).description;
      return /defined in 2 files/.test(d) ? d : undefined;
    }, 60_000);
    assert(shadowed.includes(otherFile) && shadowed.includes(otherServer), `the hidden file and its server are named: ${shadowed}`);
    setSettings({ 'kubeadm.showShadowedContexts': true });
    await waitUntil(`the hidden cluster shown as its own item, labelled by its server (${otherServer})`, async () => (await s.wb.treeRow(escape(`${context} (${otherServer})`)).count()) > 0, 60_000);
    await s.wb.shot('07-both-clusters');
    other.down();
  });

  return runAndClose(suite, s, { keepOpen, stopOnFailure: true });
}

runIfMain(import.meta.url, (o) => clusterUpgradeSuite(o));
