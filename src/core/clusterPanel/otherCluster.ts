import { describeEndpointKey } from '../identity/clusterIdentity';
import type { OtherClusterView, ViewModel } from './protocol';

const WHAT: Record<OtherClusterView['slot'], { name: string; command: string }> = {
  plan: { name: 'This plan', command: 'Kubeadm: Plan Upgrade' },
  readiness: { name: 'This readiness report', command: 'Kubeadm: Check Upgrade Readiness…' },
  backups: { name: 'This list of backups', command: 'Kubeadm: Show Backups and Recovery' },
};

/** The context a view is about (null: a pasted or opened plan of no loaded context). */
export function viewContext(view: ViewModel): string | null {
  switch (view.kind) {
    case 'plan':
      return view.source.context;
    default:
      return view.context;
  }
}

/** A view that is still being computed: the result that follows belongs to the cluster it started on. */
export function isRunningView(view: ViewModel): boolean {
  return view.kind === 'running' || (view.kind === 'readiness' && view.running);
}

/**
 * The view that replaces a result once its context reaches another cluster than the one it was made for (both given
 * by their keys, `ClusterState.key`): the result itself is not shown any more, only whose it was and what to run.
 */
export function otherClusterView(slot: OtherClusterView['slot'], context: string, madeFor: string, reachedNow: string): OtherClusterView {
  const w = WHAT[slot];
  return {
    kind: 'otherCluster',
    slot,
    context,
    text:
      `${w.name} was made for the cluster at ${describeEndpointKey(madeFor)}. The context ${context} now reaches ${describeEndpointKey(reachedNow)}: ` +
      `another cluster under the same context name (every kubeadm admin.conf names its context kubernetes-admin@kubernetes), so its results are not shown here. ` +
      `Run ${w.command} again to see this cluster's.`,
  };
}
