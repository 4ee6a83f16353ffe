import { podRef } from '../podFacts';
import type { KLabelSelector } from '../ports';
import { result, type CheckResult } from '../types';
import type { Check } from './check';
import { budgetOf, pdbAdvice } from '../../drain/pdbAdvice';

/** Label selector semantics of metav1.LabelSelector (an empty selector matches everything; a PDB's nothing). */
export function selectorMatches(sel: KLabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key !== undefined && e.key in labels;
    const v = e.key !== undefined ? labels[e.key] : undefined;
    const values = e.values ?? [];
    if (e.operator === 'In' && !(has && values.includes(v!))) return false;
    if (e.operator === 'NotIn' && has && values.includes(v!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}


/** `pdb-blocks-drain`: a PDB that allows 0 disruptions stops the drain of every node its pods sit on. */
export const pdbBlocksDrain: Check = {
  id: 'pdb-blocks-drain',
  async run(ctx) {
    const [pdbs, pods] = await Promise.all([ctx.deps.api.pdbs(), ctx.pods()]);
    const drained = ctx.deps.drainNodes ? new Set(ctx.deps.drainNodes) : undefined;
    const out: CheckResult[] = [];
    for (const pdb of pdbs) {
      if ((pdb.status?.disruptionsAllowed ?? 0) > 0) continue;
      const ns = pdb.metadata?.namespace;
      const matched = pods.filter((p) => p.metadata?.namespace === ns && p.spec?.nodeName && !p.metadata?.deletionTimestamp && selectorMatches(pdb.spec?.selector, p.metadata?.labels ?? {}));
      const onDrained = matched.filter((p) => !drained || drained.has(p.spec!.nodeName!));
      if (onDrained.length === 0) continue;
      const nodes = [...new Set(onDrained.map((p) => p.spec!.nodeName!))].sort();
      const name = `${ns}/${pdb.metadata?.name}`;
      const s = pdb.status ?? {};
      const advice = pdbAdvice(budgetOf(pdb));
      out.push(
        result('pdb-blocks-drain', 'blocker', nodes.length === 1 ? nodes[0]! : null,
          `PodDisruptionBudget ${name} allows 0 disruptions: draining ${nodes.join(', ')} will wait forever`,
          [`PodDisruptionBudget/${name}: disruptionsAllowed=0, currentHealthy=${s.currentHealthy ?? '?'}, desiredHealthy=${s.desiredHealthy ?? '?'}, expectedPods=${s.expectedPods ?? '?'}`,
            ...onDrained.map((p) => `Pod/${podRef(p)} on ${p.spec!.nodeName}`), `nodes: ${nodes.join(', ')}`],
          `${advice.text} ${advice.commands.map((c) => `\`${c}\``).join(' · ')}`),
      );
    }
    if (out.length === 0) out.push(result('pdb-blocks-drain', 'ok', null, `No PodDisruptionBudget blocks a drain (${pdbs.length} checked)`));
    return out;
  },
};

function time(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') return Date.parse(v);
  return undefined;
}

/** How long past its deletionTimestamp (which already includes the grace period) a pod counts as stuck. */
export const STUCK_AFTER_MS = 60_000;

/** `pods-stuck-terminating`: pods whose deletion is well overdue (a finalizer, an unreachable kubelet). */
export const podsStuckTerminating: Check = {
  id: 'pods-stuck-terminating',
  async run(ctx) {
    const now = ctx.now.getTime();
    const out: CheckResult[] = [];
    for (const p of await ctx.pods()) {
      const t = time(p.metadata?.deletionTimestamp);
      if (t === undefined || now - t < STUCK_AFTER_MS) continue;
      const finalizers = p.metadata?.finalizers ?? [];
      const minutes = Math.round((now - t) / 60_000);
      out.push(
        result('pods-stuck-terminating', 'warning', p.spec?.nodeName ?? null, `Pod ${podRef(p)} has been Terminating ${minutes} min past its grace period`,
          [`Pod/${podRef(p)} deletionTimestamp=${new Date(t).toISOString()}`, `finalizers: ${finalizers.join(', ') || 'none'}`, `node: ${p.spec?.nodeName ?? 'none'}`],
          finalizers.length > 0
            ? `A finalizer holds it: fix or remove the controller that owns ${finalizers.join(', ')}, or (knowing the consequences) \`kubectl -n ${p.metadata?.namespace} patch pod ${p.metadata?.name} --type=merge -p '{"metadata":{"finalizers":null}}'\`.`
            : `Its kubelet never confirmed the deletion: check the node; \`kubectl -n ${p.metadata?.namespace} delete pod ${p.metadata?.name} --grace-period=0 --force\` removes the object.`),
      );
    }
    if (out.length === 0) out.push(result('pods-stuck-terminating', 'ok', null, 'No pod is stuck Terminating'));
    return out;
  },
};

