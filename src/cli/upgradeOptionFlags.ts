import { parseGoDuration } from '../core/drain/messages';
import { DEFAULT_OPTIONS, type UpgradeOptions } from '../core/upgrade/phases';
import { UsageError } from './args';
import { UPGRADE_OPTIONS_USAGE } from './usage';

export { UPGRADE_OPTIONS_USAGE };

/** The upgrade options as flags, shared by upgrade-node and upgrade-cluster (the drain ones as `kubectl drain` spells them). */
export const UPGRADE_OPTION_FLAGS = {
  'no-certificate-renewal': { type: 'boolean', default: false },
  'no-etcd-upgrade': { type: 'boolean', default: false },
  'stop-apiserver-first': { type: 'boolean', default: false },
  'drain-timeout': { type: 'string' },
  'grace-period': { type: 'string' },
  force: { type: 'boolean', default: false },
  'delete-emptydir-data': { type: 'boolean', default: false },
  'disable-eviction': { type: 'boolean', default: false },
  'ready-timeout': { type: 'string' },
  patches: { type: 'string' },
  // Pre-pull is the default; `--prepull-images` (its flag while it was opt-in) is still accepted and changes nothing.
  'prepull-images': { type: 'boolean', default: false },
  'no-pre-pull': { type: 'boolean', default: false },
  'images-archive': { type: 'string' },
} as const;


interface OptionValues {
  'no-certificate-renewal'?: boolean;
  'no-etcd-upgrade'?: boolean;
  'stop-apiserver-first'?: boolean;
  'drain-timeout'?: string;
  'grace-period'?: string;
  force?: boolean;
  'delete-emptydir-data'?: boolean;
  'disable-eviction'?: boolean;
  'ready-timeout'?: string;
  patches?: string;
  'prepull-images'?: boolean;
  'no-pre-pull'?: boolean;
  'images-archive'?: string;
}

export function upgradeOptionsFrom(v: OptionValues): UpgradeOptions {
  const d = DEFAULT_OPTIONS;
  const seconds = (flag: string, text: string | undefined, fallback: number) => {
    if (text === undefined) return fallback;
    const ms = parseGoDuration(/^\d+$/.test(text) ? `${text}s` : text);
    if (ms === undefined || ms < 0) throw new UsageError(`--${flag} ${text}: expected a duration such as 90s or 5m`);
    return Math.round(ms / 1000);
  };
  let grace: number | undefined;
  if (v['grace-period'] !== undefined) {
    if (!/^-?\d+$/.test(v['grace-period'])) throw new UsageError(`--grace-period ${v['grace-period']}: expected whole seconds`);
    grace = Number(v['grace-period']);
  }
  const absolute = (flag: string, p: string | undefined) => {
    if (p !== undefined && (!p.startsWith('/') || /[\n\0]/.test(p) || p.split('/').includes('..'))) throw new UsageError(`--${flag} ${p}: expected an absolute path on the nodes`);
    return p;
  };
  const patchesDir = absolute('patches', v.patches);
  const imagesArchive = absolute('images-archive', v['images-archive']);
  if (v['no-pre-pull'] && imagesArchive) throw new UsageError('--no-pre-pull with --images-archive: the archive is imported by the pre-pull step; drop one of them');
  if (v['no-pre-pull'] && v['prepull-images']) throw new UsageError('--no-pre-pull with --prepull-images: choose one');
  return {
    ...(patchesDir ? { patchesDir } : {}),
    prepullImages: !v['no-pre-pull'],
    ...(imagesArchive ? { imagesArchive } : {}),
    renewCertificates: !v['no-certificate-renewal'],
    upgradeEtcd: !v['no-etcd-upgrade'],
    stopApiserverFirst: !!v['stop-apiserver-first'],
    readyTimeoutSeconds: seconds('ready-timeout', v['ready-timeout'], d.readyTimeoutSeconds),
    drain: {
      timeoutSeconds: seconds('drain-timeout', v['drain-timeout'], d.drain.timeoutSeconds),
      ...(grace !== undefined && grace >= 0 ? { gracePeriodSeconds: grace } : {}),
      deleteEmptyDirData: !!v['delete-emptydir-data'],
      force: !!v.force,
      disableEviction: !!v['disable-eviction'],
    },
  };
}
