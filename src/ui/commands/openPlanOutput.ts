import * as vscode from 'vscode';
import { parsePlan } from '../../core/plan';
import { planViewModel } from '../../core/clusterPanel/build';
import type { PlanSource } from '../../core/clusterPanel/model';
import type { ExecutionServices } from '../webview/hostServices';
import { messageHandler } from '../webview/messageHandler';
import { ClusterPanel } from '../webview/clusterPanel';
import { NO_TARGET, type CommandSpec } from './command';

const TITLE = 'Kubeadm: Open Plan Output';

/**
 * Kubeadm: Open Plan Output… — shows a saved or pasted `kubeadm upgrade plan` output (text, -o json or -o yaml) in
 * the plan view, for plans run elsewhere. With a cluster chosen, the view adds that cluster's skew impact.
 */
export function openPlanOutput(services: ExecutionServices, extensionUri: vscode.Uri): CommandSpec<null> {
  return {
    id: 'kubeadm.openPlanOutput',
    resolve: NO_TARGET,
    run: async (_, c) => {
      const input = await readInput();
      if (!input) return;
      if (input.text.trim() === '') {
        c.ui.warning(`Kubeadm: ${input.label} is empty. Copy the whole output of kubeadm upgrade plan first.`);
        return;
      }
      const context = c.target.context ?? (await pickContext(services));
      if (context === undefined) return;
      const source: PlanSource = { origin: input.origin, context, node: null, label: input.label, at: new Date().toISOString() };
      const snapshot = context ? services.store.get(context)?.snapshot : undefined;
      const view = planViewModel(parsePlan(input.text), snapshot, { source, raw: input.text });
      ClusterPanel.show(extensionUri, view, messageHandler(services));
    },
  };
}

interface Input {
  readonly text: string;
  readonly label: string;
  readonly origin: 'file' | 'paste';
}

async function readInput(): Promise<Input | undefined> {
  const editor = vscode.window.activeTextEditor;
  const items: (vscode.QuickPickItem & { id: 'file' | 'clipboard' | 'editor' | 'new' })[] = [
    { id: 'clipboard', label: 'Paste from Clipboard', description: 'the copied output' },
    { id: 'file', label: 'Open File…', description: 'a saved output (.txt, .json, .yaml)' },
    ...(editor ? [{ id: 'editor' as const, label: 'Use the Active Editor', description: editor.document.fileName }] : []),
    { id: 'new', label: 'Paste into a New Editor…', description: 'then run this command again with "Use the Active Editor"' },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: TITLE, placeHolder: 'Where is the output of kubeadm upgrade plan?' });
  switch (pick?.id) {
    case 'clipboard':
      return { text: await vscode.env.clipboard.readText(), label: 'the clipboard', origin: 'paste' };
    case 'editor':
      return editor ? { text: editor.document.getText(), label: editor.document.isUntitled ? 'an untitled editor' : editor.document.fileName, origin: editor.document.isUntitled ? 'paste' : 'file' } : undefined;
    case 'file': {
      const uris = await vscode.window.showOpenDialog({ title: TITLE, canSelectMany: false, filters: { 'Plan output': ['txt', 'log', 'json', 'yaml', 'yml'], All: ['*'] } });
      if (!uris?.[0]) return undefined;
      const bytes = await vscode.workspace.fs.readFile(uris[0]);
      return { text: new TextDecoder().decode(bytes), label: uris[0].fsPath, origin: 'file' };
    }
    case 'new': {
      const doc = await vscode.workspace.openTextDocument({ content: '', language: 'plaintext' });
      await vscode.window.showTextDocument(doc);
      void vscode.window.showInformationMessage('Paste the plan output here, then run "Kubeadm: Open Plan Output…" → Use the Active Editor.');
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The cluster the plan belongs to (for skew impact), or null for "not in my kubeconfig"; undefined when cancelled. */
async function pickContext(services: ExecutionServices): Promise<string | null | undefined> {
  const clusters = services.store.list();
  if (clusters.length === 0) return null;
  const none = { label: 'None', description: 'the cluster is not in my kubeconfig (no skew impact)', context: null as string | null };
  const pick = await vscode.window.showQuickPick([...clusters.map((c) => ({ label: c.contextName, description: c.server, context: c.contextName as string | null })), none], {
    title: TITLE,
    placeHolder: 'Which cluster is this plan for?',
  });
  return pick ? pick.context : undefined;
}
