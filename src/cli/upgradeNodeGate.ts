import { blockersForNode, parseOverrides, runReadiness, upgradeOptionDeps, type CheckId } from '../core/readiness';
import type { UpgradeContext } from '../core/upgrade/phases';
import type { AuditSink } from '../adapters/storage/audited';
import { formatVersion } from '../core/version';
import { SnapshotError } from '../core/etcd/snapshot';
import { UsageError } from './args';
import type { CliClusterAccess } from './preflightCommand';
import { takeSnapshot } from './snapshotEtcdCommand';

/**
 * The extension's gate before Upgrade Node, for the CLI's `upgrade-node`: the readiness report (blockers stop the
 * upgrade unless each is overridden by id with --override, each override audited) and, before `kubeadm upgrade apply`
 * on the first control plane, an etcd snapshot (verified, copied off, recorded) unless --skip-snapshot (audited).
 */
export interface GateOptions {
  readonly overrides: readonly string[];
  readonly skipSnapshot: boolean;
  readonly snapshotDir: string;
  readonly audit: AuditSink;
  readonly err: (s: string) => void;
}

export function overridesFrom(values: readonly string[]): CheckId[] {
  try {
    return parseOverrides(values.join(','));
  } catch (e) {
    throw new UsageError(`--override: ${(e as Error).message}`);
  }
}

/** The readiness part (read-only: runs under --dry-run too). True when no blocker is left. */
export async function readinessGate(access: CliClusterAccess, ctx: UpgradeContext, o: GateOptions): Promise<boolean> {
  const t = formatVersion(ctx.target);
  const overrides = overridesFrom(o.overrides);
  const line = (phase: string, command: string) => o.audit({ time: new Date().toISOString(), run: 'upgrade-node', cluster: ctx.cluster, node: ctx.node, phase, command, where: 'cli', exitCode: 0, durationMs: 0 });
  o.err(`==> readiness for ${t} (the extension's gate; blockers stop the upgrade unless --override ID)`);
  // With the run's patches folder and image archive: an edit a patch keeps, an image the archive brings, is no blocker.
  const report = await runReadiness({ ...access.deps, ...upgradeOptionDeps(ctx.options) }, ctx.target);
  for (const id of overrides) line('readiness-override', `--override ${id} before upgrading ${ctx.node} to ${t}`);
  const all = blockersForNode(report, ctx.node);
  const left = all.blocking.filter((b) => !overrides.includes(b.id));
  for (const b of all.otherNodes) o.err(`note [${b.id}] ${b.node}: ${b.message} (${b.node}'s own matter: it does not stop upgrading ${ctx.node})`);
  for (const b of all.blocking) {
    const overridden = overrides.includes(b.id);
    o.err(`${overridden ? 'overridden' : 'blocker'} [${b.id}]${b.node ? ` ${b.node}` : ''}: ${b.message}${overridden ? '' : ` (override with --override ${b.id})`}`);
  }
  if (left.length > 0) o.err(`refused: ${left.length} readiness blocker(s) for ${t}; fix them or re-run with ${[...new Set(left.map((b) => `--override ${b.id}`))].join(' ')}`);
  return left.length === 0;
}

/** The snapshot part, before apply on the first control plane only. True when the upgrade may go on. */
export async function snapshotGate(access: CliClusterAccess, ctx: UpgradeContext, o: GateOptions): Promise<boolean> {
  if (ctx.role !== 'first-control-plane') return true;
  const audit = (phase: string, command: string, exitCode: number | null) => o.audit({ time: new Date().toISOString(), run: 'upgrade-node', cluster: ctx.cluster, node: ctx.node, phase, command, where: 'cli', exitCode, durationMs: 0 });
  if (o.skipSnapshot) {
    audit('etcd-snapshot-skipped', `--skip-snapshot: no etcd snapshot before kubeadm upgrade apply on ${ctx.node}`, 0);
    o.err('etcd snapshot skipped (--skip-snapshot, audited)');
    return true;
  }
  try {
    const outcome = await takeSnapshot(access, ctx.node, o.snapshotDir, (s) => o.err(`==> ${s}`));
    if (outcome.kind === 'external') o.err(outcome.note);
    else {
      o.err(`etcd snapshot before apply: ${outcome.record.localPath} sha256 ${outcome.record.sha256}`);
      audit('etcd-snapshot', `etcd snapshot before kubeadm upgrade apply: ${outcome.record.localPath} sha256 ${outcome.record.sha256}`, 0);
    }
    return true;
  } catch (e) {
    if (!(e instanceof SnapshotError)) throw e;
    audit('etcd-snapshot', `etcd snapshot before kubeadm upgrade apply failed: ${e.message}`, 1);
    o.err(`refused: the etcd snapshot before kubeadm upgrade apply failed: ${e.message}\nFix it, or re-run with --skip-snapshot to upgrade without one (audited).`);
    return false;
  }
}
