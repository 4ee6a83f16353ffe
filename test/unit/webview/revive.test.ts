// A panel VS Code restores after a reload shows what the host rendered last for that kind of panel (kept in the
// workspace state), never the view the webview saved: that state only says which kind of panel it was. A view that
// was still running is not kept (it would look alive and never move again): such a panel is closed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import { parseListing } from '../../../src/core/backups/listing';
import { backupsViewModel } from '../../../src/core/backups/viewModel';
import type { ViewModel } from '../../../src/core/clusterPanel/protocol';

const fakeVscode = {
  Uri: { joinPath: (_u: unknown, ...parts: string[]) => ({ path: parts.join('/'), toString: () => parts.join('/') }) },
  ViewColumn: { Active: -1 },
  window: {
    createWebviewPanel: () => fakePanel(),
    showErrorMessage: async () => undefined,
  },
};
const load = (Module as unknown as { _load: (r: string, ...a: unknown[]) => unknown })._load;
(Module as unknown as { _load: (r: string, ...a: unknown[]) => unknown })._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? fakeVscode : load(request, ...rest));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the stand-in is in place
const { ClusterPanel } = require('../../../src/ui/webview/clusterPanel') as typeof import('../../../src/ui/webview/clusterPanel');

function fakePanel() {
  const posted: unknown[] = [];
  let receive: (m: unknown) => void = () => {};
  const disposers: (() => void)[] = [];
  const p = {
    title: '',
    disposed: false,
    posted,
    send: (m: unknown) => receive(m),
    webview: {
      options: {},
      html: '',
      cspSource: 'vscode-resource:',
      asWebviewUri: (u: unknown) => u,
      onDidReceiveMessage: (f: (m: unknown) => void) => ((receive = f), { dispose: () => {} }),
      postMessage: async (m: unknown) => (posted.push(m), true),
    },
    onDidDispose: (f: () => void) => (disposers.push(f), { dispose: () => {} }),
    reveal: () => {},
    dispose: () => {
      if (p.disposed) return;
      p.disposed = true;
      for (const f of disposers) f();
    },
  };
  return p;
}

const memento = () => {
  const m = new Map<string, unknown>();
  return { map: m, get: <T>(k: string) => m.get(k) as T | undefined, update: async (k: string, v: unknown) => void (v === undefined ? m.delete(k) : m.set(k, JSON.parse(JSON.stringify(v)))) };
};
const T = '/etc/kubernetes/tmp';
const M = `${T}/kubeadm-backup-manifests-2025-03-25-17-13-19`;
const rendered = backupsViewModel('prod', [{ node: 'cp-1', listing: parseListing([`#base ${T}`, `#entry 1 ${M}`, `4\t${M}/kube-apiserver.yaml`, `4\t${M}`, '#end'].join('\n')), etcdExternal: false, currentVersion: 'v1.31.1', targetVersion: null, auditLog: null }]);
const uri = { path: '/ext' } as never;

test('revived after a reload: the host\'s last view of that kind, not the webview\'s saved (forged) one', () => {
  const store = memento();
  ClusterPanel.useStore(store);
  const shown = ClusterPanel.show(uri, rendered, () => {});
  shown.dispose();
  // What the webview saved: a view of the same kind with other steps (e.g. edited in its storage).
  const forged = { view: { ...rendered, context: 'other-cluster', nodes: [] } as ViewModel };
  const panel = fakePanel();
  const revived = ClusterPanel.revive(panel as never, uri, forged, () => {});
  assert.ok(revived);
  assert.deepEqual(revived.currentView, JSON.parse(JSON.stringify(rendered)));
  panel.send({ type: 'ready' });
  assert.deepEqual(panel.posted, [{ type: 'show', view: revived.currentView }]);
  revived.dispose();
});

