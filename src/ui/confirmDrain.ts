import * as vscode from 'vscode';
import { hopelessDrain, hopelessDrainDocument } from '../core/drain/hopeless';
import type { DrainPreview } from '../core/drain/preview';
import type { VirtualDocs } from './virtualDocs';

/**
 * The drain's confirmation. When the preview shows a PodDisruptionBudget that allows 0 disruptions, the drain could
 * only wait out its timeout: the question says so, and its default (first) button opens the PDB with the command
 * that relaxes it; draining anyway is the second, explicit choice. True: drain.
 */
export async function confirmDrain(docs: VirtualDocs | undefined, o: { node: string; question: string; detail: string; preview: DrainPreview | null; run: string }): Promise<boolean> {
  const h = o.preview ? hopelessDrain(o.preview) : null;
  if (!h) return (await vscode.window.showWarningMessage(o.question, { modal: true, detail: o.detail }, o.run)) === o.run;
  const open = 'Open the PDB';
  const anyway = `${o.run} Anyway`;
  const names = h.budgets.map((b) => `${b.namespace}/${b.name}`).join(', ') || 'a PodDisruptionBudget';
  const pick = await vscode.window.showWarningMessage(
    `${o.question} The drain cannot finish: ${names} allows 0 disruptions, so it would only wait out its timeout.`,
    { modal: true, detail: `${h.budgets.map((b) => b.advice.text).join('\n\n')}\n\n${o.detail}` },
    open,
    anyway,
  );
  if (pick === open) {
    const doc = hopelessDrainDocument(o.node, h);
    if (docs) await docs.show(`/PodDisruptionBudget blocking ${o.node}`, doc, 'markdown');
    else await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: doc }));
  }
  return pick === anyway;
}
