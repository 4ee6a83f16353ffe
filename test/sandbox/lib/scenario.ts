// Loads a scenario from scenarios/<name>.yaml and resolves its version words.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { SANDBOX_SRC } from './paths';
import { resolveVersion } from './versions';
import type { AfterUp } from './after-up';

export type Role = 'control-plane' | 'worker';
export type Fault = 'fail' | 'hang' | 'drop' | 'never-ready' | 'apiserver-restart';

export interface NodeSpec {
  name: string;
  role: Role;
  kubelet: string;            // resolved kubelet (and kube-proxy) version on the node
  kubeadm: string;            // installed kubeadm package version
  controlPlane: string;       // static pod versions (apiserver/scheduler) on a control plane
  controllerManager: string;  // controller-manager static pod version (may lag, mixed-skew)
  packageManager: 'apt' | 'yum';
  password: boolean;          // password login + password-asking sudo on this node
  faults: Partial<Record<string, Fault>>; // step -> fault, written to the node's faults.env
  swap?: boolean;             // `swapon --show` lists a swap file (readiness swap-enabled)
  cgroup?: 'v1' | 'v2';       // what sessions see mounted on /sys/fs/cgroup (default v2)
  certDays?: Record<string, number>; // kubeadm cert name -> validity in days (readiness certificate-expiry)
}

export interface Scenario {
  name: string;
  description: string;
  kubernetesVersion: string;
  packageManager: 'apt' | 'yum';
  ssh: boolean;
  nodes: NodeSpec[];
  objects: Record<string, unknown>[];
  generate?: { workers: number; podsPerWorker: number };
  /** Node marked `template: true`: the model for generated workers, not created itself. */
  template?: NodeSpec;
  /** States applied once the cluster is Ready (NotReady nodes, Terminating pods): see lib/after-up.ts. */
  afterUp?: AfterUp;
  /** The node that is a real kubeadm node (real-control-plane scenario, realnode/). */
  realNode?: string;
  /** Every node is a real kubeadm node: three control planes behind HAProxy and real workers (realha/). */
  realHa?: boolean;
}

export function scenarioNames(): string[] {
  return fs.readdirSync(path.join(SANDBOX_SRC, 'scenarios')).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
}

export function loadScenario(name: string): Scenario {
  const file = path.join(SANDBOX_SRC, 'scenarios', `${name}.yaml`);
  if (!fs.existsSync(file)) throw new Error(`no scenario "${name}" (have: ${scenarioNames().join(', ')})`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const raw = parse(fs.readFileSync(file, 'utf8')) as any;
  const k8s = resolveVersion(raw.kubernetesVersion, 'old');
  const pm = raw.packageManager === 'yum' ? 'yum' : 'apt';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const nodes: NodeSpec[] = (raw.nodes ?? []).map((n: any) => ({
    name: String(n.name),
    role: n.role === 'control-plane' ? 'control-plane' : 'worker',
    kubelet: resolveVersion(n.kubelet, k8s),
    kubeadm: resolveVersion(n.kubeadm ?? n.kubelet, k8s),
    controlPlane: resolveVersion(n.controlPlane, k8s),
    controllerManager: resolveVersion(n.controllerManager ?? n.controlPlane, k8s),
    packageManager: n.packageManager === 'yum' ? 'yum' : n.packageManager === 'apt' ? 'apt' : pm,
    password: raw.passwordNode === n.name,
    faults: n.faults ?? {},
    swap: n.swap === true,
    cgroup: n.cgroup === 'v1' ? 'v1' : 'v2',
    certDays: n.certDays ?? {},
    template: n.template === true,
  }));
  const template = nodes.find((n) => (n as NodeSpec & { template: boolean }).template);
  return {
    name,
    template,
    description: String(raw.description ?? ''),
    kubernetesVersion: k8s,
    packageManager: pm,
    ssh: raw.ssh !== false,
    nodes: nodes.filter((n) => n !== template),
    objects: raw.objects ?? [],
    generate: raw.generate,
    afterUp: raw.afterUp,
    realNode: raw.realNode ? String(raw.realNode) : undefined,
    realHa: raw.realHa === true,
  };
}
