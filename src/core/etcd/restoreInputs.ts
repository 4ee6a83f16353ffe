import type { NodeExecutor } from '../exec/executor';
import { raw, quote } from '../exec/shell';
import { MANIFESTS_DIR } from '../nodePaths';
import { parseEtcdManifest, type EtcdMember } from './manifest';
import { RESTORE_ROOT } from './restoreCommands';

/**
 * The etcd manifest of a control plane: where kubeadm keeps it, else the one an earlier restore parked (a restore
 * that stopped after etcd was stopped: running it again must still find every member).
 */
export function readEtcdManifestCommand() {
  const live = `${MANIFESTS_DIR}/etcd.yaml`;
  return raw(`if [ -f ${quote(live)} ]; then cat ${quote(live)}; else f=$(ls -t ${RESTORE_ROOT}/*/manifests/etcd.yaml 2>/dev/null | head -n 1); [ -n "$f" ] && cat "$f"; fi`);
}

export class MemberReadError extends Error {}

/** Every control plane's etcd member, read through that node's executor; throws naming each node it could not read. */
export async function readEtcdMembers(controlPlanes: readonly string[], executorFor: (node: string) => Promise<NodeExecutor>): Promise<EtcdMember[]> {
  const results = await Promise.all(
    controlPlanes.map(async (node) => {
      try {
        const ex = await executorFor(node);
        const r = await ex.run(readEtcdManifestCommand(), { sudo: true, timeoutMs: 60_000 });
        if (r.exitCode !== 0) return new MemberReadError(`${node}: no etcd manifest (${r.failure ?? (r.stderr.trim() || `exit ${r.exitCode}`)})`);
        return parseEtcdManifest(node, r.stdout);
      } catch (e) {
        return new MemberReadError(`${node}: ${(e as Error).message}`);
      }
    }),
  );
  const errors = results.filter((r): r is Error => r instanceof Error);
  if (errors.length) throw new MemberReadError(errors.map((e) => e.message).join('; '));
  return results as EtcdMember[];
}

/** `YYYYMMDDTHHMMSSZ` */
export function restoreStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** ClusterConfiguration etcd.external.endpoints (for the copy-only steps of an external etcd restore). */
export function externalEndpoints(clusterConfiguration: string | undefined): string[] {
  const m = /^[ \t]+external:\s*\n(?:[ \t]+.*\n)*?([ \t]+)endpoints:\s*\n((?:\1[ \t]*-[ \t]+.*\n)+)/m.exec((clusterConfiguration ?? '') + '\n');
  return m ? [...m[2]!.matchAll(/-[ \t]+["']?([^\s"']+)/g)].map((x) => x[1]!) : [];
}
