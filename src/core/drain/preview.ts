import { validateNodeName } from '../exec/shell';
import { daemonSetsToLookUp, filterPods, type DaemonSetLookup, type DrainPlan } from './filters';
import { analyzePdbs, type PdbFinding } from './pdb';
import type { DrainApi } from './ports';
import { DEFAULT_DRAIN_OPTIONS, type DrainOptions } from './types';

export interface DrainPreview {
  node: string;
  plan: DrainPlan;
  /** Pods of `plan.toEvict` a PodDisruptionBudget will hold back (empty with disableEviction: budgets are bypassed). */
  pdbFindings: PdbFinding[];
  /** Set when the budgets could not be listed (e.g. 403): the preview then says nothing about them. */
  pdbError?: string;
}

/** Everything the drain will decide, without changing anything: the filters' verdicts and the blocking budgets. */
export async function previewDrain(api: DrainApi, node: string, options: Partial<DrainOptions> = {}, now = Date.now()): Promise<DrainPreview> {
  validateNodeName(node);
  const opts = { ...DEFAULT_DRAIN_OPTIONS, ...options };
  const pods = await api.listPods(node);
  const lookups = new Map<string, DaemonSetLookup>();
  await Promise.all(
    daemonSetsToLookUp(pods).map(async (key) => {
      const [ns, name] = splitKey(key);
      lookups.set(key, await api.getDaemonSet(ns, name));
    }),
  );
  const plan = filterPods(pods, opts, lookups, now);
  if (opts.disableEviction || plan.toEvict.length === 0) return { node, plan, pdbFindings: [] };
  try {
    return { node, plan, pdbFindings: analyzePdbs(plan.toEvict, await api.listPdbs()) };
  } catch (e) {
    return { node, plan, pdbFindings: [], pdbError: (e as Error).message };
  }
}

const splitKey = (key: string): [string, string] => {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
};
