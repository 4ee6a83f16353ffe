import * as vscode from 'vscode';
import { isViewModel, isWebviewMessage, isWebviewState, type HostMessage, type ViewModel, type WebviewMessage } from '../../core/clusterPanel/protocol';
import { pageHtml } from './html';
import { isRunningView, otherClusterView, viewContext } from '../../core/clusterPanel/otherCluster';
import { getNonce } from './nonce';

// The view type keeps its first name: VS Code revives panels saved by earlier versions by this string.
export const PLAN_VIEW_TYPE = 'kubeadm.planView';

type Slot = 'plan' | 'backups' | 'readiness';
const slotOf = (view: ViewModel): Slot => (view.kind === 'otherCluster' ? view.slot : view.kind === 'backups' || view.kind === 'readiness' ? view.kind : 'plan');

export type MessageHandler = (message: WebviewMessage, panel: ClusterPanel) => void | Promise<void>;

/** Where the host keeps the last finished view of each panel (the workspace's Memento), for a reload to revive. */
export interface PanelStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const storeKey = (slot: Slot) => `kubeadm.panelView.${slot}`;
/** The cluster (`ClusterState.key`) the kept view was made for, beside it. */
const clusterStoreKey = (slot: Slot) => `kubeadm.panelCluster.${slot}`;

/** Which cluster each context reaches now (the ClusterStore), and when that may have changed. */
export interface ClusterKeys {
  keyOf(context: string): string | undefined;
  onDidChange(listener: () => void): () => void;
}

/**
 * One webview panel per kind (the plan, the backups), as in the cat-coding sample: created or revealed by
 * `show`, revived after a reload by the serializer. The host keeps the current view model, so a webview that
 * (re)loads asks with `ready` and gets it back.
 */
