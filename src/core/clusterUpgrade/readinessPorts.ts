import type { SnapshotOutcome } from '../etcd/snapshot';
import type { ReadinessReport } from '../readiness';
import type { KubeVersion } from '../version';
import type { EtcdSnapshotter, ReadinessGate, ReadinessOnResume } from './ports';

/**
 * The cluster upgrade's two ports over the real readiness report (src/core/readiness) and etcd snapshot
 * (src/core/etcd): every blocker stops the plan (unless overridden by its id), warnings, infos and checks that could
 * not run are shown as notes — a check that did not run is never counted as passed.
 */
export function readinessGateFrom(run: (target: KubeVersion, resume?: ReadinessOnResume) => Promise<ReadinessReport>): ReadinessGate {
  return {
    async run(target, resume) {
      const report = await run(target, resume);
      const where = (node: string | null) => (node ? `${node}: ` : '');
      const blockers = report.checks
        .filter((c) => c.severity === 'blocker')
        .map((c) => ({ id: c.id, node: c.node, message: `${where(c.node)}${c.message}${c.fix ? ` Fix: ${c.fix}` : ''}` }));
      const notes = report.checks
        .filter((c) => c.severity !== 'blocker' && (c.severity !== 'ok' || c.notRun))
        .map((c) => `${c.severity}${c.notRun ? ' (not run)' : ''} ${c.id}: ${where(c.node)}${c.notRun ?? c.message}`);
      const addonUpgrades = report.checks.filter((c) => c.id === 'addon-compatibility' && c.severity === 'warning').map((c) => `${c.message}${c.fix ? ` ${c.fix}` : ''}`);
      return { blockers, notes, ...(addonUpgrades.length > 0 ? { addonUpgrades } : {}) };
    },
  };
}

/** A saved snapshot is the local, verified copy; external etcd is no snapshot, said as such (the run goes on). */
export function snapshotterFrom(take: (node: string) => Promise<SnapshotOutcome>): EtcdSnapshotter {
  return {
    async snapshot(node) {
      const o = await take(node);
      return o.kind === 'saved'
        ? { node: o.record.node, path: o.record.localPath, sha256: o.record.sha256 }
        : { node, path: '', sha256: '', external: o.note };
    },
  };
}
