import { ENDPOINT_HEALTH, ENDPOINT_STATUS, NO_ETCDCTL_EXIT } from '../../etcd/commands';
import type { NodeSnapshot } from '../../snapshot/model';
import { CannotRun, commandEvidence, failureText, type ReadinessContext } from '../context';
import { parseEndpointHealth, parseEndpointStatus } from '../../etcd/parse';
import { result, type CheckResult } from '../types';
import { notRun, type Check } from './check';
import { nodeAccess } from './nodeAccess';

/** etcd's default backend quota is 2 GiB; past 80 % an upgrade's extra writes can hit "mvcc: database space exceeded". */
const QUOTA = 2 * 1024 ** 3;

async function onFirstReachable<T>(ctx: ReadinessContext, cps: readonly NodeSnapshot[], f: (n: NodeSnapshot) => Promise<T>): Promise<T> {
  const reasons: string[] = [];
  for (const n of cps) {
    try {
      await nodeAccess(ctx, n);
      return await f(n);
    } catch (e) {
      if (!(e instanceof CannotRun)) throw e;
      reasons.push((e as Error).message);
    }
  }
  throw new CannotRun(reasons.join('; ') || 'no control-plane node');
}

/** `etcd-health`: members, health and quorum from one control plane (`--cluster` asks every member). */
export const etcdHealth: Check = {
  id: 'etcd-health',
  async run(ctx) {
    if (await ctx.externalEtcd()) {
      return [result('etcd-health', 'info', null, 'External etcd (ClusterConfiguration etcd.external): kubeadm neither upgrades nor backs it up', ['kubeadm-config: etcd.external'],
        'Check its health, version support for the target and take a snapshot with your etcd tooling before upgrading.')];
    }
    const cps = (await ctx.snapshot()).nodes.filter((n) => n.controlPlane);
    try {
      return await onFirstReachable(ctx, cps, (n) => etcdOn(ctx, n));
    } catch (e) {
      if (e instanceof CannotRun) return [notRun('etcd-health', null, e.message)];
      throw e;
    }
  },
};

async function etcdOn(ctx: ReadinessContext, n: NodeSnapshot): Promise<CheckResult[]> {
  const [st, he] = await Promise.all([ctx.run(n, ENDPOINT_STATUS, true), ctx.run(n, ENDPOINT_HEALTH, true)]);
  if (st.exitCode === NO_ETCDCTL_EXIT) throw new CannotRun(`${n.name}: ${failureText(st)}`);
  const evidence = [...commandEvidence(String(ENDPOINT_STATUS), st, 12), ...commandEvidence(String(ENDPOINT_HEALTH), he, 12)];
  let status, health;
  try {
    status = parseEndpointStatus(st.stdout);
    health = parseEndpointHealth(he.stdout + he.stderr);
  } catch {
    return [result('etcd-health', 'blocker', n.name, `etcd did not answer on ${n.name}: ${failureText(st)}`, evidence, 'Check the etcd static pod and its log (`crictl logs` of the etcd container) before upgrading.')];
  }
  const members = Math.max(status.length, health.length);
  const healthy = health.filter((h) => h.health).length;
  const quorum = Math.floor(members / 2) + 1;
  const leaders = new Set(status.map((s) => s.leader).filter((l) => l && l !== '0'));
  const versions = [...new Set(status.map((s) => s.version))];
  const summary = `${members} member(s), ${healthy} healthy, quorum ${quorum}, version ${versions.join(', ')}, DB ${status.map((s) => `${(s.dbSize / 1024 ** 2).toFixed(1)} MiB`).join(', ')}`;
  const out: CheckResult[] = [];
  if (healthy < quorum) out.push(result('etcd-health', 'blocker', null, `etcd has lost quorum: ${summary}`, evidence, 'Restore the failed members (or the cluster from a snapshot) before anything else.'));
  else if (healthy < members) out.push(result('etcd-health', 'blocker', null, `etcd member(s) unhealthy: ${health.filter((h) => !h.health).map((h) => `${h.endpoint} (${h.error ?? 'unhealthy'})`).join(', ')}`, evidence, 'Fix or replace the unhealthy member first: upgrading a control plane restarts its etcd and would cost quorum.'));
  if (leaders.size > 1) out.push(result('etcd-health', 'blocker', null, `etcd members disagree about the leader (${[...leaders].join(', ')})`, evidence, 'Wait for the election to settle and look at the etcd logs.'));
  for (const s of status) {
    if (s.errors.length > 0) out.push(result('etcd-health', 'warning', null, `${s.endpoint} reports: ${s.errors.join('; ')}`, evidence, 'An alarm (e.g. NOSPACE) must be cleared: compact, defragment, `etcdctl alarm disarm`.'));
    if (s.dbSize > 0.8 * QUOTA) out.push(result('etcd-health', 'warning', null, `${s.endpoint} database is ${(s.dbSize / 1024 ** 3).toFixed(2)} GiB, near the 2 GiB default quota`, evidence, 'Compact and defragment etcd before upgrading.'));
  }
  if (out.length === 0) out.push(result('etcd-health', 'ok', null, `etcd healthy (from ${n.name}): ${summary}`, evidence));
  return out;
}
