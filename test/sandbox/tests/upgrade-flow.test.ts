// The node-side simulation end to end, the way the extension will drive it over SSH:
// switch the repo, install kubeadm, `kubeadm upgrade apply` (the real apiserver changes
// version), upgrade and restart a kubelet (NotReady blip, new kubeletVersion), faults,
// and a clean teardown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { useSandbox, waitFor } from '../../integration/sandbox';

const sb = useSandbox('apt');

const serverVersion = () => JSON.parse(sb.kubectl('version', '-o', 'json')).serverVersion.gitVersion as string;
const nodeInfo = (n: string) => JSON.parse(sb.kubectl('get', 'node', n, '-o', 'json')).status;
const ok = (node: string, cmd: string) => { const r = sb.ssh(node, cmd); assert.equal(r.code, 0, `${cmd}\n${r.stdout}\n${r.stderr}`); return r.stdout; };

test('held kubeadm refuses to change; the per-minor repo limits versions', () => {
  const r = sb.ssh('cp-1', 'sudo apt-get install -y kubeadm=1.36.3-1.1');
  assert.equal(r.code, 100);
  assert.match(r.stderr, /not found|Held packages/);
  assert.doesNotMatch(ok('cp-1', 'apt-cache madison kubeadm'), /1\.36\./);
});

test('kubeadm upgrade apply refuses a target above the installed kubeadm', () => {
  const r = sb.ssh('cp-1', 'sudo kubeadm upgrade apply v1.36.3 -y');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /at least one minor release higher than the kubeadm minor release/);
});

test('apply upgrades the control plane and restarts the real apiserver on the new binary', async () => {
  const before = serverVersion();
  ok('cp-1', 'sudo sed -i "s/v1\\.35/v1.36/" /etc/apt/sources.list.d/kubernetes.list && sudo apt-mark unhold kubeadm && sudo apt-get install -y kubeadm=1.36.3-1.1');
  assert.equal(ok('cp-1', 'kubeadm version -o short').trim(), 'v1.36.3');
  const out = ok('cp-1', 'sudo kubeadm upgrade apply v1.36.3 -y');
  assert.match(out, /\[upgrade\] SUCCESS! A control plane node of your cluster was upgraded to "v1.36.3"/);
  const backup = /backing up old manifest to "(\/etc\/kubernetes\/tmp\/kubeadm-backup-manifests-\d{4}(-\d\d){5})\/kube-apiserver.yaml"/.exec(out);
  assert.ok(backup, out);
  assert.match(ok('cp-1', `ls ${backup[1]}`), /kube-apiserver\.yaml/);
  assert.match(ok('cp-1', 'ls -d /etc/kubernetes/tmp/kubeadm-backup-etcd-*/etcd/member'), /member/);
  assert.notEqual(before, 'v1.36.3');
  assert.equal(serverVersion(), 'v1.36.3');
  const pod = JSON.parse(sb.kubectl('get', 'pod', '-n', 'kube-system', 'kube-apiserver-cp-1', '-o', 'json'));
  assert.equal(pod.spec.containers[0].image, 'registry.k8s.io/kube-apiserver:v1.36.3');
  assert.match(sb.kubectl('get', 'cm', '-n', 'kube-system', 'kubeadm-config', '-o', 'yaml'), /kubernetesVersion: v1.36.3/);
});

test('kubelet upgrade + restart: NotReady blip, then the new kubeletVersion', async () => {
  // worker-2: worker-1 is this scenario's password node (its sudo needs a terminal).
  ok('worker-2', 'sudo sed -i "s/v1\\.35/v1.36/" /etc/apt/sources.list.d/kubernetes.list && sudo apt-mark unhold kubelet && sudo apt-get install -y kubelet=1.36.3-1.1');
  assert.equal(nodeInfo('worker-2').nodeInfo.kubeletVersion, 'v1.35.4', 'no change before the restart');
  ok('worker-2', 'sudo systemctl daemon-reload && sudo systemctl restart kubelet');
  const ready = () => nodeInfo('worker-2').conditions.find((c: { type: string }) => c.type === 'Ready').status;
  assert.equal(ready(), 'False');
  await waitFor('worker-2 Ready', () => (ready() === 'True' ? true : undefined), 30_000);
  assert.equal(nodeInfo('worker-2').nodeInfo.kubeletVersion, 'v1.36.3');
});

test('faults: fail and drop', async () => {
  // cp-1 runs kubeadm 1.36 after the apply test, so a fault-free `upgrade node` succeeds there.
  sb.setFault('cp-1', 'kubeadm_upgrade_node', 'fail');
  const f = sb.ssh('cp-1', 'sudo kubeadm upgrade node');
  assert.equal(f.code, 1);
  assert.match(f.stderr, /FATAL/);
  const tmp = path.join(path.dirname(sb.kubeconfig), 'nodes', 'cp-1', 'root', 'etc', 'kubernetes', 'tmp');
  const made = (prefix: string) => fs.readdirSync(tmp).filter((d) => d.startsWith(prefix)).sort();
  const backups = made('kubeadm-backup-manifests-').length;
  const kubeletConfigs = made('kubeadm-kubelet-config').length;
  sb.setFault('cp-1', 'kubeadm_upgrade_node', 'drop');
  const d = sb.ssh('cp-1', 'echo before; sudo kubeadm upgrade node; echo after');
  assert.equal(d.code, 255, 'ssh reports the dropped connection');
  assert.doesNotMatch(d.stdout, /after/);
  // A drop is not a kill: the command carries on on the node and finishes (its backup, then its kubelet config copy).
  await waitFor('the dropped `kubeadm upgrade node` to finish on the node', () => made('kubeadm-backup-manifests-').length === backups + 1 && made('kubeadm-kubelet-config').length === kubeletConfigs + 1);
  // kubeadm names backup folders by the second: the next run starts in a later second than the one that finished.
  const stamp = made('kubeadm-backup-manifests-').pop()!.replace('kubeadm-backup-manifests-', '');
  await waitFor('a later second', () => !sb.ssh('cp-1', 'date +%Y-%m-%d-%H-%M-%S').stdout.includes(stamp));
  sb.setFault('cp-1', 'kubeadm_upgrade_node', '');
  assert.match(ok('cp-1', 'sudo kubeadm upgrade node'), /successfully updated/);
});

test('down leaves no listener behind', async () => {
  const ports = sb.ports;
  await sb.down();
  for (const port of ports) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    assert.equal(open, false, `port ${port} still listening`);
  }
});
