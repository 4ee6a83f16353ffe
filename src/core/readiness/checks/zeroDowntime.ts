import { controllerOf, isActive, isMirrorPod, podRef } from '../podFacts';
import type { KLabelSelector, KPod, KService, KWorkload } from '../ports';
import { result, type CheckResult } from '../types';
import type { Check } from './check';
import { selectorMatches } from './workloads';

const MAX_NAMED = 20;

function podsOf(pods: readonly KPod[], namespace: string | undefined, selector: KLabelSelector | undefined): KPod[] {
  return pods.filter((p) => p.metadata?.namespace === namespace && isActive(p) && !isMirrorPod(p) && selectorMatches(selector, p.metadata?.labels ?? {}));
}

const isReady = (p: KPod) => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** Deployments, StatefulSets and ReplicaSets a drain takes down: one replica, or every replica on one node. */
function fragile(w: KWorkload, pods: readonly KPod[]): { pods: KPod[]; nodes: string[]; why: string } | undefined {
  const replicas = w.spec?.replicas ?? 1;
  if (replicas === 0) return undefined;
  const mine = podsOf(pods, w.metadata?.namespace, w.spec?.selector);
  const nodes = [...new Set(mine.map((p) => p.spec?.nodeName).filter((n): n is string => !!n))].sort();
  const ready = mine.filter(isReady).length;
  if (replicas === 1) return { pods: mine, nodes, why: 'one replica' };
  if (ready <= 1) return { pods: mine, nodes, why: `${ready} ready replica(s) of ${replicas}` };
  if (nodes.length === 1) return { pods: mine, nodes, why: `all ${mine.length} replicas on ${nodes[0]}` };
  return undefined;
}

/**
 * `single-replica`: workloads with one (ready) replica or all replicas on one node and no PodDisruptionBudget go down
 * while that node drains; Services whose pods have no readiness probe get traffic before they are ready (info).
 */
export const singleReplica: Check = {
  id: 'single-replica',
  async run(ctx) {
    const [workloads, pods, pdbs, services] = await Promise.all([ctx.deps.api.workloads(), ctx.pods(), ctx.deps.api.pdbs(), ctx.deps.api.services()]);
    const out: CheckResult[] = [];
    let checked = 0;
    for (const w of workloads) {
      // A ReplicaSet a Deployment owns is judged as that Deployment.
      if (w.kind === 'ReplicaSet' && (w.metadata?.ownerReferences ?? []).some((o) => o.kind === 'Deployment')) continue;
      checked++;
      const f = fragile(w, pods);
      if (!f) continue;
      const labels = w.spec?.template?.metadata?.labels ?? {};
      const pdb = pdbs.find((b) => b.metadata?.namespace === w.metadata?.namespace && selectorMatches(b.spec?.selector, labels));
      if (pdb) continue;
      const name = `${w.kind}/${w.metadata?.namespace}/${w.metadata?.name}`;
      out.push(result('single-replica', 'warning', f.nodes.length === 1 ? f.nodes[0]! : null,
        `${name} has ${f.why} and no PodDisruptionBudget: it is down while ${f.nodes.length > 0 ? f.nodes.join(', ') : 'its node'} drains`,
        [`${name}: spec.replicas=${w.spec?.replicas ?? 1}, ready ${f.pods.filter(isReady).length}`, ...f.pods.slice(0, MAX_NAMED).map((p) => `Pod/${podRef(p)} on ${p.spec?.nodeName ?? '(unscheduled)'}`), 'no PodDisruptionBudget selects its pods'],
        `If it must stay up: scale it to 2 or more replicas spread over nodes (topologySpreadConstraints or pod anti-affinity) and add a PodDisruptionBudget (maxUnavailable: 1); otherwise accept the downtime during the drain.`));
    }
    out.push(...servicesWithoutReadiness(services, pods));
    if (!out.some((r) => r.severity === 'warning')) out.unshift(result('single-replica', 'ok', null, `No workload is left without replicas during a drain (${checked} workload(s) checked)`));
    return out;
  },
};

