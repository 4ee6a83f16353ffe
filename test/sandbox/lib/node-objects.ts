// A kubeadm node as the API sees it: the Node (labels, taints, nodeInfo a kubelet would
// report) and, on control planes, the static pods a kubelet would mirror into kube-system.
import * as crypto from 'node:crypto';
import type { NodeSpec } from './scenario';
import { addonsFor } from './versions';

type Obj = Record<string, unknown>;

/**
 * The machine id a node's kubelet reports (status.nodeInfo.machineID) and its sessions' /etc/machine-id shows
 * (node root etc/machine-id, bound by node-tools/_node-session): one per node, so the product's check that the host
 * reached over SSH is the Node passes on the right mapping and refuses a wrong one.
 */
export function machineIdOf(node: string): string {
  return crypto.createHash('md5').update(node).digest('hex');
}
export const CONTROL_PLANE_COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;
export type Component = (typeof CONTROL_PLANE_COMPONENTS)[number];

const OS = {
  apt: { osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-31-amd64' },
  yum: { osImage: 'Rocky Linux 9.5 (Blue Onyx)', kernelVersion: '5.14.0-503.14.1.el9_5.x86_64' },
};

// Node InternalIPs are data only: nothing ever connects to them (SSH goes to 127.0.0.1 ports
// from ssh_config). They are from 198.18.0.0/15 (RFC 2544, benchmarking, never routed) and
// not loopback because kubeadm refuses a loopback advertise address for a control plane.
export function nodeIP(index: number): string {
  const i = index + 11;
  return `198.18.${(i >> 8) & 255}.${i & 255}`;
}

// 10.244.<i>.0/24 as kubeadm + flannel would give; past 255 nodes (large) continue in 10.100+.
function podCIDR(index: number): string {
  return index < 256 ? `10.244.${index}.0/24` : `10.${100 + (index >> 8)}.${index & 255}.0/24`;
}

export function nodeObject(n: NodeSpec, index: number): Obj {
  const cp = n.role === 'control-plane';
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: n.name,
      annotations: {
        'kwok.x-k8s.io/node': 'fake', // kwok manages (heartbeats) only nodes carrying this
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
      labels: {
        'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64',
        ...(cp ? { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } : {}),
      },
    },
    spec: {
      podCIDR: podCIDR(index), podCIDRs: [podCIDR(index)],
      ...(cp ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}),
    },
    // kwok's node-initialize stage keeps nodeInfo fields that are already set, and its
    // heartbeat stage never writes nodeInfo: these survive as long as nobody patches them.
    status: {
      addresses: [{ type: 'InternalIP', address: nodeIP(index) }, { type: 'Hostname', address: n.name }],
      capacity: { cpu: '4', memory: '16374584Ki', pods: '110', 'ephemeral-storage': '102626232Ki' },
      allocatable: { cpu: '4', memory: '16272184Ki', pods: '110', 'ephemeral-storage': '94580335255' },
      nodeInfo: {
        architecture: 'amd64', operatingSystem: 'linux', ...OS[n.packageManager],
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: n.kubelet, kubeProxyVersion: n.kubelet,
        machineID: machineIdOf(n.name),
        systemUUID: crypto.randomUUID(), bootID: crypto.randomUUID(),
      },
    },
  };
}

function componentVersion(n: NodeSpec, c: Component): string {
  if (c === 'etcd') return addonsFor(n.controlPlane).etcd;
  if (c === 'kube-controller-manager') return n.controllerManager;
  return n.controlPlane;
}

/** The static pod manifest kubeadm writes to /etc/kubernetes/manifests/<component>.yaml. */
export function staticPod(n: NodeSpec, index: number, c: Component, version = componentVersion(n, c)): Obj {
  const ip = nodeIP(index);
  const command: Record<Component, string[]> = {
    etcd: ['etcd', `--advertise-client-urls=https://${ip}:2379`, '--data-dir=/var/lib/etcd', `--name=${n.name}`,
      `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`, '--cert-file=/etc/kubernetes/pki/etcd/server.crt'],
    'kube-apiserver': ['kube-apiserver', `--advertise-address=${ip}`, '--etcd-servers=https://127.0.0.1:2379',
      '--secure-port=6443', '--service-cluster-ip-range=10.96.0.0/12', '--authorization-mode=Node,RBAC'],
    'kube-controller-manager': ['kube-controller-manager', '--kubeconfig=/etc/kubernetes/controller-manager.conf',
      '--leader-elect=true', '--cluster-cidr=10.244.0.0/16'],
    'kube-scheduler': ['kube-scheduler', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true'],
  };
  const annotations: Record<string, string> = {};
  if (c === 'kube-apiserver') annotations['kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint'] = `${ip}:6443`;
  if (c === 'etcd') annotations['kubeadm.kubernetes.io/etcd.advertise-client-urls'] = `https://${ip}:2379`;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: c, namespace: 'kube-system', labels: { component: c, tier: 'control-plane' }, annotations },
    spec: {
      hostNetwork: true, priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: c, image: `registry.k8s.io/${c}:${version}`, imagePullPolicy: 'IfNotPresent', command: command[c] }],
    },
  };
}

/** The mirror pod a kubelet creates for a static pod: named <component>-<node>, owned by the Node. */
export function mirrorPod(n: NodeSpec, index: number, c: Component, nodeUid: string, version?: string): Obj {
  const pod = staticPod(n, index, c, version) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
  const manifest = JSON.stringify(pod);
  const hash = crypto.createHash('md5').update(manifest).digest('hex');
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      name: `${c}-${n.name}`,
      annotations: {
        ...(pod.metadata.annotations as object),
        'kubernetes.io/config.hash': hash, 'kubernetes.io/config.mirror': hash,
        'kubernetes.io/config.seen': new Date().toISOString(), 'kubernetes.io/config.source': 'file',
      },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: n.name, uid: nodeUid, controller: true }],
    },
    spec: { ...pod.spec, nodeName: n.name, tolerations: [{ operator: 'Exists', effect: 'NoExecute' }] },
  };
}
