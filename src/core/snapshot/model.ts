import type { KubeVersion } from '../version';

export type ComponentName =
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'etcd'
  | 'kubelet'
  | 'kube-proxy'
  | 'kubeadm'
  | 'kubectl'
  | 'coredns';

/** The control-plane components kubeadm runs as static pods, in the order the docs list them. */
export const CONTROL_PLANE_COMPONENTS = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'etcd',
] as const satisfies readonly ComponentName[];
export type ControlPlaneComponent = (typeof CONTROL_PLANE_COMPONENTS)[number];

export type Readiness = 'Ready' | 'NotReady' | 'Unknown';

export interface ComponentInstance {
  readonly component: ComponentName;
  /** Undefined when the image tag or status string could not be read as a version. */
  readonly version: KubeVersion | undefined;
  /** Where the version came from: an image reference, a node status field, a command's output. */
  readonly source: string;
  readonly podName?: string;
}

export interface NodeSnapshot {
  readonly name: string;
  readonly controlPlane: boolean;
  readonly readiness: Readiness;
  readonly unschedulable: boolean;
  readonly kubelet: ComponentInstance | undefined;
  readonly kubeProxy: ComponentInstance | undefined;
  /** Static control-plane pods found on this node, keyed by component. */
  readonly controlPlaneComponents: Partial<Record<ControlPlaneComponent, ComponentInstance>>;
  /** Known only after asking the node (SSH); absent from an API-only snapshot. */
  readonly kubeadm?: ComponentInstance;
  readonly containerRuntime: string | undefined;
  readonly osImage: string | undefined;
  readonly kernelVersion: string | undefined;
  readonly internalIP: string | undefined;
}

export interface ClusterSnapshot {
  /** `ClusterConfiguration.kubernetesVersion` from the kubeadm-config ConfigMap: what kubeadm thinks it runs. */
  readonly kubernetesVersion: KubeVersion | undefined;
  /** The apiserver that answered `/version` (behind a load balancer: any one of them). */
  readonly serverVersion: KubeVersion | undefined;
  readonly kubeProxyImage: string | undefined;
  readonly corednsImage: string | undefined;
  readonly nodes: readonly NodeSnapshot[];
}
