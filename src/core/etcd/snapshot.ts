import { succeeded, type NodeExecutor, type RunResult } from '../exec/executor';
import { ETCD_SNAPSHOT_DIR } from '../nodePaths';
import { validateNodeName } from '../exec/shell';
import { base64ChunkCommand, NO_ETCDCTL_EXIT, NO_ETCDCTL_HELP, removeSnapshotCommand, snapshotSaveCommand, snapshotStatusCommand } from './commands';
import { parseSnapshotStatus, type SnapshotStatus } from './parse';

/** What a saved snapshot is: written next to the local copy as `<file>.json`, read back by Show Backups. */
export interface SnapshotRecord {
  readonly kind: 'etcd-snapshot';
  readonly cluster: string;
  /**
   * The cluster it was taken of (`ClusterState.key`: server + CA): the context name alone is every kubeadm cluster's
   * `kubernetes-admin@kubernetes`. Absent in records of earlier versions and of the CLI.
   */
  readonly clusterKey?: string;
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
  /** Recorded with the snapshot (SnapshotRecord.clusterKey). */
  readonly clusterKey?: string;
  /** The control plane's executor; it writes the audit lines of the commands (src/adapters/storage/audited.ts). */
  readonly executor: NodeExecutor;
  /** ClusterConfiguration says etcd.external: no snapshot is taken. */
  readonly etcdExternal: boolean;
  /** A private staging file for the copy (removed by `discard`, moved into `outDir` by `commit`). */
  stage(outDir: string, fileName: string): Promise<StagedFile>;
  writeRecord(record: SnapshotRecord): Promise<void>;
  readonly now: Date;
  progress?(message: string): void;
  /** Bytes copied off the node so far, of the file's size. */
  onBytes?(done: number, total: number): void;
  /** Waits between copy attempts (tests pass a fast one). */
  sleep?(ms: number): Promise<void>;
}

/**
 * A local file being written chunk by chunk, its sha256 computed as the bytes come (the adapter writes each chunk to
 * disk at once: memory stays bounded whatever the size). `bytes` is where a resumed copy goes on from.
 */
export interface StagedFile {
  readonly bytes: number;
  append(chunk: Uint8Array): void;
  /** Moves the complete file to `<outDir>/<fileName>` (mode 0600, never over an existing file). */
  commit(): Promise<{ path: string; sha256: string }>;
  /** Removes the staged bytes (failure or cancel). */
  discard(): Promise<void>;
}

/** What copying a file off a node needs (snapshotEtcd's deps are a superset). */
export type CopyDeps = Pick<SnapshotDeps, 'executor' | 'stage' | 'progress' | 'onBytes' | 'sleep'>;

/** Copy attempts after a drop, each resuming at the byte it reached; the waits between them. */
export const COPY_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15_000];
/** Executors without a byte stream (a terminal) copy in base64 chunks of this many bytes. */
export const BASE64_CHUNK = 4 * 1024 * 1024;

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
  const size = Number(/^size (\d+)$/m.exec(saved.stdout)?.[1]);
  if (!remoteSha || !Number.isSafeInteger(size)) throw new SnapshotError(`no sha256 and size of ${remotePath} from ${node}: ${tail(saved)}`);

  // From here on a failure removes the node's copy: an unverified or half-copied snapshot is never left behind.
  try {
    const st = await run(snapshotStatusCommand(remotePath), `verifying ${remotePath}`);
    let status: SnapshotStatus;
    try {
      status = parseSnapshotStatus(st.stdout);
    } catch (e) {
      throw new SnapshotError(`the snapshot on ${node} did not verify (etcdutl snapshot status): ${(e as Error).message} ${tail(st)}`);
    }
    deps.progress?.(`copying ${remotePath} off ${node} (${size} bytes)`);
    const local = await copyFileOff(deps, remotePath, size, outDir, file, node);
    if (local.sha256 !== remoteSha) throw new SnapshotError(`the local copy's sha256 ${local.sha256} is not the node's ${remoteSha}: copy damaged, removed; try again`);
    const record: SnapshotRecord = { kind: 'etcd-snapshot', cluster: deps.cluster, ...(deps.clusterKey ? { clusterKey: deps.clusterKey } : {}), node, remotePath, localPath: local.path, sha256: remoteSha, status, takenAt: deps.now.toISOString() };
    await deps.writeRecord(record);
    return { kind: 'saved', record };
  } catch (e) {
    await run(removeSnapshotCommand(ETCD_SNAPSHOT_DIR, file), `removing ${remotePath} from ${node}`).catch(() => undefined);
    throw e;
  }
}

