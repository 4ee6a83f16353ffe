// Drain of 200 pods pinned to one worker (a Deployment with a nodeSelector: evicted pods come back Pending and are
// scheduled onto the worker again after the uncordon), ours against `kubectl drain` on the same sandbox, A and B
// alternating; API requests counted for both (ours: every HTTP request the process sends during the drain;
// kubectl: its -v=6 request lines).
import { KubeConfig, Watch, type V1Pod } from '@kubernetes/client-node';
import { drain } from '../../src/adapters/k8s/drain';
import type { Sandbox } from '../../test/integration/sandbox';
import { kubectl } from '../lib/kubectl';
import { fmt, row, type Row } from '../lib/report';
import { eventClock, kubectlPhases, PHASE_NAMES, type DrainPhases } from '../lib/drainPhases';
import { countRequests } from '../lib/requests';
import { alternate, msSince, summarize } from '../lib/stats';

const NS = 'bench';
const PODS = 200;

async function runningOn(sb: Sandbox, node: string): Promise<number> {
  const r = await sb.api('GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dpinned&fieldSelector=spec.nodeName%3D${node}`);
  return (r.body.items as { status?: { phase?: string }; metadata?: { deletionTimestamp?: string } }[]).filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp).length;
}

async function refill(sb: Sandbox, node: string): Promise<void> {
  sb.kubectl('uncordon', node);
  const end = Date.now() + 600_000;
  while ((await runningOn(sb, node)) < PODS) {
    if (Date.now() > end) throw new Error(`${PODS} pinned pods not Running on ${node} after 10 min`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * The bench's own watch on the node's pods (all namespaces, as the drain's LIST: the scenario's other pods on the node
 * are evicted too): when the last of them was deleted from the API.
 */
async function watchDeletions(kc: KubeConfig, node: string): Promise<{ lastDeletedAt: () => number | undefined; stop: () => void }> {
  let last: number | undefined;
  const controller = await new Watch(kc).watch('/api/v1/pods', { fieldSelector: `spec.nodeName=${node}` }, (phase: string, _pod: V1Pod) => {
    if (phase === 'DELETED') last = performance.now();
  }, () => {});
  return { lastDeletedAt: () => last, stop: () => controller.abort() };
}

export async function drainMeasure(sb: Sandbox, node: string, runs: number): Promise<Row[]> {
  // A kwok node allows 110 pods, as a kubelet does by default: give this one room for the 200.
  sb.kubectl('patch', 'node', node, '--subresource=status', '--type=merge', '-p', '{"status":{"capacity":{"pods":"400"},"allocatable":{"pods":"400"}}}');
  await sb.api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await sb.api('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'pinned', namespace: NS },
    spec: {
      replicas: PODS,
      selector: { matchLabels: { app: 'pinned' } },
      template: {
        metadata: { labels: { app: 'pinned' } },
        spec: { nodeSelector: { 'kubernetes.io/hostname': node }, containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] },
      },
    },
  });
  await refill(sb, node);
  const kc = new KubeConfig();
  kc.loadFromFile(sb.kubeconfig);
  const perPod = { ours: [] as number[], kubectl: [] as number[] };
  const phases = { ours: [] as DrainPhases[], kubectl: [] as DrainPhases[] };
  const [ours, base] = await alternate(
    runs,
    async () => {
      const deletions = await watchDeletions(kc, node);
      const t0 = process.hrtime.bigint();
      const start = performance.now();
      const clock = eventClock(start);
      const { result, requests } = await countRequests(() => drain(kc, node, { timeoutMs: 600_000 }, { onEvent: clock.onEvent }));
      const ms = msSince(t0);
      deletions.stop();
      const lastDeleted = deletions.lastDeletedAt();
      phases.ours.push(clock.phases(ms, lastDeleted === undefined ? undefined : lastDeleted - start));
      if (!result.ok) throw new Error(`our drain failed: ${result.message}`);
      perPod.ours.push(requests / result.evicted.length);
      await refill(sb, node);
      return ms / 1000;
    },
    async () => {
      const deletions = await watchDeletions(kc, node);
      const start = performance.now();
      const r = await kubectl(sb.kubeconfig, ['drain', node, '--ignore-daemonsets', '--timeout=600s']);
      deletions.stop();
      const lastDeleted = deletions.lastDeletedAt();
      const evicted = r.stdout.split('\n').filter((l) => / evicted$/.test(l)).length;
      perPod.kubectl.push(r.requests / Math.max(1, evicted));
      phases.kubectl.push(kubectlPhases(r.stderr, r.ms, lastDeleted === undefined ? undefined : lastDeleted - start));
      await refill(sb, node);
      return r.ms / 1000;
    },
  );
  const o = summarize(ours, 's');
  const b = summarize(base, 's');
  const rq = summarize(perPod.ours, 'req/pod');
  return [
    row({ id: 'drain-200', measure: `drain of ${PODS} pods pinned to one worker`, ours: o, baseline: b, baselineName: 'kubectl drain', goal: '≤ 0.25× kubectl', pass: o.median / b.median <= 0.25 }),
    row({
      id: 'drain-requests',
      measure: 'drain: API requests per pod',
      ours: rq,
      baseline: summarize(perPod.kubectl, 'req/pod'),
      baselineName: 'kubectl drain (-v=6)',
      goal: '≤ 1.2 per pod',
      pass: rq.median <= 1.2,
    }),
    ...phaseRows(phases),
  ];
}

/** One informational row per phase (seconds), ours against kubectl's: where the drain's time goes. */
function phaseRows(phases: { ours: DrainPhases[]; kubectl: DrainPhases[] }): Row[] {
  return (Object.keys(PHASE_NAMES) as (keyof DrainPhases)[]).flatMap((k) => {
    const o = phases.ours.map((p) => p[k] / 1000).filter(Number.isFinite);
    const b = phases.kubectl.map((p) => p[k] / 1000).filter(Number.isFinite);
    if (o.length === 0) return [];
    // kubectl's value is shown beside ours but not divided: a phase's ratio says nothing (one side's phase can be ~0).
    const kubectlCell = b.length ? `kubectl drain: ${fmt(summarize(b, 's'))}` : 'kubectl drain: —';
    return [row({ id: `drain-phase-${k.replace(/Ms$/, '')}`, measure: `drain phase: ${PHASE_NAMES[k]}`, ours: summarize(o, 's'), baselineName: kubectlCell, goal: 'informational' })];
  });
}
