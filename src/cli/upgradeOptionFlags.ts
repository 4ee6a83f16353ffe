import { parseGoDuration } from '../core/drain/messages';
import { DEFAULT_OPTIONS, type UpgradeOptions } from '../core/upgrade/phases';
import { UsageError } from './args';

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
} as const;

export const UPGRADE_OPTIONS_USAGE =
  '[--no-certificate-renewal] [--no-etcd-upgrade] [--stop-apiserver-first] [--drain-timeout 5m] [--grace-period N] [--force] [--delete-emptydir-data] [--disable-eviction] [--ready-timeout 5m]';

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
  return {
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
