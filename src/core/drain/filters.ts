/**
 * kubectl drain's pod filters (k8s.io/kubectl/pkg/drain/filters.go), in kubectl's order and with kubectl's messages:
 * skip pods deleted long ago, DaemonSet pods, mirror pods, pods with emptyDir volumes, pods without a controller.
 * The first filter that says "do not delete" decides; only the last filter's status is kept, as in kubectl.
 */
import { podKey, type DrainOptions, type DrainOwnerRef, type DrainPod } from './types';

export const DAEMONSET_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
export const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods';
export const LOCAL_STORAGE_FATAL = 'Pods with local storage (use --delete-emptydir-data to override)';
export const LOCAL_STORAGE_WARNING = 'deleting Pods with local storage';
export const UNMANAGED_FATAL = 'cannot delete Pods that declare no controller (use --force to override)';
export const UNMANAGED_WARNING = 'deleting Pods that declare no controller';
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** The result of GET on a pod's owning DaemonSet (kubectl asks the API server for each DaemonSet pod). */
export type DaemonSetLookup =
  | { exists: true }
  /** `message` is the API error text, e.g. `daemonsets.apps "fluentd" not found`. */
  | { exists: false; notFound: boolean; message: string };

/** Keyed by `namespace/name` of the DaemonSet. */
export type DaemonSetLookups = ReadonlyMap<string, DaemonSetLookup>;

export type PodDeleteReason = 'Okay' | 'Skip' | 'Warning' | 'Error';

export interface PodDeleteStatus {
  delete: boolean;
  reason: PodDeleteReason;
  message: string;
}

export interface FilteredPod {
  pod: DrainPod;
  status: PodDeleteStatus;
  /** Which filter decided (the last one that ran). */
  filter: FilterName;
}

export type FilterName = 'skipDeleted' | 'daemonSet' | 'mirrorPod' | 'localStorage' | 'unreplicated';

export interface DrainPlan {
  /** Every pod of the node with its status, in list order. */
  items: FilteredPod[];
  /** Pods to evict (or delete), in list order. */
  toEvict: DrainPod[];
  /** Pods left alone without an error (DaemonSet pods, mirror pods, pods deleted long ago), with why. */
  skipped: { pod: string; reason: string }[];
  /** kubectl's warning groups, `"<message>: ns/a, ns/b"`; joined with "; " they are kubectl's `Warning:` line. */
  warnings: string[];
  /** kubectl's error groups, `"cannot delete <message>: ns/a, ns/b"`. Any error: nothing may be evicted. */
  errors: string[];
}

const okay = (): PodDeleteStatus => ({ delete: true, reason: 'Okay', message: '' });
const skip = (message = ''): PodDeleteStatus => ({ delete: false, reason: 'Skip', message });
const warning = (del: boolean, message: string): PodDeleteStatus => ({ delete: del, reason: 'Warning', message });
const error = (message: string): PodDeleteStatus => ({ delete: false, reason: 'Error', message });

/** metav1.GetControllerOf: the owner reference with controller=true. */
export function controllerOf(pod: DrainPod): DrainOwnerRef | undefined {
  return pod.metadata?.ownerReferences?.find((r) => r.controller === true);
}

