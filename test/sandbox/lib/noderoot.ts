// The node root folder: what a kubeadm node keeps on disk (/etc/kubernetes, /var/lib/etcd,
// the package repo file) plus the sandbox's record of installed packages and faults.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { NodeSpec } from './scenario';
import { CONTROL_PLANE_COMPONENTS, machineIdOf, staticPod } from './node-objects';
import { minorOf, pkgVersion } from './versions';

export function nodeRoot(dir: string, node: string): string {
  return path.join(dir, 'nodes', node, 'root');
}

export function repoLine(pm: 'apt' | 'yum', minor: number): { file: string; text: string } {
  if (pm === 'apt') {
    return {
      file: 'etc/apt/sources.list.d/kubernetes.list',
      text: `deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.${minor}/deb/ /\n`,
    };
  }
  return {
    file: 'etc/yum.repos.d/kubernetes.repo',
    text: `[kubernetes]\nname=Kubernetes\nbaseurl=https://pkgs.k8s.io/core:/stable:/v1.${minor}/rpm/\nenabled=1\ngpgcheck=1\ngpgkey=https://pkgs.k8s.io/core:/stable:/v1.${minor}/rpm/repodata/repomd.xml.key\nexclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n`,
  };
}

export function writeNodeRoot(dir: string, n: NodeSpec, index: number, kubeconfigText: string): string {
  const root = nodeRoot(dir, n.name);
  const w = (rel: string, text: string, mode = 0o644) => {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text, { mode });
  };
  for (const d of ['etc/kubernetes/manifests', 'etc/kubernetes/tmp', 'etc/kubernetes/pki', 'var/lib/sandbox', 'var/lib/kubelet']) {
    fs.mkdirSync(path.join(root, d), { recursive: true });
  }
  const cp = n.role === 'control-plane';
  if (cp) {
    w('etc/kubernetes/admin.conf', kubeconfigText, 0o600);
    w('etc/kubernetes/super-admin.conf', kubeconfigText, 0o600);
    for (const c of CONTROL_PLANE_COMPONENTS) w(`etc/kubernetes/manifests/${c}.yaml`, stringify(staticPod(n, index, c)));
    // A small but real-looking etcd data dir, so the etcd backup kubeadm makes has content.
    w('var/lib/etcd/member/snap/db', `sandbox etcd db for ${n.name}\n`, 0o600);
    w('var/lib/etcd/member/wal/0000000000000000-0000000000000000.wal', 'sandbox wal\n', 0o600);
  }
  w('var/lib/kubelet/config.yaml', 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\n');
  // The per-minor repo follows the installed kubeadm (kubeadm docs: switch the repo before upgrading).
  const repo = repoLine(n.packageManager, minorOf(n.kubeadm));
  w(repo.file, repo.text);
  // yum nodes "hold" through the repo's exclude= line, apt nodes through apt-mark hold.
  const pkgs = [['kubeadm', n.kubeadm], ['kubelet', n.kubelet], ['kubectl', n.kubelet]]
    .map(([p, v]) => `${p} ${pkgVersion(v)} 1`).join('\n');
  w('var/lib/sandbox/packages', pkgs + '\n');
  w('var/lib/sandbox/kubelet-state', 'running\n');
  // Node facts the readiness checks read (swapon stand-in, cgroup mount in _node-session), and the
  // folder Snapshot etcd writes to on the node (mounted on /var/lib/kubeadm-upgrade).
  w('etc/sandbox-node.env', `CGROUP=${n.cgroup ?? 'v2'}\n${n.swap ? 'SWAP=/swapfile file 2147483648 0 -2\n' : ''}`);
  fs.mkdirSync(path.join(root, 'var/lib/kubeadm-upgrade'), { recursive: true });
  w('etc/machine-id', `${machineIdOf(n.name)}\n`);
  const faults = Object.entries(n.faults).map(([k, v]) => `${k}=${v}`).join('\n');
  w('etc/sandbox-faults.env', `# STEP=fail|hang|drop|never-ready (see test/sandbox/README.md)\n${faults}\n`);
  if (n.password) w('var/lib/sandbox/sudo-password', `${SANDBOX_PASSWORD}`, 0o600);
  return root;
}

export const SANDBOX_PASSWORD = 'sandbox';

/** Sets (or with kind "" clears) a fault for one step on a node: see README "Faults". */
export function setFault(dir: string, node: string, step: string, kind: string): void {
  const file = path.join(nodeRoot(dir, node), 'etc/sandbox-faults.env');
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith(`${step}=`));
  if (kind) lines.push(`${step}=${kind}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
}