function servicesWithoutReadiness(services: readonly KService[], pods: readonly KPod[]): CheckResult[] {
  const out: CheckResult[] = [];
  for (const s of services) {
    const sel = s.spec?.selector;
    if (!sel || Object.keys(sel).length === 0) continue;
    const backends = podsOf(pods, s.metadata?.namespace, { matchLabels: sel });
    const unprobed = backends.filter((p) => (p.spec?.containers ?? []).some((c) => !c.readinessProbe));
    if (unprobed.length === 0) continue;
    const name = `${s.metadata?.namespace}/${s.metadata?.name}`;
    out.push(result('single-replica', 'info', null, `Service ${name}: ${unprobed.length} of ${backends.length} backend pod(s) have a container without a readiness probe: after a drain, traffic reaches replacements before they are ready`,
      unprobed.slice(0, MAX_NAMED).map((p) => `Pod/${podRef(p)}: no readinessProbe on ${(p.spec?.containers ?? []).filter((c) => !c.readinessProbe).map((c) => c.name).join(', ')}`),
      'Give the containers a readinessProbe so a replacement pod gets traffic only once it can serve.'));
  }
  return out;
}

/**
 * `webhook-drain-resilience`: a Fail-policy admission webhook whose backend runs one replica, or all replicas on one
 * node: while that node drains, the webhook has no backend and every write it matches is rejected.
 */
export const webhookDrainResilience: Check = {
  id: 'webhook-drain-resilience',
  async run(ctx) {
    const [configs, services, pods] = await Promise.all([ctx.deps.api.webhookConfigurations(), ctx.deps.api.services(), ctx.pods()]);
    const out: CheckResult[] = [];
    let checked = 0;
    for (const c of configs) {
      for (const w of c.webhooks ?? []) {
        if ((w.failurePolicy ?? 'Fail') !== 'Fail' || !w.clientConfig?.service) continue;
        const { namespace = 'default', name = '?' } = w.clientConfig.service;
        const svc = services.find((s) => s.metadata?.namespace === namespace && s.metadata?.name === name);
        const sel = svc?.spec?.selector;
        if (!sel || Object.keys(sel).length === 0) continue;
        checked++;
        const backends = podsOf(pods, namespace, { matchLabels: sel });
        // No backend at all is webhook-unavailable's blocker.
        if (backends.length === 0) continue;
        const nodes = [...new Set(backends.map((p) => p.spec?.nodeName).filter((n): n is string => !!n))].sort();
        if (backends.length > 1 && nodes.length > 1) continue;
        const owners = [...new Set(backends.map((p) => controllerOf(p)?.name).filter(Boolean))];
        out.push(result('webhook-drain-resilience', 'warning', nodes.length === 1 ? nodes[0]! : null,
          `${c.kind} ${c.metadata?.name} (webhook ${w.name}, failurePolicy Fail) is served by ${backends.length === 1 ? 'one pod' : `${backends.length} pods all`} on ${nodes.join(', ') || 'no node yet'}: while ${nodes.length === 1 ? 'that node' : 'it'} drains, every request the webhook matches is rejected`,
          [`${c.kind}/${c.metadata?.name} webhook ${w.name}: failurePolicy=${w.failurePolicy ?? 'Fail (default)'}`, `Service ${namespace}/${name} selector ${JSON.stringify(sel)}`, ...backends.map((p) => `Pod/${podRef(p)} on ${p.spec?.nodeName ?? '(unscheduled)'}`)],
          `Run the webhook's backend${owners.length ? ` (${owners.join(', ')})` : ''} with 2 or more replicas on different nodes and a PodDisruptionBudget, or set failurePolicy: Ignore for the upgrade.`));
      }
    }
    if (out.length === 0) out.push(result('webhook-drain-resilience', 'ok', null, `Every Fail-policy webhook with a running backend has replicas on more than one node (${checked} checked)`));
    return out;
  },
};

/** `evicted-pods`: Failed pods (Evicted, among others) left behind: noise in every listing, and a hint of pressure. */
export const evictedPods: Check = {
  id: 'evicted-pods',
  async run(ctx) {
    const failed = (await ctx.pods()).filter((p) => p.status?.phase === 'Failed');
    if (failed.length === 0) return [result('evicted-pods', 'ok', null, 'No Failed or Evicted pod is left in the cluster')];
    const evicted = failed.filter((p) => p.status?.reason === 'Evicted');
    const namespaces = [...new Set(failed.map((p) => p.metadata?.namespace))].sort();
    return [result('evicted-pods', 'info', null, `${failed.length} Failed pod(s) left in the cluster (${evicted.length} Evicted)`,
      failed.slice(0, MAX_NAMED).map((p) => `Pod/${podRef(p)} on ${p.spec?.nodeName ?? '-'}: ${p.status?.reason ?? 'Failed'}${p.status?.message ? ` (${p.status.message})` : ''}`),
      `Look at why they failed (node pressure for Evicted), then remove them: ${namespaces.map((ns) => `\`kubectl -n ${ns} delete pods --field-selector=status.phase=Failed\``).join('; ')}.`)];
  },
};
