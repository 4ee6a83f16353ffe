import type { ClusterSnapshot, ComponentInstance, ComponentName, NodeSnapshot } from '../../../src/core/snapshot/model';
import { parseVersion } from '../../../src/core/version';

/** Short hand for test snapshots: `cp('cp1', {apiserver: '1.31.2', kubelet: '1.31.2'})`. */
export interface NodeSpec {
  apiserver?: string;
  controllerManager?: string;
  scheduler?: string;
  etcd?: string;
  kubelet?: string;
  kubeProxy?: string;
  kubeadm?: string;
  ready?: boolean;
  cordoned?: boolean;
}

function instance(component: ComponentName, v: string | undefined): ComponentInstance | undefined {
  return v === undefined ? undefined : { component, version: parseVersion(v), source: v };
}

function node(name: string, controlPlane: boolean, s: NodeSpec): NodeSnapshot {
  const components: NodeSnapshot['controlPlaneComponents'] = {};
  if (s.apiserver) components['kube-apiserver'] = instance('kube-apiserver', s.apiserver);
  if (s.controllerManager) components['kube-controller-manager'] = instance('kube-controller-manager', s.controllerManager);
  if (s.scheduler) components['kube-scheduler'] = instance('kube-scheduler', s.scheduler);
  if (s.etcd) components.etcd = instance('etcd', s.etcd);
  const kubeadm = instance('kubeadm', s.kubeadm);
  return {
    name,
    controlPlane,
    readiness: s.ready === false ? 'NotReady' : 'Ready',
    unschedulable: s.cordoned === true,
    kubelet: instance('kubelet', s.kubelet),
    kubeProxy: instance('kube-proxy', s.kubeProxy),
    controlPlaneComponents: components,
    ...(kubeadm ? { kubeadm } : {}),
    containerRuntime: 'containerd://1.7.22',
    osImage: 'Ubuntu 22.04.4 LTS',
    kernelVersion: '5.15.0-1',
    internalIP: '10.0.0.1',
  };
}

export const cp = (name: string, s: NodeSpec) => node(name, true, s);
export const worker = (name: string, s: NodeSpec) => node(name, false, s);

export function cluster(nodes: NodeSnapshot[], kubernetesVersion?: string, serverVersion?: string): ClusterSnapshot {
  return {
    kubernetesVersion: parseVersion(kubernetesVersion),
    serverVersion: parseVersion(serverVersion),
    kubeProxyImage: undefined,
    corednsImage: undefined,
    nodes,
  };
}
