// A drain the preview already knows cannot finish: a PodDisruptionBudget allows 0 disruptions for a pod it must
// evict (or two budgets cover one pod, which the API refuses). Started anyway, it would only wait out its timeout.
import { budgetsInText, pdbAdvice, type BlockingBudget, type PdbAdvice } from './pdbAdvice';
import type { DrainPreview } from './preview';

export interface HopelessDrain {
  /** "PDB default/singleton allows 0 disruptions (minAvailable 1 of 1 replica): this pod can never be evicted". */
  readonly reasons: readonly string[];
  readonly budgets: readonly (BlockingBudget & { readonly advice: PdbAdvice })[];
}

export function hopelessDrain(preview: DrainPreview): HopelessDrain | null {
  const stuck = preview.pdbFindings.filter((f) => f.kind === 'never' || f.kind === 'blocked' || f.kind === 'conflict');
  if (stuck.length === 0) return null;
  const reasons = [...new Set(stuck.map((f) => `${f.pod}: ${f.reason}`))];
  return { reasons, budgets: budgetsInText(reasons.join('\n')).map((b) => ({ ...b, advice: pdbAdvice(b) })) };
}

/** The page "Open the PDB" shows: each budget, why the drain cannot pass it, and the commands that relax it. */
export function hopelessDrainDocument(node: string, h: HopelessDrain): string {
  const lines = [`# Why the drain of ${node} cannot finish`, '', ...h.reasons.map((r) => `- ${r}`), ''];
  for (const b of h.budgets) {
    lines.push(`## PodDisruptionBudget \`${b.namespace}/${b.name}\``, '', b.advice.text, '', '```sh', ...b.advice.commands, `kubectl -n ${b.namespace} get pdb ${b.name} -o yaml`, '```', '');
  }
  lines.push('Then drain again (or Resume the upgrade: it restarts at the drain).', '');
  return lines.join('\n');
}
