// UI e2e: Playwright drives code-server (real VS Code 1.139.1) in Debian's Chromium against a sandbox.
//   node test/e2e/ui.mjs [--scenario mixed-skew] [--vsix dist/kubeadm-upgrade.vsix] [--keep-open]
// Screenshots of each state go to test-results/e2e/ui/; `--update-media` also refreshes media/*.png.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Suite, assert, fatal, printSummary, waitUntil } from './lib/harness.mjs';
import { REPO, RESULTS, buildVsix, cleanup, kubectl, log, sandboxSettings, setup, ssh, startCodeServer, startSandbox } from './lib/launch.mjs';
import { Workbench, openBrowser } from './lib/workbench.mjs';

const WORKER = 'worker-1'; // mixed-skew: kubelet one minor behind the apiserver, its repo one minor behind too

/**
 * Answers what the extension asks while a flow runs, until done() returns truthy. `answers` maps a dialog/quick
 * input to a reply: [{ when: RegExp (message, title or placeholder), button | pick | input }].
 */
async function drive(wb, what, done, answers, timeoutMs = 240_000) {
  const answered = [];
  const result = await waitUntil(what, async () => {
    const d = await wb.dialog();
    if (d) {
      const a = answers.find((x) => x.button && x.when.test(`${d.message}\n${d.detail}`));
      if (!a) throw fatal(`unexpected dialog: ${JSON.stringify(d)}`);
      log(`dialog "${d.message}" → ${a.button}`);
      answered.push(d.message);
      await wb.shot(`dialog-${answered.length}-${slug(d.message)}`);
      await wb.clickDialogButton(a.button);
      return undefined;
    }
    const q = await wb.quickInput();
    if (q) {
      const a = answers.find((x) => !x.button && [q.title, q.placeholder, q.message].some((t) => x.when.test(t)));
      if (a) {
        log(`quick input "${q.title || q.placeholder}" → ${a.pick ?? (a.secret ? '(password)' : JSON.stringify(a.input))}`);
        if (a.shot) await wb.shot(a.shot);
        if (a.pick) await wb.pick(a.pick); else await wb.answerInput(a.input);
        await wb.page.waitForTimeout(300);
        return undefined;
      }
    }
    return done();
  }, timeoutMs, 400);
  return { result, answered };
}

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40).replace(/-$/, '');

/** The dialogs and inputs of the SSH layer: host keys (if known_hosts is not used) and sudo passwords. */
const SSH_ANSWERS = [
  { when: /authenticity of host/i, button: 'Trust and Connect' },
  { when: /sudo password|Password for/i, input: 'sandbox', secret: true },
];

