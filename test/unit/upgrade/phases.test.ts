import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_OPTIONS, dryRunScript, phasesFor, type UpgradeContext } from '../../../src/core/upgrade/phases';
import { parseVersion } from '../../../src/core/version';

const ctx = (over: Partial<UpgradeContext> = {}): UpgradeContext => ({
  cluster: 'prod',
  node: 'cp-1',
  role: 'first-control-plane',
  target: parseVersion('v1.32.3')!,
  packageManager: 'apt',
  packageVersion: '1.32.3-1.1',
  stamp: '20261122T0900Z',
  options: DEFAULT_OPTIONS,
  ...over,
});

test('first control plane: kubeadm → version → plan → images (pre-pull, the default) → apply → drain → kubelet/kubectl → restart → wait → uncordon', () => {
  assert.deepEqual(phasesFor(ctx()).map((p) => p.id), ['check-packages', 'install-kubeadm', 'verify-kubeadm', 'plan', 'prepull-images', 'kubeadm-upgrade', 'drain', 'install-kubelet', 'restart-kubelet', 'wait-ready', 'uncordon']);
  // Pre-pull off (kubeadm.upgrade.prepullImages false / --no-pre-pull), and a run saved before it was the default: no step.
  for (const options of [{ ...DEFAULT_OPTIONS, prepullImages: false }, (({ prepullImages: _, ...o }) => o)(DEFAULT_OPTIONS)]) {
    assert.equal(phasesFor(ctx({ options })).some((p) => p.id === 'prepull-images'), false);
  }
  const apply = phasesFor(ctx()).find((p) => p.id === 'kubeadm-upgrade')!;
  assert.equal(apply.script, 'kubeadm upgrade apply v1.32.3 --yes');
  assert.equal(apply.confirm, 'apply');
});

test('other control planes and workers: kubeadm upgrade node, no plan, no apply', () => {
  for (const role of ['control-plane', 'worker'] as const) {
    const phases = phasesFor(ctx({ role, node: 'w-1' })).filter((p) => p.id !== 'prepull-images');
    assert.deepEqual(phases.map((p) => p.id), ['check-packages', 'install-kubeadm', 'verify-kubeadm', 'kubeadm-upgrade', 'drain', 'install-kubelet', 'restart-kubelet', 'wait-ready', 'uncordon']);
    assert.equal(phases[3]!.script, 'kubeadm upgrade node');
    assert.equal(phases[3]!.confirm, undefined);
  }
  // The target's images before the control plane goes down; a worker runs no static Pod of them.
  assert.deepEqual(phasesFor(ctx({ role: 'control-plane', node: 'cp-2' })).map((p) => p.id).slice(3, 5), ['prepull-images', 'kubeadm-upgrade']);
  assert.equal(phasesFor(ctx({ role: 'worker', node: 'w-1' })).some((p) => p.id === 'prepull-images'), false);
});

test('options: certificate renewal and etcd upgrade off, the etcd-stall workaround, repo switch first', () => {
  const change = { from: { major: 1, minor: 31 }, to: { major: 1, minor: 32 }, files: ['/etc/apt/sources.list.d/kubernetes.list'], diff: [{ file: '/etc/apt/sources.list.d/kubernetes.list', line: 1, before: 'deb https://pkgs.k8s.io/core:/stable:/v1.31/deb/ /', after: 'deb https://pkgs.k8s.io/core:/stable:/v1.32/deb/ /' }] };
  const phases = phasesFor(ctx({ repoChange: change, options: { ...DEFAULT_OPTIONS, renewCertificates: false, upgradeEtcd: false, stopApiserverFirst: true } }));
  assert.deepEqual(phases.slice(0, 7).map((p) => p.id), ['switch-repo', 'check-packages', 'install-kubeadm', 'verify-kubeadm', 'plan', 'prepull-images', 'stop-apiserver']);
  assert.equal(phases[0]!.confirm, 'repo');
  assert.equal(phases.find((p) => p.id === 'stop-apiserver')!.script, 'killall -s SIGTERM kube-apiserver; sleep 20');
  assert.equal(phases.find((p) => p.id === 'kubeadm-upgrade')!.script, 'kubeadm upgrade apply v1.32.3 --yes --certificate-renewal=false --etcd-upgrade=false');
  // workers never stop an apiserver
  assert.equal(phasesFor(ctx({ role: 'worker', options: { ...DEFAULT_OPTIONS, stopApiserverFirst: true } })).some((p) => p.id === 'stop-apiserver'), false);
});

test('the docs\' package glob is accepted and quoted', () => {
  const phases = phasesFor(ctx({ packageVersion: '1.32.3-*', role: 'worker' }));
  assert.equal(phases.find((p) => p.id === 'install-kubeadm')!.script, "apt-mark unhold kubeadm && apt-get update && apt-get install -y 'kubeadm=1.32.3-*' && apt-mark hold kubeadm");
  // The index is refreshed first (a patch published since the last refresh is listed); a failed refresh still lists.
  assert.equal(phases[0]!.script, "apt-get update -q >/dev/null 2>&1 || echo 'warning: apt-get update -q failed: listing the cached index' >&2; apt-cache madison kubeadm");
  assert.equal(phases[0]!.action.kind === 'node' && phases[0]!.action.sudo, true);
});

