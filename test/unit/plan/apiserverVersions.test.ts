// Issue #28 class 9, in the plan parser: kubeadm's "Different API server versions" warning (a klog W line, no table
// after it) becomes a diagnostic naming each version and its nodes, and the plan is not "up to date"; a preflight
// warning or error continued over several lines is one diagnostic, nothing left unparsed. Real outputs from
// test/fixtures/explain (sources in its README).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

import { parsePlan } from '../../../src/core/plan';
import { apiserverVersions } from '../../../src/core/plan/apiserverVersions';

const DIR = resolve(process.cwd(), 'test/fixtures/explain');
const sample = (prefix: string) => readFileSync(resolve(DIR, readdirSync(DIR).find((f) => f.startsWith(prefix))!), 'utf8');
/** The plan output without the shell prompt typed before it (the explainer reads prompts, the plan parser does not). */
const planOnly = (prefix: string) => sample(prefix).split('\n').filter((l) => !/\$ sudo kubeadm upgrade plan$/.test(l)).join('\n').replace(/^\$ sudo kubeadm upgrade plan/, '');

describe('parsePlan: different kube-apiserver versions across control planes', () => {
  it('two nodes behind: both named with their version, the fix says upgrade node on each', () => {
    const plan = parsePlan(planOnly('P06_'));
    assert.equal(plan.upToDate, false);
    assert.deepEqual(plan.unparsed, []);
    assert.equal(plan.diagnostics.length, 1);
    const d = plan.diagnostics[0]!;
    assert.equal(d.severity, 'warning');
    assert.equal(d.message, 'Different API server versions in the cluster: v1.30.3 on k8s-control-plane-01; v1.30.2 on k8s-control-plane-02, k8s-control-plane-03.');
    assert.match(d.fix, /k8s-control-plane-02, k8s-control-plane-03 still run v1\.30\.2/);
    assert.match(d.fix, /kubeadm upgrade node/);
    assert.match(d.fix, /to v1\.30\.3/);
  });
  it('one node behind, the prompt glued to kubeadm\'s first line', () => {
    const plan = parsePlan(planOnly('P02_'));
    assert.equal(plan.upToDate, false);
    assert.deepEqual(plan.diagnostics.map((d) => d.message), ['Different API server versions in the cluster: v1.33.0 on k8s-controlplane01; v1.32.4 on k8s-controlplane02.']);
    assert.match(plan.diagnostics[0]!.fix, /k8s-controlplane02 still runs v1\.32\.4/);
  });
  it('reads versions newest first, whatever order kubeadm printed them in (it ranges over a map)', () => {
    const line = sample('P06_').split('\n').find((l) => l.includes('Different API server versions'))!;
    const swapped = line.replace(/v1\.30\.3 on nodes \[k8s-control-plane-01\], (v1\.30\.2 on nodes \[[^\]]*\])/, '$1, v1.30.3 on nodes [k8s-control-plane-01]');
    assert.notEqual(swapped, line);
    assert.deepEqual(apiserverVersions(swapped)!.map((v) => v.version), ['v1.30.3', 'v1.30.2']);
    assert.equal(apiserverVersions('[upgrade/versions] Cluster version: 1.30.3'), null);
  });
});

describe('parsePlan: a preflight item over several lines is one diagnostic', () => {
  it("CoreDNS's warning whose plugin list starts with `[` on the next line", () => {
    const plan = parsePlan(sample('P04_'));
    assert.deepEqual(plan.unparsed, []);
    assert.deepEqual(plan.diagnostics.map((d) => d.message), [
      '[WARNING CoreDNSUnsupportedPlugins]: CoreDNS cannot migrate the following plugins: [Plugin "grpc" is unsupported by this migration tool in 1.9.3.]',
    ]);
  });
  it("ImagePull's error with crictl's output on the lines after it", () => {
    const plan = parsePlan(sample('K11_'));
    assert.deepEqual(plan.unparsed, []);
    const d = plan.diagnostics.find((x) => x.message.startsWith('[ERROR ImagePull]'))!;
    assert.match(d.message, /level=fatal msg="pulling image: rpc error/);
  });
});
