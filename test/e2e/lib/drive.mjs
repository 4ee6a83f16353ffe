// Answering the extension the way a user would while a flow runs: modal dialogs by their button, quick picks by a
// row, input boxes by typing. Shared by every Playwright suite.
import { fatal, waitUntil } from './harness.mjs';
import { log } from './launch.mjs';

/** The dialogs and inputs of the SSH layer: host keys (if known_hosts is not used) and sudo passwords. */
export const SSH_ANSWERS = [
  { when: /authenticity of host/i, button: 'Trust and Connect' },
  { when: /sudo password|Password for/i, input: 'sandbox', secret: true },
];

export const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40).replace(/-$/, '');

/**
 * Answers what the extension asks until done() returns truthy, and returns that value. `answers`:
 * [{ when: RegExp (tested on a dialog's message + detail, or a quick input's title, placeholder and message),
 *    button | pick | input | stop, shot?, check? }]. `stop: true` returns the dialog ({ message, detail, buttons })
 * unanswered, for the test to look at before it answers. A dialog no answer matches fails at once.
 */
export async function drive(wb, what, done, answers, timeoutMs = 180_000) {
  let dialogs = 0;
  return waitUntil(what, async () => {
    const d = await wb.dialog();
    if (d) {
      const a = answers.find((x) => (x.button || x.stop) && x.when.test(`${d.message}\n${d.detail}`));
      if (!a) throw fatal(`unexpected dialog: ${JSON.stringify(d)}`);
      if (a.stop) return d;
      log(`dialog "${d.message}" → ${a.button}`);
      await wb.shot(`dialog-${++dialogs}-${slug(d.message)}`);
      await wb.clickDialogButton(a.button);
      return undefined;
    }
    const q = await wb.quickInput();
    if (q) {
      const a = answers.find((x) => !x.button && !x.stop && [q.title, q.placeholder, q.message].some((t) => x.when.test(t)));
      if (a) {
        if (a.check) a.check(q);
        log(`quick input "${q.title || q.placeholder}" → ${a.pick ?? (a.secret ? '(password)' : JSON.stringify(a.input))}`);
        if (a.shot) await wb.shot(a.shot);
        if (a.pick) await wb.pick(a.pick); else await wb.answerInput(a.input);
        await wb.page.waitForTimeout(300);
        return undefined;
      }
    }
    return done();
  }, timeoutMs, 400);
}

/** Palette → "Kubeadm: Plan Upgrade" on the sandbox's cp-1, no target; returns the header once the parsed plan shows. */
export async function openPlanView(wb) {
  await wb.command('Kubeadm: Plan Upgrade');
  const frame = wb.webview();
  await drive(wb, 'the plan view', async () => (await frame.locator('h1', { hasText: 'Upgrade plan' }).count().catch(() => 0)) > 0, [
    ...SSH_ANSWERS,
    { when: /^Cluster \(kubeconfig context\)/, pick: /kwok/ },
    { when: /^Control-plane node/, pick: /cp-1/ },
    { when: /Target version/i, input: '' },
  ], 180_000);
  // The h1 match above can be the streaming view ("kubeadm upgrade plan"): wait for the parsed plan's header.
  return waitUntil('the parsed plan', async () => {
    const t = await frame.locator('header.plan-header').innerText().catch(() => '');
    return /made \d{4}-/.test(t) ? t : undefined;
  }, 120_000);
}

/** Palette → "Kubeadm: Show Backups and Recovery" on the sandbox's cluster; returns once the view is up. */
export async function openBackupsView(wb) {
  await wb.command('Kubeadm: Show Backups and Recovery');
  const frame = wb.webview();
  await drive(wb, 'the backups view', async () => (await frame.locator('h1', { hasText: 'Backups and recovery' }).count().catch(() => 0)) > 0, [
    ...SSH_ANSWERS,
    { when: /^Cluster \(kubeconfig context\)/, pick: /kwok/ },
  ], 120_000);
  return frame;
}