/** `webhook-unavailable`: a Fail-policy webhook whose Service has no ready endpoint rejects every matching request. */
export const webhookUnavailable: Check = {
  id: 'webhook-unavailable',
  async run(ctx) {
    const configs = await ctx.deps.api.webhookConfigurations();
    const out: CheckResult[] = [];
    let checked = 0;
    for (const c of configs) {
      for (const w of c.webhooks ?? []) {
        // admissionregistration/v1 defaults failurePolicy to Fail.
        if ((w.failurePolicy ?? 'Fail') !== 'Fail' || !w.clientConfig?.service) continue;
        checked++;
        const { namespace = 'default', name = '?' } = w.clientConfig.service;
        const ready = await ctx.deps.api.readyEndpoints(namespace, name);
        if (ready && ready > 0) continue;
        out.push(
          result('webhook-unavailable', 'blocker', null,
            `${c.kind} ${c.metadata?.name} (webhook ${w.name}) has failurePolicy Fail and ${ready === undefined ? 'its Service does not exist' : 'no ready endpoints'}: matching API requests are rejected, which can break drains and kubeadm's own updates`,
            [`${c.kind}/${c.metadata?.name} webhook ${w.name}: failurePolicy=${w.failurePolicy ?? 'Fail (default)'}`, `Service ${namespace}/${name}: ${ready === undefined ? 'not found' : `${ready} ready endpoints`}`],
            `Bring the webhook's backend up (Service ${namespace}/${name}), or set failurePolicy: Ignore, or delete the ${c.kind} ${c.metadata?.name} before upgrading.`),
        );
      }
    }
    if (out.length === 0) out.push(result('webhook-unavailable', 'ok', null, `Every Fail-policy webhook has ready endpoints (${checked} checked)`));
    return out;
  },
};

const CNI = /^(calico-node|cilium|kube-flannel-ds|kube-flannel|flannel|weave-net|canal|antrea-agent|kube-router|kube-ovn-cni|ovnkube-node)$/;

/** `cni-addons`: the network add-on is not part of kubeadm's upgrade; remind which one runs and at what version. */
export const cniAddons: Check = {
  id: 'cni-addons',
  async run(ctx) {
    const found = (await ctx.deps.api.daemonSets()).filter((d) => CNI.test(d.metadata?.name ?? ''));
    if (found.length === 0) {
      return [result('cni-addons', 'info', null, 'No known CNI DaemonSet found (calico, cilium, flannel, weave, canal, antrea, kube-router)', [],
        'Check how your network add-on is installed and whether its release supports the target Kubernetes minor.')];
    }
    return found.map((d) => {
      const images = (d.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '?');
      return result('cni-addons', 'info', null, `CNI ${d.metadata?.name} (${images.join(', ')}) is upgraded separately from kubeadm`,
        [`DaemonSet/${d.metadata?.namespace}/${d.metadata?.name}`, ...images.map((i) => `image ${i}`)],
        `Check the ${d.metadata?.name} release notes for support of the target minor and upgrade it as its docs say (kubeadm upgrade does not touch it).`);
    });
  },
};
