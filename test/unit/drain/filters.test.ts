import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  daemonSetsToLookUp,
  filterPods,
  warningLine,
  type DaemonSetLookup,
  DAEMONSET_FATAL,
  LOCAL_STORAGE_FATAL,
  UNMANAGED_FATAL,
} from '../../../src/core/drain/filters';
import { DEFAULT_DRAIN_OPTIONS, type DrainOptions, type DrainPod } from '../../../src/core/drain/types';
import { ds, pod, rs } from './helpers';

const NOW = Date.parse('2026-11-22T09:00:00Z');
const lookups = (entries: Record<string, DaemonSetLookup> = {}) => new Map(Object.entries(entries));
const opts = (o: Partial<DrainOptions> = {}): DrainOptions => ({ ...DEFAULT_DRAIN_OPTIONS, ...o });
const EXISTS: DaemonSetLookup = { exists: true };
const GONE: DaemonSetLookup = { exists: false, notFound: true, message: 'daemonsets.apps "agent" not found' };

interface Row {
  name: string;
  pod: DrainPod;
  options?: Partial<DrainOptions>;
  ds?: Record<string, DaemonSetLookup>;
  delete: boolean;
  reason: 'Okay' | 'Skip' | 'Warning' | 'Error';
  message?: string;
  filter?: string;
}

const rows: Row[] = [
  // skipDeleted
  { name: 'deleted 10 min ago, skip-wait 300', pod: pod('old', { owner: rs('x'), deletedAt: '2026-11-22T08:50:00Z' }), options: { skipWaitForDeleteTimeoutSeconds: 300 }, delete: false, reason: 'Skip', filter: 'skipDeleted' },
  { name: 'deleted 10 min ago, no skip-wait: evicted and waited for', pod: pod('old', { owner: rs('x'), deletedAt: '2026-11-22T08:50:00Z' }), delete: true, reason: 'Okay' },
  { name: 'deleted 100 s ago, skip-wait 300: still waited for', pod: pod('recent', { owner: rs('x'), deletedAt: '2026-11-22T08:58:20Z' }), options: { skipWaitForDeleteTimeoutSeconds: 300 }, delete: true, reason: 'Okay' },
  // daemonSet
  { name: 'DaemonSet pod, ignore-daemonsets (default)', pod: pod('agent-1', { owner: ds('agent') }), ds: { 'default/agent': EXISTS }, delete: false, reason: 'Warning', message: 'ignoring DaemonSet-managed Pods', filter: 'daemonSet' },
  { name: 'DaemonSet pod without ignore-daemonsets', pod: pod('agent-1', { owner: ds('agent') }), ds: { 'default/agent': EXISTS }, options: { ignoreDaemonSets: false }, delete: false, reason: 'Error', message: DAEMONSET_FATAL },
  { name: 'orphaned DaemonSet pod without force', pod: pod('agent-1', { owner: ds('agent') }), ds: { 'default/agent': GONE }, delete: false, reason: 'Error', message: 'daemonsets.apps "agent" not found' },
  { name: 'orphaned DaemonSet pod with force', pod: pod('agent-1', { owner: ds('agent') }), ds: { 'default/agent': GONE }, options: { force: true }, delete: true, reason: 'Okay', filter: 'unreplicated' },
  { name: 'DaemonSet lookup failed (403) even with force', pod: pod('agent-1', { owner: ds('agent') }), ds: { 'default/agent': { exists: false, notFound: false, message: 'forbidden' } }, options: { force: true }, delete: false, reason: 'Error', message: 'forbidden' },
  { name: 'finished DaemonSet pod is removed', pod: pod('agent-1', { owner: ds('agent'), phase: 'Succeeded' }), delete: true, reason: 'Okay' },
  { name: 'DaemonSet as a non-controller owner does not count', pod: pod('p', { owner: { kind: 'DaemonSet', name: 'agent', controller: false } }), delete: false, reason: 'Error', message: UNMANAGED_FATAL },
  // mirrorPod
  { name: 'mirror pod', pod: pod('kube-apiserver-cp-1', { mirror: true, owner: { kind: 'Node', name: 'cp-1' } }), delete: false, reason: 'Skip', filter: 'mirrorPod' },
  { name: 'mirror pod without owner is skipped before the controller check', pod: pod('static', { mirror: true }), delete: false, reason: 'Skip', filter: 'mirrorPod' },
  // localStorage
  { name: 'emptyDir pod without delete-emptydir-data', pod: pod('cache', { owner: rs('x'), emptyDir: true }), delete: false, reason: 'Error', message: LOCAL_STORAGE_FATAL },
  { name: 'emptyDir pod with delete-emptydir-data: warning dropped by the next filter (kubectl)', pod: pod('cache', { owner: rs('x'), emptyDir: true }), options: { deleteEmptyDirData: true }, delete: true, reason: 'Okay' },
  { name: 'finished emptyDir pod', pod: pod('job', { owner: { kind: 'Job', name: 'j' }, emptyDir: true, phase: 'Failed' }), delete: true, reason: 'Okay' },
  // unreplicated
  { name: 'bare pod without force', pod: pod('bare'), delete: false, reason: 'Error', message: UNMANAGED_FATAL },
  { name: 'bare pod with force', pod: pod('bare'), options: { force: true }, delete: true, reason: 'Warning', message: 'deleting Pods that declare no controller' },
  { name: 'bare emptyDir pod with both flags: the unreplicated warning wins', pod: pod('bare', { emptyDir: true }), options: { force: true, deleteEmptyDirData: true }, delete: true, reason: 'Warning', message: 'deleting Pods that declare no controller' },
  { name: 'bare emptyDir pod with force only: emptyDir error first', pod: pod('bare', { emptyDir: true }), options: { force: true }, delete: false, reason: 'Error', message: LOCAL_STORAGE_FATAL },
  { name: 'finished bare pod', pod: pod('done', { phase: 'Succeeded' }), delete: true, reason: 'Okay' },
  { name: 'ReplicaSet pod', pod: pod('web-1', { owner: rs('web') }), delete: true, reason: 'Okay' },
];

