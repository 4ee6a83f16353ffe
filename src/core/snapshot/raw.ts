/**
 * The few fields we read from Kubernetes objects, typed structurally so that the same code accepts objects from
 * @kubernetes/client-node (the extension) and from `kubectl get -o json` dumps (the CLI) without importing either.
 */
export interface RawMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { kind?: string; name?: string; controller?: boolean }[];
  deletionTimestamp?: unknown;
}

export interface RawContainer {
  name?: string;
  image?: string;
}

export interface RawNode {
  kind?: string;
  metadata?: RawMeta;
  spec?: { unschedulable?: boolean; taints?: { key?: string; value?: string; effect?: string }[] };
  status?: {
    /** What the scheduler may place on the node (cpu `4`/`3500m`, memory `16272184Ki`). */
    allocatable?: Record<string, string>;
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
    addresses?: { type?: string; address?: string }[];
    nodeInfo?: {
      kubeletVersion?: string;
      kubeProxyVersion?: string;
      containerRuntimeVersion?: string;
      osImage?: string;
      kernelVersion?: string;
      architecture?: string;
      /** The host's /etc/machine-id as the kubelet reports it: who the Node is, when a command is about to run there. */
      machineID?: string;
    };
  };
}

export interface RawPod {
  kind?: string;
  metadata?: RawMeta;
  spec?: { nodeName?: string; containers?: RawContainer[] };
  status?: { phase?: string };
}

/** DaemonSets and Deployments: only the pod template's images matter here. */
export interface RawWorkload {
  kind?: string;
  metadata?: RawMeta;
  spec?: { template?: { spec?: { containers?: RawContainer[] } } };
}

export interface RawConfigMap {
  kind?: string;
  metadata?: RawMeta;
  data?: Record<string, string>;
}

/** Everything one snapshot is built from: the fixed set of list calls, whatever the cluster's size. */
export interface RawClusterObjects {
  nodes: RawNode[];
  /** Pods in kube-system (mirror pods of the static control plane, kube-proxy pods). */
  systemPods: RawPod[];
  /** The kubeadm-config ConfigMap, when readable. */
  kubeadmConfig?: RawConfigMap;
  kubeProxyDaemonSet?: RawWorkload;
  corednsDeployment?: RawWorkload;
  /** `GET /version` gitVersion, when known. */
  serverVersion?: string;
}
