import * as os from 'node:os';
import * as path from 'node:path';
import { ApiClusterOps } from '../adapters/k8s/clusterOps';
import { KubeDrainApi } from '../adapters/k8s/drain';
import { ApiClusterSource } from '../adapters/k8s/apiClusterSource';
import { LocalExecutor } from '../adapters/local/localExecutor';
import { SshPool } from '../adapters/ssh/sshPool';
import { AuditLog } from '../adapters/storage/auditLog';
import { RunStore } from '../adapters/storage/runStore';
import type { NodeExecutor } from '../core/exec/executor';
import { validateNodeName } from '../core/exec/shell';
import { buildSnapshot } from '../core/snapshot/build';
import { DEFAULT_OPTIONS, dryRunScript, phasesFor } from '../core/upgrade/phases';
import { buildContext, gatherNodeFacts } from '../core/upgrade/prepare';
import { runUpgrade } from '../core/upgrade/runner';
import { newRunState } from '../core/upgrade/state';
import { formatVersion, parseVersion } from '../core/version';
import { parse, UsageError } from './args';
import { cliPrompts } from './cliPrompts';
import { contextFor } from './kubeContext';
import { UPGRADE_NODE_USAGE } from './usage';

export { UPGRADE_NODE_USAGE };

/**
 * `kubeadm-upgrade upgrade-node`: the same sequence as the extension's "Upgrade Node…". Without --yes it stops
 * before the first change and prints the plan. Exit 0 only when the node ended at the target and schedulable.
 */
export async function upgradeNodeCommand(argv: string[], out: (s: string) => void, err: (s: string) => void = (s) => process.stderr.write(s + '\n')): Promise<number> {
  const { values, positionals } = parse(argv, {
    to: { type: 'string' },
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    'ssh-config': { type: 'string' },
    local: { type: 'boolean', default: false },
    'accept-new-host-keys': { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    yes: { type: 'boolean', default: false },
    'state-dir': { type: 'string' },
  });
  const nodeName = positionals[0];
  if (!nodeName || positionals.length > 1) throw new UsageError(`give one NODE\nusage: ${UPGRADE_NODE_USAGE}`);
  try {
    validateNodeName(nodeName);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const target = parseVersion(values.to);
  if (!values.to || !target) throw new UsageError(`--to vX.Y.Z is required (got ${values.to ?? 'nothing'})`);

  const ctx = contextFor(values.kubeconfig, values.context);
  const snapshot = buildSnapshot((await new ApiClusterSource(ctx.name, ctx.config).fetch()).objects);
  const node = snapshot.nodes.find((n) => n.name === nodeName);
  if (!node) throw new UsageError(`node ${nodeName} is not in ${ctx.name}`);

  const pool = values.local ? undefined : new SshPool({ prompts: cliPrompts(values['accept-new-host-keys'], err), ...(values['ssh-config'] ? { configFile: values['ssh-config'] } : {}) });
  const executor: NodeExecutor = pool ? pool.getExecutor(nodeName, node.internalIP ? { internalIP: node.internalIP } : {}) : new LocalExecutor();
  try {
    const facts = await gatherNodeFacts(nodeName, executor);
    const { context, guards } = buildContext(ctx.name, snapshot, nodeName, facts, target, DEFAULT_OPTIONS, new Date());
    const refused = guards.filter((g) => g.severity === 'refuse');
    for (const g of guards) err(`${g.severity === 'refuse' ? 'refused' : 'note'}: ${g.reason}`);
    if (refused.length > 0) return 1;
    if (values['dry-run'] || !values.yes) {
      out(dryRunScript(context));
      if (!values['dry-run']) err('Stopped before the first change: re-run with --yes to upgrade.');
      return values['dry-run'] ? 0 : 1;
    }
    const stateDir = values['state-dir'] ?? path.join(process.env['XDG_STATE_HOME'] ?? path.join(os.homedir(), '.local', 'state'), 'kubeadm-upgrade');
    const store = new RunStore(path.join(stateDir, 'runs'));
    const audit = new AuditLog(path.join(stateDir, 'audit.jsonl'));
    const state = newRunState(`${context.stamp}-${nodeName}`, context, phasesFor(context), new Date());
    const result = await runUpgrade(state, {
      executor,
      cluster: new ApiClusterOps(ctx.config, new KubeDrainApi(ctx.config)),
      // --yes is the confirmation of every step it printed.
      confirm: async () => true,
      progress: (e) => {
        if (e.type === 'phase') err(`==> ${e.index + 1}/${e.total} ${e.phase.title}`);
        else if (e.type === 'output') process.stderr.write(e.text);
        else err(e.text);
      },
      save: (s) => store.save(s),
      audit: (entry) => audit.append(entry),
    });
    if (result.status !== 'done') {
      err(`kubeadm-upgrade upgrade-node: ${result.error ?? result.status} (run ${result.id}, state in ${stateDir})`);
      return 1;
    }
    out(`${nodeName} is at ${formatVersion(target)} and schedulable.`);
    return 0;
  } finally {
    executor.dispose();
    pool?.dispose();
  }
}
