import * as vscode from 'vscode';
import { explainFailedRun, whatHappenedDocument } from '../core/explain';
import { recoveryMarkdown } from '../core/upgrade/recovery';
import { formatVersion } from '../core/version';
import type { UpgradeRunState } from '../core/upgrade/state';
import type { Services } from './services';
import { runTranscript } from './upgrade/runOutput';

/** What the explainer found in a failed run's step: the document, the first cause and every failure id. */
export interface Explained {
  readonly document: string;
  readonly cause: string;
  readonly ids: readonly string[];
}

export function explainRun(run: UpgradeRunState): Explained | null {
  const e = explainFailedRun(run, runTranscript(run.context.node));
  if (!e) return null;
  const first = e.result.findings.find((f) => f.severity === 'failure') ?? e.result.findings[0]!;
  return { document: whatHappenedDocument(e.result, e.step, e.output), cause: first.cause, ids: e.result.findings.map((f) => f.id) };
}

const whatHappenedPath = (run: UpgradeRunState) => `/What Happened — ${run.context.node}`;
const recoveryPath = (run: UpgradeRunState) => `/Recovery Steps — ${run.context.node}`;

/**
 * Writes the node's "What Happened" and "Recovery Steps" pages for this run: read-only documents named after the
 * node (never a dirty Untitled), so a page already open shows the newest failure without being opened again.
 */
export function publishFailureDocs(services: Services, run: UpgradeRunState, explained: Explained | null = explainRun(run)): void {
  const docs = services.docs;
  if (!docs) return;
  if (explained) docs.set(whatHappenedPath(run), explained.document);
  docs.set(recoveryPath(run), recoveryMarkdown(run, explained?.ids ?? [], currentVersion(services, run)));
}

/** "--force at the version the cluster runs now": kubeadm-config's kubernetesVersion as the view last read it. */
function currentVersion(services: Services, run: UpgradeRunState): string | null {
  const snapshot = services.store.get(run.context.cluster)?.snapshot;
  const current = snapshot?.kubernetesVersion ?? snapshot?.serverVersion;
  return current ? formatVersion(current) : null;
}

export async function showWhatHappened(services: Services, run: UpgradeRunState, explained: Explained | null = explainRun(run)): Promise<void> {
  if (!explained) {
    void vscode.window.showInformationMessage(`Kubeadm: nothing to explain in the run of ${run.context.node}: no step failed with an output.`);
    return;
  }
  await showMarkdown(services, whatHappenedPath(run), explained.document);
}

export async function showRecoveryDoc(services: Services, run: UpgradeRunState, explained: Explained | null = explainRun(run)): Promise<void> {
  await showMarkdown(services, recoveryPath(run), recoveryMarkdown(run, explained?.ids ?? [], currentVersion(services, run)));
}

async function showMarkdown(services: Services, path: string, content: string): Promise<void> {
  const docs = services.docs;
  const doc = docs ? await vscode.workspace.openTextDocument(docs.set(path, content)) : await vscode.workspace.openTextDocument({ language: 'markdown', content });
  if (doc.languageId !== 'markdown') await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
  await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => vscode.window.showTextDocument(doc, { preview: true }));
}
