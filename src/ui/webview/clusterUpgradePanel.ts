import * as vscode from 'vscode';
import type { ClusterRunState } from '../../core/clusterUpgrade/state';
import { renderClusterUpgrade } from '../../../webview/render/clusterUpgrade';
import { failedNode, otherClusterNote } from '../../core/clusterUpgrade/stopSentence';
import { getNonce } from './nonce';
import type { CommandId } from '../commands/ids';
import { runOwnCommand } from '../commands/register';

export type ClusterPanelAction = 'pause' | 'continue' | 'cancel' | 'resume' | 'copy-report';

const ACTIONS: readonly ClusterPanelAction[] = ['pause', 'continue', 'cancel', 'resume', 'copy-report'];

/** The failed node's pages, opened by the view itself (whoever created it): the node run is in the run's row. */
const PAGES: Readonly<Record<string, CommandId>> = { 'what-happened': 'kubeadm.showWhatHappened', 'recovery-steps': 'kubeadm.showRecoverySteps' };

/**
 * The Cluster Upgrade view: one panel per run id. The host renders the HTML (pure renderer) and posts it; a small
 * nonce'd script swaps it in and turns button clicks into action names, which the host checks against a fixed list.
 */
export class ClusterUpgradePanel implements vscode.Disposable {
  private static readonly panels = new Map<string, ClusterUpgradePanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly output = new Map<string, string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private latest: { run: ClusterRunState; active: boolean } | undefined;
  planText: string | undefined;

  /** The cluster key a context reaches now (`ClusterStore.keyOf`): a run of another cluster is marked stale. */
  static keyOf: (context: string) => string | undefined = () => undefined;

  /** Renders every open view again (the store changed: a context may reach another cluster now). */
  static refreshAll(): void {
    // Only a view whose "Another cluster now" mark changes is rendered again (the store changes on every watch event).
    for (const p of ClusterUpgradePanel.panels.values()) if (p.latest && p.otherCluster() !== p.shownOther) p.update(p.latest.run, p.latest.active);
  }

  /** The mark last rendered. */
  private shownOther: string | undefined;

  private otherCluster(): string | undefined {
    return this.latest && !this.latest.active ? otherClusterNote(this.latest.run, ClusterUpgradePanel.keyOf(this.latest.run.cluster)) : undefined;
  }

  static show(runId: string, onAction: (action: ClusterPanelAction) => void): ClusterUpgradePanel {
    const existing = ClusterUpgradePanel.panels.get(runId);
    if (existing) {
      existing.onAction = onAction;
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel('kubeadm.clusterUpgrade', 'Cluster Upgrade', { viewColumn: vscode.ViewColumn.Active, preserveFocus: true }, { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [] });
    const p = new ClusterUpgradePanel(runId, panel, onAction);
    ClusterUpgradePanel.panels.set(runId, p);
    return p;
  }

  private constructor(
    private readonly runId: string,
    private readonly panel: vscode.WebviewPanel,
    private onAction: (action: ClusterPanelAction) => void,
  ) {
    const nonce = getNonce();
    panel.webview.html = page(nonce);
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    panel.webview.onDidReceiveMessage(
      (m: unknown) => {
        const action = (m as { action?: unknown } | null)?.action;
        if (typeof action === 'string' && (ACTIONS as readonly string[]).includes(action)) this.onAction(action as ClusterPanelAction);
        const runId = this.latest && failedNode(this.latest.run)?.runId;
        if (typeof action === 'string' && PAGES[action] && runId) void runOwnCommand(PAGES[action], runId);
        if (action === 'ready' && this.latest) this.flush();
      },
      undefined,
      this.disposables,
    );
  }

  /** Appends to a node's live output (the last 40 lines are kept). */
  appendOutput(node: string, text: string): void {
    const lines = `${this.output.get(node) ?? ''}${text}`.split('\n');
    this.output.set(node, lines.slice(-40).join('\n'));
  }

  clearOutput(node: string): void {
    this.output.delete(node);
  }

  /** Renders at most every 300 ms, however busy the run. */
  update(run: ClusterRunState, active: boolean): void {
    this.latest = { run, active };
    this.panel.title = `Cluster Upgrade: ${run.cluster}`;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, 300);
  }

  private flush(): void {
    if (!this.latest) return;
    const run = this.latest.run;
    const other = this.otherCluster();
    this.shownOther = other;
    const html = renderClusterUpgrade({ run, active: this.latest.active, output: Object.fromEntries(this.output), now: Date.now(), ...(this.planText ? { planText: this.planText } : {}), ...(other ? { otherCluster: other } : {}) });
    void this.panel.webview.postMessage({ type: 'html', html });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    ClusterUpgradePanel.panels.delete(this.runId);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function page(nonce: string): string {
  const csp = `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0"><title>Cluster Upgrade</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--vscode-panel-border); vertical-align: top; }
.node-running { background: var(--vscode-editor-selectionHighlightBackground); }
.node-failed, .check-fail, .status-failed { color: var(--vscode-errorForeground); }
/* A warning mark, not warning-coloured text: Light+'s #BF8803 on white is 2.9:1, below WCAG AA (4.5:1). */
.check-pending, .warn { border-left: 3px solid var(--vscode-editorWarning-foreground); padding-left: 6px; }
.node-done, .check-pass, .status-done { color: var(--vscode-testing-iconPassed); }
pre { white-space: pre-wrap; background: var(--vscode-textCodeBlock-background); padding: 6px; }
button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 4px 12px; cursor: pointer; }
</style></head>
<body><main id="root"><p>Loading…</p></main>
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
const root = document.getElementById('root');
const saved = vscode.getState();
if (saved && typeof saved.html === 'string') root.innerHTML = saved.html;
window.addEventListener('message', (e) => {
  if (!e.data || e.data.type !== 'html') return;
  const open = [...document.querySelectorAll('details[open] > summary')].map((s) => s.textContent);
  root.innerHTML = e.data.html;
  for (const s of document.querySelectorAll('details > summary')) if (open.includes(s.textContent)) s.parentElement.open = true;
  vscode.setState({ html: e.data.html });
});
document.addEventListener('click', (e) => {
  const b = e.target instanceof Element ? e.target.closest('[data-action]') : null;
  if (b) vscode.postMessage({ action: b.getAttribute('data-action') });
});
vscode.postMessage({ action: 'ready' });
</script></body></html>`;
}