for (const r of rows) {
  test(`filter: ${r.name}`, () => {
    const plan = filterPods([r.pod], opts(r.options), lookups(r.ds), NOW);
    const item = plan.items[0]!;
    assert.equal(item.status.delete, r.delete);
    assert.equal(item.status.reason, r.reason);
    if (r.message !== undefined) assert.equal(item.status.message, r.message);
    if (r.filter !== undefined) assert.equal(item.filter, r.filter);
    assert.equal(plan.toEvict.length, r.delete ? 1 : 0);
  });
}

test('all errors are collected, grouped by message, in kubectl wording (kubectl 1.36 output on blocked-drain)', () => {
  const pods = [pod('bare-pod'), pod('scratch-pod', { emptyDir: true, labels: { app: 'scratch' } }), pod('singleton-1', { owner: rs('singleton') }), pod('kube-proxy-rsq8b', { ns: 'kube-system', owner: ds('kube-proxy') })];
  const plan = filterPods(pods, opts({ ignoreDaemonSets: false }), lookups({ 'kube-system/kube-proxy': EXISTS }), NOW);
  // Captured from `kubectl drain worker-1` (v1.36.3) against the sandbox's blocked-drain scenario.
  assert.deepEqual(plan.errors, [
    'cannot delete Pods that declare no controller (use --force to override): default/bare-pod',
    'cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch-pod',
    'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/kube-proxy-rsq8b',
  ]);
  assert.deepEqual(plan.toEvict.map((p) => p.metadata?.name), ['singleton-1']);
});

test('warnings: kubectl 1.36 `Warning:` line for --force --delete-emptydir-data --ignore-daemonsets', () => {
  const pods = [pod('bare-pod'), pod('scratch-pod', { emptyDir: true }), pod('singleton-1', { owner: rs('singleton') }), pod('kube-proxy-rsq8b', { ns: 'kube-system', owner: ds('kube-proxy') })];
  const plan = filterPods(pods, opts({ force: true, deleteEmptyDirData: true }), lookups({ 'kube-system/kube-proxy': EXISTS }), NOW);
  assert.equal(warningLine(plan), 'deleting Pods that declare no controller: default/bare-pod, default/scratch-pod; ignoring DaemonSet-managed Pods: kube-system/kube-proxy-rsq8b');
  assert.deepEqual(plan.errors, []);
  assert.deepEqual(plan.toEvict.map((p) => p.metadata?.name), ['bare-pod', 'scratch-pod', 'singleton-1']);
  assert.deepEqual(plan.skipped, [{ pod: 'kube-system/kube-proxy-rsq8b', reason: 'ignoring DaemonSet-managed Pods' }]);
});

test('F30 fixture: the DaemonSet warning line', () => {
  const pods = [pod('canal-v7w9v', { ns: 'kube-system', owner: ds('canal') }), pod('kube-proxy-r7rvm', { ns: 'kube-system', owner: ds('kube-proxy') }), pod('coredns-7c65d6cfc9-z2xs8', { ns: 'kube-system', owner: rs('coredns-7c65d6cfc9') })];
  const plan = filterPods(pods, opts(), lookups({ 'kube-system/canal': EXISTS, 'kube-system/kube-proxy': EXISTS }), NOW);
  assert.equal(`Warning: ${warningLine(plan)}`, 'Warning: ignoring DaemonSet-managed Pods: kube-system/canal-v7w9v, kube-system/kube-proxy-r7rvm');
});

test('F31 fixture: error groups (the fixture\'s older kubectl doubled "cannot delete"; 1.36 and this code do not)', () => {
  const pods = [
    pod('httpd'), pod('no-trust'), pod('trust'),
    pod('kubernetes-dashboard-api-85567747f8-2txhk', { ns: 'kubernetes-dashboard', owner: rs('a'), emptyDir: true }),
    pod('database-67c5bccd6c-lt5ln', { ns: 'mydb', owner: rs('b'), emptyDir: true }),
  ];
  const plan = filterPods(pods, opts(), lookups(), NOW);
  assert.deepEqual(plan.errors, [
    'cannot delete Pods that declare no controller (use --force to override): default/httpd, default/no-trust, default/trust',
    'cannot delete Pods with local storage (use --delete-emptydir-data to override): kubernetes-dashboard/kubernetes-dashboard-api-85567747f8-2txhk, mydb/database-67c5bccd6c-lt5ln',
  ]);
});

test('daemonSetsToLookUp: running pods controlled by a DaemonSet, once each', () => {
  const pods = [pod('a', { owner: ds('agent') }), pod('b', { owner: ds('agent') }), pod('c', { owner: ds('other'), phase: 'Failed' }), pod('d', { owner: rs('x') })];
  assert.deepEqual(daemonSetsToLookUp(pods), ['default/agent']);
});

test('a DaemonSet that was not looked up is an error, never a silent eviction', () => {
  const plan = filterPods([pod('a', { owner: ds('agent') })], opts({ force: true }), lookups(), NOW);
  assert.deepEqual(plan.errors, ['cannot delete DaemonSet default/agent was not looked up: default/a']);
});
