// "Run in terminal…" / "Run on node…" from the backups view: the button carries only the step's id and its command;
// the host takes context, node, title, danger and command from the step it rendered (looked up by that id), never from
// the message. Kubeadm backup steps work this way; the etcd snapshot's restore and the "snapshot first" button send their
// own messages (restoreEtcd by the snapshot's sha256, snapshotEtcd by node), which run the audited commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseListing } from '../../../src/core/backups/listing';
import { backupsViewModel, type BackupsViewModel } from '../../../src/core/backups/viewModel';
import { etcdSnapshotViews } from '../../../src/core/backups/etcdSnapshots';
import type { SnapshotRecord } from '../../../src/core/etcd/snapshot';
import { isWebviewMessage, type WebviewMessage } from '../../../src/core/clusterPanel/protocol';
import { offeredStep } from '../../../src/ui/webview/offeredStep';
import { actionMessage } from '../../../webview/actions';
import { renderView } from '../../../webview/render/view';

const T = '/etc/kubernetes/tmp';
const M = `${T}/kubeadm-backup-manifests-2025-03-25-17-13-19`;
const listing = parseListing([`#base ${T}`, `#entry 1 ${M}`, `4\t${M}/kube-apiserver.yaml`, `4\t${M}`, '#end'].join('\n'));
const record: SnapshotRecord = {
  kind: 'etcd-snapshot',
  cluster: 'prod',
  node: 'cp-1',
  remotePath: '/var/lib/kubeadm-upgrade/etcd-snapshots/etcd-snapshot-cp-1-20250325T171319Z.db',
  localPath: '/home/u/etcd-snapshot-cp-1-20250325T171319Z.db',
  sha256: 'ab'.repeat(32),
  status: { hash: 1, revision: 2, totalKey: 3, totalSize: 4096 },
  takenAt: '2025-03-25T17:13:19.000Z',
};
const view: BackupsViewModel = {
  ...backupsViewModel('prod', [{ node: 'cp-1', listing, etcdExternal: false, currentVersion: 'v1.31.1', targetVersion: null, auditLog: null }]),
  etcdSnapshots: etcdSnapshotViews([record], 'prod', () => record.sha256),
};

/** The messages the rendered buttons of `action` send, read from the HTML as the webview would. */
function buttonMessages(v: BackupsViewModel, action: 'run' | 'runOnNode' | 'restoreEtcd' | 'snapshotEtcd'): WebviewMessage[] {
  const html = renderView(v);
  return [...html.matchAll(new RegExp(`<vscode-button ([^>]*data-action="${action}"[^>]*)>`, 'g'))].map((m) => {
    const data: Record<string, string> = {};
    for (const [, k, val] of m[1]!.matchAll(/data-([a-z0-9]+)="([^"]*)"/g)) data[k!] = val!.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    const msg = actionMessage(data, v);
    assert.ok(msg && isWebviewMessage(msg), JSON.stringify(data));
    return msg;
  });
}

test('every Run button carries only a step id and its command, and the host finds that step', () => {
  const all = [...buttonMessages(view, 'run'), ...buttonMessages(view, 'runOnNode')];
  assert.ok(all.length >= 5, `${all.length} buttons`);
  for (const msg of all) {
    assert.ok(msg.type === 'runInTerminal' || msg.type === 'runOnNode');
    assert.deepEqual(Object.keys(msg).sort(), ['command', 'step', 'type']);
    const step = offeredStep(view, msg);
    assert.ok(step, msg.step);
    assert.equal(step.context, 'prod');
    assert.equal(step.node, 'cp-1');
    assert.equal(step.command, msg.command);
  }
  // The etcd snapshot offers the whole-cluster restore procedure, named by the snapshot's sha256: no command to run.
  assert.deepEqual(buttonMessages(view, 'restoreEtcd'), [{ type: 'restoreEtcd', context: 'prod', sha256: record.sha256 }]);
});

test('a forged message cannot change where or what runs: extra fields are ignored, the view decides', () => {
  const [msg] = buttonMessages(view, 'run') as Extract<WebviewMessage, { type: 'runInTerminal' }>[];
  const forged = { ...msg!, context: 'other-cluster', node: 'cp-2', title: 'harmless', danger: 'safe' } as typeof msg & Record<string, string>;
  const step = offeredStep(view, forged)!;
  assert.deepEqual([step.context, step.node], ['prod', 'cp-1']);
  assert.notEqual(step.title, 'harmless');
});

test("an unknown step id, a command that is not the step's, a view without a context, or no view: nothing to run", () => {
  const [msg] = buttonMessages(view, 'run') as Extract<WebviewMessage, { type: 'runInTerminal' }>[];
  assert.equal(offeredStep(view, { ...msg!, step: 'cp-1/x/y' }), undefined);
  assert.equal(offeredStep(view, { ...msg!, command: 'rm -rf /' }), undefined);
  assert.equal(offeredStep({ ...view, context: null }, msg!), undefined);
  assert.equal(offeredStep(undefined, msg!), undefined);
  assert.equal(isWebviewMessage({ type: 'runInTerminal', command: msg!.command }), false, 'no step id: not a message');
});

test('"snapshot first" in a view with no backups yet is Snapshot etcd on that node (the one snapshot path), no shell command', () => {
  const empty = backupsViewModel('prod', [{ node: 'cp-1', listing: parseListing([`#base ${T}`, '#end'].join('\n')), etcdExternal: false, currentVersion: 'v1.31.1', targetVersion: null, auditLog: null }]);
  assert.ok(empty.nothingYet?.snapshot);
  assert.deepEqual(buttonMessages(empty, 'snapshotEtcd'), [{ type: 'snapshotEtcd', context: 'prod', node: 'cp-1' }]);
  assert.deepEqual(buttonMessages(empty, 'run'), []);
});
