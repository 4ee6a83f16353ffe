import { kubeadmCoreDNSFor, UNKNOWN_COREDNS } from './corednsVersions';
import { evaluateSkew } from '../skew';
import type { ClusterSnapshot } from '../snapshot/model';
import { compareVersions, formatVersion, parseVersion, type KubeVersion } from '../version';
import type { AddonRollout } from './ports';

export type CheckStatus = 'pass' | 'fail' | 'pending' | 'info';

export interface VerifyCheck {
  readonly id: string;
  readonly status: CheckStatus;
  readonly subject: string;
  readonly message: string;
}

export interface VerificationReport {
  readonly cluster: string;
  readonly target: string;
  readonly at: string;
  /** True when no check failed or is pending. */
  readonly passed: boolean;
  readonly checks: readonly VerifyCheck[];
}

export interface VerifyInput {
  readonly cluster: string;
  readonly snapshot: ClusterSnapshot;
  readonly target: KubeVersion;
  readonly kubeProxy: AddonRollout | undefined;
  readonly coredns: AddonRollout | undefined;
  /** CoreDNS version kubeadm installs for the target (`kubeadm config images list`); default: kubeadm's table (corednsVersions.ts). */
  readonly expectedCoreDNS?: string;
  /** Nodes this run cordoned and did not uncordon. */
  readonly leftCordonedByRun: readonly string[];
  readonly now: Date;
}

const CP_COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;

/**
 * The end-of-run verification, from what the API shows: every node Ready, schedulable, kubelet at the target; every
 * control plane's static pods at the target (etcd as kubeadm chose); kube-proxy and CoreDNS rolled out at kubeadm's
 * versions; nothing left cordoned by the run; no skew finding left. Addons are upgraded by kubeadm only once the last
 * control plane is done (since kubeadm 1.28), so until then they are "pending", not failed.
 */
export function verifyCluster(input: VerifyInput): VerificationReport {
  const t = formatVersion(input.target);
  const checks: VerifyCheck[] = [];
  const add = (id: string, status: CheckStatus, subject: string, message: string) => checks.push({ id, status, subject, message });
  const atTarget = (v: KubeVersion | undefined) => !!v && compareVersions(v, input.target) === 0;

  for (const n of input.snapshot.nodes) {
    const kubelet = n.kubelet?.version;
    add('node-ready', n.readiness === 'Ready' ? 'pass' : 'fail', n.name, `${n.readiness}`);
    add('node-schedulable', n.unschedulable ? 'fail' : 'pass', n.name, n.unschedulable ? 'cordoned (SchedulingDisabled)' : 'schedulable');
    add('kubelet-version', atTarget(kubelet) ? 'pass' : 'fail', n.name, `kubelet ${kubelet ? formatVersion(kubelet) : 'unknown'}${atTarget(kubelet) ? '' : `, expected ${t}`}`);
  }
  const cps = input.snapshot.nodes.filter((n) => n.controlPlane);
  const cpsDone = cps.every((n) => atTarget(n.controlPlaneComponents['kube-apiserver']?.version));
  for (const n of cps) {
    for (const c of CP_COMPONENTS) {
      const v = n.controlPlaneComponents[c]?.version;
      add('control-plane-version', atTarget(v) ? 'pass' : 'fail', `${c}-${n.name}`, `${v ? formatVersion(v) : 'not found'}${atTarget(v) ? '' : `, expected ${t}`}`);
    }
    const etcd = n.controlPlaneComponents.etcd;
    add('etcd-version', 'info', `etcd-${n.name}`, etcd?.version ? `${formatVersion(etcd.version)} (the version kubeadm chose for ${t})` : 'no etcd static pod (external etcd?)');
  }
  addonCheck('kube-proxy', input.kubeProxy, t, cpsDone, add, (v) => atTarget(v));
  // CoreDNS at the version kubeadm deploys for the target (its image tag), not merely rolled out.
  const corednsWant = input.expectedCoreDNS ?? kubeadmCoreDNSFor(input.target);
  addonCheck('coredns', input.coredns, corednsWant ?? '', cpsDone, add, (v) => {
    const want = parseVersion(corednsWant);
    return want ? !!v && compareVersions(v, want) === 0 : true;
  });
  if (input.coredns && !corednsWant) add('addon', 'info', 'coredns-version', UNKNOWN_COREDNS(input.target));
  for (const node of input.leftCordonedByRun) add('left-cordoned', 'fail', node, 'cordoned by this run and never uncordoned');
  const findings = evaluateSkew(input.snapshot).filter((f) => f.severity !== 'info');
  if (findings.length === 0) add('skew', 'pass', 'cluster', 'no version-skew finding');
  for (const f of findings) add('skew', 'fail', f.node ?? 'cluster', `${f.severity}: ${f.message}`);
  add('cni', 'info', 'cluster', 'kubeadm does not upgrade the CNI plugin: check its docs for a version that supports ' + t + '.');
  return {
    cluster: input.cluster,
    target: t,
    at: input.now.toISOString(),
    passed: checks.every((c) => c.status === 'pass' || c.status === 'info'),
    checks,
  };
}

function addonCheck(
  name: string,
  rollout: AddonRollout | undefined,
  want: string,
  cpsDone: boolean,
  add: (id: string, status: CheckStatus, subject: string, message: string) => void,
  versionOk: (v: KubeVersion | undefined) => boolean,
): void {
  if (!rollout) {
    add('addon', 'info', name, 'not found (not managed by kubeadm here?)');
    return;
  }
  const v = parseVersion(rollout.image.split(':').pop());
  const rolled = rollout.updated >= rollout.desired && rollout.available >= rollout.desired;
  const ok = versionOk(v) && rolled;
  if (!ok && !cpsDone) {
    add('addon', 'pending', name, `${rollout.image}: kubeadm upgrades ${name} only after the last control plane is upgraded (since kubeadm 1.28)`);
    return;
  }
  const expected = want ? `, expected ${want}` : '';
  add('addon', ok ? 'pass' : 'fail', name, `${rollout.image}, ${rollout.available}/${rollout.desired} available${ok ? '' : expected}${rolled ? '' : ', rollout not finished'}`);
}

/** The report as text: failures first, then the rest. */
export function formatReport(r: VerificationReport): string {
  const order: Record<CheckStatus, number> = { fail: 0, pending: 1, pass: 2, info: 3 };
  const mark: Record<CheckStatus, string> = { fail: '✖', pending: '…', pass: '✔', info: 'i' };
  const lines = [...r.checks].sort((a, b) => order[a.status] - order[b.status]).map((c) => `${mark[c.status]} ${c.id.padEnd(21)} ${c.subject.padEnd(34)} ${c.message}`);
  const counts = (s: CheckStatus) => r.checks.filter((c) => c.status === s).length;
  return [`Verification of ${r.cluster} at ${r.target}: ${r.passed ? 'PASSED' : 'NOT PASSED'} (${counts('pass')} passed, ${counts('fail')} failed, ${counts('pending')} pending)`, ...lines].join('\n');
}
