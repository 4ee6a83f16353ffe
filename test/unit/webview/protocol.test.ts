// Messages round-trip through the protocol: serialised as the webview channel does (structured clone ≈ JSON here),
// each passes its guard and comes back equal; malformed ones are refused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

import { backupsViewModel } from '../../../src/core/backups/viewModel';
import { parseListing } from '../../../src/core/backups/listing';
import { parsePlan } from '../../../src/core/plan';
import { planViewModel } from '../../../src/core/clusterPanel/build';
import {
  isHostMessage,
  isWebviewMessage,
  isWebviewState,
  offeredCommands,
  type HostMessage,
  type RunningView,
  type WebviewMessage,
} from '../../../src/core/clusterPanel/protocol';
import { actionMessage } from '../../../webview/actions';

const F10 = readFileSync(resolve(process.cwd(), 'test/fixtures/kubeadm/F10_real_kubeadm-1.31.7_plan_per-node.txt'), 'utf8');
const plan = planViewModel(parsePlan(F10), undefined, { source: { origin: 'run', context: 'prod', node: 'cp-1', label: null, at: null }, raw: F10 });
const T = '/etc/kubernetes/tmp/kubeadm-backup-manifests-2025-03-25-17-13-19';
const backups = backupsViewModel('prod', [
  { node: 'cp-1', listing: parseListing(`#base /etc/kubernetes/tmp\n#entry 1 ${T}\n4\t${T}/etcd.yaml\n4\t${T}\n#end`), etcdExternal: false, currentVersion: 'v1.31.1', targetVersion: null, auditLog: null },
]);
const running: RunningView = { kind: 'running', title: 'kubeadm upgrade plan', context: 'prod', node: 'cp-1', command: 'kubeadm upgrade plan', output: '[preflight]' };

const roundTrip = <T>(m: T): unknown => JSON.parse(JSON.stringify(m));

const HOST: HostMessage[] = [
  { type: 'show', view: plan },
  { type: 'show', view: backups },
  { type: 'show', view: running },
  { type: 'append', text: 'line\n' },
  { type: 'notice', level: 'error', text: 'exited with 1' },
];
const WEBVIEW: WebviewMessage[] = [
  { type: 'ready' },
  { type: 'refresh' },
  { type: 'copy', text: 'kubeadm upgrade apply v1.31.7' },
  { type: 'runInTerminal', step: 'cp-1/run/check', command: 'sudo kubectl get nodes' },
  { type: 'runOnNode', step: 'cp-1/etcd-snapshot-ab/etcd-verify', command: 'sha256sum x' },
  { type: 'upgradeNode', context: 'prod', node: null, target: 'v1.31.7' },
  { type: 'showBackups', context: 'prod', node: 'cp-1' },
  { type: 'cleanup', context: null, node: 'cp-1', paths: ['/etc/kubernetes/tmp/kubeadm-backup-etcd-2023-11-14-22-13-20'] },
];

describe('protocol round trip', () => {
  for (const m of HOST) {
    it(`host → webview: ${m.type}${m.type === 'show' ? ` ${m.view.kind}` : ''}`, () => {
      const back = roundTrip(m);
      assert.ok(isHostMessage(back));
      assert.ok(!isWebviewMessage(back));
      assert.deepEqual(back, m);
    });
  }
  for (const m of WEBVIEW) {
    it(`webview → host: ${m.type}`, () => {
      const back = roundTrip(m);
      assert.ok(isWebviewMessage(back));
      assert.deepEqual(back, m);
    });
  }
  it('webview state survives a reload (what the serializer gets)', () => {
    for (const view of [plan, backups, running]) assert.ok(isWebviewState(roundTrip({ view })));
    assert.ok(!isWebviewState({ view: { kind: 'plan' } }));
    assert.ok(!isWebviewState(undefined));
  });
  it('refuses malformed messages', () => {
    for (const bad of [
      null,
      'ready',
      [],
      { type: 'nope' },
      { type: 'copy' },
      { type: 'copy', text: 1 },
      { type: 'runInTerminal', command: 'c' },
      { type: 'runInTerminal', step: 'n/r/s' },
      { type: 'runOnNode', step: 1, command: 'c' },
      { type: 'upgradeNode', context: 'p', node: 'n' },
      { type: 'cleanup', context: 'p', node: 'n', paths: [1] },
      { type: 'show', view: { kind: 'other' } },
      { type: 'notice', level: 'debug', text: 'x' },
    ]) {
      assert.ok(!isWebviewMessage(bad) && !isHostMessage(bad), JSON.stringify(bad));
    }
  });
});

describe('buttons → messages', () => {
  it('every rendered action makes a valid message', () => {
    const cases: [Record<string, string>, WebviewMessage][] = [
      [{ action: 'copy', text: 'x' }, { type: 'copy', text: 'x' }],
      [{ action: 'copyRaw' }, { type: 'copy', text: F10 }],
      [{ action: 'upgrade', target: 'v1.31.7', node: 'cp-1', context: 'prod' }, { type: 'upgradeNode', context: 'prod', node: 'cp-1', target: 'v1.31.7' }],
      [{ action: 'run', command: 'c', step: 'cp-1/r/s', node: 'cp-2', title: 't', danger: 'safe' }, { type: 'runInTerminal', step: 'cp-1/r/s', command: 'c' }],
      [{ action: 'runOnNode', command: 'c', step: 'cp-1/r/s' }, { type: 'runOnNode', step: 'cp-1/r/s', command: 'c' }],
      [{ action: 'cleanup', node: 'cp-1', context: 'prod', paths: '["/a"]' }, { type: 'cleanup', context: 'prod', node: 'cp-1', paths: ['/a'] }],
      [{ action: 'refresh' }, { type: 'refresh' }],
    ];
    for (const [data, expected] of cases) {
      const m = actionMessage(data, plan);
      assert.deepEqual(m, expected);
      assert.ok(isWebviewMessage(roundTrip(m)));
    }
    assert.equal(actionMessage({ action: 'cleanup', node: 'n', paths: 'not json' }, plan), undefined);
    assert.equal(actionMessage({ action: 'unknown' }, plan), undefined);
    assert.equal(actionMessage({ action: 'run', command: 'c' }, plan), undefined, 'a Run without a step id is not sent');
  });
  it('the host runs only commands the view offered', () => {
    assert.deepEqual([...offeredCommands(plan)], ['kubeadm upgrade apply v1.31.7']);
    const offered = offeredCommands(backups);
    assert.ok(offered.has('sudo kubeadm upgrade apply --force v1.31.1'));
    assert.ok(!offered.has('rm -rf /'));
  });
});
