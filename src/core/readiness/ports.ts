import type { NodeExecutor } from '../exec/executor';
import type { ClusterSnapshot, NodeSnapshot } from '../snapshot/model';
import type { RawMeta, RawNode } from '../snapshot/raw';

/**
 * What the readiness checks read, typed structurally (client-node objects and `kubectl -o json` both fit).
 * Every method may throw; the message becomes the check's "could not run" reason (an RBAC 403 names the verb and
 * resource), so a check that cannot see is reported as such, never as ok.
 */
export interface ReadinessApi {
  nodes(): Promise<RawNode[]>;
  /** Pods in every namespace. */
  pods(): Promise<KPod[]>;
  pdbs(): Promise<KPdb[]>;
  webhookConfigurations(): Promise<KWebhookConfiguration[]>;
  /** Ready endpoints behind a Service, from its EndpointSlices; undefined when the Service does not exist. */
  readyEndpoints(namespace: string, service: string): Promise<number | undefined>;
  /** GET /readyz?verbose as text (the body also comes back on HTTP 500). */
  readyz(): Promise<string>;
  /** GET /metrics as text. */
  metrics(): Promise<string>;
  daemonSets(): Promise<KDaemonSet[]>;
  /** A ConfigMap's data, undefined when it does not exist. */
  configMap(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  /** Deployments, StatefulSets and ReplicaSets in every namespace, each with its `kind`. */
  workloads(): Promise<KWorkload[]>;
  /** Services in every namespace. */
  services(): Promise<KService[]>;
  /** CSIDriver objects (storage.k8s.io/v1). */
  csiDrivers(): Promise<{ metadata?: RawMeta }[]>;
  /**
   * The stored objects of a built-in kind at one group/version, metadata only (annotations included); undefined when
   * the apiserver does not serve that kind at that group/version.
   */
  objectsOf(group: string, version: string, kind: string): Promise<RawMeta[] | undefined>;
  /**
   * Helm 3 releases, decoded: Secrets of type `helm.sh/release.v1` and ConfigMaps labelled `owner=helm`, each one
   * revision. A release whose payload cannot be decoded comes back with `error` set rather than being dropped.
   */
  helmReleases(): Promise<HelmRelease[]>;
}

export interface HelmRelease {
  readonly name: string;
  readonly namespace: string;
  readonly revision: number;
  /** `deployed`, `superseded`, `failed`, `pending-upgrade`, … (Helm's release status). */
  readonly status: string;
  /** Where Helm keeps it: `Secret/<ns>/sh.helm.release.v1.<name>.v<revision>` or the ConfigMap. */
  readonly storage: string;
  readonly chart?: string;
  /** The rendered manifest (YAML documents) Helm compares against on its next upgrade. */
  readonly manifest: string;
  readonly error?: string;
}

export interface KContainer {
  name?: string;
  image?: string;
  resources?: { requests?: Record<string, unknown> };
  readinessProbe?: unknown;
}

export interface KPodSpec {
  nodeName?: string;
  containers?: KContainer[];
  initContainers?: KContainer[];
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
}

export interface KWorkload {
  kind: 'Deployment' | 'StatefulSet' | 'ReplicaSet';
  metadata?: RawMeta;
  spec?: { replicas?: number; selector?: KLabelSelector; template?: { metadata?: RawMeta; spec?: KPodSpec } };
  status?: { replicas?: number; readyReplicas?: number };
}

export interface KService {
  metadata?: RawMeta;
  spec?: { selector?: Record<string, string>; type?: string };
}

export interface KPod {
  metadata?: RawMeta & { deletionTimestamp?: unknown; deletionGracePeriodSeconds?: number; finalizers?: string[] };
  spec?: KPodSpec;
  status?: { phase?: string; reason?: string; message?: string; conditions?: { type?: string; status?: string }[] };
}

export interface KLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
}

export interface KPdb {
  metadata?: RawMeta;
  spec?: { selector?: KLabelSelector; minAvailable?: unknown; maxUnavailable?: unknown };
  status?: { disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; expectedPods?: number };
}

export interface KWebhookConfiguration {
  kind: 'ValidatingWebhookConfiguration' | 'MutatingWebhookConfiguration';
  metadata?: RawMeta;
  webhooks?: { name?: string; failurePolicy?: string; clientConfig?: { service?: { namespace?: string; name?: string }; url?: string } }[];
}

export interface KDaemonSet {
  metadata?: RawMeta;
  spec?: { template?: { spec?: { containers?: { name?: string; image?: string }[] } } };
}

export interface ReadinessDeps {
  readonly api: ReadinessApi;
  /** The skew view of the cluster (nodes, static pods, kubeadm-config). */
  snapshot(): Promise<ClusterSnapshot>;
  /**
   * How to run commands on a node (SSH, terminal); throwing means the node cannot be reached. The executor writes
   * the audit lines of every command (src/adapters/storage/audited.ts).
   */
  executorFor(node: NodeSnapshot): Promise<NodeExecutor>;
  /** Injected so tests can look at the cluster "later" without waiting. */
  readonly now: Date;
  /** Nodes the upgrade will drain (default: every node). */
  readonly drainNodes?: readonly string[];
  /** Workers Upgrade Cluster drains at once: kubeadm.upgrade.maxUnavailable / --max-unavailable (`2`, `25%`; default 1). */
  readonly maxUnavailable?: string;
  /** Nodes the run being resumed cordoned itself and uncordons before its next drain: schedulable for drain-capacity. */
  readonly cordonedByRun?: readonly string[];
  /** The cluster's kubeadm patches folder on its control planes (kubeadm.upgrade.patchesDir / --patches): `manifest-drift` counts an edit a patch re-applies as kept. */
  readonly patchesDir?: string;
  /** The image archive on the control planes that Upgrade Node/Cluster import before the apply (kubeadm.upgrade.imagesArchive / --images-archive): `images-available` counts an air-gapped node as served by it. */
  readonly imagesArchive?: string;
  /** `false` when the run brings no image before the apply (kubeadm.upgrade.prepullImages off / --no-pre-pull): `images-available` then says kubeadm pulls them during the downtime. Absent: the default, on. */
  readonly prepullImages?: boolean;
}

/** The readiness deps the upgrade's own options decide: its patches folder and image archive, when set, and pre-pull off. */
export function upgradeOptionDeps(o: { readonly patchesDir?: string; readonly imagesArchive?: string; readonly prepullImages?: boolean }): Pick<ReadinessDeps, 'patchesDir' | 'imagesArchive' | 'prepullImages'> {
  return {
    ...(o.patchesDir ? { patchesDir: o.patchesDir } : {}),
    ...(o.imagesArchive ? { imagesArchive: o.imagesArchive } : {}),
    ...(o.prepullImages === false && !o.imagesArchive ? { prepullImages: false } : {}),
  };
}
