import { parsePlan } from '../core/plan';
import { KUBEADM_VERSION_COMMAND, planCommand as kubeadmPlanCommand, rejectedOutputFlag, supportsJsonPlan } from '../core/upgrade/planCommand';
import { validateNodeName } from '../core/exec/shell';
import { parse, UsageError } from './args';
import { printJson } from './jsonOutput';
import { CliSession, SESSION_FLAGS } from './clusterSession';
import { renderPlan } from './parsePlanCommand';
import { PLAN_USAGE } from './usage';


/**
 * `kubeadm-upgrade plan`: runs `kubeadm upgrade plan` (structured output when this kubeadm has a working `-o json`)
 * on a control plane (the first by name, or --node) and prints it parsed. Exit 1 when kubeadm reports an error.
 */
export async function planCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values, positionals } = parse(argv, { ...SESSION_FLAGS, node: { type: 'string' }, to: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals[0]}\nusage: ${PLAN_USAGE}`);
  const session = new CliSession(values, err);
  try {
    const snapshot = await session.snapshot();
    const cps = snapshot.nodes.filter((n) => n.controlPlane).map((n) => n.name).sort();
    const node = values.node ?? cps[0];
    if (!node) throw new UsageError(`no control-plane node in ${session.ctx.name}: give --node`);
    validateNodeName(node);
    if (!cps.includes(node)) throw new UsageError(`${node} is not a control-plane node of ${session.ctx.name} (control planes: ${cps.join(', ') || 'none'})`);
    // Audited by the executor: each command's start and end lines.
    const ex = await session.ports(() => {}, undefined).executorFor(node);
    const version = (await ex.run(KUBEADM_VERSION_COMMAND, { timeoutMs: 60_000 })).stdout.trim();
    let json = supportsJsonPlan(version);
    let cmd = kubeadmPlanCommand(values.to ?? null, json);
    let r = await ex.run(cmd, { sudo: true, timeoutMs: 300_000 });
    if (json && r.exitCode !== 0 && rejectedOutputFlag(r.stderr)) {
      json = false;
      cmd = kubeadmPlanCommand(values.to ?? null, false);
      r = await ex.run(cmd, { sudo: true, timeoutMs: 300_000 });
    }
    const plan = parsePlan(`${r.stdout}\n${r.stderr}`);
    out(values.json ? printJson('UpgradePlan', { node, exitCode: r.exitCode, ...plan }) : `kubeadm upgrade plan on ${node} (exit ${r.exitCode ?? r.failure}):\n${renderPlan(plan)}`);
    return r.exitCode === 0 && !plan.diagnostics.some((d) => d.severity === 'error') ? 0 : 1;
  } finally {
    session.dispose();
  }
}
