// The drain as the user sets it (settings, CLI flags), and its two readings: the drain engine's options and the
// equivalent `kubectl drain` line that confirmations and the dry run show.
import { sh } from '../exec/shell';
import type { DrainOptions } from './types';

export interface DrainSettings {
  readonly timeoutSeconds: number;
  /** undefined: each pod's own terminationGracePeriodSeconds. */
  readonly gracePeriodSeconds?: number;
  readonly deleteEmptyDirData: boolean;
  readonly force: boolean;
  readonly disableEviction: boolean;
  /** Evictions in flight at once (kubeadm.drain.evictionConcurrency); undefined: the drain's default, 50. */
  readonly evictionConcurrency?: number;
}

/** The `kubectl drain` line equivalent to these settings, as confirmations and the dry run show it. */
export function drainCommandLine(node: string, d: DrainSettings): string {
  const flags = [
    '--ignore-daemonsets',
    ...(d.deleteEmptyDirData ? ['--delete-emptydir-data'] : []),
    ...(d.force ? ['--force'] : []),
    ...(d.disableEviction ? ['--disable-eviction'] : []),
    ...(d.gracePeriodSeconds !== undefined ? [`--grace-period=${d.gracePeriodSeconds}`] : []),
    `--timeout=${d.timeoutSeconds}s`,
  ];
  return sh`kubectl drain ${node} ${flags}`;
}

/** The drain engine's options for these settings (one mapping for the upgrade's drain and Drain Node…). */
export function drainOptionsFrom(d: DrainSettings): Partial<DrainOptions> {
  return {
    force: d.force,
    deleteEmptyDirData: d.deleteEmptyDirData,
    disableEviction: d.disableEviction,
    gracePeriodSeconds: d.gracePeriodSeconds ?? -1,
    timeoutMs: d.timeoutSeconds * 1000,
    ...(d.evictionConcurrency !== undefined ? { evictionConcurrency: d.evictionConcurrency } : {}),
  };
}
