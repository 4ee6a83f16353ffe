// `skew` on the large scenario (5,000 nodes): the extension's read against plain https + JSON.parse of the same
// LISTs and against kubectl's LISTs, each in a process of its own (peak memory = that process's maxRSS).
import * as path from 'node:path';
import type { Sandbox } from '../../test/integration/sandbox';
import { kubectl } from '../lib/kubectl';
import { childReport } from '../lib/proc';
import { row, type Row } from '../lib/report';
import { alternate, summarize } from '../lib/stats';
import { doubleNodes } from '../lib/growLarge';

const CHILD = path.join(__dirname, '..', 'children', 'skew.ts');
interface Report {
  ms: number;
  maxRssMiB: number;
  nodes: number;
}
const run = (mode: string, kubeconfig: string): Report => childReport<Report>(process.execPath, ['--import', 'tsx', CHILD, mode, kubeconfig]);

export async function skewLarge(sb: Sandbox, runs: number): Promise<Row[]> {
  const mem: Record<string, number[]> = { ours: [], paged: [], plain: [] };
  const timed = (mode: string) => async () => {
    const r = run(mode, sb.kubeconfig);
    mem[mode]!.push(r.maxRssMiB);
    return r.ms / 1000;
  };
  const [ours, plain] = await alternate(runs, timed('ours'), timed('plain'));
  const [paged, plain2] = await alternate(runs, timed('paged'), timed('plain'));
  const [, kube] = await alternate(runs, async () => 0, async () => {
    const a = await kubectl(sb.kubeconfig, ['get', 'nodes', '-o', 'json']);
    const b = await kubectl(sb.kubeconfig, ['get', 'pods', '-n', 'kube-system', '-o', 'json']);
    return (a.ms + b.ms) / 1000;
  });
  // Memory against N: the same reads again once the cluster has twice the nodes (and their kube-proxy Pods). One
  // size cannot show whether peak memory follows N; two can, as MiB per 1,000 nodes for ours and for the floor.
  const n1 = await doubleNodes(sb.kubeconfig);
  const at1 = { ours: [...mem.ours!], plain: [...mem.plain!] };
  mem.ours = []; mem.plain = [];
  const [ours2, plain2x] = await alternate(runs, timed('ours'), timed('plain'));
  const perThousand = (a: number[], b: number[]) => (summarize(b, 'MiB').median - summarize(a, 'MiB').median) / (n1.after - n1.before) * 1000;
  const growth = { ours: perThousand(at1.ours, mem.ours), plain: perThousand(at1.plain, mem.plain) };
  const o2 = summarize(ours2, 's');
  const p2 = summarize(plain2x, 's');
  const o = summarize(ours, 's');
  const p = summarize(paged, 's');
  const floor = summarize([...plain, ...plain2], 's');
  return [
    row({ id: 'skew-large', measure: 'skew, 5,000 nodes: extension read (ApiClusterSource: paged, projected LISTs + snapshot + findings)', ours: o, baseline: floor, baselineName: 'plain https + JSON.parse', goal: '≤ 1.3× floor', pass: o.median / floor.median <= 1.3 }),
    row({ id: 'skew-large-paged', measure: 'skew, 5,000 nodes: the two paged, projected LISTs alone (pagedList.ts + slim.ts) + snapshot', ours: p, baseline: floor, baselineName: 'plain https + JSON.parse', goal: 'informational: a part of the row above', pass: undefined }),
    row({ id: 'skew-large-kubectl', measure: 'skew, 5,000 nodes: extension read vs kubectl LISTs', ours: o, baseline: summarize(kube, 's'), baselineName: 'kubectl get -o json', goal: 'informational' }),
    row({ id: 'skew-large-mem', measure: 'skew, 5,000 nodes: peak memory, extension read', ours: summarize(at1.ours, 'MiB'), baseline: summarize(at1.plain, 'MiB'), baselineName: 'plain https + JSON.parse', goal: 'bounded: see the growth row', pass: undefined }),
    row({ id: 'skew-large-2n', measure: `skew, ${n1.after.toLocaleString('en')} nodes: extension read`, ours: o2, baseline: p2, baselineName: 'plain https + JSON.parse', goal: '≤ 1.3× floor', pass: o2.median / p2.median <= 1.3 }),
    row({ id: 'skew-large-mem-2n', measure: `skew, ${n1.after.toLocaleString('en')} nodes: peak memory, extension read`, ours: summarize(mem.ours, 'MiB'), baseline: summarize(mem.plain, 'MiB'), baselineName: 'plain https + JSON.parse', goal: 'informational' }),
    row({ id: 'skew-large-mem-growth', measure: `skew: peak memory growth per 1,000 nodes (${n1.before.toLocaleString('en')} → ${n1.after.toLocaleString('en')})`, ours: summarize([growth.ours], 'MiB'), baseline: summarize([growth.plain], 'MiB'), baselineName: 'plain https + JSON.parse', goal: '≤ 0.25× the floor\'s growth (pages are bounded; only the snapshot, one entry per node, grows with N)', pass: growth.ours <= 0.25 * growth.plain }),
    row({ id: 'skew-large-mem-paged', measure: 'skew, 5,000 nodes: peak memory, the two paged LISTs alone', ours: summarize(mem.paged!, 'MiB'), baseline: summarize(at1.plain, 'MiB'), baselineName: 'plain https + JSON.parse', goal: 'informational', pass: undefined }),
  ];
}
