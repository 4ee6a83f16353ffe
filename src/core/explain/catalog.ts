// Every id the explainer can report, with its catalog entry. The README's "Explain" section lists these.
import { DRAIN, PACKAGES } from './catalogOther';
import { KUBEADM } from './catalogKubeadm';
import { PREFLIGHT } from './catalogPreflight';
import type { CatalogEntry } from './facts';

const ENTRIES = {
  ...KUBEADM,
  ...PREFLIGHT,
  ...PACKAGES,
  ...DRAIN,
  'plan-warning': {
    severity: 'warning',
    title: 'A warning about the plan output',
    cause: () => 'The plan output looks incomplete or unusual.',
    fix: () => ({ text: 'Run kubeadm upgrade plan again and capture all of its output.', commands: ['sudo kubeadm upgrade plan'] }),
    recovery: () => [],
  },
} satisfies Record<string, CatalogEntry>;

/** Every id the explainer can report: a recogniser that names another fails to compile. */
export type FindingId = keyof typeof ENTRIES;
export const CATALOG: Readonly<Record<FindingId, CatalogEntry>> = ENTRIES;

export function isFindingId(s: string): s is FindingId {
  return Object.hasOwn(CATALOG, s);
}
