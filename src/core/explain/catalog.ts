// Every id the explainer can report, with its catalog entry. The README's "Explain" section lists these.
import { DRAIN, PACKAGES } from './catalogOther';
import { KUBEADM } from './catalogKubeadm';
import { PREFLIGHT } from './catalogPreflight';
import type { CatalogEntry } from './facts';

export const CATALOG: Readonly<Record<string, CatalogEntry>> = {
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
};

export type FindingId = keyof typeof CATALOG;
