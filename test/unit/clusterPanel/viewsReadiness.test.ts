// The plan view tells the truth before any click: guards run at build time, the target heads each card, kubeadm's
// version-lookup fallbacks are warnings, the header's kubeadm is the node's, and the view knows what it was made against.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePlan } from '../../../src/core/plan';
import { planViewModel } from '../../../src/core/clusterPanel/build';
import { versionsKey } from '../../../src/core/clusterPanel/readiness';
import type { PlanSource } from '../../../src/core/clusterPanel/model';
import { buildSnapshot } from '../../../src/core/snapshot/build';
import { renderPlan } from '../../../webview/render/plan';
import { rawDump } from '../helpers/dumps';
import { cluster, cp, worker } from '../helpers/snapshot';

// An air-gapped kubeadm v1.35.4 given --config with kubernetesVersion v1.36.3: its heading names the v1.35 series.
const AIRGAPPED = `[preflight] Running pre-flight checks.
[upgrade/config] Reading configuration from the cluster...
[upgrade] Fetching available versions to upgrade to
W1202 05:40:01.000000    1234 version.go:104] could not fetch a Kubernetes version from the internet: unable to get URL "https://dl.k8s.io/release/stable-1.txt": Get "https://dl.k8s.io/release/stable-1.txt": dial tcp: lookup dl.k8s.io: no such host
W1202 05:40:01.000100    1234 version.go:105] falling back to the local client version: v1.35.4
[upgrade/versions] Cluster version: 1.35.4
[upgrade/versions] kubeadm version: v1.36.3
[upgrade/versions] Target version: v1.36.3
[upgrade/versions] Latest version in the v1.35 series: v1.36.3

Components that must be upgraded manually after you have upgraded the control plane with 'kubeadm upgrade apply':
COMPONENT   NODE      CURRENT   TARGET
kubelet     cp-1      v1.35.4   v1.36.3
kubelet     w-old     v1.33.2   v1.36.3

Upgrade to the latest version in the v1.35 series:

COMPONENT                 NODE      CURRENT    TARGET
kube-apiserver            cp-1      v1.35.4    v1.36.3
kube-controller-manager   cp-1      v1.35.4    v1.36.3
kube-scheduler            cp-1      v1.35.4    v1.36.3
kube-proxy                          1.35.4     v1.36.3
CoreDNS                             v1.12.1    v1.12.1
etcd                      cp-1      3.6.8-0    3.6.8-0

You can now apply the upgrade by executing the following command:

	kubeadm upgrade apply v1.36.3

_____________________________________________________________________
`;

const run: PlanSource = { origin: 'run', context: 'prod', node: 'cp-1', label: 'ssh cp-1', at: '2026-12-02T05:40:02.000Z' };
// w-old's kubelet v1.33 is inside today's window (1.35 − 2) but would be 3 behind v1.36 ... at the edge: make it 1.32.
const snapshot = cluster([cp('cp-1', { apiserver: 'v1.35.4', kubelet: 'v1.35.4' }), worker('w-old', { kubelet: 'v1.32.9' })]);

test('the card is headed by the target from the table; kubeadm\'s own heading is the subtitle', () => {
  const m = planViewModel(parsePlan(AIRGAPPED), snapshot, { source: run, raw: AIRGAPPED, nodeKubeadmVersion: 'v1.35.4' });
  assert.equal(m.cards[0]!.heading, 'Upgrade to v1.36.3');
  assert.match(m.cards[0]!.description, /latest version in the v1\.35 series/);
  const html = renderPlan(m);
  assert.match(html, /<h3>Upgrade to v1\.36\.3<\/h3><p class="subtitle muted">kubeadm: “Upgrade to the latest version in the v1\.35 series/);
});

test('kubeadm\'s fallbacks (air-gapped) are warnings of their own', () => {
  const m = planViewModel(parsePlan(AIRGAPPED), snapshot, { source: run, raw: AIRGAPPED });
  assert.deepEqual(m.fetchWarnings.map((w) => w.slice(0, 50)), ['could not fetch a Kubernetes version from the inte', 'falling back to the local client version: v1.35.4']);
  assert.match(renderPlan(m), /class="diagnostics fetch-warnings"><h2>kubeadm could not look up versions online/);
});

test('the header\'s kubeadm is the node\'s, not the plan\'s target kubeadm', () => {
  const m = planViewModel(parsePlan(AIRGAPPED), snapshot, { source: run, raw: AIRGAPPED, nodeKubeadmVersion: 'v1.35.4' });
  assert.equal(m.header.kubeadmVersion, 'v1.35.4');
});

test('a refused upgrade: the button is disabled with the reason, and the unblocking upgrade is offered', () => {
  const m = planViewModel(parsePlan(AIRGAPPED), snapshot, { source: run, raw: AIRGAPPED });
  const block = m.cards[0]!.blocked!;
  assert.ok(block.reasons.some((r) => /w-old/.test(r) && /kubelet/.test(r)), block.reasons.join('\n'));
  assert.deepEqual(block.unblock, [{ node: 'w-old', target: 'v1.35.4', label: 'Upgrade w-old to v1.35.4 first' }]);
  const html = renderPlan(m);
  assert.match(html, /<vscode-button disabled data-blocked="true">Upgrade control plane to v1\.36\.3<\/vscode-button><div class="blocked note error"><strong>Not yet:<\/strong>/);
  assert.match(html, /<vscode-button data-action="upgrade" data-target="v1\.35\.4" data-node="w-old" data-context="prod">Upgrade w-old to v1\.35\.4 first<\/vscode-button>/);
});

test('an upgrade the guards allow keeps its primary button', () => {
  const ok = cluster([cp('cp-1', { apiserver: 'v1.35.4', kubelet: 'v1.35.4' }), worker('w-old', { kubelet: 'v1.35.4' })]);
  const m = planViewModel(parsePlan(AIRGAPPED), ok, { source: run, raw: AIRGAPPED });
  assert.equal(m.cards[0]!.blocked, null);
  assert.match(renderPlan(m), /<vscode-button data-action="upgrade" data-target="v1\.36\.3" data-node="cp-1" data-context="prod">Upgrade control plane to v1\.36\.3<\/vscode-button>/);
});

test('when it was made, the versions it was made against, and the stale banner with Re-run', () => {
  const healthy = buildSnapshot(rawDump('healthy'));
  const m = planViewModel(parsePlan(AIRGAPPED), healthy, { source: run, raw: AIRGAPPED });
  assert.equal(m.versions, versionsKey(healthy));
  assert.notEqual(versionsKey(buildSnapshot(rawDump('mid-upgrade'))), m.versions);
  assert.match(renderPlan(m), /made <time datetime="2026-12-02T05:40:02.000Z">2026-12-02 05:40 UTC<\/time>/);
  assert.doesNotMatch(renderPlan(m), /data-stale/);
  const stale = renderPlan({ ...m, stale: true });
  assert.match(stale, /<section class="banner warning stale" data-stale="true"><h2>Stale<\/h2>/);
  assert.match(stale, /data-action="refresh"[^>]*>Re-run plan</);
});

test('"What to do" and "Why" cells wrap', () => {
  const m = planViewModel(parsePlan(AIRGAPPED), snapshot, { source: run, raw: AIRGAPPED });
  assert.match(renderPlan(m), /<vscode-table-cell class="wrap">upgrade BEFORE the control plane<\/vscode-table-cell><vscode-table-cell class="wrap">kubelet v1\.32\.9/);
});