export class ClusterPanel {
  private static readonly panels = new Map<Slot, ClusterPanel>();
  private static store: PanelStore | undefined;
  private static clusters: ClusterKeys | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  /** The cluster the shown view was made for (`ClusterState.key`); undefined for a view of no loaded context. */
  private clusterKey: string | undefined;
  /** The cluster a running view started on: the result that follows is that cluster's, whatever the context reaches by then. */
  private runningKey: string | undefined;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private view: ViewModel | undefined,
    private readonly onMessage: MessageHandler,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = html(panel.webview, extensionUri, view ? titleOf(view) : 'Kubeadm');
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m), null, this.disposables);
  }

  /** Shows `view` in its panel (creating or revealing it). */
  static show(extensionUri: vscode.Uri, view: ViewModel, onMessage: MessageHandler): ClusterPanel {
    const slot = slotOf(view);
    const existing = ClusterPanel.panels.get(slot);
    if (existing) {
      existing.panel.reveal(undefined, true);
      existing.setView(view);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PLAN_VIEW_TYPE, titleOf(view), { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, webviewOptions(extensionUri));
    const p = new ClusterPanel(panel, extensionUri, undefined, onMessage);
    ClusterPanel.panels.set(slot, p);
    p.setView(view);
    return p;
  }

  /** Kept by the host for a reload: only a finished view (a running one would look alive and never move again). */
  private static keep(view: ViewModel, clusterKey: string | undefined): void {
    const finished = isFinished(view);
    void ClusterPanel.store?.update(storeKey(slotOf(view)), finished ? view : undefined);
    void ClusterPanel.store?.update(clusterStoreKey(slotOf(view)), finished ? clusterKey : undefined);
  }

  /**
   * Which cluster each context reaches: every view is tied to the cluster it was made for, and replaced by a short
   * "another cluster now" page once its context reaches another one (the same context name in another kubeconfig).
   */
  static useClusters(clusters: ClusterKeys): vscode.Disposable {
    ClusterPanel.clusters = clusters;
    const unsubscribe = clusters.onDidChange(() => {
      for (const p of ClusterPanel.panels.values()) p.checkCluster();
    });
    return { dispose: () => (unsubscribe(), (ClusterPanel.clusters = undefined)) };
  }

  /** The host's own record of what each panel shows: set once by the extension (its workspace state). */
  static useStore(store: PanelStore): void {
    ClusterPanel.store = store;
  }

  /**
   * For the serializer: a panel VS Code restored after a reload. It shows what the host rendered last for that kind
   * of panel (kept by the host), never the view the webview saved: that state only says which kind of panel it was.
   * Nothing kept by the host (a view that was still running, or none yet): the restored panel is closed.
   */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: unknown, onMessage: MessageHandler): ClusterPanel | undefined {
    const slot = isWebviewState(state) ? slotOf(state.view) : 'plan';
    const kept = ClusterPanel.store?.get<unknown>(storeKey(slot));
    const view = isViewModel(kept) && isFinished(kept) && slotOf(kept) === slot ? kept : undefined;
    if (!view || ClusterPanel.panels.has(slot)) {
      panel.dispose();
      return undefined;
    }
    const p = new ClusterPanel(panel, extensionUri, view, onMessage);
    p.clusterKey = ClusterPanel.store?.get<string>(clusterStoreKey(slot));
    ClusterPanel.panels.set(slot, p);
    p.checkCluster();
    return p;
  }

  static current(kind: Slot): ClusterPanel | undefined {
    return ClusterPanel.panels.get(kind);
  }

  /** Fires when the user closes the panel. */
  onDidDispose(listener: () => void): vscode.Disposable {
    return this.panel.onDidDispose(listener);
  }

  get currentView(): ViewModel | undefined {
    return this.view;
  }

  /** The cluster the shown view was made for (`ClusterState.key`), undefined when it names no loaded context. */
  get cluster(): string | undefined {
    return this.clusterKey;
  }

  setView(view: ViewModel): void {
    const context = viewContext(view);
    const now = context === null ? undefined : ClusterPanel.clusters?.keyOf(context);
    if (isRunningView(view)) {
      this.runningKey = now;
      this.clusterKey = now;
    } else if (this.runningKey !== undefined && context !== null && viewContext(this.view ?? view) === context) {
      // The result of a run: that run's cluster, even if the context reaches another one by now (checked below).
      this.clusterKey = this.runningKey;
      this.runningKey = undefined;
    } else {
      this.clusterKey = view.kind === 'otherCluster' ? this.clusterKey : now;
      this.runningKey = undefined;
    }
    this.view = view;
    this.panel.title = titleOf(view);
    this.post({ type: 'show', view });
    ClusterPanel.keep(view, this.clusterKey);
    this.checkCluster();
  }

  /** Replaces the view by "another cluster now" when its context no longer reaches the cluster it was made for. */
  private checkCluster(): void {
    const view = this.view;
    if (!view || view.kind === 'otherCluster' || this.clusterKey === undefined) return;
    const context = viewContext(view);
    const now = context === null ? undefined : ClusterPanel.clusters?.keyOf(context);
    if (context === null || now === undefined || now === this.clusterKey) return;
    if (isRunningView(view)) return; // its result is checked when it arrives
    this.setView(otherClusterView(slotOf(view), context, this.clusterKey, now));
  }

  /** Streams text into a running view; kept in the host's copy too, so a late `ready` gets all of it. */
  append(text: string): void {
    if (this.view?.kind !== 'running') return;
    this.view = { ...this.view, output: this.view.output + text };
    this.post({ type: 'append', text });
  }

  notice(level: 'info' | 'error', text: string): void {
    this.post({ type: 'notice', level, text });
  }

  private post(message: HostMessage): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private receive(message: unknown): void {
    if (!isWebviewMessage(message)) return; // untrusted input: ignore what the protocol does not know
    if (message.type === 'ready') {
      this.ready = true;
      if (this.view) this.post({ type: 'show', view: this.view });
      return;
    }
    Promise.resolve(this.onMessage(message, this)).catch((e: unknown) => {
      void vscode.window.showErrorMessage(`Kubeadm: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  dispose(): void {
    for (const [slot, p] of ClusterPanel.panels) if (p === this) ClusterPanel.panels.delete(slot);
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

/** Scripts on; only dist (the bundle) and media may be loaded. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

function html(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  return pageHtml({
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
    cspSource: webview.cspSource,
    nonce: getNonce(),
    title,
  });
}

/** A view that no longer changes: not a plan still streaming, not a readiness report still running. */
function isFinished(view: ViewModel): boolean {
  return view.kind !== 'running' && !(view.kind === 'readiness' && view.running);
}

function titleOf(view: ViewModel): string {
  switch (view.kind) {
    case 'plan':
      return `Kubeadm Plan${view.header.cluster ? `: ${view.header.cluster}` : ''}`;
    case 'backups':
      return `Kubeadm Backups${view.context ? `: ${view.context}` : ''}`;
    case 'running':
      return `Kubeadm Plan${view.context ? `: ${view.context}` : ''} (running)`;
    case 'readiness':
      return `Upgrade Readiness${view.context ? `: ${view.context}` : ''} → ${view.target}`;
    case 'otherCluster':
      return `Kubeadm: ${view.context} (another cluster now)`;
  }
}
