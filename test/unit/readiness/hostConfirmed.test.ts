// Readiness reads nothing on a host before it is confirmed to be the Node: cp-1's ssh_config entry pointing at
// worker-2 makes cp-1 "cannot be checked" (a node-access blocker naming both machine ids), not a report of worker-2's
// facts under cp-1's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runReadiness } from '../../../src/core/readiness';
import type { RawNode } from '../../../src/core/snapshot/raw';
import { deps, fakeApi, fakeExecutor, ok, rawNode, T } from './fakes';

const withId = (n: RawNode, machineID: string): RawNode => ({ ...n, status: { ...n.status, nodeInfo: { machineID } } });
const api = fakeApi({ nodes: async () => [withId(rawNode('cp-1', true), 'aaaa1111'), withId(rawNode('w-1', false), 'bbbb2222')] });
const answering = (id: string, host: string) => ({ 'kubeadm-upgrade-machine-id': ok(`kubeadm-upgrade-machine-id=${id}\nkubeadm-upgrade-hostname=${host}\n`) });

test('a host whose machine id is the Node\'s is read as usual', async () => {
  const report = await runReadiness(deps(api, { 'cp-1': fakeExecutor('cp-1', answering('aaaa1111', 'cp-1')), 'w-1': fakeExecutor('w-1', answering('bbbb2222', 'w-1')) }), T, { only: ['node-access'] });
  assert.deepEqual(report.checks.map((c) => `${c.node}:${c.severity}`).sort(), ['cp-1:ok', 'w-1:ok']);
});

test('cp-1 reached at w-1\'s host: cp-1 cannot be checked, naming both machine ids; nothing else is read there', async () => {
  const ran: string[] = [];
  const wrong = fakeExecutor('w-1', answering('bbbb2222', 'w-1'));
  const spy = { ...wrong, async run(c: Parameters<typeof wrong.run>[0], o: Parameters<typeof wrong.run>[1]) { ran.push(String(c)); return wrong.run(c, o); } };
  const report = await runReadiness(deps(api, { 'cp-1': spy, 'w-1': fakeExecutor('w-1', answering('bbbb2222', 'w-1')) }), T);
  const cp1 = report.checks.find((c) => c.id === 'node-access' && c.node === 'cp-1')!;
  assert.equal(cp1.severity, 'blocker');
  assert.match(cp1.message, /The host reached for cp-1 \(fake w-1\) is not cp-1: its machine id is bbbb2222 \(hostname w-1\), but the Node cp-1 reports machine id aaaa1111/);
  assert.doesNotMatch(cp1.message, /not reachable/);
  assert.deepEqual(ran.filter((c) => !c.includes('kubeadm-upgrade-machine-id')), [], 'only the host question was asked');
});
