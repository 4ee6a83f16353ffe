import * as vscode from 'vscode';
import type { ClusterStore } from '../../core/clusterStore';
import { children, parentOf, type RunLabels, type TreeElement } from './elements';
import { present } from './present';
import { TreeRedraws } from './redraws';

/**
 * The "Kubeadm Clusters" view: renders the store's states. A change redraws only the items whose look changed, so
 * every other item stays known to VS Code and its context menu keeps working (src/ui/tree/redraws.ts says why).
 */
export class ClusterTreeProvider implements vscode.TreeDataProvider<TreeElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeElement | TreeElement[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly unsubscribe: () => void;
  private readonly redraws: TreeRedraws<TreeElement>;

  constructor(
    private readonly store: ClusterStore,
    private readonly runLabel: RunLabels = () => undefined,
    /** A short note for a cluster's item, e.g. the last readiness report (`readiness: 3 blockers`). */
    private readonly clusterNote: (contextName: string) => string | undefined = () => undefined,
  ) {
    this.redraws = new TreeRedraws<TreeElement>({
      children: (parent) => children(parent, this.store.list(), this.runLabel),
      view: (element) => {
        const p = present(element);
        return { id: p.id, look: JSON.stringify([p, element.kind === 'cluster' ? this.clusterNote(element.cluster.contextName) : null]) };
      },
    });
    this.unsubscribe = store.onDidChange(() => this.refresh());
  }

  /** Redraws what changed, e.g. when an upgrade run moves to its next step or a watch saw a change. */
  refresh(): void {
    const redraw = this.redraws.changes();
    if (redraw === undefined) this.changed.fire(undefined);
    else if (redraw.length > 0) this.changed.fire(redraw);
  }

  getTreeItem(element: TreeElement): vscode.TreeItem {
    const p = present(element);
    const item = new vscode.TreeItem(p.label, COLLAPSE[p.collapsible]);
    item.id = p.id;
    item.description = p.description;
    const note = element.kind === 'cluster' ? this.clusterNote(element.cluster.contextName) : undefined;
    if (note) item.description = [p.description, note].filter(Boolean).join(' · ');
    item.contextValue = p.contextValue;
    if (p.command) item.command = p.command;
    item.iconPath = new vscode.ThemeIcon(p.icon.id, p.icon.color ? new vscode.ThemeColor(p.icon.color) : undefined);
    return item;
  }

  /** Tooltips are built on hover only: VS Code calls this for an item shown without one. */
  resolveTreeItem(item: vscode.TreeItem, element: TreeElement): vscode.TreeItem {
    const tooltip = present(element).tooltip;
    if (tooltip) {
      const md = new vscode.MarkdownString(tooltip);
      md.supportThemeIcons = true;
      item.tooltip = md;
    }
    return item;
  }

  getChildren(element?: TreeElement): TreeElement[] {
    return this.redraws.list(element);
  }

  /** The element's parent, so `TreeView.reveal` can expand the way down to it. */
  getParent(element: TreeElement): TreeElement | undefined {
    return parentOf(element);
  }

  dispose(): void {
    this.unsubscribe();
    this.changed.dispose();
  }
}

const COLLAPSE = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
} as const;
