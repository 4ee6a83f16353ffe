import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DrainPreview } from '../../../src/core/drain';
import { drainPreviewLines } from '../../../src/core/upgrade/drainPreview';
import { DEFAULT_OPTIONS } from '../../../src/core/upgrade/phases';

test('the drain question names the pods to evict and the budgets that will block, before anything is cordoned', () => {
  const pod = (ns: string, name: string) => ({ metadata: { namespace: ns, name } });
  const preview = {
    node: 'w-1',
    plan: { items: [], toEvict: [pod('default', 'web-0'), pod('default', 'web-1')], skipped: [], warnings: ['ignoring DaemonSet-managed Pods: kube-system/kube-proxy-x'], errors: [] },
    pdbFindings: [{ pod: 'default/web-0', pdbs: ['default/web'], kind: 'blocked', reason: 'PodDisruptionBudget default/web allows 0 disruptions: web-0 waits.' }],
  } as unknown as DrainPreview;
  const lines = drainPreviewLines(preview, 'w-1', DEFAULT_OPTIONS.drain);
  assert.deepEqual(lines.slice(0, 5), [
    '2 pod(s) to evict:',
    '  default/web-0',
    '  default/web-1',
    'Warning: ignoring DaemonSet-managed Pods: kube-system/kube-proxy-x',
    'PDB: PodDisruptionBudget default/web allows 0 disruptions: web-0 waits.',
  ]);
  assert.match(lines.at(-1)!, /kubectl drain w-1/);
});
