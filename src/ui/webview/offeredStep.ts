import { stepKey, type ViewModel, type WebviewMessage } from '../../core/clusterPanel/protocol';

type RunMessage = Extract<WebviewMessage, { type: 'runInTerminal' | 'runOnNode' }>;

/** A step the host rendered, as the host rendered it: what a Run button may run, and where. */
export interface OfferedStep {
  readonly context: string;
  readonly node: string;
  readonly title: string;
  readonly command: string;
  readonly danger: 'safe' | 'restore';
}

/**
 * The step a "Run in terminal…" or "Run on node…" message refers to, looked up by its id in the view the host
 * rendered: a kubeadm backup's recovery step (the etcd snapshot's restore and the first snapshot have their own
 * messages, restoreEtcd and snapshotEtcd). The context, node, title, danger and command all come from that view, never from the message
 * (a webview is untrusted input); undefined when the view has no such step, no context, or the message's command is
 * not that step's command.
 */
export function offeredStep(view: ViewModel | undefined, message: RunMessage): OfferedStep | undefined {
  if (view?.kind !== 'backups' || !view.context) return undefined;
  const context = view.context;
  const found = (node: string, title: string, command: string | null, danger: string): OfferedStep | undefined =>
    command && command === message.command ? { context, node, title, command, danger: danger === 'safe' ? 'safe' : 'restore' } : undefined;
  for (const n of view.nodes) {
    for (const r of n.runs) {
      for (const s of r.steps) if (stepKey(n.node, r.id, s.id) === message.step) return found(n.node, s.title, s.command, s.danger);
    }
  }
  return undefined;
}
