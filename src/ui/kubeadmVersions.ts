import type * as vscode from 'vscode';
import { kubeletOf, type ClusterStore } from '../core/clusterStore';

const KEY = 'kubeadm.nodeKubeadmVersions';
type Saved = Record<string, Record<string, { version: string; kubelet: string | null }>>;

/**
 * Keeps each node's kubeadm version — learned whenever the extension asks a node (`kubeadm version -o short` before a
 * plan, the target after an upgrade run: `ClusterStore.setKubeadmVersion`) — in the global state, and gives it back
 * to the store after a reload, so the tree shows it without connecting to every node at start-up.
 */
export function persistKubeadmVersions(store: ClusterStore, memento: vscode.Memento): vscode.Disposable {
  const saved = memento.get<Saved>(KEY) ?? {};
  for (const [context, nodes] of Object.entries(saved)) {
    for (const [node, e] of Object.entries(nodes)) if (e && typeof e.version === 'string') store.setKubeadmVersion(context, node, e.version, e.kubelet ?? null);
  }
  const unsubscribe = store.onDidChange((context) => {
    const nodes = context ? store.get(context)?.snapshot?.nodes : undefined;
    if (!context || !nodes) return;
    // With the kubelet it was seen next to: the cache is dropped once the node's kubelet changes.
    const known = Object.fromEntries(nodes.flatMap((n) => (n.kubeadm?.version ? [[n.name, { version: n.kubeadm.version.raw, kubelet: kubeletOf(n) }]] : [])));
    const before = JSON.stringify(saved[context] ?? {});
    if (Object.keys(known).length === 0 || JSON.stringify(known) === before) return;
    saved[context] = known;
    void memento.update(KEY, saved);
  });
  return { dispose: unsubscribe };
}
