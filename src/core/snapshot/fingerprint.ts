import type { RawConfigMap, RawNode, RawPod, RawWorkload } from './raw';

type Watched = RawNode & RawPod & RawWorkload & RawConfigMap;

/**
 * The part of an object that a snapshot depends on. Watch events that leave it unchanged (node heartbeats, pod
 * status timestamps) need no refresh: on a large cluster they are nearly all of the traffic.
 */
export function relevantFingerprint(obj: Watched): string {
  const m = obj.metadata ?? {};
  const info = obj.status?.nodeInfo;
  return JSON.stringify([
    m.name,
    m.labels,
    m.deletionTimestamp ? 1 : 0,
    obj.spec?.unschedulable,
    obj.spec?.nodeName,
    obj.spec?.containers?.map((c) => c.image),
    obj.spec?.template?.spec?.containers?.map((c) => c.image),
    obj.status?.conditions?.filter((c) => c.type === 'Ready').map((c) => c.status),
    obj.status?.phase,
    info && [info.kubeletVersion, info.kubeProxyVersion, info.containerRuntimeVersion, info.osImage, info.kernelVersion],
    obj.status?.addresses,
    m.name === 'kubeadm-config' ? obj.data : undefined,
  ]);
}