/**
 * Copies the node's file into a local staging file as a stream (the executor's readFile), the sha256 computed as the
 * bytes arrive. A dropped connection resumes at the byte reached, up to COPY_RETRY_DELAYS_MS.length times; any other
 * failure, or running out of tries, removes the staged bytes. Returns the committed file's path and sha256 (the
 * caller compares it with the node's).
 */
export async function copyFileOff(deps: CopyDeps, remotePath: string, size: number, outDir: string, file: string, node: string): Promise<{ path: string; sha256: string }> {
  const ex = deps.executor;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const staged = await deps.stage(outDir, file);
  try {
    let last = '';
    for (let attempt = 0; ; attempt++) {
      const r = ex.readFile
        ? await ex.readFile(remotePath, staged.bytes, (chunk) => {
            staged.append(chunk);
            deps.onBytes?.(staged.bytes, size);
          }, { timeoutMs: 600_000 + Math.ceil(size / 1024) })
        : await copyInChunks(ex, remotePath, size, staged, deps);
      if (staged.bytes > size) throw new SnapshotError(`${remotePath} on ${node} grew while it was copied (${staged.bytes} > ${size} bytes)`);
      if (succeeded(r) && staged.bytes === size) return await staged.commit();
      if (succeeded(r)) throw new SnapshotError(`${remotePath} on ${node} ended at ${staged.bytes} of ${size} bytes`);
      last = r.failure ?? tail(r);
      // Only a lost connection is worth another try; a command that ran and failed would fail again.
      if (r.exitCode !== null) throw new SnapshotError(`could not copy ${remotePath} off ${node}: ${last}`);
      const wait = COPY_RETRY_DELAYS_MS[attempt];
      if (wait === undefined) throw new SnapshotError(`could not copy ${remotePath} off ${node}: ${last} (${attempt + 1} tries, ${staged.bytes} of ${size} bytes)`);
      deps.progress?.(`connection lost at ${staged.bytes} of ${size} bytes (${last}); resuming in ${Math.round(wait / 1000)} s`);
      await sleep(wait);
    }
  } catch (e) {
    await staged.discard();
    throw e;
  }
}

// Core has no DOM or Node types; atob is a global of every runtime the core runs in (Node >= 16, browsers).
declare function atob(data: string): string;

/** Without a byte stream: base64 chunks of BASE64_CHUNK bytes, each its own command (bounded memory, resumable). */
async function copyInChunks(ex: NodeExecutor, remotePath: string, size: number, staged: StagedFile, deps: CopyDeps): Promise<RunResult> {
  while (staged.bytes < size) {
    const r = await ex.run(base64ChunkCommand(remotePath, staged.bytes, BASE64_CHUNK), { sudo: true, timeoutMs: 300_000 });
    if (!succeeded(r)) return r;
    const bin = atob(r.stdout.replace(/\s+/g, ''));
    if (bin.length === 0) return r;
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    staged.append(bytes);
    deps.onBytes?.(staged.bytes, size);
  }
  return { exitCode: 0, stdout: '', stderr: '' };
}

function tail(r: RunResult): string {
  return r.failure ?? ((r.stderr.trim() || r.stdout.trim()).split('\n').slice(-4).join(' ') || `exit ${r.exitCode}`);
}

/** "512.0 MiB of 1.2 GiB (42 %)" */
export function bytesOfTotal(done: number, total: number): string {
  const size = (n: number) => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(2)} GiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`);
  return `${size(done)} of ${size(total)} (${total ? Math.floor((done / total) * 100) : 100} %)`;
}

/** An onBytes that reports at most every `stepPercent` (and at the end), so a notification or a log is not flooded. */
export function everyPercent(report: (text: string) => void, stepPercent = 5): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    const pct = total ? Math.floor((done / total) * 100) : 100;
    if (pct < last + stepPercent && done !== total) return;
    last = pct;
    report(`copied ${bytesOfTotal(done, total)}`);
  };
}
