import * as vscode from 'vscode';
import { apiRowName, manifestApiFindings } from '../core/readiness/apiRemovals';
import { parseVersion } from '../core/version';

/** YAML files read per check at most, so a huge workspace cannot stall the extension host. */
const MAX_FILES = 2000;

/**
 * `removed-api-in-use` in the editor: after a readiness report, the YAML files of the open workspace whose documents
 * use an apiVersion the report's target no longer serves (error) or deprecates (warning), one Problems entry on the
 * line of that `apiVersion`. Replaced at each report.
 */
export function workspaceApiProblems(): vscode.Disposable & { check(target: string): Promise<void> } {
  const collection = vscode.languages.createDiagnosticCollection('kubeadm-apis');
  return {
    async check(target) {
      const t = parseVersion(target);
      if (!t) return;
      const files = await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/{node_modules,.git}/**', MAX_FILES);
      collection.clear();
      for (const uri of files) {
        let text: string;
        try {
          text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        } catch {
          continue;
        }
        if (!text.includes('apiVersion')) continue;
        let findings;
        try {
          findings = manifestApiFindings(text, t);
        } catch {
          continue;
        }
        if (findings.length === 0) continue;
        collection.set(uri, findings.map((f) => {
          const removed = f.verdict.state === 'removed';
          const d = new vscode.Diagnostic(
            new vscode.Range(f.line, 0, f.line, Number.MAX_SAFE_INTEGER),
            `${apiRowName(f.verdict.row)} ${removed ? `is not served from ${f.verdict.row.removed} (target ${target})` : `is deprecated since ${f.verdict.row.deprecated}, removed in ${f.verdict.row.removed}`}${f.verdict.row.replacement ? `: use ${f.verdict.row.replacement}` : ''}`,
            removed ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
          );
          d.source = 'kubeadm readiness';
          d.code = 'removed-api-in-use';
          return d;
        }));
      }
    },
    dispose: () => collection.dispose(),
  };
}
