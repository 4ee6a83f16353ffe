import { sh, validatePath, UnsafeValueError, type ShellCommand } from '../exec/shell';
import { ETCD_SNAPSHOT_DIR, KUBEADM_TMP } from '../nodePaths';
import type { Backup } from './types';

const REMOVABLE = /^(kubeadm-backup-(etcd|manifests)-\d{4}(-\d{2}){5}|kubeadm-upgraded-manifests\d*|kubeadm-kubelet-config(\d*|-\d{4}(-\d{2}){5})|etcd-snapshot-\d{4}(-\d{2}){5}\.db)$/;

/** Refuses anything that is not a kubeadm backup (or one of our snapshots) directly inside its folder. */
export function checkRemovable(path: string): string {
  validatePath(path);
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash);
  const name = path.slice(slash + 1);
  if ((dir !== KUBEADM_TMP && dir !== ETCD_SNAPSHOT_DIR) || !REMOVABLE.test(name)) {
    throw new UnsafeValueError(`"${path}" is not a kubeadm backup folder`);
  }
  return path;
}

/** `rm -rf` of the given backups; run as root (the executor adds sudo). Throws on any path that is not a backup. */
export function cleanupCommand(paths: readonly string[]): ShellCommand {
  if (paths.length === 0) throw new UnsafeValueError('nothing to remove');
  return sh`rm -rf -- ${paths.map(checkRemovable)}`;
}

/**
 * What a cleanup proposes: every backup except those of the newest run (kubeadm never removes them, but the
 * newest is the one a recovery would need). Working copies (upgraded manifests, kubelet config and env file) of older runs too.
 */
export function oldBackups(backups: readonly Backup[]): Backup[] {
  const timed = backups.filter((b) => b.kind === 'etcd' || b.kind === 'manifests');
  const newest = timed.reduce<string>((m, b) => (b.time && b.time.iso > m ? b.time.iso : m), '');
  const newestMtime = backups.reduce((m, b) => Math.max(m, b.mtime ?? 0), 0);
  return backups.filter((b) => {
    if (b.kind === 'etcd' || b.kind === 'manifests') return b.time !== null && !sameRun(b.time.iso, newest);
    if (b.kind === 'upgraded-manifests' || b.kind === 'kubelet-config' || b.kind === 'kubelet-env') return b.mtime !== null && newestMtime - b.mtime > 600;
    return false;
  });
}

/** Two kubeadm timestamps of the same run: created a moment apart (same minute window). */
export function sameRun(a: string, b: string): boolean {
  const ta = Date.parse(a + 'Z');
  const tb = Date.parse(b + 'Z');
  return Number.isFinite(ta) && Number.isFinite(tb) && Math.abs(ta - tb) <= 60_000;
}
