import type { NodeExecutor, RunResult } from '../exec/executor';
import { ETCD_SNAPSHOT_DIR } from '../backups/paths';
import { validateNodeName } from '../exec/shell';
import { base64Command, NO_ETCDCTL_EXIT, NO_ETCDCTL_HELP, snapshotSaveCommand, snapshotStatusCommand } from './commands';
import { parseSnapshotStatus, type SnapshotStatus } from '../readiness/parse/etcd';

/** What a saved snapshot is: written next to the local copy as `<file>.json`, read back by Show Backups. */
export interface SnapshotRecord {
  readonly kind: 'etcd-snapshot';
  readonly cluster: string;
  readonly node: string;
  /** On the node (kept there too: a restore needs it on a control plane). */
  readonly remotePath: string;
  readonly localPath: string;
  readonly sha256: string;
  readonly status: SnapshotStatus;
  readonly takenAt: string;
}

export interface SnapshotDeps {
  readonly cluster: string;
  /** The control plane's executor; it writes the audit lines of the commands (src/adapters/storage/audited.ts). */
  readonly executor: NodeExecutor;
  /** ClusterConfiguration says etcd.external: no snapshot is taken. */
  readonly etcdExternal: boolean;
  /** Writes the decoded bytes (mode 0600) and the record next to them; returns the path and the sha256 of what was written. */
  saveLocal(outDir: string, fileName: string, base64: string): Promise<{ path: string; sha256: string }>;
  writeRecord(record: SnapshotRecord): Promise<void>;
  readonly now: Date;
  progress?(message: string): void;
}

export type SnapshotOutcome =
  | { readonly kind: 'saved'; readonly record: SnapshotRecord }
  | { readonly kind: 'external'; readonly note: string };

export class SnapshotError extends Error {}

export const EXTERNAL_ETCD_NOTE =
  'This cluster uses external etcd (ClusterConfiguration etcd.external): kubeadm does not manage it and this extension takes no snapshot of it. Back it up with your etcd tooling (etcdctl snapshot save against its endpoints) before upgrading.';

export function snapshotFileName(node: string, now: Date): string {
  return `etcd-snapshot-${node}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.db`;
}

/**
 * Takes an etcd snapshot on a control plane with kubeadm's etcd client certificate, verifies it on the node
 * (`etcdutl snapshot status`: hash, revision, keys, size), copies it off through the executor and checks that the
 * local copy's sha256 is the node's. Throws SnapshotError with what to do when any step fails.
 */
export async function snapshotEtcd(deps: SnapshotDeps, node: string, outDir: string): Promise<SnapshotOutcome> {
  validateNodeName(node);
  if (deps.etcdExternal) return { kind: 'external', note: EXTERNAL_ETCD_NOTE };
  const file = snapshotFileName(node, deps.now);
  const remotePath = `${ETCD_SNAPSHOT_DIR}/${file}`;
  const run = async (command: ReturnType<typeof snapshotSaveCommand>, what: string): Promise<RunResult> => {
    deps.progress?.(what);
    const r = await deps.executor.run(command, { sudo: true, timeoutMs: 300_000 });
    return r;
  };
  const saved = await run(snapshotSaveCommand(ETCD_SNAPSHOT_DIR, file), `etcdctl snapshot save on ${node}`);
  if (saved.exitCode === NO_ETCDCTL_EXIT) throw new SnapshotError(`${node}: ${NO_ETCDCTL_HELP}`);
  if (saved.exitCode !== 0) throw new SnapshotError(`etcdctl snapshot save failed on ${node}: ${tail(saved)}`);
  const remoteSha = /^([0-9a-f]{64})\s/m.exec(saved.stdout)?.[1];
  if (!remoteSha) throw new SnapshotError(`no sha256 of ${remotePath} from ${node}: ${tail(saved)}`);

  const st = await run(snapshotStatusCommand(remotePath), `verifying ${remotePath}`);
  let status: SnapshotStatus;
  try {
    status = parseSnapshotStatus(st.stdout);
  } catch (e) {
    throw new SnapshotError(`the snapshot on ${node} did not verify (etcdutl snapshot status): ${(e as Error).message} ${tail(st)}`);
  }

  const copy = await run(base64Command(remotePath), `copying ${remotePath} off ${node}`);
  if (copy.exitCode !== 0) throw new SnapshotError(`could not copy ${remotePath} off ${node}: ${tail(copy)}`);
  const local = await deps.saveLocal(outDir, file, copy.stdout.replace(/\s+/g, ''));
  if (local.sha256 !== remoteSha) throw new SnapshotError(`the local copy's sha256 ${local.sha256} is not the node's ${remoteSha}: copy damaged, try again`);
  const record: SnapshotRecord = { kind: 'etcd-snapshot', cluster: deps.cluster, node, remotePath, localPath: local.path, sha256: remoteSha, status, takenAt: deps.now.toISOString() };
  await deps.writeRecord(record);
  return { kind: 'saved', record };
}

function tail(r: RunResult): string {
  return r.failure ?? ((r.stderr.trim() || r.stdout.trim()).split('\n').slice(-4).join(' ') || `exit ${r.exitCode}`);
}
