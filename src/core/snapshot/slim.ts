/**
 * Keeps only what a snapshot reads of a Node or Pod (the fields of raw.ts), so a paginated LIST can drop each page's
 * bulk (managedFields, images, volumes, status details) as soon as the page is parsed: memory then grows with the
 * few fields kept per object, not with the size of what the server sent.
 */
import type { RawContainer, RawMeta, RawNode, RawPod } from './raw';

/* eslint-disable @typescript-eslint/no-explicit-any -- the input is parsed JSON of any shape */

function slimMeta(m: any): RawMeta | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const out: RawMeta = {};
  if (m.name !== undefined) out.name = m.name;
  if (m.namespace !== undefined) out.namespace = m.namespace;
  if (m.uid !== undefined) out.uid = m.uid;
  if (m.labels !== undefined) out.labels = m.labels;
  if (m.annotations !== undefined) out.annotations = m.annotations;
  if (m.ownerReferences !== undefined) out.ownerReferences = (m.ownerReferences as any[]).map((o) => ({ kind: o?.kind, name: o?.name, controller: o?.controller }));
  if (m.deletionTimestamp !== undefined) out.deletionTimestamp = m.deletionTimestamp;
  return out;
}

const containers = (list: any): RawContainer[] | undefined => (Array.isArray(list) ? list.map((c) => ({ name: c?.name, image: c?.image })) : undefined);

export function slimNode(n: any): RawNode {
  const info = n?.status?.nodeInfo;
  return {
    kind: 'Node',
    metadata: slimMeta(n?.metadata),
    spec: { unschedulable: n?.spec?.unschedulable, taints: Array.isArray(n?.spec?.taints) ? n.spec.taints.map((t: any) => ({ key: t?.key, effect: t?.effect })) : undefined },
    status: {
      conditions: Array.isArray(n?.status?.conditions)
        ? n.status.conditions.map((c: any) => ({ type: c?.type, status: c?.status, reason: c?.reason, message: c?.message }))
        : undefined,
      addresses: n?.status?.addresses,
      nodeInfo: info
        ? {
            kubeletVersion: info.kubeletVersion,
            kubeProxyVersion: info.kubeProxyVersion,
            containerRuntimeVersion: info.containerRuntimeVersion,
            osImage: info.osImage,
            kernelVersion: info.kernelVersion,
            architecture: info.architecture,
          }
        : undefined,
    },
  };
}

export function slimPod(p: any): RawPod {
  return {
    kind: 'Pod',
    metadata: slimMeta(p?.metadata),
    spec: { nodeName: p?.spec?.nodeName, containers: containers(p?.spec?.containers) },
    status: { phase: p?.status?.phase },
  };
}
