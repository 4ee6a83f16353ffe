import type { RawClusterObjects, RawConfigMap, RawNode, RawPod, RawWorkload } from './raw';

/** A JSON value that is not a Kubernetes object or list we can use, with why, for a one-line CLI error. */
export class DumpError extends Error {}

interface AnyObject {
  kind?: string;
  apiVersion?: string;
  items?: AnyObject[];
  metadata?: { name?: string; namespace?: string };
  serverVersion?: { gitVersion?: string };
  clientVersion?: { gitVersion?: string };
}

export interface DumpContents {
  readonly objects: RawClusterObjects;
  /** From a `kubectl version -o json` document, when one was given. */
  readonly kubectlVersion?: string;
}

/**
 * Sorts the documents of `kubectl get ... -o json` dumps (Lists or single objects, several files) into the raw
 * objects a snapshot is built from. A `kubectl version -o json` document adds the server (and kubectl) version.
 */
export function collectDump(documents: readonly unknown[]): DumpContents {
  const nodes: RawNode[] = [];
  const systemPods: RawPod[] = [];
  let kubeadmConfig: RawConfigMap | undefined;
  let kubeProxyDaemonSet: RawWorkload | undefined;
  let corednsDeployment: RawWorkload | undefined;
  let serverVersion: string | undefined;
  let kubectlVersion: string | undefined;

  const visit = (o: AnyObject) => {
    if (Array.isArray(o.items)) {
      o.items.forEach((item) => visit({ ...item, kind: item.kind ?? listItemKind(o.kind) }));
      return;
    }
    const ns = o.metadata?.namespace;
    const name = o.metadata?.name;
    switch (o.kind) {
      case 'Node':
        nodes.push(o as RawNode);
        break;
      case 'Pod':
        if (ns === undefined || ns === 'kube-system') systemPods.push(o as RawPod);
        break;
      case 'ConfigMap':
        if (name === 'kubeadm-config') kubeadmConfig = o as RawConfigMap;
        break;
      case 'DaemonSet':
        if (name === 'kube-proxy') kubeProxyDaemonSet = o as RawWorkload;
        break;
      case 'Deployment':
        if (name === 'coredns') corednsDeployment = o as RawWorkload;
        break;
      default:
        if (o.serverVersion?.gitVersion) serverVersion = o.serverVersion.gitVersion;
        if (o.clientVersion?.gitVersion) kubectlVersion = o.clientVersion.gitVersion;
    }
  };
  for (const doc of documents) {
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new DumpError('expected a JSON object (a Kubernetes List or object)');
    visit(doc as AnyObject);
  }
  if (nodes.length === 0) throw new DumpError('no Node objects found (include `kubectl get nodes -o json`)');
  return {
    objects: { nodes, systemPods, kubeadmConfig, kubeProxyDaemonSet, corednsDeployment, serverVersion },
    kubectlVersion,
  };
}

/** `NodeList` → `Node`; kubectl's mixed `List` keeps each item's own kind. */
function listItemKind(listKind: string | undefined): string | undefined {
  return listKind && listKind !== 'List' && listKind.endsWith('List') ? listKind.slice(0, -4) : undefined;
}
