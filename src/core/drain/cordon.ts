import { validateNodeName } from '../exec/shell';
import { msg } from './messages';
import type { DrainApi } from './ports';

export interface CordonResult {
  node: string;
  /** false when the node already had the wanted state (no request was sent). */
  changed: boolean;
  message: string;
}

/** kubectl cordon / uncordon: PATCH only when spec.unschedulable differs. */
export async function setCordon(api: DrainApi, node: string, desired: boolean): Promise<CordonResult> {
  validateNodeName(node);
  const current = await api.getNodeUnschedulable(node);
  if (current === desired) return { node, changed: false, message: desired ? msg.alreadyCordoned(node) : msg.alreadyUncordoned(node) };
  await api.setUnschedulable(node, desired);
  return { node, changed: true, message: desired ? msg.cordoned(node) : msg.uncordoned(node) };
}