export async function uiSuite({ env, vsix, scenario = 'mixed-skew', updateMedia = false, keepOpen = false }) {
  const shots = path.join(RESULTS, 'e2e', 'ui');
  fs.rmSync(shots, { recursive: true, force: true });
  const suite = new Suite(`UI (Playwright + Chromium, code-server) on sandbox ${scenario}`);
  let sb, cs, browser, wb;
  const nodes = () => JSON.parse(kubectl(sb, 'get', 'nodes', '-o', 'json')).items;
  const media = (name) => (updateMedia ? path.join(REPO, 'media', name) : null);

  suite.test('sandbox, code-server and the workbench come up', async () => {
    sb = await startSandbox(scenario, `e2e-ui-${process.pid}`);
    cs = await startCodeServer(env, { vsix, settings: sandboxSettings(sb, 'ssh'), runDir: path.join(RESULTS, 'e2e', 'ui-run') });
    browser = await openBrowser(env);
    wb = await Workbench.open(browser, cs.url, shots);
    await wb.tidyLayout();
  });

  suite.test('the Explorer shows "Kubeadm Clusters" with the nodes, their versions and the skew icons', async () => {
    await wb.expandView();
    const expected = Object.fromEntries(nodes().map((n) => [n.metadata.name, n.status.nodeInfo.kubeletVersion]));
    // Skew each mixed-skew node must show (scenarios/mixed-skew.yaml): the worst finding colours the icon.
    const icons = scenario === 'mixed-skew'
      ? { 'cp-2': 'warning', 'worker-2': 'warning', 'worker-3': 'error', 'worker-4': 'error', 'cp-1': 'server-environment', 'worker-1': 'server' }
      : {};
    await waitUntil('every node in the tree', async () => {
      for (const name of Object.keys(expected)) if ((await wb.treeRow(name).count()) === 0) return false;
      return true;
    }, 60_000);
    for (const [name, version] of Object.entries(expected)) {
      const info = await wb.rowInfo(name);
      assert(info.description.startsWith(`kubelet ${version} · Ready`), `${name}: description "${info.description}" starts with "kubelet ${version} · Ready"`);
      if (icons[name]) assert(info.icon === icons[name], `${name}: icon ${info.icon} is ${icons[name]}`);
    }
    const cluster = await wb.page.locator('.pane-body .monaco-list-row[role="treeitem"][aria-level="1"]').first().innerText();
    if (scenario === 'mixed-skew') assert(/\d+ errors?/.test(cluster), `cluster row "${cluster}" counts errors`);
    await wb.shot('01-tree');
  });

  suite.test('hovering a node shows its versions and findings', async () => {
    const w4 = await wb.hover('worker-4');
    assert(/kubelet/.test(w4) && /kube-proxy/.test(w4) && /Internal IP/.test(w4), `worker-4 hover lists versions: ${w4}`);
    if (scenario === 'mixed-skew') assert(/kubelet-newer-than-apiserver/.test(w4), `worker-4 hover names kubelet-newer-than-apiserver: ${w4}`);
    await wb.shot('02-hover-worker-4');
    if (media('tree-skew.png')) await wb.shot('tree-skew', { path: media('tree-skew.png'), clip: { x: 0, y: 0, width: 900, height: 730 } });
    const cp2 = await wb.hover('cp-2');
    assert(/kube-controller-manager/.test(cp2) && /etcd/.test(cp2), `cp-2 hover lists control-plane components: ${cp2}`);
    const w3 = await wb.hover('worker-3');
    if (scenario === 'mixed-skew') assert(/kubelet-too-old/.test(w3), `worker-3 hover names kubelet-too-old: ${w3}`);
    await wb.shot('03-hover-worker-3');
    await wb.page.mouse.move(1000, 700);
  });

  suite.test('palette "Kubeadm: Plan Upgrade" → the webview shows the plan tables', async () => {
    await wb.command('Kubeadm: Plan Upgrade');
    const frame = wb.webview();
    await drive(wb, 'the plan view', async () => (await frame.locator('h1', { hasText: 'Upgrade plan' }).count().catch(() => 0)) > 0, [
      ...SSH_ANSWERS,
      { when: /^Cluster \(kubeconfig context\)/, pick: /kwok/ },
      { when: /^Control-plane node/, pick: /cp-1/ },
      { when: /Target version/i, input: '' },
    ], 180_000);
    const header = await frame.locator('header.plan-header').innerText();
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
    const { answered } = await drive(wb, `${WORKER} upgraded`, async () => {
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
    log(`answered ${answered.length} dialog(s)`);
    await setExecution('ssh');
    await wb.shot('06-worker-upgraded');
    if (media('worker-upgrade.png')) await wb.shot('worker-upgrade', { path: media('worker-upgrade.png') });
    const notes = await wb.notifications();
    log(`notifications: ${JSON.stringify(notes).slice(0, 300)}`);
  });

  suite.test("the password node (worker-2): sudo asks for the password in an input box; the node ends at the control plane's version", async () => {
    if (scenario !== 'mixed-skew') return;
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
    await wb.command('Kubeadm: Show Backups and Recovery');
    const frame = wb.webview();
    await drive(wb, 'the backups view', async () => (await frame.locator('h1', { hasText: 'Backups and recovery' }).count().catch(() => 0)) > 0, [
      ...SSH_ANSWERS,
      { when: /^Cluster \(kubeconfig context\)/, pick: /kwok/ },
    ], 120_000);
    const text = await waitUntil('cp-1 backups listed', async () => {
      const t = await frame.locator('section.node[data-node="cp-1"]').textContent().catch(() => '');
      return t.includes(`kubeadm-backup-manifests-${ts}`) ? t : undefined;
    }, 60_000);
    assert(text.includes(`kubeadm-backup-etcd-${ts}`), 'the etcd backup is listed');
    await wb.hidePanel();
    await wb.shot('07-backups');
    if (media('backups.png')) await wb.shot('backups', { path: media('backups.png') });
  });

  const results = await suite.run({
    stopOnFailure: false,
    onFailure: async (name) => { if (wb) await wb.shot(`failure-${slug(name)}`); },
  });
  if (keepOpen && cs) {
    log(`--keep-open: ${cs.url} (Ctrl-C to stop)`);
    await new Promise(() => {});
  }
  await browser?.close().catch(() => {});
  await cs?.stop();
  sb?.down();
  return results;
}

// Standalone: node test/e2e/ui.mjs
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (f, d) => { const i = process.argv.indexOf(f); return i > 0 ? process.argv[i + 1] : d; };
  const t0 = Date.now();
  (async () => {
    const env = setup();
    const vsix = arg('--vsix', null) ?? buildVsix();
    const results = await uiSuite({ env, vsix, scenario: arg('--scenario', 'mixed-skew'), updateMedia: process.argv.includes('--update-media'), keepOpen: process.argv.includes('--keep-open') });
    const s = printSummary(results, Date.now() - t0);
    await cleanup();
    process.exit(s.failed ? 1 : 0);
  })().catch(async (e) => { console.error(e); await cleanup(); process.exit(1); });
}
