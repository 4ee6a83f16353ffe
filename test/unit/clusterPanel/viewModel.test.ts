// View model: a parsed plan (+ a cluster snapshot) → the rows the webview shows. Pure, no VS Code.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

import { parsePlan, type ParsedPlan } from '../../../src/core/plan';
import { planViewModel } from '../../../src/core/clusterPanel/build';
import type { PlanSource } from '../../../src/core/clusterPanel/model';
import { buildSnapshot } from '../../../src/core/snapshot/build';
import { rawDump } from '../helpers/dumps';
import { cluster, cp, worker } from '../helpers/snapshot';

const FIXTURES = resolve(process.cwd(), 'test/fixtures/kubeadm');
// Every plan output among the fixtures (apply/node/drain logs and the README are not plans).
const PLAN_FIXTURES = readdirSync(FIXTURES).filter((f) => /^(F0\d|F10|S00)_/.test(f));

const run = (node = 'cp-1'): PlanSource => ({ origin: 'run', context: 'prod', node, label: null, at: null });
const pasted: PlanSource = { origin: 'paste', context: null, node: null, label: 'the clipboard', at: null };
const read = (name: string) => readFileSync(resolve(FIXTURES, name), 'utf8');
const healthy = buildSnapshot(rawDump('healthy'));

describe('planViewModel over every plan fixture', () => {
  it('covers the plan fixtures', () => assert.ok(PLAN_FIXTURES.length >= 8, PLAN_FIXTURES.join(',')));
  for (const name of PLAN_FIXTURES) {
    it(name, () => {
      const text = read(name);
      const plan = parsePlan(text);
      const m = planViewModel(plan, healthy, { source: run(), raw: text });
      assert.equal(m.kind, 'plan');
      assert.equal(m.raw, text);
      assert.equal(m.state, 'upgrades');
      assert.equal(m.cards.length, plan.availableUpgrades.length);
      assert.deepEqual(m.header.targets, plan.availableUpgrades.map((u) => u.targetVersion));
      m.cards.forEach((card, i) => {
        const u = plan.availableUpgrades[i]!;
        assert.equal(card.applyCommand, u.applyCommand);
        assert.equal(card.components.length + card.kubelets.length, u.components.length);
        assert.ok(card.kubelets.every((r) => r.name === 'kubelet'));
        assert.ok(card.components.every((r) => r.name !== 'kubelet'));
        for (const r of [...card.components, ...card.kubelets]) {
          assert.equal(r.changed, r.current.replace(/^v/, '') !== r.target.replace(/^v/, ''), `${r.name} ${r.current} → ${r.target}`);
          if (r.count !== null) assert.equal(r.where, `${r.count} x`);
        }
        assert.equal(card.upgradeNode, 'cp-1');
      });
      assert.equal(m.configRows.length, plan.configVersions.length);
      assert.ok(m.skew, 'a snapshot gives skew impact');
      assert.equal(m.skew.length, m.header.targets.length);
      for (const s of m.skew) assert.equal(s.nodes.length, healthy.nodes.length);
      // The model crosses the webview boundary: plain JSON.
      assert.deepEqual(JSON.parse(JSON.stringify(m)), m);
    });
  }
});

