// A cluster run killed mid-run (SIGKILL: no clean-up, no record of how it stopped), against the `apt` sandbox's real
// apiserver and sshd: `resume` re-runs the readiness checks before anything continues (nobody drove the cluster
// since, so nobody knows what changed); a blocker that appeared meanwhile stops the resume, naming the override, and
// `resume --override ID` (audited) goes on and finishes the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { resumeCommand } from '../../../src/cli/resumeCommand';
import { useSandboxWithDir, waitFor } from '../sandbox';
import { cli, sandboxPrompts, TARGET, withCapture } from './helpers';

const REPO = path.resolve(__dirname, '../../..');
const WEBHOOKS = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';
const { sb, dir: stateDirOf } = useSandboxWithDir('apt', 'killed-resume-');

const conn = () => ['--kubeconfig', sb.kubeconfig, '--ssh-config', sb.sshConfig!, '--state-dir', stateDirOf()];
const clusterRuns = () => {
  const dir = path.join(stateDirOf(), 'cluster-runs');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { id: string; status: string; stoppedShape?: string[]; nodes: { name: string; status: string; step?: { index: number } }[] }) : [];
};
const audit = () => fs.readFileSync(path.join(stateDirOf(), 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { phase: string; command: string; exitCode: number | null; failure?: string; run: string });
const kubelets = () => (JSON.parse(sb.kubectl('get', 'nodes', '-o', 'json')).items as { metadata: { name: string }; status: { nodeInfo: { kubeletVersion: string } } }[]).map((n) => `${n.metadata.name} ${n.status.nodeInfo.kubeletVersion}`).sort();

test('a killed run: resume re-runs readiness first; a blocker that appeared meanwhile stops it (naming the override); --override goes on and finishes', { timeout: 1_500_000 }, async () => {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'test/integration/identity/child.ts'), 'upgrade-cluster', '--to', TARGET, '--skip-snapshot', '--yes', ...conn()], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
  let childErr = '';
  proc.stderr!.on('data', (d: Buffer) => (childErr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_c, signal) => resolve(signal)));
  // Killed once the control plane is done and worker-1 is at its second step or later.
  await waitFor('the run at worker-1', () => clusterRuns().find((r) => r.nodes.some((n) => n.name === 'worker-1' && n.status === 'running' && (n.step?.index ?? 0) >= 2)), 900_000);
  proc.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL', childErr);
  const [killed] = clusterRuns();
  assert.equal(killed?.status, 'running', 'a killed run is left as it was');
  assert.equal(killed?.stoppedShape, undefined, 'it never recorded how it stopped');

  // Meanwhile someone adds a Fail-policy webhook whose Service does not exist (a readiness blocker). Its rules match
  // a resource nothing here uses, so it cannot break the run itself once overridden.
  const hook = await sb.api('POST', WEBHOOKS, {
    metadata: { name: 'widgets-guard' },
    webhooks: [{ name: 'widgets.example.com', failurePolicy: 'Fail', sideEffects: 'None', admissionReviewVersions: ['v1'], clientConfig: { service: { namespace: 'default', name: 'widgets-guard' } }, rules: [{ apiGroups: ['example.com'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['widgets'] }] }],
  });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  const before = kubelets();

  const refused = await withCapture((out, err) => resumeCommand(conn(), out, err, { prompts: sandboxPrompts }));
  assert.equal(refused.code, 1, refused.err);
  assert.match(refused.err, new RegExp(`Resuming ${killed!.id}`));
  assert.match(refused.err, /The run was interrupted without stopping \(its process was killed or its window closed\): nobody drove it since, and the cluster may have changed: the readiness checks run again\./);
  assert.match(refused.err, /and the readiness checks now block: blocked by readiness check webhook-unavailable \(override with --override webhook-unavailable\): ValidatingWebhookConfiguration widgets-guard \(webhook widgets\.example\.com\) has failurePolicy Fail and its Service does not exist/);
  assert.doesNotMatch(refused.err, /worker-1 \d+\/\d+ /, 'no step ran');
  assert.deepEqual(kubelets(), before, 'nothing changed on the nodes');
  const checked = audit().filter((e) => e.phase === 'readiness-on-resume');
  assert.equal(checked.length, 1);
  assert.match(checked[0]!.command, /interrupted without stopping.*; blockers: webhook-unavailable$/);
  assert.equal(checked[0]!.run, killed!.id);

  // An unknown check id is bad input before anything is read (exit 2, naming the known ids).
  const bad = await cli('resume', ...conn(), '--override', 'no-such-check');
  assert.equal(bad.code, 2, bad.err);
  assert.match(bad.err, /unknown readiness check id "no-such-check"; the check ids are: .*webhook-unavailable/);

  const resumed = await withCapture((out, err) => resumeCommand([...conn(), '--override', 'webhook-unavailable'], out, err, { prompts: sandboxPrompts }));
  assert.equal(resumed.code, 0, `${resumed.err}\n${resumed.out}`);
  assert.match(resumed.err, /the readiness checks run again/, 'still no record of how it stopped: checked again, then overridden');
  for (const line of kubelets()) assert.match(line, new RegExp(` ${TARGET.replace(/\./g, '\\.')}$`), line);
  const lines = audit();
  assert.ok(lines.some((e) => e.phase === 'readiness-override' && e.command === '--override webhook-unavailable' && e.run === killed!.id), 'the override is audited');
  assert.match(lines.filter((e) => e.phase === 'readiness-on-resume').at(-1)!.command, /; blockers: none$/);
  await sb.api('DELETE', `${WEBHOOKS}/widgets-guard`);
});
