import * as vscode from 'vscode';
import type { ClusterStore } from '../core/clusterStore';
import type { ReadinessReport } from '../core/readiness';
import { readinessProblems as readinessProblemList } from '../core/readiness/problems';
import type { Finding, Severity } from '../core/skew';
import { findingsReport } from '../core/skew/report';
import { findingLabel } from './tree/present';
import type { VirtualDocs } from './virtualDocs';
import { ResultsByCluster } from '../core/identity/resultsByCluster';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/**
 * Skew findings in the Problems panel, one virtual document per cluster (`kubeadm-upgrade:/cluster/<context>`), so
 * the status bar counts them and they can be filtered and copied like any other problem.
 */
export function publishProblems(store: ClusterStore, docs: VirtualDocs): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('kubeadm');
  // Keyed by the cluster, not the name: while the context loads they stay only if it still reaches that cluster.
  const published = new ResultsByCluster<vscode.Uri>((name) => store.keyOf(name));
  const update = () => {
    const seen = new Set<string>();
    for (const c of store.list()) {
      if (c.status !== 'ready') continue;
      seen.add(c.contextName);
      const report = findingsReport(c.contextName, c.findings, c.updatedAt ?? new Date());
      const uri = docs.set(`/cluster/${c.contextName}`, report.text);
      published.set(c.contextName, uri, c.key);
      collection.set(uri, c.findings.map((f, i) => diagnostic(f, report.lines[i]!)));
    }
    for (const { context, value: uri } of published.prune()) if (!seen.has(context)) unpublish(uri);
    for (const { context, value: uri } of published.values()) {
      if (seen.has(context) || store.get(context)?.status === 'loading') continue;
      unpublish(uri);
      published.delete(context);
    }
  };
  const unpublish = (uri: vscode.Uri) => {
    collection.delete(uri);
    docs.delete(uri);
  };
  const unsubscribe = store.onDidChange(update);
  update();
  return { dispose: () => (unsubscribe(), collection.dispose()) };
}

function diagnostic(f: Finding, line: number): vscode.Diagnostic {
  const { label } = findingLabel(f);
  const where = f.node ? `${f.node}: ` : '';
  const message = f.expected ? `${where}${label} — ${f.expected.text.split(': ')[0]}` : `${where}${label}`;
  const d = new vscode.Diagnostic(new vscode.Range(line, 0, line + 1, 0), message, SEVERITY[f.severity]);
  d.source = 'kubeadm skew';
  d.code = f.rule;
  return d;
}

/**
 * Readiness blockers and warnings in the Problems panel too, on their own page per cluster
 * (`kubeadm-upgrade:/readiness/<context>`), replaced each time a report for that cluster comes back, and removed
 * once the context reaches another cluster (the same kubeadm context name in another kubeconfig) or is gone.
 */
export function readinessProblems(docs: VirtualDocs, store: ClusterStore): vscode.Disposable & { publish(contextName: string, report: ReadinessReport, clusterKey?: string): void } {
  const collection = vscode.languages.createDiagnosticCollection('kubeadm-readiness');
  const published = new ResultsByCluster<vscode.Uri>((name) => store.keyOf(name));
  const unsubscribe = store.onDidChange(() => {
    for (const { value: uri } of published.prune()) {
      collection.delete(uri);
      docs.delete(uri);
    }
  });
  return {
    publish(contextName, report, clusterKey) {
      // Counted once: a finding the skew problems already list (same node and rule) stays on this page only.
      const findings = store.get(contextName)?.findings ?? [];
      const { text, problems } = readinessProblemList(contextName, report, (node, rule) => findings.some((f) => f.node === node && f.rule === rule && f.severity !== 'info'));
      const uri = docs.set(`/readiness/${contextName}`, text);
      published.set(contextName, uri, clusterKey);
      if (published.get(contextName) === undefined) {
        // Made for a cluster the context no longer reaches: not shown at all.
        published.delete(contextName);
        collection.delete(uri);
        docs.delete(uri);
        return;
      }
      collection.set(uri, problems.map((p) => {
        const d = new vscode.Diagnostic(new vscode.Range(p.line, 0, p.line + 1, 0), p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
        d.source = 'kubeadm readiness';
        d.code = p.code;
        return d;
      }));
    },
    dispose: () => (unsubscribe(), collection.dispose()),
  };
}
