// "Run…" on a recovery step, through the host code the webview message reaches (src/ui/webview/terminal.ts), with a
// local shell terminal named `kubeadm: cp-1` open: the step must run on cp-1 through the node's executor (the real
// SSH executor to a real sshd here) and never send a byte to that terminal, nor open or look up any terminal.
// VS Code's API is a recording stand-in (this layer has no workbench); the executor, sshd and node are real.
import './pureJs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import type { AuditEntry } from '../../../src/core/audit/entry';
import type { ViewModel } from '../../../src/core/clusterPanel/protocol';
import type { ExecutionServices } from '../../../src/ui/webview/hostServices';
import { RUNS_DIR } from '../../../src/core/exec/detached';
import { clientFor, fakePrompts, type Client } from './fixture';
import { Sshd, tmpDir } from './sshd';

const sent: string[] = [];
const created: string[] = [];
const shown: string[] = [];
let terminalsRead = 0;
let output = '';
const localTerminal = { name: 'kubeadm: cp-1', sendText: (t: string) => sent.push(t), show: () => undefined, exitStatus: undefined };
const fakeVscode = {
  window: {
    get terminals() {
      terminalsRead++;
      return [localTerminal];
    },
    createTerminal: (o: { name: string }) => {
      created.push(o.name);
      return localTerminal;
    },
    showWarningMessage: async (q: string, _o: unknown, ...items: string[]) => (shown.push(q), items.includes('Run') ? 'Run' : undefined),
    showErrorMessage: async (m: string) => void shown.push(`error: ${m}`),
    showInformationMessage: async (m: string) => void shown.push(`info: ${m}`),
    createOutputChannel: () => ({ show: () => undefined, append: (t: string) => (output += t) }),
  },
};
const load = (Module as unknown as { _load: (r: string, ...a: unknown[]) => unknown })._load;
(Module as unknown as { _load: (r: string, ...a: unknown[]) => unknown })._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? fakeVscode : load(request, ...rest));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the stand-in is in place
const { runOfferedStep } = require('../../../src/ui/webview/terminal') as typeof import('../../../src/ui/webview/terminal');

let sshd: Sshd;
let client: Client;
let work: string;
before(async () => {
  sshd = await Sshd.start();
  client = clientFor(sshd, { aliases: ['cp-1'] });
  work = tmpDir('kup-routing-');
});
after(async () => {
  await sshd?.stop();
  client?.cleanup();
  fs.rmSync(work, { recursive: true, force: true });
});

test('with a local terminal named "kubeadm: cp-1" open, a recovery step runs on cp-1 over SSH and sends nothing to that terminal', async () => {
  const marker = path.join(work, 'stopped-kubelet');
  const command = `sudo touch ${marker} && echo on-node`;
  const view = { kind: 'backups', context: 'prod', nodes: [{ node: 'cp-1', runs: [{ id: 'r1', steps: [{ id: 'stop', title: 'Stop the kubelet', command, danger: 'restore' }] }] }] } as unknown as ViewModel;
  const audit: AuditEntry[] = [];
  const pool = client.pool(fakePrompts());
  const services = { executorFor: () => pool.getExecutor('cp-1'), appendAudit: (e: AuditEntry) => audit.push(e) } as unknown as ExecutionServices;
  try {
    await runOfferedStep({ type: 'runInTerminal', step: 'cp-1/r1/stop', command }, view, services);
  } finally {
    pool.dispose();
    for (const e of audit) fs.rmSync(path.join(RUNS_DIR, e.run), { recursive: true, force: true });
  }
  assert.deepEqual(sent, [], 'nothing typed into the local terminal');
  assert.deepEqual(created, [], 'no terminal opened');
  assert.equal(terminalsRead, 0, 'terminals are not even looked up by name');
  assert.equal(fs.existsSync(marker), true, 'it ran on the node');
  assert.deepEqual(shown, ['Stop the kubelet on cp-1?', 'info: Kubeadm: "Stop the kubelet" on cp-1 finished (exit code 0).']);
  assert.match(output, /on-node\n\nexit code 0\n$/);
  assert.deepEqual(audit.map((e) => [e.stage, e.phase]), [['start', 'recovery: Stop the kubelet'], ['end', 'recovery: Stop the kubelet']]);
});

test('a step that is not one the view offered runs nowhere', async () => {
  shown.length = 0;
  const view = { kind: 'backups', context: 'prod', nodes: [] } as unknown as ViewModel;
  const services = { executorFor: () => assert.fail('no executor is asked for') } as unknown as ExecutionServices;
  await runOfferedStep({ type: 'runInTerminal', step: 'cp-1/r1/stop', command: 'rm -rf /' }, view, services);
  assert.match(shown[0]!, /^error: .*not one the view offered/);
  assert.deepEqual(sent, []);
});
