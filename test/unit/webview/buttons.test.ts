// Every button the renderers emit, read back from the HTML as the browser would (data-* → dataset), turns into a
// valid protocol message; every command it asks to run is one the host accepts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

import { parseListing } from '../../../src/core/backups/listing';
import { backupsViewModel } from '../../../src/core/backups/viewModel';
import { parsePlan } from '../../../src/core/plan';
import { planViewModel } from '../../../src/core/clusterPanel/build';
import { isWebviewMessage, offeredCommands, type ViewModel } from '../../../src/core/clusterPanel/protocol';
import { actionMessage } from '../../../webview/actions';
import { renderView } from '../../../webview/render/view';

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** data-foo-bar="x" → { fooBar: 'x' }, like HTMLElement.dataset. */
function datasets(html: string): Record<string, string>[] {
  return [...html.matchAll(/<vscode-button([^>]*)>/g)].map(([, attrs]) => {
    const data: Record<string, string> = {};
    for (const [, name, value] of attrs!.matchAll(/ data-([a-z-]+)="([^"]*)"/g)) data[name!.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = unescape(value!);
    return data;
  });
}

function check(view: ViewModel): number {
  const offered = offeredCommands(view);
  const all = datasets(renderView(view));
  for (const data of all) {
    const m = actionMessage(data, view);
    assert.ok(m, JSON.stringify(data));
    assert.ok(isWebviewMessage(JSON.parse(JSON.stringify(m))), JSON.stringify(m));
    if (m.type === 'runInTerminal' || m.type === 'runOnNode') assert.ok(offered.has(m.command), m.command);
  }
  return all.length;
}

describe('rendered buttons', () => {
  it('plan view (S00: two upgrades)', () => {
    const text = readFileSync(resolve(process.cwd(), 'test/fixtures/kubeadm/S00_seed-notebook_kubeadm-1.21.14_plan_count-format_tab-expanded.txt'), 'utf8');
    const n = check(planViewModel(parsePlan(text), undefined, { source: { origin: 'file', context: null, node: null, label: 'plan.txt', at: null }, raw: text }));
    assert.equal(n, 5, 'copy + upgrade per card, copy raw');
  });
  it("backups view, with a folder name that needs quoting", () => {
    const T = '/etc/kubernetes/tmp';
    const M = `${T}/kubeadm-backup-manifests-2025-03-25-17-13-19`;
    const E = `${T}/kubeadm-backup-etcd-2025-03-25-17-13-19`;
    const O = `${T}/kubeadm-backup-manifests-2024-03-25-17-13-19`;
    const listing = parseListing(
      [`#base ${T}`, `#entry 1 ${M}`, `4\t${M}/kube-apiserver.yaml`, `4\t${M}`, `#entry 1 ${E}`, `8\t${E}/etcd/member/snap/db`, `8\t${E}/etcd/member`, `8\t${E}`, `#d ${E}/etcd/member`, `#entry 1 ${O}`, `4\t${O}/a "b".yaml`, `4\t${O}`, '#end'].join('\n'),
    );
    const n = check(backupsViewModel('prod', [{ node: 'cp-1', listing, etcdExternal: false, currentVersion: 'v1.31.1', targetVersion: 'v1.31.7', auditLog: null }]));
    assert.ok(n > 20, `${n} buttons`);
  });
});
