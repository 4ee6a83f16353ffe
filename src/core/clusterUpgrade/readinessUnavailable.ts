import type { EtcdSnapshotter, ReadinessGate } from './ports';

/**
 * Stand-ins used until the readiness report and the etcd snapshot are wired in. They never pretend a check passed:
 * the gate reports, as an info note, that there was no readiness check at all, and the snapshotter refuses, so a
 * run needs `--skip-snapshot` (audited) until a real snapshotter is there.
 */
export const READINESS_NOT_AVAILABLE = 'Readiness report: not available in this build, so no readiness checks ran (nothing was checked, nothing passed).';

export const unavailableReadiness: ReadinessGate = {
  run: async () => ({ blockers: [], notes: [READINESS_NOT_AVAILABLE] }),
};

export const unavailableSnapshotter: EtcdSnapshotter = {
  unavailable: 'etcd snapshot is not available in this build: take one yourself (etcdctl snapshot save) and pass --skip-snapshot.',
  snapshot: async () => {
    throw new Error('etcd snapshot is not available in this build: take one yourself (etcdctl snapshot save) and pass --skip-snapshot.');
  },
};
