// Which tree items to redraw after a change, so that VS Code keeps every item it does not need to redraw.
//
// Why it matters: the moment VS Code refreshes an item it forgets that item's descendants
// (ExtHostTreeView._addChildrenToClear), and a refresh of the whole tree forgets every item, until the workbench asks
// for them again. A context-menu command on a forgotten item receives `undefined` instead of the item: the e2e test saw
// "Drain Node…" on worker-2 open the node chooser because the tree had just been redrawn. A cluster's watch fires on
// every change in the cluster (node heartbeats, pods) and most change nothing the tree shows: those now redraw nothing,
// and a change redraws only the items whose look changed (the whole tree only when the clusters themselves change).
//
// Free of VS Code, so the decisions are unit-tested (test/unit/tree/redraws.test.ts).

/** How to list a parent's children, and view an element: its TreeItem id and how it looks (all its TreeItem shows). */
export interface TreeShape<E extends object> {
  children(parent: E | undefined): E[];
  /** One call for both, so an element is presented once per listing or change. */
  view(element: E): { readonly id: string; readonly look: string };
}

const ROOT = '\u0000root';

export class TreeRedraws<E extends object> {
  /** Every element VS Code was given, by id: the same instance is updated in place (VS Code knows items by identity). */
  private readonly shown = new Map<string, { element: E; look: string }>();
  /** The ids of each parent's children as VS Code last listed them; a parent VS Code never expanded is not here. */
  private readonly listed = new Map<string, string[]>();

  constructor(private readonly shape: TreeShape<E>) {}

  /** `getChildren`: the children to hand VS Code, remembered for the next change. */
  list(parent: E | undefined): E[] {
    const key = parent === undefined ? ROOT : this.shape.view(parent).id;
    this.forget(key);
    const kids = this.shape.children(parent);
    const views = kids.map((k) => this.shape.view(k));
    this.listed.set(key, views.map((v) => v.id));
    kids.forEach((k, i) => this.shown.set(views[i]!.id, { element: k, look: views[i]!.look }));
    return kids;
  }

  /**
   * After a change: `undefined` when the top level changed (redraw everything), else the elements to redraw (none when
   * nothing shown changed). Elements keep their identity; their data is brought up to date in place.
   */
  changes(): E[] | undefined {
    const out: E[] = [];
    return this.update(undefined, ROOT, out) ? out : undefined;
  }

  /** Updates what is shown under `parent`; false when the top level's items changed (added, removed, reordered). */
  private update(parent: E | undefined, key: string, out: E[]): boolean {
    const was = this.listed.get(key);
    if (!was) return true; // never listed (collapsed): VS Code asks when it is expanded
    const now = this.shape.children(parent);
    const views = now.map((k) => this.shape.view(k));
    const ids = views.map((v) => v.id);
    if (ids.length !== was.length || ids.some((id, i) => id !== was[i])) {
      if (parent === undefined) return false;
      // Its children changed: redraw it, and VS Code lists them again (if it is expanded) through list().
      this.forget(key);
      out.push(parent);
      return true;
    }
    now.forEach((fresh, i) => {
      const kept = this.shown.get(ids[i]!)!;
      replaceContent(kept.element, fresh); // the kept instance now holds what `fresh` holds, so it looks as `fresh` does
      const look = views[i]!.look;
      if (look !== kept.look) {
        kept.look = look;
        out.push(kept.element);
      }
      this.update(kept.element, ids[i]!, out);
    });
    return true;
  }

  private forget(key: string): void {
    for (const id of this.listed.get(key) ?? []) {
      this.forget(id);
      this.shown.delete(id);
    }
    this.listed.delete(key);
  }
}

/** `target` becomes a copy of `source`, keeping its identity (keys `source` lacks are removed). */
function replaceContent(target: object, source: object): void {
  for (const k of Object.keys(target)) if (!(k in source)) delete (target as Record<string, unknown>)[k];
  Object.assign(target, source);
}
