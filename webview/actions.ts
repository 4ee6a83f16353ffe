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
    case 'run':
      if (!data.command) return undefined;
      return {
        type: 'runInTerminal',
        context: orNull(data.context),
        node: orNull(data.node),
        title: data.title ?? data.command,
        command: data.command,
        danger: data.danger === 'safe' ? 'safe' : 'restore',
        ...(data.step ? { step: data.step } : {}),
      };
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
      if (!data.command || !data.node) return undefined;
      return { type: 'runOnNode', context: orNull(data.context), node: data.node, title: data.title ?? data.command, command: data.command, danger: data.danger === 'safe' ? 'safe' : 'restore' };
    default:
      return undefined;
  }
}
