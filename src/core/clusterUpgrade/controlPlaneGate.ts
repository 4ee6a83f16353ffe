import { NO_ETCDCTL_EXIT } from '../etcd/commands';
import { ETCD_GATE_COMMANDS, etcdMemberProblems, type EtcdAnswer } from './etcdGate';
import { evaluateGate } from './healthGate';
import type { ClusterPorts } from './ports';
import type { RunControl } from './runControl';
import type { ClusterNodeState, ClusterRunState } from './state';

/** What the gate needs of the run driving it. */
export interface GateRun {
  readonly state: ClusterRunState;
  readonly ports: Pick<ClusterPorts, 'probe' | 'executorFor' | 'event' | 'gateTimeoutSeconds'>;
  readonly control: RunControl;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly save: () => Promise<void>;
  readonly audit: (phase: string, command: string, failure?: string) => void;
}

/**
 * After a control plane: its static pods at the target and Ready, the apiserver's /readyz, and with stacked etcd every
 * member healthy with one cluster id (asked from that node) — polled until it passes or the node's Ready timeout ends.
 * True when it passed; the node's gate, detail and error say the outcome either way.
 */
export async function waitForControlPlaneGate(run: GateRun, n: ClusterNodeState): Promise<boolean> {
  const { state, ports, control, now } = run;
  // As long as a node may take to be Ready again (--ready-timeout / kubeadm.upgrade.readyTimeoutSeconds, default 300).
  const deadline = now().getTime() + (ports.gateTimeoutSeconds ?? state.options.readyTimeoutSeconds ?? 300) * 1000;
  for (;;) {
    let problems: readonly string[];
    try {
      const [pods, readyz] = await Promise.all([ports.probe.staticPods(n.name), ports.probe.readyz()]);
      const r = evaluateGate(n.name, state.target, pods, readyz);
      problems = pods.some((p) => p.component === 'etcd') ? [...r.problems, ...(await etcdMembers(ports, n.name))] : r.problems;
    } catch (e) {
      problems = [`API error: ${(e as Error).message}`];
    }
    const ok = problems.length === 0;
    if (ok || now().getTime() >= deadline || control.cancelled) {
      ports.event({ event: 'gate', node: n.name, ok, problems });
      run.audit('health-gate', `${n.name}: ${ok ? 'healthy' : problems.join('; ')}`, ok ? undefined : problems.join('; '));
      if (!ok) n.error = problems.join('; ');
      n.gate = ok ? 'passed' : 'failed';
      n.detail = ok ? undefined : n.error;
      await run.save();
      return ok;
    }
    n.detail = `health gate: ${problems.join('; ')}`;
    ports.event({ event: 'message', node: n.name, text: n.detail });
    await run.sleep(2000);
  }
}

async function etcdMembers(ports: GateRun['ports'], node: string): Promise<string[]> {
  const ex = await ports.executorFor(node);
  const ask = async (c: (typeof ETCD_GATE_COMMANDS)[keyof typeof ETCD_GATE_COMMANDS]): Promise<EtcdAnswer> => {
    const r = await ex.run(c, { sudo: true, timeoutMs: 60_000 });
    return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.exitCode === null ? (r.failure ?? r.stderr) : r.stderr };
  };
  const members = await ask(ETCD_GATE_COMMANDS.members);
  const health = await ask(ETCD_GATE_COMMANDS.health);
  const status = await ask(ETCD_GATE_COMMANDS.status);
  // No etcdctl and no reachable etcd container on the node: /readyz's etcd check is then the only word on etcd.
  if (members.exitCode === NO_ETCDCTL_EXIT) return [];
  if (members.exitCode === null) return [`cannot ask etcd on ${node}: ${members.stderr.trim() || 'the command did not run'}`];
  return etcdMemberProblems(node, { status, health, members });
}
