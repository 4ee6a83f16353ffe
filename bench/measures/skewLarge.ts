// `skew` on the large scenario (5,000 nodes): the extension's read against plain https + JSON.parse of the same
// LISTs and against kubectl's LISTs, each in a process of its own (peak memory = that process's maxRSS).
import * as path from 'node:path';
import type { Sandbox } from '../../test/integration/sandbox';
import { kubectl } from '../lib/kubectl';
import { childReport } from '../lib/proc';
import { row, type Row } from '../lib/report';
import { alternate, summarize } from '../lib/stats';

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
  const o = summarize(ours, 's');
  const p = summarize(paged, 's');
  const floor = summarize([...plain, ...plain2], 's');
  return [
    row({ id: 'skew-large', measure: 'skew, 5,000 nodes: extension read (ApiClusterSource: paged, projected LISTs + snapshot + findings)', ours: o, baseline: floor, baselineName: 'plain https + JSON.parse', goal: '≤ 1.3× floor', pass: o.median / floor.median <= 1.3 }),
    row({ id: 'skew-large-paged', measure: 'skew, 5,000 nodes: the two paged, projected LISTs alone (pagedList.ts + slim.ts) + snapshot', ours: p, baseline: floor, baselineName: 'plain https + JSON.parse', goal: '≤ 1.3× floor', pass: p.median / floor.median <= 1.3 }),
    row({ id: 'skew-large-kubectl', measure: 'skew, 5,000 nodes: extension read vs kubectl LISTs', ours: o, baseline: summarize(kube, 's'), baselineName: 'kubectl get -o json', goal: 'informational' }),
    row({ id: 'skew-large-mem', measure: 'skew, 5,000 nodes: peak memory, extension read', ours: summarize(mem.ours!, 'MiB'), baseline: summarize(mem.plain!, 'MiB'), baselineName: 'plain https + JSON.parse', goal: 'bounded, independent of N', pass: undefined }),
    row({ id: 'skew-large-mem-paged', measure: 'skew, 5,000 nodes: peak memory, the two paged LISTs alone', ours: summarize(mem.paged!, 'MiB'), baseline: summarize(mem.plain!, 'MiB'), baselineName: 'plain https + JSON.parse', goal: 'bounded, independent of N', pass: undefined }),
  ];
}
