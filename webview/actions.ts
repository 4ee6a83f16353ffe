// data-action attributes of the rendered buttons → protocol messages. Pure: tested without a DOM.
import type { ViewModel, WebviewMessage } from '../src/core/clusterPanel/protocol';

type Data = Readonly<Record<string, string | undefined>>;

const orNull = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);

export function actionMessage(data: Data, view: ViewModel): WebviewMessage | undefined {
  switch (data.action) {
    case 'copy':
      return data.text !== undefined ? { type: 'copy', text: data.text } : undefined;
    case 'copyRaw':
      return view.kind === 'plan' ? { type: 'copy', text: view.raw } : undefined;
    // Only the step's id and the command shown: the host takes everything else from the view it rendered.
    case 'run':
      return data.command && data.step ? { type: 'runInTerminal', step: data.step, command: data.command } : undefined;
    case 'upgrade':
      return data.target ? { type: 'upgradeNode', context: orNull(data.context), node: orNull(data.node), target: data.target } : undefined;
    case 'backups':
      return { type: 'showBackups', context: orNull(data.context), node: orNull(data.node) };
    case 'cleanup': {
      if (!data.node) return undefined;
      let paths: unknown;
      try {
        paths = JSON.parse(data.paths ?? '[]');
      } catch {
        return undefined;
      }
      if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) return undefined;
      return { type: 'cleanup', context: orNull(data.context), node: data.node, paths: paths as string[] };
    }
    case 'refresh':
      return { type: 'refresh' };
    case 'snapshotEtcd':
      return data.node ? { type: 'snapshotEtcd', context: orNull(data.context), node: data.node } : undefined;
    case 'restoreEtcd':
      return data.sha256 && /^[0-9a-f]{64}$/.test(data.sha256) ? { type: 'restoreEtcd', context: orNull(data.context), sha256: data.sha256 } : undefined;
    case 'runOnNode':
      return data.command && data.step ? { type: 'runOnNode', step: data.step, command: data.command } : undefined;
    default:
      return undefined;
  }
}
