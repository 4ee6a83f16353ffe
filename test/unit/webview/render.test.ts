// The webview's rendered HTML (string renderers, no browser) and the host page (CSP, nonce).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

import { parseListing } from '../../../src/core/backups/listing';
import { backupsViewModel } from '../../../src/core/backups/viewModel';
import { parsePlan } from '../../../src/core/plan';
import { planViewModel } from '../../../src/core/clusterPanel/build';
import { buildSnapshot } from '../../../src/core/snapshot/build';
import { pageHtml } from '../../../src/ui/webview/html';
import { renderView } from '../../../webview/render/view';
import { PAGE_CSS } from '../../../webview/styles';
import { rawDump } from '../helpers/dumps';

const fixture = (name: string) => readFileSync(resolve(process.cwd(), 'test/fixtures/kubeadm', name), 'utf8');
const F10 = fixture('F10_real_kubeadm-1.31.7_plan_per-node.txt');
const source = { origin: 'run' as const, context: 'prod', node: 'cp-1', label: null, at: null };
const tables = (html: string) => [...html.matchAll(/<vscode-table data-table="([a-z]+)"/g)].map((m) => m[1]);

describe('plan view HTML', () => {
  const html = renderView(planViewModel(parsePlan(F10), buildSnapshot(rawDump('healthy')), { source, raw: F10 }));

  it('has the header, the component, kubelet, config and skew tables', () => {
    assert.match(html, /<h1>Upgrade plan — prod<\/h1>/);
    assert.match(html, /kubeadm<\/span><span class="value">v1\.31\.7/);
    assert.match(html, /Current version<\/span><span class="value">v1\.31\.1/);
    assert.deepEqual(tables(html), ['components', 'kubelets', 'configs', 'skew']);
    assert.match(html, /<vscode-table-header slot="header">/);
    assert.match(html, /<vscode-table-row class="changed"><vscode-table-cell>kube-apiserver<\/vscode-table-cell><vscode-table-cell>master/);
    assert.match(html, /<vscode-table-row class="same"><vscode-table-cell>etcd<\/vscode-table-cell>/);
  });
  it('has the apply command with Copy and the "Upgrade control plane" button for its target and node', () => {
    assert.match(html, /<pre><code>kubeadm upgrade apply v1\.31\.7<\/code><\/pre>/);
    assert.match(html, /<vscode-button data-action="copy" data-text="kubeadm upgrade apply v1\.31\.7" secondary>Copy<\/vscode-button>/);
    assert.match(html, /<vscode-button data-action="upgrade" data-target="v1\.31\.7" data-node="cp-1" data-context="prod">Upgrade control plane to v1\.31\.7<\/vscode-button>/);
    assert.match(html, /update the kubeadm package first/);
  });
  it('has the raw output, collapsible, with copy', () => {
    assert.match(html, /<vscode-collapsible heading="Raw output" class="raw">/);
    assert.match(html, /data-action="copyRaw"/);
    assert.ok(html.includes('[upgrade/versions] Cluster version: 1.31.1'));
  });
  it('escapes everything from the output', () => {
    const evil = '<img src=x onerror=alert(1)>\n[upgrade/versions] Cluster version: v1.31.1';
    const h = renderView(planViewModel(parsePlan(evil), undefined, { source: { ...source, context: '<b>x</b>' }, raw: evil }));
    assert.ok(!h.includes('<img'));
    assert.ok(!h.includes('<b>x</b>'));
    assert.ok(h.includes('&lt;img src=x onerror=alert(1)&gt;'));
  });
  it('MANUAL UPGRADE REQUIRED is highlighted, with what to do', () => {
    const plan = { ...parsePlan(F10), configVersions: [{ group: 'kubeproxy.config.k8s.io', current: 'v1alpha1', preferred: 'v1alpha2', manualUpgradeRequired: true }] };
    const h = renderView(planViewModel(plan, undefined, { source, raw: F10 }));
    assert.match(h, /<vscode-table-row class="manual">.*<strong class="manual-flag">MANUAL UPGRADE REQUIRED<\/strong>/);
    assert.match(h, /rewrite the kube-proxy \(key config\.conf\) ConfigMap/);
  });
  it('"Up to date" and failures are clear states', () => {
    const up = renderView(planViewModel(parsePlan("[upgrade/versions] Cluster version: v1.31.7\n[upgrade/versions] kubeadm version: v1.31.7\nAwesome, you're up-to-date! Enjoy!\n"), undefined, { source, raw: '' }));
    assert.match(up, /data-state="upToDate"><h2>Up to date<\/h2>/);
    const failed = renderView(planViewModel(parsePlan('[preflight] Some fatal errors occurred:\n\t[ERROR IsPrivilegedUser]: user is not running as root\n'), undefined, { source, raw: '' }));
    assert.match(failed, /data-state="failed"/);
    assert.match(failed, /class="fix">Fix: /);
  });
});

