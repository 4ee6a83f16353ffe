import * as path from 'node:path';
import { ApiClusterSource } from '../adapters/k8s/apiClusterSource';
import { ApiReadinessProbes } from '../adapters/k8s/readinessProbes';
import { SshPool } from '../adapters/ssh/sshPool';
import { AuditedExecutor } from '../adapters/storage/audited';
import { AuditLog } from '../adapters/storage/auditLog';
import { readinessExitCode, readinessJson, renderText, runReadiness, type ReadinessDeps } from '../core/readiness';
import { buildSnapshot } from '../core/snapshot/build';
import type { SshPrompts } from '../core/ssh/prompts';
import { parseVersion } from '../core/version';
import { CLUSTER_ACCESS_FLAGS, parse, UsageError } from './args';
import { cliPrompts } from './cliPrompts';
import { cliStateDir } from './stateDir';
import { contextFor } from './kubeContext';
import type { ContextEntry } from '../adapters/k8s/kubeconfig';
import { PREFLIGHT_USAGE } from './usage';


export interface CliClusterAccess {
  readonly contextName: string;
  readonly deps: ReadinessDeps;
  readonly pool: SshPool;
  readonly audit: AuditLog;
  dispose(): void;
}

/** API probes, the cluster snapshot and one pooled SSH executor per node: what the CLI's readiness and snapshot use. */
export function cliClusterAccess(o: {
  kubeconfig?: string; context?: string; sshConfig?: string; acceptNewHostKeys: boolean; err: (s: string) => void; prompts?: SshPrompts;
  /** An upgrade-cluster session's own context, SSH pool and audit log: one SSH connection per node for the whole run. */
  shared?: { ctx: ContextEntry; pool: SshPool; audit: AuditLog };
  /** How the audit lines of the commands run on nodes are labelled (default: run `preflight`, phase `readiness`). */
  run?: string;
  phase?: string;
}): CliClusterAccess {
  const ctx = o.shared?.ctx ?? contextFor(o.kubeconfig, o.context);
  const pool = o.shared?.pool ?? new SshPool({ prompts: o.prompts ?? cliPrompts(o.acceptNewHostKeys, o.err), ...(o.sshConfig ? { configFile: o.sshConfig } : {}) });
  const audit = o.shared?.audit ?? new AuditLog(path.join(cliStateDir(), 'audit.jsonl'));
  const source = new ApiClusterSource(ctx.name, ctx.config);
  const deps: ReadinessDeps = {
    api: new ApiReadinessProbes(ctx.config),
    // A ClusterAccessError goes up as it is: exit 2, "cannot reach the API at …" when unreachable (failure.ts).
    snapshot: async () => buildSnapshot((await source.fetch()).objects),
    // Every command on a node gets its audit lines (start and end) from the executor.
    executorFor: async (node) => new AuditedExecutor(pool.executorForNode(node), (e) => audit.append(e), { cluster: ctx.name, node: node.name, run: o.run ?? 'preflight', phase: o.phase ?? 'readiness' }),
    now: new Date(),
  };
  return { contextName: ctx.name, deps, pool, audit, dispose: () => { if (!o.shared) pool.dispose(); } };
}

/** `kubeadm-upgrade preflight`: exit 0 without blockers, 1 with any, 2 on bad input. */
export async function preflightCommand(argv: string[], out: (s: string) => void, err: (s: string) => void = (s) => process.stderr.write(s + '\n')): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CLUSTER_ACCESS_FLAGS,
    to: { type: 'string' },
    patches: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(' ')}\nusage: ${PREFLIGHT_USAGE}`);
  const target = parseVersion(values.to);
  if (!values.to || !target || !/^v?\d+\.\d+\.\d+$/.test(values.to)) throw new UsageError(`--to vX.Y.Z is required (got ${values.to ?? 'nothing'})`);
  const access = cliClusterAccess({ kubeconfig: values.kubeconfig, context: values.context, sshConfig: values['ssh-config'], acceptNewHostKeys: values['accept-new-host-keys'], err });
  try {
    // The nodes must be listable at all; otherwise this is bad input (wrong kubeconfig/context), not a finding.
    await access.deps.snapshot();
    if (values.patches !== undefined && !values.patches.startsWith('/')) throw new UsageError(`--patches ${values.patches}: expected an absolute path on the control planes`);
    const report = await runReadiness({ ...access.deps, ...(values.patches ? { patchesDir: values.patches } : {}) }, target);
    out(values.json ? JSON.stringify(readinessJson(report), null, 2) : renderText(report));
    return readinessExitCode(report);
  } finally {
    access.dispose();
  }
}
