import { parseVersion } from '../version';
import {
  CONTROL_PLANE_COMPONENTS,
  type ClusterSnapshot,
  type ComponentInstance,
  type ControlPlaneComponent,
  type NodeSnapshot,
  type Readiness,
} from './model';
import type { RawClusterObjects, RawNode, RawPod, RawWorkload } from './raw';

const CONTROL_PLANE_LABELS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/** Builds the snapshot model from the raw list results. Pure: the same objects always give the same snapshot. */
export function buildSnapshot(raw: RawClusterObjects): ClusterSnapshot {
  const staticPods = indexControlPlanePods(raw.systemPods);
  const proxyPods = indexByNode(raw.systemPods.filter((p) => p.metadata?.labels?.['k8s-app'] === 'kube-proxy'));
  const kubeProxyImage = containerImage(raw.kubeProxyDaemonSet, 'kube-proxy');
  const nodes = raw.nodes
    .filter((n) => n.metadata?.name)
    .map((n) => buildNode(n, staticPods.get(n.metadata!.name!) ?? {}, proxyPods.get(n.metadata!.name!), kubeProxyImage))
    .sort(byRoleThenName);
  return {
    kubernetesVersion: parseVersion(kubernetesVersionFrom(raw.kubeadmConfig?.data?.['ClusterConfiguration'])),
    serverVersion: parseVersion(raw.serverVersion),
    kubeProxyImage,
    corednsImage: containerImage(raw.corednsDeployment, 'coredns'),
    nodes,
  };
}

function buildNode(
  node: RawNode,
  staticPods: Partial<Record<ControlPlaneComponent, ComponentInstance>>,
  proxyPod: RawPod | undefined,
  kubeProxyImage: string | undefined,
): NodeSnapshot {
  const labels = node.metadata?.labels ?? {};
  const info = node.status?.nodeInfo ?? {};
  const kubeletVersion = info.kubeletVersion;
  return {
    name: node.metadata!.name!,
    // A node is a control plane if it is labelled so, or if it runs a static kube-apiserver (labels can be removed).
    controlPlane: CONTROL_PLANE_LABELS.some((l) => l in labels) || staticPods['kube-apiserver'] !== undefined,
    readiness: readiness(node),
    unschedulable: node.spec?.unschedulable === true,
    kubelet: kubeletVersion
      ? { component: 'kubelet', version: parseVersion(kubeletVersion), source: 'node status kubeletVersion' }
      : undefined,
    kubeProxy: kubeProxyOf(proxyPod, kubeProxyImage, info.kubeProxyVersion),
    controlPlaneComponents: staticPods,
    containerRuntime: info.containerRuntimeVersion || undefined,
    osImage: info.osImage || undefined,
    kernelVersion: info.kernelVersion || undefined,
    internalIP: node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address,
  };
}

/**
 * kube-proxy's version on a node is the image of the kube-proxy pod running there. The node status field
 * `kubeProxyVersion` is deprecated (it copies the kubelet's version since 1.31), so it is only the last resort.
 */
function kubeProxyOf(pod: RawPod | undefined, dsImage: string | undefined, statusVersion: string | undefined) {
  const podImage = pod?.spec?.containers?.find((c) => c.name === 'kube-proxy')?.image ?? pod?.spec?.containers?.[0]?.image;
  if (podImage) {
    return { component: 'kube-proxy', version: parseVersion(podImage), source: podImage, podName: pod?.metadata?.name } as const;
  }
  if (dsImage) return { component: 'kube-proxy', version: parseVersion(dsImage), source: dsImage } as const;
  if (statusVersion && statusVersion !== 'v0.0.0') {
    return { component: 'kube-proxy', version: parseVersion(statusVersion), source: 'node status kubeProxyVersion' } as const;
  }
  return undefined;
}

function readiness(node: RawNode): Readiness {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return 'Ready';
  if (ready?.status === 'False') return 'NotReady';
  return 'Unknown';
}

/** Static control-plane pods are mirror pods labelled `component=<name>` (kubeadm's manifests set that label). */
function indexControlPlanePods(pods: RawPod[]): Map<string, Partial<Record<ControlPlaneComponent, ComponentInstance>>> {
  const byNode = new Map<string, Partial<Record<ControlPlaneComponent, ComponentInstance>>>();
  for (const pod of pods) {
    const component = pod.metadata?.labels?.['component'];
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || !isControlPlaneComponent(component)) continue;
    const isMirror = pod.metadata?.annotations?.[MIRROR_ANNOTATION] !== undefined;
    const entry = byNode.get(nodeName) ?? {};
    // Prefer the mirror pod when a same-labelled ordinary pod exists too: the mirror is what the kubelet runs.
    if (entry[component] && !isMirror) continue;
    const image = pod.spec?.containers?.find((c) => c.name === component)?.image ?? pod.spec?.containers?.[0]?.image;
    entry[component] = { component, version: parseVersion(image), source: image ?? 'no image', podName: pod.metadata?.name };
    byNode.set(nodeName, entry);
  }
  return byNode;
}

function isControlPlaneComponent(c: string | undefined): c is ControlPlaneComponent {
  return (CONTROL_PLANE_COMPONENTS as readonly string[]).includes(c ?? '');
}

function indexByNode(pods: RawPod[]): Map<string, RawPod> {
  const m = new Map<string, RawPod>();
  for (const p of pods) if (p.spec?.nodeName && !p.metadata?.deletionTimestamp) m.set(p.spec.nodeName, p);
  return m;
}

function containerImage(w: RawWorkload | undefined, name: string): string | undefined {
  const containers = w?.spec?.template?.spec?.containers;
  return (containers?.find((c) => c.name === name) ?? containers?.[0])?.image;
}

/** Reads `kubernetesVersion:` from the ClusterConfiguration YAML without a YAML parser: it is one top-level scalar. */
export function kubernetesVersionFrom(clusterConfiguration: string | undefined): string | undefined {
  const m = clusterConfiguration?.match(/^kubernetesVersion:\s*["']?([^\s"'#]+)/m);
  return m?.[1];
}

function byRoleThenName(a: NodeSnapshot, b: NodeSnapshot): number {
  return Number(b.controlPlane) - Number(a.controlPlane) || a.name.localeCompare(b.name);
}

/** Adds kubeadm versions learned from the nodes themselves (SSH, or the CLI's --kubeadm-version NODE=V). */
export function withKubeadmVersions(snapshot: ClusterSnapshot, versions: ReadonlyMap<string, string>): ClusterSnapshot {
  if (versions.size === 0) return snapshot;
  return {
    ...snapshot,
    nodes: snapshot.nodes.map((n) => {
      const v = versions.get(n.name);
      return v === undefined ? n : { ...n, kubeadm: { component: 'kubeadm', version: parseVersion(v), source: 'kubeadm version' } };
    }),
  };
}
