import { evaluateSkew } from '../../skew';
import { clusterVersion } from '../../skew/apiservers';
import { skewCheckResult } from '../skewFix';
import { formatVersion } from '../../version';
import { apiName, parseDeprecatedApis } from '../parse/deprecatedApis';
import { result, type CheckResult, type Severity } from '../types';
import type { Check } from './check';

const COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];

/** `control-plane-health`: every static pod of every control plane Ready, and the apiserver's /readyz?verbose all [+]. */
export const controlPlaneHealth: Check = {
  id: 'control-plane-health',
  async run(ctx) {
    const [nodes, pods, external, readyz] = await Promise.all([ctx.nodes(), ctx.pods(), ctx.externalEtcd(), ctx.deps.api.readyz().catch((e: Error) => `(could not read /readyz: ${e.message})`)]);
    const cps = nodes.filter((n) => 'node-role.kubernetes.io/control-plane' in (n.metadata?.labels ?? {})).map((n) => n.metadata?.name ?? '?');
    const out: CheckResult[] = [];
    const evidence: string[] = [];
    for (const node of cps) {
      for (const c of COMPONENTS) {
        if (c === 'etcd' && external) continue;
        const pod = pods.find((p) => p.metadata?.namespace === 'kube-system' && p.spec?.nodeName === node && p.metadata?.labels?.['component'] === c);
        const ready = pod?.status?.conditions?.find((x) => x.type === 'Ready')?.status === 'True';
        if (pod && ready) {
          evidence.push(`Pod/kube-system/${pod.metadata?.name} Ready`);
          continue;
        }
        out.push(result('control-plane-health', 'blocker', node, pod ? `Static pod ${pod.metadata?.name} is not Ready (${pod.status?.phase ?? 'unknown phase'})` : `No ${c} static pod found on control plane ${node}`,
          [pod ? `Pod/kube-system/${pod.metadata?.name} phase=${pod.status?.phase}` : `no Pod in kube-system with component=${c} on ${node}`],
          `Check /etc/kubernetes/manifests/${c}.yaml on ${node} and the kubelet's journal; \`crictl ps -a --name ${c}\` shows the container's state.`));
      }
    }
    const failed = readyz.split('\n').filter((l) => l.startsWith('[-]'));
    if (failed.length > 0 || readyz.startsWith('(could not')) {
      out.push(result('control-plane-health', 'blocker', null, readyz.startsWith('(could not') ? 'The apiserver\'s /readyz could not be read' : `The apiserver is not ready: ${failed.length} readyz check(s) failing`,
        ['GET /readyz?verbose', ...(failed.length > 0 ? failed : [readyz])], 'Fix the failing checks (the apiserver log says why) before upgrading.'));
    } else evidence.push(`GET /readyz?verbose: ${readyz.split('\n').filter((l) => l.startsWith('[+]')).length} checks ok`);
    if (out.length === 0) out.push(result('control-plane-health', 'ok', null, `Control-plane static pods on ${cps.length} node(s) are Ready and /readyz passes`, evidence));
    return out;
  },
};

/** `deprecated-api-in-use`: APIs clients still call that the target removes (blocker) or that are only deprecated. */
export const deprecatedApiInUse: Check = {
  id: 'deprecated-api-in-use',
  async run(ctx) {
    const uses = parseDeprecatedApis(await ctx.deps.api.metrics());
    const t = ctx.target;
    const out = uses.map((u) => {
      const r = u.removedRelease;
      const removed = r !== undefined && (r.major < t.major || (r.major === t.major && r.minor <= t.minor));
      const severity: Severity = removed ? 'blocker' : 'warning';
      return result('deprecated-api-in-use', severity, null,
        removed ? `${apiName(u)} is requested but removed in ${r!.major}.${r!.minor} (target ${formatVersion(t)})` : `${apiName(u)} is deprecated${r ? ` (removed in ${r.major}.${r.minor})` : ''} and still requested`,
        [`apiserver_requested_deprecated_apis{group="${u.group}",version="${u.version}",resource="${u.resource}",removed_release="${r ? `${r.major}.${r.minor}` : ''}"}`,
          'the metric counts requests since the answering apiserver started; clients that ran before that are not seen'],
        `Find the clients (audit log, or the apiserver's \`k8s.io/deprecated\` audit annotation) and move them and your manifests to the replacement API${removed ? ' before upgrading' : ''}; kubectl-convert rewrites manifests.`);
    });
    if (out.length === 0) out.push(result('deprecated-api-in-use', 'ok', null, 'No deprecated API was requested since the apiserver started', ['apiserver_requested_deprecated_apis: no series']));
    return out;
  },
};

/** `skew-path`: the existing skew findings for the target (skipped minor, kubelets falling out of the window). */
export const skewPath: Check = {
  id: 'skew-path',
  async run(ctx) {
    const snapshot = await ctx.snapshot();
    const findings = evaluateSkew(snapshot, { target: formatVersion(ctx.target) });
    const current = clusterVersion(snapshot);
    const out = findings.map((f) => skewCheckResult(f, ctx.target, current));
    if (out.length === 0) out.push(result('skew-path', 'ok', null, `Upgrading to ${formatVersion(ctx.target)} keeps every component within the skew policy`));
    return out;
  },
};