const finished = (pod: DrainPod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export function hasLocalStorage(pod: DrainPod): boolean {
  return (pod.spec?.volumes ?? []).some((v) => v.emptyDir !== undefined && v.emptyDir !== null);
}

export function deletionTime(pod: DrainPod): number | undefined {
  const ts = pod.metadata?.deletionTimestamp;
  if (ts === undefined || ts === null || ts === '') return undefined;
  const ms = ts instanceof Date ? ts.getTime() : Date.parse(ts);
  return Number.isNaN(ms) ? undefined : ms;
}

/** kubectl's shouldSkipPod: deleted more than `skipSeconds` ago (whole seconds), when `skipSeconds` > 0. */
export function shouldSkipPod(pod: DrainPod, skipSeconds: number, nowMs: number): boolean {
  const deleted = deletionTime(pod);
  return skipSeconds > 0 && deleted !== undefined && Math.trunc((nowMs - deleted) / 1000) > skipSeconds;
}

/** The DaemonSets kubectl would GET for these pods (running pods whose controller is a DaemonSet), `namespace/name`. */
export function daemonSetsToLookUp(pods: readonly DrainPod[]): string[] {
  const keys = new Set<string>();
  for (const pod of pods) {
    const ref = controllerOf(pod);
    if (ref?.kind === 'DaemonSet' && !finished(pod)) keys.add(`${pod.metadata?.namespace ?? ''}/${ref.name ?? ''}`);
  }
  return [...keys];
}

type Filter = (pod: DrainPod) => PodDeleteStatus;

function makeFilters(options: DrainOptions, daemonSets: DaemonSetLookups, nowMs: number): [FilterName, Filter][] {
  return [
    ['skipDeleted', (pod) => (shouldSkipPod(pod, options.skipWaitForDeleteTimeoutSeconds, nowMs) ? skip(`deleted more than ${options.skipWaitForDeleteTimeoutSeconds}s ago`) : okay())],
    [
      'daemonSet',
      (pod) => {
        const ref = controllerOf(pod);
        if (!ref || ref.kind !== 'DaemonSet') return okay();
        if (finished(pod)) return okay();
        const key = `${pod.metadata?.namespace ?? ''}/${ref.name ?? ''}`;
        const found = daemonSets.get(key) ?? { exists: false, notFound: false, message: `DaemonSet ${key} was not looked up` };
        if (!found.exists) {
          if (found.notFound && options.force) return warning(true, found.message);
          return error(found.message);
        }
        if (!options.ignoreDaemonSets) return error(DAEMONSET_FATAL);
        return warning(false, DAEMONSET_WARNING);
      },
    ],
    ['mirrorPod', (pod) => (pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined ? skip('mirror pod') : okay())],
    [
      'localStorage',
      (pod) => {
        if (!hasLocalStorage(pod)) return okay();
        if (finished(pod)) return okay();
        if (!options.deleteEmptyDirData) return error(LOCAL_STORAGE_FATAL);
        return warning(true, LOCAL_STORAGE_WARNING);
      },
    ],
    [
      'unreplicated',
      (pod) => {
        if (finished(pod)) return okay();
        if (controllerOf(pod)) return okay();
        if (options.force) return warning(true, UNMANAGED_WARNING);
        return error(UNMANAGED_FATAL);
      },
    ],
  ];
}

/** Groups pods by message keeping first-seen order (kubectl uses a Go map, whose order is random). */
function group(items: FilteredPod[], reason: PodDeleteReason): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const i of items) {
    if (i.status.reason !== reason) continue;
    const msg = reason === 'Error' && i.status.message === '' ? 'unexpected error' : i.status.message;
    groups.set(msg, [...(groups.get(msg) ?? []), podKey(i.pod)]);
  }
  return groups;
}

/**
 * kubectl's GetPodsForDeletion after the list: runs every pod through the filters and collects all warnings and
 * errors before anything is evicted. `daemonSets` holds the lookups for `daemonSetsToLookUp(pods)`.
 */
export function filterPods(pods: readonly DrainPod[], options: DrainOptions, daemonSets: DaemonSetLookups, nowMs: number): DrainPlan {
  const filters = makeFilters(options, daemonSets, nowMs);
  const items: FilteredPod[] = pods.map((pod) => {
    let status = okay();
    let name: FilterName = 'skipDeleted';
    for (const [n, f] of filters) {
      status = f(pod);
      name = n;
      if (!status.delete) break;
    }
    return { pod, status, filter: name };
  });
  const warnings = [...group(items, 'Warning')].map(([msg, keys]) => `${msg}: ${keys.join(', ')}`);
  const errors = [...group(items, 'Error')].map(([msg, keys]) =>
    msg.toLowerCase().startsWith('cannot delete') ? `${msg}: ${keys.join(', ')}` : `cannot delete ${msg}: ${keys.join(', ')}`,
  );
  const skipped = items
    .filter((i) => !i.status.delete && i.status.reason !== 'Error')
    .map((i) => ({ pod: podKey(i.pod), reason: i.status.message || i.status.reason }));
  return { items, toEvict: items.filter((i) => i.status.delete).map((i) => i.pod), skipped, warnings, errors };
}

/** kubectl's `Warning: ...` line text (without the prefix), or '' when there is none. */
export const warningLine = (plan: DrainPlan): string => plan.warnings.join('; ');
