// The run's time split by node and step (issue #23 §3): from the product's saved node runs (each phase's startedAt
// and endedAt), into kubeadm's (plan, upgrade apply/node, version check), the package manager's (repository switch,
// index check, installs), the kubelet's (restart until the node is Ready at the new version), the drain's (pods'
// eviction and shutdown) and ours: everything else of the node's run (uncordon, the runner between steps) plus,
// for the whole run, what happens between node runs (readiness, snapshot, health gates).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SavedPhase { id: string; startedAt?: string; endedAt?: string }
export interface SavedRun { context: { node: string }; phases: SavedPhase[]; createdAt: string; updatedAt: string }

const CATEGORY: Record<string, Category> = {
  'plan': 'kubeadm', 'kubeadm-upgrade': 'kubeadm', 'verify-kubeadm': 'kubeadm',
  'switch-repo': 'packages', 'check-packages': 'packages', 'install-kubeadm': 'packages', 'install-kubelet': 'packages',
  'restart-kubelet': 'kubelet', 'wait-ready': 'kubelet',
  'drain': 'drain',
};
export type Category = 'kubeadm' | 'packages' | 'kubelet' | 'drain' | 'ours';
export const CATEGORIES: Category[] = ['kubeadm', 'packages', 'kubelet', 'drain', 'ours'];

export interface NodeSplit { node: string; wallMs: number; ms: Record<Category, number> }

const t = (s?: string) => (s ? Date.parse(s) : NaN);

/** Node runs saved under a CLI state folder (any depth): the JSON files shaped like an upgrade run. */
export function savedRuns(stateDir: string): SavedRun[] {
  const out: SavedRun[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (e.name.endsWith('.json')) {
        try {
          const j = JSON.parse(fs.readFileSync(f, 'utf8')) as Partial<SavedRun>;
          if (Array.isArray(j.phases) && typeof j.context?.node === 'string') out.push(j as SavedRun);
        } catch { /* not JSON: not a run */ }
      }
    }
  };
  walk(stateDir);
  return out;
}

export function timeSplit(runs: readonly SavedRun[]): NodeSplit[] {
  return runs.map((r) => {
    const ms = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
    const done = r.phases.filter((p) => !Number.isNaN(t(p.startedAt)) && !Number.isNaN(t(p.endedAt)));
    const start = Math.min(...done.map((p) => t(p.startedAt)));
    const end = Math.max(...done.map((p) => t(p.endedAt)));
    for (const p of done) {
      const c = CATEGORY[p.id];
      if (c) ms[c] += t(p.endedAt) - t(p.startedAt);
    }
    const wallMs = done.length ? end - start : 0;
    ms.ours = Math.max(0, wallMs - ms.kubeadm - ms.packages - ms.kubelet - ms.drain);
    return { node: r.context.node, wallMs, ms };
  }).sort((a, b) => a.node.localeCompare(b.node));
}

/** A table (seconds) with a total row; `totalMs` is the whole run's wall time: its part outside node runs is ours. */
export function splitTable(split: readonly NodeSplit[], totalMs: number): string {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const sum = (c: Category | 'wall') => split.reduce((a, n) => a + (c === 'wall' ? n.wallMs : n.ms[c]), 0);
  const between = Math.max(0, totalMs - sum('wall'));
  const oursAll = sum('ours') + between;
  const rows = [
    ['node', 'wall s', ...CATEGORIES.map((c) => `${c} s`)],
    ...split.map((n) => [n.node, s(n.wallMs), ...CATEGORIES.map((c) => s(n.ms[c]))]),
    ['between nodes', s(between), '', '', '', '', s(between)],
    ['whole run', s(totalMs), ...CATEGORIES.map((c) => s(c === 'ours' ? oursAll : sum(c)))],
  ];
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const share = totalMs > 0 ? ` — ours ${((oursAll / totalMs) * 100).toFixed(1)} % of the run` : '';
  return [`[realha] time split by node and step${share}`, ...rows.map((r) => `[realha]   ${r.map((c, i) => c.padStart(w[i]!)).join('  ')}`)].join('\n');
}
