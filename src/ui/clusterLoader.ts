import * as path from 'node:path';
import * as vscode from 'vscode';
import { ApiClusterSource } from '../adapters/k8s/apiClusterSource';
import { kubeconfigFiles, loadContexts, resolveContext, shadowedNote, shadowedText, type ContextEntry } from '../adapters/k8s/kubeconfig';
import { localKubectlVersion } from '../adapters/k8s/localKubectl';
import type { ClusterStore } from '../core/clusterStore';
import { readSettings } from './settings';
import { watchFiles } from './watchFiles';

/**
 * Reads the kubeconfig files named by the settings (or $KUBECONFIG / ~/.kube/config), gives every context to the
 * store, and reloads when those files or the settings change.
 */
export class ClusterLoader implements vscode.Disposable {
  private fileWatchers: vscode.Disposable[] = [];
  files: string[] = [];
  private contexts = new Map<string, ContextEntry>();
  /** Context names defined in more than one file → the tree's line naming both files and servers. */
  private shadowed = new Map<string, string>();

  constructor(private readonly store: ClusterStore, private readonly log: vscode.OutputChannel) {}

  async load(): Promise<void> {
    const settings = readSettings();
    this.files = kubeconfigFiles(settings.kubeconfig);
    const loaded = loadContexts(this.files, { showShadowed: settings.showShadowedContexts });
    const { contexts, errors } = loaded;
    this.contexts = new Map(contexts.map((c) => [c.name, c]));
    for (const e of errors) {
      this.log.appendLine(`kubeconfig ${e.file}: ${e.message}`);
      void vscode.window.showErrorMessage(`Kubeadm: cannot read kubeconfig ${e.file}: ${e.message}`);
    }
    // The same resolution as the CLI: a current-context that names no context is said, never replaced by another one.
    if (loaded.currentContext && contexts.length > 0) {
      try {
        resolveContext(loaded);
      } catch (e) {
        this.log.appendLine(`kubeconfig: ${(e as Error).message}`);
        void vscode.window.showWarningMessage(`Kubeadm: ${(e as Error).message}`);
      }
    }
    // Said, never silent: a second cluster behind the same context name would otherwise just not appear.
    this.shadowed = new Map((loaded.shadowed ?? []).map((s) => [s.name, settings.showShadowedContexts ? `${s.definitions[0]!.server ?? 'no server'}; also defined in ${s.definitions.slice(1).map((d) => d.file).join(', ')} (shown below, labelled by its server)` : shadowedNote(s)]));
    for (const s of settings.showShadowedContexts ? [] : loaded.shadowed ?? []) {
      this.log.appendLine(`kubeconfig: ${shadowedText(s)}`);
      void vscode.window.showWarningMessage(`Kubeadm: ${shadowedText(s)}`, 'Open Settings').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'kubeadm.kubeconfig');
      });
    }
    await vscode.commands.executeCommand('setContext', 'kubeadm.noKubeconfig', contexts.length === 0 && errors.length === 0);
    this.watchFiles();
    const kubectlVersion = await localKubectlVersion(settings.kubectlPath);
    this.store.setOptions({ kubectlVersion, target: settings.targetVersion || undefined });
    this.log.appendLine(`Loaded ${contexts.length} context(s) from ${this.files.join(', ')}${kubectlVersion ? `; local kubectl ${kubectlVersion}` : ''}`);
    await this.store.setSources(contexts.map((c) => new ApiClusterSource(c.name, c.config)));
  }

  /** For the tree: the context name is defined in several files (kubectl shows the first); undefined when not. */
  shadowedNote(name: string): string | undefined {
    return this.shadowed.get(name);
  }

  /** The in-memory kubeconfig of one context (the user's file is never changed). */
  context(name: string): ContextEntry | undefined {
    return this.contexts.get(name);
  }

  private watchFiles(): void {
    for (const w of this.fileWatchers) w.dispose();
    this.fileWatchers = this.files.map((file) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
      const reload = () => void this.load();
      watcher.onDidChange(reload);
      watcher.onDidCreate(reload);
      watcher.onDidDelete(reload);
      return watcher;
    });
    // Also fs.watch on the folders (replace-by-rename, files outside the workspace): see watchFiles.
    this.fileWatchers.push(watchFiles(this.files, () => void this.load()));
  }

  dispose(): void {
    for (const w of this.fileWatchers) w.dispose();
  }
}
