import * as vscode from 'vscode';
import type { ClusterStore } from '../../core/clusterStore';
import { children, parentOf, type RunLabels, type TreeElement } from './elements';
import { present } from './present';

/** The "Kubeadm Clusters" view: renders the store's states; redraws one cluster when only that one changed. */
export class ClusterTreeProvider implements vscode.TreeDataProvider<TreeElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeElement | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly unsubscribe: () => void;
  /** Top-level elements by context, so a change to one cluster fires for that element only. */
  private roots = new Map<string, TreeElement>();

  constructor(
    private readonly store: ClusterStore,
    private readonly runLabel: RunLabels = () => undefined,
    /** A short note for a cluster's item, e.g. the last readiness report (`readiness: 3 blockers`). */
    private readonly clusterNote: (contextName: string) => string | undefined = () => undefined,
  ) {
    this.unsubscribe = store.onDidChange((contextName) => {
      const root = contextName ? this.roots.get(contextName) : undefined;
      const state = contextName ? store.get(contextName) : undefined;
      if (root?.kind === 'cluster' && state) {
        root.cluster = state;
        this.changed.fire(root);
      } else {
        this.changed.fire(undefined);
      }
    });
  }

  /** Redraws everything, e.g. when an upgrade run moves to its next step. */
  refresh(): void {
    this.changed.fire(undefined);
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
    const result = children(element, this.store.list(), this.runLabel);
    if (!element) this.roots = new Map(result.filter((r) => r.kind === 'cluster').map((r) => [r.cluster.contextName, r]));
    return result;
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
