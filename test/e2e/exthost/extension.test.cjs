/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: the extension host require()s extensionTestsPath */
// Mocha suite inside code-server's extension host (real VS Code API), against a sandbox described by
// E2E_SANDBOX (JSON: scenario, kubeconfig, sshConfig, nodes, kubectlBin, repo). Modal dialogs the extension shows
// (e.g. "Start Upgrade") are answered by the driver's autopilot in the browser page (test/e2e/exthost.mjs).
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const vscode = require('vscode');

const SB = JSON.parse(process.env.E2E_SANDBOX || '{}');
const EXT_ID = 'kubeadm-upgrade.kubeadm-upgrade';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, fn, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) { last = e; }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await sleep(300);
  }
}

function kubectl(...args) {
  return execFileSync(SB.kubectlBin, ['--kubeconfig', SB.kubeconfig, ...args], { encoding: 'utf8' });
}
const apiNodes = () => JSON.parse(kubectl('get', 'nodes', '-o', 'json')).items;

/** Answers the next quick input / input box with its default (e.g. Plan Upgrade's optional target). */
async function acceptQuickInput(times = 1) {
  for (let i = 0; i < times; i++) {
    await sleep(1500);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
}

describe(`kubeadm-upgrade in code-server's extension host (sandbox ${SB.scenario})`, function () {
  let api;
  let cluster;

  it('activates and returns its services', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, `${EXT_ID} is installed`);
    api = await ext.activate();
    assert.ok(ext.isActive);
    assert.ok(api && api.services && api.services.store, 'activate() returns { services: { store } }');
    console.log(`vscode ${vscode.version}, node ${process.version}, remoteName ${vscode.env.remoteName}, extension ${ext.packageJSON.version}`);
  });

  it('registers every command it contributes', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    const contributed = ext.packageJSON.contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
    assert.ok(contributed.length >= 10, `${contributed.length} commands`);
  });

  it("loads the sandbox's nodes with the expected findings into the tree's store", async () => {
    await vscode.commands.executeCommand('kubeadmClusters.focus');
    cluster = await waitFor('the sandbox cluster to load', () => {
      const c = api.services.store.list().find((s) => s.status === 'ready');
      return c && c.snapshot && c.snapshot.nodes.length === SB.nodes.length ? c : undefined;
    });
    const names = cluster.snapshot.nodes.map((n) => n.name).sort();
    assert.deepEqual(names, SB.nodes.map((n) => n.name).sort());
    const byNode = (node) => cluster.findings.filter((f) => f.node === node).map((f) => `${f.severity}:${f.rule}`);
    const versions = Object.fromEntries(apiNodes().map((n) => [n.metadata.name, n.status.nodeInfo.kubeletVersion]));
    for (const n of cluster.snapshot.nodes) {
      const v = n.kubelet && n.kubelet.version;
      const text = v && (v.raw || (typeof v === 'string' ? v : `v${v.major}.${v.minor}.${v.patch}`));
      assert.ok(String(text).includes(versions[n.name].replace(/^v/, '')), `${n.name}: kubelet ${JSON.stringify(v)} is ${versions[n.name]}`);
    }
    if (SB.scenario === 'mixed-skew') {
      assert.ok(byNode('worker-4').includes('error:kubelet-newer-than-apiserver'), `worker-4: ${byNode('worker-4')}`);
      assert.ok(byNode('worker-3').includes('error:kubelet-too-old'), `worker-3: ${byNode('worker-3')}`);
      assert.ok(byNode('worker-2').includes('warning:kubelet-at-skew-limit'), `worker-2: ${byNode('worker-2')}`);
      assert.ok(byNode('cp-2').some((f) => /kube-controller-manager/.test(f)), `cp-2: ${byNode('cp-2')}`);
      assert.deepEqual(byNode('worker-1').filter((f) => !f.startsWith('info:')), [], 'worker-1 (one minor behind) is fine');
    } else if (SB.scenario === 'healthy') {
      const bad = cluster.findings.filter((f) => f.severity !== 'info');
      assert.deepEqual(bad.map((f) => `${f.node}:${f.rule}`), [], 'a healthy cluster has no errors or warnings');
    }
  });

  it('Plan Upgrade runs kubeadm upgrade plan on cp-1 and shows the parsed plan', async () => {
    await vscode.workspace.getConfiguration('kubeadm').update('execution', 'ssh', vscode.ConfigurationTarget.Global);
    const ctx = cluster.contextName;
    const running = vscode.commands.executeCommand('kubeadm.planUpgrade', { context: ctx, node: 'cp-1' });
    await acceptQuickInput(); // the target: "No target" (kubeadm lists what it can upgrade to)
    await running; // the command returns once the plan view shows the parsed plan
    // The tab of the finished plan: "Kubeadm Plan: <ctx>", not the streaming "Kubeadm Plan: <ctx> (running)".
    const tab = await waitFor('the finished plan view tab', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label === `Kubeadm Plan: ${ctx}`), 60_000);
    console.log(`plan view: "${tab.label}"`);
    // What the command rendered: the model the plan view's webview draws (activate() hands it out).
    const view = api.shownPlanView();
    assert.ok(view, 'the plan view shows something');
    assert.equal(view.kind, 'plan', `the plan view shows a parsed plan, not ${view.kind}`);
    assert.deepEqual([view.source.origin, view.source.context, view.source.node], ['run', ctx, 'cp-1']);
    assert.equal(view.header.cluster, ctx);
    assert.match(view.format, /json|text/);
    const apiserver = JSON.parse(kubectl('version', '-o', 'json')).serverVersion.gitVersion.replace(/\+.*$/, '');
    assert.equal(view.header.currentVersion, apiserver, 'the plan names the cluster\'s version');
    assert.ok(view.cards.length >= 1 && view.header.targets.length >= 1, `an upgrade is offered: ${view.stateText}`);
    const card = view.cards[0];
    assert.ok(card.components.some((c) => c.name === 'kube-apiserver' && c.current === apiserver && /^v\d+\.\d+\.\d+/.test(c.target)), `kube-apiserver row: ${JSON.stringify(card.components.map((c) => `${c.name} ${c.current}→${c.target}`))}`);
    assert.match(card.applyCommand || '', /^kubeadm upgrade apply v\d+\.\d+\.\d+/);
    assert.ok(/kube-apiserver/.test(view.raw), 'the raw output kubeadm printed is kept');
    console.log(`plan: cluster ${view.header.currentVersion} → ${view.header.targets.join(', ')} (${view.format})`);
  });

  it('terminal executor: results between markers in a real terminal, a detached step re-attached, and a local terminal named "kubeadm: cp-1" never gets a byte', async () => {
    // A local shell terminal carrying the node's name (what "Run in terminal" used to pick): a pseudoterminal that
    // records every byte sent to it.
    const received = [];
    const writeEmitter = new vscode.EventEmitter();
    const decoy = vscode.window.createTerminal({
      name: 'kubeadm: cp-1',
      pty: { onDidWrite: writeEmitter.event, open: () => writeEmitter.fire('local shell $ '), close: () => {}, handleInput: (d) => received.push(d) },
    });
    const settings = vscode.workspace.getConfiguration('kubeadm');
    await settings.update('execution', 'terminal', vscode.ConfigurationTarget.Global);
    try {
      const ctx = cluster.contextName;
      const node = cluster.snapshot.nodes.find((n) => n.name === 'cp-1');
      const executor = await api.services.access.nodes(ctx).executorFor(node);
      assert.match(executor.description, /^terminal ssh cp-1/);
      const v = await executor.run('kubeadm version -o short', { timeoutMs: 120_000 });
      assert.equal(v.exitCode, 0, v.failure);
      assert.match(v.stdout, /^v\d+\.\d+\.\d+\n$/, `only the command's output, between the markers: ${JSON.stringify(v.stdout)}`);
      const failing = await executor.run('echo out; exit 3', { timeoutMs: 60_000 });
      assert.deepEqual([failing.exitCode, failing.stdout], [3, 'out\n']);
      const runId = `e2e-term-${Date.now()}`;
      const step = { runId, step: 's-1' };
      const d = await executor.run('echo detached; exit 4', { sudo: true, detached: step, timeoutMs: 120_000 });
      assert.deepEqual([d.exitCode, d.stdout], [4, 'detached\n'], d.failure);
      const again = await executor.run('echo SHOULD-NOT-RUN; exit 0', { sudo: true, detached: step, timeoutMs: 120_000 });
      assert.deepEqual([again.exitCode, again.stdout], [4, 'detached\n'], 're-attached to the step that ran, not started again');
      const ours = vscode.window.terminals.filter((t) => t.name === 'kubeadm: cp-1');
      assert.equal(ours.length, 2, 'the executor opened its own terminal next to the decoy');
      assert.deepEqual(received, [], 'nothing was sent to the local terminal named "kubeadm: cp-1"');
    } finally {
      decoy.dispose();
      await settings.update('execution', 'ssh', vscode.ConfigurationTarget.Global);
    }
  });

  // The worker upgrade through the terminal executor is proven in the UI layer (ui.mjs): with the smoke-test driver
  // this layer needs, VS Code refuses every modal dialog, and the upgrade asks before it starts, drains and applies.
});
