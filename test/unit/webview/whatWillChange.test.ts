// The plan view's "What will change" (string renderer, no browser): per control plane the manifest changes and the
// hand edits lost, from REAL kubeadm diffs (test/fixtures/kubeadm/diff), and "could not run" with the reason and the fix.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { buildUpgradeDiff } from '../../../src/core/manifestDiff/upgradeDiff';
import { parsePlan } from '../../../src/core/plan';
import { planViewModel } from '../../../src/core/clusterPanel/build';
import { isViewModel } from '../../../src/core/clusterPanel/protocol';
import { renderView } from '../../../webview/render/view';
import { renderWhatWillChange } from '../../../webview/render/whatWillChange';

const DIR = resolve(process.cwd(), 'test/fixtures/kubeadm/diff');
const sample = (prefix: string) => readFileSync(resolve(DIR, readdirSync(DIR).find((f) => f.startsWith(prefix))!), 'utf8');
const diff = buildUpgradeDiff({ node: 'cp-1', current: 'v1.35.4', target: 'v1.36.3', targetOutput: sample('D03_'), currentOutput: sample('D02_') });
const section = {
  target: 'v1.36.3',
  running: false,
  patchesDir: null,
  nodes: [
    { kind: 'diff' as const, node: 'cp-1', diff },
    { kind: 'notRun' as const, node: 'cp-2', reason: 'cannot run commands on cp-2: no SSH host', fix: 'Map it in `kubeadm.ssh.hosts`.' },
  ],
};

describe('What will change', () => {
  const html = renderWhatWillChange(section);
  it('per control plane: the image, flags and volumes per manifest, and the hand edits that will be lost', () => {
    assert.match(html, /<h2>What will change<\/h2>/);
    assert.match(html, /<div class="wwc-node" data-node="cp-1" data-state="diff"><h3>cp-1 <span class="muted">v1\.35\.4 → v1\.36\.3<\/span>/);
    assert.match(html, /<vscode-table-cell>image<\/vscode-table-cell><vscode-table-cell class="wrap">sandbox\.local\/k8s\/kube-apiserver:v1\.35\.4<\/vscode-table-cell><vscode-table-cell class="wrap">sandbox\.local\/k8s\/kube-apiserver:v1\.36\.3</);
    assert.match(html, /flag removed<\/vscode-table-cell><vscode-table-cell class="wrap">--event-ttl=2h0m0s</);
    assert.match(html, /volume removed/);
    assert.match(html, new RegExp(`data-lost="${diff.lost.length}"><strong>Will be lost: ${diff.lost.length} hand edit\\(s\\)`));
    assert.match(html, /<vscode-table-cell class="wrap">--event-ttl=2h0m0s<\/vscode-table-cell><vscode-table-cell class="wrap">\(removed\)/);
  });
  it('a node where it could not run says why and what to do', () => {
    assert.match(html, /data-node="cp-2" data-state="notRun"><h3>cp-2<\/h3><div class="note warning"><strong>Could not run:<\/strong> cannot run commands on cp-2: no SSH host<div class="fix">What to do: Map it in <code>kubeadm\.ssh\.hosts<\/code>\.<\/div>/);
  });
  it('while the diffs run: said so; nothing lost: said so; absent: nothing', () => {
    assert.match(renderWhatWillChange({ ...section, running: true, nodes: [] }), /data-running="true".*Running kubeadm upgrade diff on the control planes/);
    const clean = buildUpgradeDiff({ node: 'cp-1', current: 'v1.35.4', target: 'v1.36.3', targetOutput: sample('D03_'), currentOutput: '' });
    assert.match(renderWhatWillChange({ ...section, nodes: [{ kind: 'diff', node: 'cp-1', diff: clean }] }), /data-lost="0">Will be lost: nothing/);
    assert.equal(renderWhatWillChange(undefined), '');
  });
  it('in the plan view, after the upgrade cards; the model with it is still a valid view', () => {
    const F10 = readFileSync(resolve(process.cwd(), 'test/fixtures/kubeadm/F10_real_kubeadm-1.31.7_plan_per-node.txt'), 'utf8');
    const view = { ...planViewModel(parsePlan(F10), undefined, { source: { origin: 'run' as const, context: 'prod', node: 'cp-1', label: null, at: null }, raw: F10 }), whatWillChange: section };
    assert.ok(isViewModel(JSON.parse(JSON.stringify(view))));
    const page = renderView(view);
    assert.ok(page.indexOf('<section class="what-will-change"') > page.lastIndexOf('<section class="card"'));
  });
});