describe('backups view HTML', () => {
  const T = '/etc/kubernetes/tmp';
  const M = `${T}/kubeadm-backup-manifests-2025-03-25-17-13-19`;
  const listing = parseListing([`#base ${T}`, `#entry 1 ${M}`, `4\t${M}/kube-apiserver.yaml`, `4\t${M}`, '#end'].join('\n'));
  const html = renderView(backupsViewModel('prod', [{ node: 'cp-1', listing, etcdExternal: false, currentVersion: 'v1.31.1', targetVersion: null, auditLog: null }]));

  it('shows the run with its date, files, the etcd note and the steps with Copy and Run in terminal', () => {
    assert.match(html, /heading="Upgrade run of 2025-03-25 17:13:19 \(node time\)"/);
    assert.match(html, /Manifests kubeadm replaced: kube-apiserver\./);
    assert.match(html, /No etcd backup: etcd was not upgraded in this run/);
    assert.match(html, /<pre><code>sudo kubeadm upgrade apply --force v1\.31\.1<\/code><\/pre>/);
    // The Run button carries the step's id and its command only: the host looks the rest up in the view it rendered.
    assert.match(html, /data-action="run" data-command="sudo cp -p -- \/etc\/kubernetes\/tmp\/kubeadm-backup-manifests-2025-03-25-17-13-19\/kube-apiserver\.yaml \/etc\/kubernetes\/manifests\/" data-step="cp-1\/2025-03-25T17:13:19\/restore-manifests" data-danger="restore" secondary/);
    assert.match(html, /What kubeadm rolls back by itself, and what it does not/);
  });
});

describe('host page', () => {
  const page = pageHtml({ scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js', cspSource: 'https://*.vscode-cdn.net', nonce: 'abc123+/=', title: 'Plan' });
  it('has a CSP that allows scripts only with the nonce', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)![1]!;
    assert.equal(csp, "default-src 'none'; style-src https://*.vscode-cdn.net; font-src https://*.vscode-cdn.net; img-src https://*.vscode-cdn.net data:; script-src 'nonce-abc123+/='");
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-abc123\+\/='(;|$)/);
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
  });
  it('every script carries the nonce; none is inline', () => {
    const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    for (const [, attrs, body] of scripts) {
      assert.match(attrs!, /nonce="abc123\+\/="/);
      assert.match(attrs!, /src="https:\/\/file\+\.vscode-resource/);
      assert.equal(body!.trim(), '');
    }
    assert.ok(!/\son[a-z]+=/.test(page), 'no inline event handlers');
  });
  it('rendered views carry no script, no inline handler and no style attribute (the CSP would block them)', () => {
    const html = renderView(planViewModel(parsePlan(F10), buildSnapshot(rawDump('mixed-skew')), { source, raw: F10 }));
    assert.ok(!/<script/i.test(html));
    assert.ok(!/\son[a-z]+=/i.test(html));
    assert.ok(!/\sstyle=/i.test(html));
  });
});

describe('page styles', () => {
  it('use theme colours only (light, dark and high contrast follow the theme)', () => {
    assert.ok(!/#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(/i.test(PAGE_CSS), 'no hard-coded colour');
    assert.match(PAGE_CSS, /var\(--vscode-foreground\)/);
    assert.match(PAGE_CSS, /body\.vscode-high-contrast/);
  });
});
