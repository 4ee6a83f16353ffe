// The per-node engine as Upgrade Node runs it, against a sandbox: the cluster read from its real apiserver, the node's
// facts gathered over its executor, the run prepared for the sandbox's target; and the engine's hooks with the real
// API for cordon, drain and Ready. Tests override only what they watch (progress, audit).
import { ApiClusterOps } from '../../src/adapters/k8s/clusterOps';
import { KubeDrainApi } from '../../src/adapters/k8s/drain';
import { ApiClusterSource } from '../../src/adapters/k8s/apiClusterSource';
import { loadContexts } from '../../src/adapters/k8s/kubeconfig';
import type { NodeExecutor } from '../../src/core/exec/executor';
import { buildSnapshot } from '../../src/core/snapshot/build';
import type { Guard } from '../../src/core/upgrade/guards';
import { DEFAULT_OPTIONS, phasesFor, type UpgradeOptions } from '../../src/core/upgrade/phases';
import type { UpgradeHooks } from '../../src/core/upgrade/ports';
import { buildContext, gatherNodeFacts } from '../../src/core/upgrade/prepare';
import { newRunState, type UpgradeRunState } from '../../src/core/upgrade/state';
import { parseVersion } from '../../src/core/version';
import { SANDBOX_TARGET, type Sandbox } from './sandbox';

/** The sandbox's one kubeconfig context. */
export function sandboxContext(sb: Sandbox) {
  return loadContexts([sb.kubeconfig]).contexts[0]!;
}

/** A fresh run of `node` to the sandbox's target, from the cluster and the node as they are now. */
export async function prepareNodeRun(
  sb: Sandbox,
  node: string,
  executor: NodeExecutor,
  runId: string,
  options: UpgradeOptions = DEFAULT_OPTIONS,
): Promise<{ run: UpgradeRunState; guards: readonly Guard[] }> {
  const ctx = sandboxContext(sb);
  const snapshot = buildSnapshot((await new ApiClusterSource(ctx.name, ctx.config).fetch()).objects);
  const facts = await gatherNodeFacts(node, executor);
  const { context, guards } = buildContext(ctx.name, snapshot, node, facts, parseVersion(SANDBOX_TARGET)!, options, new Date());
  return { run: newRunState(runId, context, phasesFor(context), new Date()), guards };
}

/** The engine's hooks on the sandbox: every confirmation answered yes, nothing saved; `over` replaces any of them. */
export function engineHooks(sb: Sandbox, executor: NodeExecutor, over: Partial<UpgradeHooks> = {}): UpgradeHooks {
  const ctx = sandboxContext(sb);
  return {
    executor,
    cluster: new ApiClusterOps(ctx.config, new KubeDrainApi(ctx.config)),
    confirm: async () => true,
    progress: () => {},
    save: async () => {},
    audit: () => {},
    ...over,
  };
}
