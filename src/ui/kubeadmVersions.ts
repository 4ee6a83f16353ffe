import type * as vscode from 'vscode';
import { kubeletOf, type ClusterStore } from '../core/clusterStore';

const KEY = 'kubeadm.nodeKubeadmVersions';
/** Cluster key (`ClusterState.key`: server + CA, never the context name) → node → version. */
type Saved = Record<string, Record<string, { version: string; kubelet: string | null }>>;

/**
 * Keeps each node's kubeadm version — learned whenever the extension asks a node (`kubeadm version -o short` before a
 * plan, the target after an upgrade run: `ClusterStore.setKubeadmVersion`) — in the global state, and gives it back
 * to the store after a reload, so the tree shows it without connecting to every node at start-up.
 */
export function persistKubeadmVersions(store: ClusterStore, memento: vscode.Memento): vscode.Disposable {
  // Entries saved by earlier versions were keyed by context name (every kubeadm cluster's is the same): dropped.
  const saved = Object.fromEntries(Object.entries(memento.get<Saved>(KEY) ?? {}).filter(([key]) => isClusterKey(key)));
  for (const [clusterKey, nodes] of Object.entries(saved)) {
    for (const [node, e] of Object.entries(nodes)) if (e && typeof e.version === 'string') store.learnKubeadmVersion(clusterKey, node, e.version, e.kubelet ?? null);
  }
  const unsubscribe = store.onDidChange((changed) => {
    const state = changed ? store.get(changed) : undefined;
    const nodes = state?.snapshot?.nodes;
    if (!state || !nodes) return;
    const context = state.key;
    // With the kubelet it was seen next to: the cache is dropped once the node's kubelet changes.
    const known = Object.fromEntries(nodes.flatMap((n) => (n.kubeadm?.version ? [[n.name, { version: n.kubeadm.version.raw, kubelet: kubeletOf(n) }]] : [])));
    const before = JSON.stringify(saved[context] ?? {});
    if (Object.keys(known).length === 0 || JSON.stringify(known) === before) return;
    saved[context] = known;
    void memento.update(KEY, saved);
  });
  return { dispose: unsubscribe };
}

/** A key made by `endpointKey` (`https://host:port#<ca sha256>`), not a context name saved by an earlier version. */
function isClusterKey(key: string): boolean {
  return /^https?:\/\/[^#]*#[0-9a-f]*$/.test(key);
}
