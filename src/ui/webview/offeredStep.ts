import { stepKey, type ViewModel, type WebviewMessage } from '../../core/clusterPanel/protocol';

type RunMessage = Extract<WebviewMessage, { type: 'runInTerminal' }>;

/**
 * The recovery step a "Run in terminal" message refers to, looked up by its id in the view the host rendered. The
 * node, title, danger and command all come from that view, never from the message (a webview is untrusted input);
 * undefined when the view has no such step or the message's command is not that step's command.
 */
export function offeredStep(view: ViewModel | undefined, message: RunMessage): RunMessage | undefined {
  if (view?.kind !== 'backups' || !message.step) return undefined;
  for (const n of view.nodes) {
    for (const r of n.runs) {
      for (const s of r.steps) {
        if (stepKey(n.node, r.id, s.id) !== message.step) continue;
        if (!s.command || s.command !== message.command) return undefined;
        return { type: 'runInTerminal', context: view.context, node: n.node, title: s.title, command: s.command, danger: s.danger === 'safe' ? 'safe' : 'restore', step: message.step };
      }
    }
  }
  return undefined;
}