describe('planViewModel details', () => {
  it('F10: per-node kubelets, kube-proxy 1.31.1 → v1.31.7 changed, CoreDNS and etcd unchanged', () => {
    const text = read('F10_real_kubeadm-1.31.7_plan_per-node.txt');
    const m = planViewModel(parsePlan(text), undefined, { source: run('master'), raw: text });
    assert.deepEqual(m.header, { cluster: 'prod', kubeadmVersion: 'v1.31.7', currentVersion: 'v1.31.1', targets: ['v1.31.7'] });
    const card = m.cards[0]!;
    assert.deepEqual(card.kubelets.map((r) => [r.where, r.current, r.target, r.changed]), [
      ['master', 'v1.31.1', 'v1.31.7', true],
      ['worker', 'v1.31.1', 'v1.31.7', true],
    ]);
    const byName = Object.fromEntries(card.components.map((r) => [r.name, r.changed]));
    assert.deepEqual(byName, { 'kube-apiserver': true, 'kube-controller-manager': true, 'kube-scheduler': true, 'kube-proxy': true, CoreDNS: false, etcd: false });
    assert.equal(card.changedCount, 6);
    assert.equal(card.applyCommand, 'kubeadm upgrade apply v1.31.7');
    assert.equal(card.note, null);
    assert.equal(m.skew, null, 'no snapshot, no skew impact');
    assert.deepEqual(m.configRows.map((r) => [r.group, r.manualUpgradeRequired, r.advice]), [
      ['kubeproxy.config.k8s.io', false, ''],
      ['kubelet.config.k8s.io', false, ''],
    ]);
  });

  it('S00: the count format gives "5 x" kubelet rows and two cards', () => {
    const text = read('S00_seed-notebook_kubeadm-1.21.14_plan_count-format_tab-expanded.txt');
    const m = planViewModel(parsePlan(text), undefined, { source: pasted, raw: text });
    assert.equal(m.cards.length, 2);
    assert.equal(m.cards[0]!.kubelets[0]!.where, '5 x');
    assert.equal(m.cards[0]!.upgradeNode, null, 'a pasted plan names no node');
  });

  it('keeps kubeadm\'s note, and adds one when kubeadm is older than the target', () => {
    const f01 = read('F01_k8s-plan_test_v1alpha3_patch.txt');
    const m = planViewModel(parsePlan(f01), undefined, { source: pasted, raw: f01 });
    assert.match(m.cards[0]!.note ?? '', /update kubeadm/);
    const plan: ParsedPlan = { ...parsePlan(read('F10_real_kubeadm-1.31.7_plan_per-node.txt')), kubeadmVersion: 'v1.31.1' };
    const m2 = planViewModel(plan, undefined, { source: pasted, raw: '' });
    assert.equal(m2.cards[0]!.note, 'Before you can perform this upgrade, you have to update kubeadm to v1.31.7.');
  });

  it('"up to date" is a state with a sentence, not an empty page', () => {
    const text = ['[upgrade/versions] Cluster version: v1.31.7', '[upgrade/versions] kubeadm version: v1.31.7', '', "Awesome, you're up-to-date! Enjoy!"].join('\n');
    const m = planViewModel(parsePlan(text), healthy, { source: run(), raw: text });
    assert.equal(m.state, 'upToDate');
    assert.match(m.stateText, /^Up to date\. The cluster runs v1\.31\.7 and kubeadm v1\.31\.7 offers no newer version/);
    assert.deepEqual(m.cards, []);
    const empty = planViewModel(parsePlan(''), undefined, { source: run(), raw: '' });
    assert.equal(empty.state, 'upToDate');
    assert.match(empty.stateText, /nothing to upgrade/);
  });

  it('a failed plan shows its diagnostics with their fix', () => {
    const text = ['[preflight] Running pre-flight checks.', '[preflight] Some fatal errors occurred:', '\t[ERROR IsPrivilegedUser]: user is not running as root', ''].join('\n');
    const m = planViewModel(parsePlan(text), undefined, { source: run(), raw: text });
    assert.equal(m.state, 'failed');
    assert.ok(m.diagnostics.length > 0);
    assert.ok(m.diagnostics.every((d) => d.fix.length > 0));
    assert.match(m.stateText, /reported an error/);
  });

  it('unknown input is "unknown", with the lines kept', () => {
    const m = planViewModel(parsePlan('hello\nworld'), undefined, { source: pasted, raw: 'hello\nworld' });
    assert.equal(m.state, 'unknown');
    assert.deepEqual(m.unparsed, ['hello', 'world']);
  });

  it('MANUAL UPGRADE REQUIRED rows get advice naming the preferred version', () => {
    const plan: ParsedPlan = {
      ...parsePlan(read('F10_real_kubeadm-1.31.7_plan_per-node.txt')),
      configVersions: [{ group: 'kubeproxy.config.k8s.io', current: 'v1alpha1', preferred: 'v1alpha2', manualUpgradeRequired: true }],
    };
    const row = planViewModel(plan, undefined, { source: pasted, raw: '' }).configRows[0]!;
    assert.equal(row.manualUpgradeRequired, true);
    assert.match(row.advice, /kubeproxy\.config\.k8s\.io\/v1alpha2/);
    assert.match(row.advice, /kube-proxy/);
  });
});

describe('skew impact of a target', () => {
  const text = read('F10_real_kubeadm-1.31.7_plan_per-node.txt');
  const plan: ParsedPlan = { ...parsePlan(text) };
  const withTarget = (t: string): ParsedPlan => ({ ...plan, availableUpgrades: [{ ...plan.availableUpgrades[0]!, targetVersion: t }] });

  it('mixed-skew dump to v1.32.0: kubelets too far behind must be upgraded first', () => {
    const snapshot = buildSnapshot(rawDump('mixed-skew'));
    const s = planViewModel(withTarget('v1.32.0'), snapshot, { source: run(), raw: text }).skew![0]!;
    const action = Object.fromEntries(s.nodes.map((n) => [n.node, n.action]));
    assert.equal(action['worker-edge'], 'before', 'v1.28 would be 4 minors behind v1.32');
    assert.equal(action['worker-old'], 'before', 'v1.27 is already unsupported');
    assert.equal(action['cp-1'], 'after');
    assert.deepEqual([...s.mustUpgradeFirst].sort(), ['worker-edge', 'worker-old']);
  });

  it('hand-made snapshot: current, after and before', () => {
    const snap = cluster(
      [cp('cp1', { apiserver: 'v1.31.2', kubelet: 'v1.31.2', kubeadm: 'v1.31.2' }), worker('w-new', { kubelet: 'v1.32.0' }), worker('w-old', { kubelet: 'v1.28.5' })],
      'v1.31.2',
    );
    const s = planViewModel(withTarget('v1.32.0'), snap, { source: run('cp1'), raw: '' }).skew![0]!;
    assert.deepEqual(s.nodes.map((n) => [n.node, n.action]), [['cp1', 'after'], ['w-new', 'current'], ['w-old', 'before']]);
    assert.ok(s.findings.some((f) => f.rule === 'upgrade-needs-newer-kubeadm' && f.node === 'cp1'));
    assert.ok(s.nodes.find((n) => n.node === 'w-old')!.messages.length > 0);
  });
});
