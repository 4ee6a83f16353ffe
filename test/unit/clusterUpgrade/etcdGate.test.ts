import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { etcdMemberProblems, parseMemberList } from '../../../src/core/clusterUpgrade/etcdGate';

// Real etcdctl 3.6.8 output from the real-ha sandbox's 3-member stacked etcd (test/fixtures/etcd-gate/README.md).
const fx = (f: string) => fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'etcd-gate', f), 'utf8');
const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: '' });

test('member list: names, client URLs and uint64 ids kept exact', () => {
  const m = parseMemberList(fx('member-list-3-healthy.json'));
  assert.deepEqual(m.map((x) => x.name).sort(), ['cp-1', 'cp-2', 'cp-3']);
  assert.deepEqual(m.find((x) => x.name === 'cp-3')!.clientUrls, ['https://198.18.1.13:2379']);
  assert.equal(m.find((x) => x.name === 'cp-1')!.id, '12928076962249821583');
});

test('three healthy members in one cluster: no problem', () => {
  assert.deepEqual(etcdMemberProblems('cp-2', { members: ok(fx('member-list-3-healthy.json')), health: ok(fx('endpoint-health-3-healthy.json')), status: ok(fx('endpoint-status-3-healthy.json')) }), []);
});

test("cp-3's member refusing connections: the gate names it with its endpoint and etcdctl's error", () => {
  const p = etcdMemberProblems('cp-2', {
    members: ok(fx('member-list-3-healthy.json')),
    health: { exitCode: 1, stdout: fx('endpoint-health-cp-3-refused.txt'), stderr: '' },
    status: { exitCode: 1, stdout: fx('endpoint-status-cp-3-refused.txt'), stderr: 'Failed to get the status of endpoint https://198.18.1.13:2379 (context deadline exceeded)\n' },
  });
  assert.deepEqual(p, ['etcd member cp-3 (https://198.18.1.13:2379) unhealthy: context deadline exceeded']);
});

test('two cluster ids (a member restored on its own: split brain) is a problem', () => {
  const status = fx('endpoint-status-3-healthy.json');
  const first = status.indexOf('"cluster_id":') + '"cluster_id":'.length;
  const split = status.slice(0, first) + '1111111111111111111' + status.slice(first + 19);
  const p = etcdMemberProblems('cp-2', { members: ok(fx('member-list-3-healthy.json')), health: ok(fx('endpoint-health-3-healthy.json')), status: ok(split) });
  assert.equal(p.length, 1);
  assert.match(p[0]!, /^etcd members report different cluster ids: .*=1111111111111111111, .*=1995581823251976912/);
});

test('member list failing or a member never started are problems, with what etcdctl said', () => {
  assert.deepEqual(etcdMemberProblems('cp-1', { members: { exitCode: 1, stdout: '', stderr: 'Error: context deadline exceeded\n' }, health: ok('[]'), status: ok('[]') }),
    ['etcd on cp-1: member list failed: Error: context deadline exceeded']);
  const unstarted = fx('member-list-3-healthy.json').replace('"name":"cp-3","peerURLs":["https://198.18.1.13:2380"],"clientURLs":["https://198.18.1.13:2379"]', '"peerURLs":["https://198.18.1.13:2380"]');
  assert.deepEqual(etcdMemberProblems('cp-1', { members: ok(unstarted), health: ok(fx('endpoint-health-3-healthy.json')), status: ok(fx('endpoint-status-3-healthy.json')) }),
    ['etcd member 6962205275230960158 has not started (no name or client URL in the member list)']);
});
