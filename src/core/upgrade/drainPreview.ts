import type { DrainPreview } from '../drain';
import { drainCommandLine, type DrainSettings } from '../drain/settings';

const MAX_PODS = 25;

/**
 * What a drain will do, in the lines a confirmation shows before anything is cordoned: the pods it will evict
 * (by name), the filters' warnings and refusals, and which PodDisruptionBudgets will block which pods and why.
 * Used by Drain Node… and by the upgrade's own drain step, so both ask the same question.
 */
export function drainPreviewLines(preview: DrainPreview, node: string, d: DrainSettings): string[] {
  const pods = preview.plan.toEvict.map((p) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? '?'}`);
  const shown = pods.slice(0, MAX_PODS).map((p) => `  ${p}`);
  if (pods.length > MAX_PODS) shown.push(`  … and ${pods.length - MAX_PODS} more`);
  return [
    `${pods.length} pod(s) to evict${d.disableEviction ? ' (deleted: PodDisruptionBudgets bypassed)' : ''}${pods.length ? ':' : '.'}`,
    ...shown,
    ...preview.plan.warnings.map((w) => `Warning: ${w}`),
    ...preview.plan.errors.map((e) => `Refused: ${e}`),
    ...preview.pdbFindings.map((f) => `PDB: ${f.reason}`),
    preview.pdbError ? `PodDisruptionBudgets could not be read: ${preview.pdbError}` : '',
    `\n${drainCommandLine(node, d)}`,
  ].filter(Boolean);
}
