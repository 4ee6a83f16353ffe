// "Run in terminal" from the backups view: the host takes node, title, danger and command from the step it rendered
// (looked up by the step id the button carries), never from the message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseListing } from '../../../src/core/backups/listing';
import { backupsViewModel } from '../../../src/core/backups/viewModel';
import { offeredStep } from '../../../src/ui/webview/offeredStep';
import { actionMessage } from '../../../webview/actions';
import { renderView } from '../../../webview/render/view';

const T = '/etc/kubernetes/tmp';
const M = `${T}/kubeadm-backup-manifests-2025-03-25-17-13-19`;
const listing = parseListing([`#base ${T}`, `#entry 1 ${M}`, `4\t${M}/kube-apiserver.yaml`, `4\t${M}`, '#end'].join('\n'));
const view = backupsViewModel('prod', [{ node: 'cp-1', listing, etcdExternal: false, currentVersion: 'v1.31.1', targetVersion: null, auditLog: null }]);

/** The message the rendered button sends, read from the HTML as the webview would. */
function buttonMessage() {
  const html = renderView(view);
  const m = /<vscode-button ([^>]*data-action="run"[^>]*data-danger="restore"[^>]*)>/.exec(html)!;
  const data: Record<string, string> = {};
  for (const [, k, v] of m[1]!.matchAll(/data-([a-z]+)="([^"]*)"/g)) data[k!] = v!.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'");
  const msg = actionMessage(data, view);
  assert.ok(msg && msg.type === 'runInTerminal');
  return msg;
}

test('the button carries the step id; the host finds that step and uses its own fields', () => {
  const msg = buttonMessage();
  assert.match(msg.step!, /^cp-1\/.+\/.+$/);
  const forged = { ...msg, node: 'cp-2', title: 'harmless', danger: 'safe' as const };
  const step = offeredStep(view, forged)!;
  assert.equal(step.node, 'cp-1');
  assert.equal(step.danger, 'restore');
  assert.notEqual(step.title, 'harmless');
  assert.equal(step.command, msg.command);
});

test('an unknown step id, a command that is not the step\'s, or no step id: nothing to run', () => {
  const msg = buttonMessage();
  assert.equal(offeredStep(view, { ...msg, step: 'cp-1/x/y' }), undefined);
  assert.equal(offeredStep(view, { ...msg, command: 'rm -rf /' }), undefined);
  const noStep = { ...msg };
  delete noStep.step;
  assert.equal(offeredStep(view, noStep), undefined);
  assert.equal(offeredStep(undefined, msg), undefined);
});
