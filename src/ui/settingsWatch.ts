import * as vscode from 'vscode';

/**
 * The settings that decide what the tree loads: which kubeconfig files (and whether a context name they share shows
 * once or per file), which target, which local kubectl.
 */
const KEYS = ['kubeconfig', 'showShadowedContexts', 'targetVersion', 'kubectlPath'] as const;

const values = () => {
  const c = vscode.workspace.getConfiguration('kubeadm');
  // The Kubernetes extension's kubeconfig too: the tree follows it while kubeadm.kubeconfig is empty.
  const theirs = (vscode.workspace.getConfiguration('vs-kubernetes') as unknown as Record<string, unknown>)['vs-kubernetes.kubeconfig'];
  return JSON.stringify([...KEYS.map((k) => c.get(k)), theirs]);
};

/**
 * Calls `reload` when the loader's settings change, however they were changed: the Settings editor, settings.json
 * edited in VS Code or on disk, a workspace folder's settings, a profile switch. Any change event under `kubeadm`
 * (VS Code can report a file-level change without naming the key) is checked against the values last seen, so an
 * unrelated change does not reload every cluster.
 */
export function onLoaderSettingsChange(reload: () => void): vscode.Disposable {
  let last = values();
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration('kubeadm') && !e.affectsConfiguration('vs-kubernetes')) return;
    const now = values();
    if (now === last) return;
    last = now;
    reload();
  });
}