test('nothing kept for that kind (or only a view that was still running): the restored panel is closed', () => {
  const store = memento();
  ClusterPanel.useStore(store);
  const p1 = fakePanel();
  assert.equal(ClusterPanel.revive(p1 as never, uri, { view: rendered }, () => {}), undefined);
  assert.equal(p1.disposed, true);
  const running: ViewModel = { kind: 'running', title: 'kubeadm upgrade plan', context: 'prod', node: 'cp-1', command: 'kubeadm upgrade plan', output: '' };
  const shown = ClusterPanel.show(uri, running, () => {});
  assert.equal(store.map.size, 0, 'a running view is not kept');
  shown.dispose();
  const p2 = fakePanel();
  assert.equal(ClusterPanel.revive(p2 as never, uri, { view: running }, () => {}), undefined);
  assert.equal(p2.disposed, true);
  const p3 = fakePanel();
  assert.equal(ClusterPanel.revive(p3 as never, uri, 'not a state', () => {}), undefined);
  assert.equal(p3.disposed, true);
});

/** Which cluster the context `prod` reaches: switched by the test, as a kubeconfig change does. */
function clusters(initial: string) {
  let key: string | undefined = initial;
  const listeners = new Set<() => void>();
  return {
    keyOf: (c: string) => (c === 'prod' ? key : undefined),
    onDidChange: (l: () => void) => (listeners.add(l), () => void listeners.delete(l)),
    reach(next: string) {
      key = next;
      for (const l of listeners) l();
    },
  };
}
const KEY_A = `https://10.0.0.1:6443#${'aa'.repeat(32)}`;
const KEY_B = `https://10.0.0.2:6443#${'bb'.repeat(32)}`;

test('#25 item 2: a view made for cluster A is replaced once its context reaches B, also after a reload', () => {
  const store = memento();
  ClusterPanel.useStore(store);
  const reach = clusters(KEY_A);
  const stop = ClusterPanel.useClusters(reach);
  try {
    const shown = ClusterPanel.show(uri, rendered, () => {});
    assert.equal(shown.cluster, KEY_A);
    assert.equal(shown.currentView?.kind, 'backups');
    reach.reach(KEY_B);
    const v = shown.currentView as ViewModel;
    assert.equal(v.kind, 'otherCluster');
    assert.match((v as { text?: string }).text ?? '', /made for the cluster at https:\/\/10\.0\.0\.1:6443 .* now reaches https:\/\/10\.0\.0\.2:6443/);
    assert.equal(shown.panel.title, 'Kubeadm: prod (another cluster now)');
    shown.dispose();

    // Kept for a reload with its cluster: revived while prod reaches B, it is not shown either.
    reach.reach(KEY_A);
    ClusterPanel.show(uri, rendered, () => {}).dispose();
    reach.reach(KEY_B);
    const revived = ClusterPanel.revive(fakePanel() as never, uri, { view: rendered }, () => {});
    assert.equal(revived?.currentView?.kind, 'otherCluster');
    revived?.dispose();
  } finally {
    stop.dispose();
  }
});

test('#25 item 2: a readiness run started on A whose result comes back after the context reached B shows no result', () => {
  const store = memento();
  ClusterPanel.useStore(store);
  const reach = clusters(KEY_A);
  const stop = ClusterPanel.useClusters(reach);
  try {
    const running = { kind: 'readiness', context: 'prod', target: 'v1.36.3', running: true, counts: {}, groups: [] } as unknown as ViewModel;
    const panel = ClusterPanel.show(uri, running, () => {});
    reach.reach(KEY_B);
    assert.equal(panel.currentView?.kind, 'readiness', 'a running view waits for its result');
    panel.setView({ ...running, running: false } as ViewModel);
    assert.equal((panel.currentView as ViewModel).kind, 'otherCluster', 'A\'s result under B');
    // Run again, now on B: B's result is shown.
    panel.setView(running);
    panel.setView({ ...running, running: false } as ViewModel);
    assert.equal((panel.currentView as ViewModel).kind, 'readiness');
    assert.equal(panel.cluster, KEY_B);
    panel.dispose();
  } finally {
    stop.dispose();
  }
});