test('yum: no holds, excludes lifted per command', () => {
  const phases = phasesFor(ctx({ packageManager: 'yum', packageVersion: '1.32.3-150500.1.1', role: 'worker' }));
  assert.equal(phases.find((p) => p.id === 'install-kubelet')!.script, 'yum install -y kubelet-1.32.3-150500.1.1 kubectl-1.32.3-150500.1.1 --disableexcludes=kubernetes');
});

test('dry run prints the whole per-node script with the drain as kubectl would run it', () => {
  const script = dryRunScript(ctx({ node: 'worker-1', role: 'worker' }));
  assert.match(script, /^# kubeadm-upgrade: worker-1 \(worker\) in prod → v1\.32\.3/);
  assert.match(script, /# 5\. Drain worker-1 \[confirm\]\nkubectl drain worker-1 --ignore-daemonsets --timeout=300s/);
  assert.match(script, /# 9\. Uncordon worker-1\nkubectl uncordon worker-1/);
  assert.match(script, /systemctl daemon-reload && systemctl restart kubelet/);
});

test('#26: --patches DIR on control planes\' apply and node; the target\'s images brought in before them (pull, or an archive); workers neither', () => {
  const options = { ...DEFAULT_OPTIONS, patchesDir: '/etc/kubernetes/patches', prepullImages: true };
  const first = phasesFor(ctx({ options }));
  assert.deepEqual(first.map((p) => p.id).slice(3, 6), ['plan', 'prepull-images', 'kubeadm-upgrade']);
  assert.equal(first.find((p) => p.id === 'kubeadm-upgrade')!.script, '# --patches /etc/kubernetes/patches: named by the setting kubeadm.upgrade.patchesDir / --patches\nkubeadm upgrade apply v1.32.3 --yes --patches /etc/kubernetes/patches');
  assert.equal((first.find((p) => p.id === 'kubeadm-upgrade')!.action as { command: string }).command, 'kubeadm upgrade apply v1.32.3 --yes --patches /etc/kubernetes/patches');
  const pull = first.find((p) => p.id === 'prepull-images')!;
  assert.match(pull.script, /kubeadm config images pull --kubernetes-version v1\.32\.3 \$\{repo:\+--image-repository "\$repo"\}/);
  assert.match(pull.script, /crictl inspecti "\$i"/);
  // Looked up first: nothing is pulled when every image is there (an air-gapped node that holds them must not fail).
  assert.match(pull.script, /if \[ -z "\$missing" \]; then echo "all images of v1\.32\.3 are on \$\(hostname\) already: nothing to pull"; else .*kubeadm config images pull/);
  assert.ok(pull.script.indexOf('crictl inspecti') < pull.script.indexOf('kubeadm config images pull'));
  const other = phasesFor(ctx({ role: 'control-plane', node: 'cp-2', options: { ...options, imagesArchive: '/root/k8s images.tar' } }));
  assert.match(other.find((p) => p.id === 'kubeadm-upgrade')!.script, /\nkubeadm upgrade node --patches \/etc\/kubernetes\/patches$/);
  assert.match(other.find((p) => p.id === 'prepull-images')!.script, /ctr -n k8s\.io images import '\/root\/k8s images\.tar' && \{/);
  const worker = phasesFor(ctx({ role: 'worker', node: 'w-1', options }));
  assert.equal(worker.some((p) => p.id === 'prepull-images'), false);
  assert.equal(worker.find((p) => p.id === 'kubeadm-upgrade')!.script, 'kubeadm upgrade node');
});

test('control planes: the kubelet restart stops kube-apiserver gracefully first (a new-minor kubelet kills the old static pods with 1 s grace); workers: the plain restart', () => {
  const restart = (role: 'first-control-plane' | 'control-plane' | 'worker') => phasesFor(ctx({ role })).find((p) => p.id === 'restart-kubelet')!.script;
  assert.equal(restart('worker'), 'systemctl daemon-reload && systemctl restart kubelet');
  for (const role of ['first-control-plane', 'control-plane'] as const) {
    const s = restart(role);
    // Stop the kubelet (it would restart the container), stop the apiserver (its shutdown delay + 10 s, at most its
    // pod's 30 s grace period), start the kubelet whatever the stop did.
    assert.ok(s.indexOf('systemctl stop kubelet') < s.indexOf('crictl stop --timeout "$t"'), s);
    assert.ok(s.indexOf('crictl stop --timeout "$t"') < s.indexOf('; systemctl restart kubelet; }'), s);
    assert.match(s, /--shutdown-delay-duration=.*t=\$\(\( \$\{d:-0\} \+ 10 \)\); \[ "\$t" -le 30 \] \|\| t=30;/);
    assert.match(s, /crictl ps -q --state running --name '\^kube-apiserver\$'/);
  }
});
