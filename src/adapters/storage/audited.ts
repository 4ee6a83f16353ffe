import type { DrainApi } from '../../core/drain';
import type { NodeExecutor, RunOptions, RunResult } from '../../core/exec/executor';
import type { ShellCommand } from '../../core/exec/shell';
import type { AuditEntry } from '../../core/upgrade/ports';

/** Where audit entries go (AuditLog.append). */
export type AuditSink = (entry: AuditEntry) => void;

export interface AuditScope {
  readonly cluster: string;
  readonly node: string;
  /** The upgrade run the action belongs to, when there is one. */
  readonly run?: string;
}

/**
 * Every command run on a node gets one audit line, whatever runs it (fact gathering, plan, backups listing,
 * cleanup, recovery steps): the executor itself writes it, so no caller can forget. The upgrade runner writes its
 * own richer lines (run id, step) and is given `inner` so its commands are not logged twice.
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

  async run(command: ShellCommand, options?: RunOptions): Promise<RunResult> {
    const started = Date.now();
    const base = { time: new Date(started).toISOString(), run: this.scope.run ?? '', cluster: this.scope.cluster, node: this.scope.node, phase: 'command', command, where: this.inner.description };
    let r: RunResult;
    try {
      r = await this.inner.run(command, options);
    } catch (e) {
      this.sink({ ...base, exitCode: null, durationMs: Date.now() - started, failure: firstLine(e) });
      throw e;
    }
    this.sink({ ...base, exitCode: r.exitCode, durationMs: Date.now() - started, ...(r.failure ? { failure: r.failure } : {}) });
    return r;
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

/** The executor without its audit wrapper, for code that writes its own audit lines (the upgrade runner). */
export function unaudited(e: NodeExecutor): NodeExecutor {
  return e instanceof AuditedExecutor ? e.inner : e;
}

/**
 * The drain API with one audit line per change it makes to the cluster: cordon, uncordon, each eviction and each
 * deletion (reads are not logged). `where` names the API server.
 */
export function auditedDrainApi(api: DrainApi, sink: AuditSink, scope: AuditScope & { readonly where: string }): DrainApi {
  const record = async (phase: string, command: string, action: () => Promise<void>): Promise<void> => {
    const started = Date.now();
    const base = { time: new Date(started).toISOString(), run: scope.run ?? '', cluster: scope.cluster, node: scope.node, phase, command, where: scope.where };
    try {
      await action();
    } catch (e) {
      sink({ ...base, exitCode: null, durationMs: Date.now() - started, failure: firstLine(e) });
      throw e;
    }
    sink({ ...base, exitCode: 0, durationMs: Date.now() - started });
  };
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

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!.slice(0, 500);
}
