import { auditAround, firstLine } from '../../core/audit/record';
import type { DrainApi } from '../../core/drain';
import type { NodeExecutor, RunOptions, RunResult } from '../../core/exec/executor';
import type { ShellCommand } from '../../core/exec/shell';
import type { AuditEntry } from '../../core/audit/entry';

/** Where audit entries go (AuditLog.append). */
export type AuditSink = (entry: AuditEntry) => void;

export interface AuditScope {
  readonly cluster: string;
  readonly node: string;
  /** The upgrade run the action belongs to, when there is one. */
  readonly run?: string;
  /** What the commands are for (`readiness`, `plan`, …); default `command`. */
  readonly phase?: string;
}

/**
 * Every command run on a node gets its audit lines, whatever runs it (fact gathering, plan, readiness, backups
 * listing, cleanup, etcd snapshots): the executor itself writes them, one when the command starts and one when it
 * ends (same id), so no caller can forget and a crash mid-command leaves its start. A caller that writes richer lines
 * itself (the upgrade runner: run id and step) says so with `auditedByCaller`, and nothing is logged twice.
 */
export class AuditedExecutor implements NodeExecutor {
  constructor(
    readonly inner: NodeExecutor,
    private readonly sink: AuditSink,
    private readonly scope: AuditScope,
  ) {}

  get description(): string {
    return this.inner.description;
  }

  run(command: ShellCommand, options?: RunOptions): Promise<RunResult> {
    if (options?.auditedByCaller) return this.inner.run(command, options);
    const s = this.scope;
    return auditAround(
      this.sink,
      { run: s.run ?? '', cluster: s.cluster, node: s.node, phase: s.phase ?? 'command', command, where: this.inner.description },
      () => this.inner.run(command, options),
      (r) => ({ exitCode: r.exitCode, failure: r.failure }),
    );
  }

  /** Present when the inner executor can stream files; one audit line per read (the command that reads). */
  get readFile(): NodeExecutor['readFile'] {
    const inner = this.inner;
    if (!inner.readFile) return undefined;
    return async (file, offset, onChunk, options) => {
      const started = Date.now();
      const r = await inner.readFile!(file, offset, onChunk, options);
      this.sink({ time: new Date(started).toISOString(), run: this.scope.run ?? '', cluster: this.scope.cluster, node: this.scope.node, phase: 'read file', command: `read ${file} from byte ${offset}`, where: inner.description, exitCode: r.exitCode, durationMs: Date.now() - started, ...(r.failure ? { failure: r.failure } : {}) });
      return r;
    };
  }

  get writeFile(): NodeExecutor['writeFile'] {
    const inner = this.inner;
    if (!inner.writeFile) return undefined;
    return async (local, remote, onBytes) => {
      const started = Date.now();
      const base = { time: new Date(started).toISOString(), run: this.scope.run ?? '', cluster: this.scope.cluster, node: this.scope.node, phase: 'copy file', command: `copy ${local} to ${remote}`, where: inner.description };
      try {
        await inner.writeFile!(local, remote, onBytes);
      } catch (e) {
        this.sink({ ...base, exitCode: null, durationMs: Date.now() - started, failure: firstLine(e) });
        throw e;
      }
      this.sink({ ...base, exitCode: 0, durationMs: Date.now() - started });
    };
  }

  dispose(): void {
    this.inner.dispose();
  }
}

/** The executor without its audit wrapper, for code that writes its own audit lines. */
export function unaudited(e: NodeExecutor): NodeExecutor {
  return e instanceof AuditedExecutor ? e.inner : e;
}

/**
 * The drain API with audit lines for each change it makes to the cluster (start and end): cordon, uncordon, each
 * eviction and each deletion (reads are not logged). `where` names the API server.
 */
export function auditedDrainApi(api: DrainApi, sink: AuditSink, scope: AuditScope & { readonly where: string }): DrainApi {
  const record = (phase: string, command: string, action: () => Promise<void>): Promise<void> =>
    auditAround(sink, { run: scope.run ?? '', cluster: scope.cluster, node: scope.node, phase, command, where: scope.where }, action, () => ({ exitCode: 0 }));
  const grace = (g: number | undefined) => (g === undefined ? '' : ` gracePeriodSeconds=${g}`);
  return {
    getNodeUnschedulable: (n) => api.getNodeUnschedulable(n),
    listPods: (n) => api.listPods(n),
    getDaemonSet: (ns, name) => api.getDaemonSet(ns, name),
    listPdbs: () => api.listPdbs(),
    getPod: (ns, name) => api.getPod(ns, name),
    setUnschedulable: (n, u) => record(u ? 'cordon' : 'uncordon', `PATCH node/${n} spec.unschedulable=${u}`, () => api.setUnschedulable(n, u)),
    evict: (ns, name, g) => record('evict', `POST pods/eviction ${ns}/${name}${grace(g)}`, () => api.evict(ns, name, g)),
    deletePod: (ns, name, g) => record('delete', `DELETE pod ${ns}/${name}${grace(g)}`, () => api.deletePod(ns, name, g)),
  };
}
