// Playwright helpers for VS Code's web workbench (code-server 4.139.1 = VS Code 1.139.1). The selectors are
// VS Code's DOM classes, which change between versions: another reason code-server is pinned in setup.sh.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHROMIUM_ARGS, log, playwright } from './launch.mjs';
import { waitUntil } from './harness.mjs';

export async function openBrowser(env) {
  const { chromium } = playwright(env);
  return chromium.launch({ executablePath: env.CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export class Workbench {
  constructor(page, shotsDir) {
    this.page = page;
    this.shotsDir = shotsDir;
    fs.mkdirSync(shotsDir, { recursive: true });
  }

  static async open(browser, url, shotsDir) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const wb = new Workbench(page, shotsDir);
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    log('workbench DOM present');
    await page.locator('.pane-header', { hasText: 'Kubeadm Clusters' }).waitFor({ timeout: 90_000 });
    log('"Kubeadm Clusters" view present');
    return wb;
  }

  async shot(name, opts = {}) {
    const file = path.join(this.shotsDir, `${name}.png`);
    await this.page.screenshot({ path: file, ...opts });
    log(`screenshot ${path.relative(process.cwd(), file)}`);
    return file;
  }

  /** Hides what the screenshots need not show: folder pane, secondary side bar; widens the side bar. */
  async tidyLayout() {
    const p = this.page;
    // "Kubeadm: First Steps" is checked by the views suite before this; the other suites want the room.
    for (const title of ['Outline', 'Timeline', 'Kubeadm: First Steps']) {
      const h = p.locator('.pane-header', { hasText: title });
      if ((await h.count()) && (await h.getAttribute('aria-expanded')) === 'true') await h.click();
    }
    const folder = p.locator('.split-view-view .pane-header[aria-label*="Explorer Section"]').first();
    if ((await folder.count()) && (await folder.getAttribute('aria-expanded')) === 'true') await folder.click();
    if (await p.locator('.part.auxiliarybar').isVisible().catch(() => false)) {
      await p.keyboard.press('Control+Alt+B'); // View: Toggle Secondary Side Bar Visibility
      await p.waitForTimeout(300);
    }
    // Widen the side bar by dragging its sash.
    const sidebar = await p.locator('.part.sidebar').boundingBox();
    if (sidebar && sidebar.width < 500) {
      const x = sidebar.x + sidebar.width + 1;
      const y = sidebar.y + sidebar.height / 2;
      await p.mouse.move(x, y);
      await p.mouse.down();
      await p.mouse.move(x + 200, y, { steps: 5 });
      await p.mouse.up();
    }
    await p.mouse.move(900, 600);
  }

  /** Hides the bottom panel (Output, Terminal) if it is open. */
  async hidePanel() {
    if (await this.page.locator('.part.panel').isVisible().catch(() => false)) {
      await this.page.keyboard.press('Control+J');
      await this.page.waitForTimeout(300);
    }
  }

  /** Runs a command from the palette by its title (e.g. "Kubeadm: Plan Upgrade"). */
  async command(title) {
    const p = this.page;
    await p.keyboard.press('Escape');
    await p.keyboard.press('F1');
    const input = p.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const row = p.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor();
    await waitUntil(`"${title}" to be the first palette entry`, async () => ((await p.locator('.quick-input-list .monaco-list-row').first().innerText()).includes(title)), 10_000);
    await p.keyboard.press('Enter');
  }

  /** The quick input when it is visible: its title, placeholder and rows. */
  async quickInput() {
    const w = this.page.locator('.quick-input-widget');
    if (!(await w.isVisible().catch(() => false))) return null;
    return {
      title: (await w.locator('.quick-input-title').innerText().catch(() => '')).trim(),
      placeholder: (await w.locator('input').getAttribute('placeholder').catch(() => '')) ?? '',
      message: (await w.locator('.quick-input-message').innerText().catch(() => '')).trim(),
      rows: await w.locator('.quick-input-list .monaco-list-row').allInnerTexts().catch(() => []),
    };
  }

  async waitQuickInput(titleRe, timeout = 30_000) {
    return waitUntil(`a quick input titled ${titleRe}`, async () => {
      const q = await this.quickInput();
      return q && (titleRe.test(q.title) || titleRe.test(q.placeholder) || titleRe.test(q.message)) ? q : undefined;
    }, timeout);
  }

  /** Picks the quick-pick row whose text matches re (filtering by typing first if given). */
  async pick(re, { type } = {}) {
    const p = this.page;
    if (type !== undefined) await p.locator('.quick-input-widget input').fill(type);
    const row = p.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: re }).first();
    await row.waitFor();
    await row.click();
  }

  /** Types into the visible input box and presses Enter. */
  async answerInput(text) {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(text);
    await this.page.keyboard.press('Enter');
  }

  /** The visible modal dialog: { message, detail, buttons }, or null. */
  async dialog() {
    const d = this.page.locator('.monaco-dialog-box');
    if (!(await d.isVisible().catch(() => false))) return null;
    return {
      message: (await d.locator('.dialog-message-text').innerText().catch(() => '')).trim(),
      detail: (await d.locator('.dialog-message-detail').innerText().catch(() => '')).trim(),
      buttons: (await d.locator('.dialog-buttons .monaco-button').allInnerTexts()).map((s) => s.trim()),
    };
  }

  async clickDialogButton(label) {
    await this.page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: label }).first().click();
    await this.page.locator('.monaco-dialog-box').waitFor({ state: 'hidden' });
  }

  // ------------------------------------------------------------------------------------ the Kubeadm tree
  viewHeader() { return this.page.locator('.pane-header', { hasText: 'Kubeadm Clusters' }); }

  async expandView() {
    const h = this.viewHeader();
    await h.waitFor();
    if ((await h.getAttribute('aria-expanded')) !== 'true') await h.click();
  }

  treeRow(label) {
    return this.page.locator('.pane-body .monaco-list-row[role="treeitem"]').filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
  }

  /** A row of the view titled `paneTitle` only (another extension's tree may show the same labels). */
  paneRow(paneTitle, label) {
    const pane = this.page.locator('.pane').filter({ has: this.page.locator('.pane-header .title', { hasText: new RegExp(`^${paneTitle}$`) }) });
    return pane.locator('.monaco-list-row[role="treeitem"]').filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
  }

  /** { label, description, icon } of a tree row (icon: the codicon id, e.g. "error", "warning", "server"). */
  async rowInfo(label) {
    const row = this.treeRow(label);
    await row.waitFor();
    const description = (await row.locator('.label-description').innerText().catch(() => '')).trim();
    const cls = (await row.locator('.custom-view-tree-node-item-icon').getAttribute('class').catch(() => '')) ?? '';
    const icon = /codicon-([\w-]+)/.exec(cls.replace('custom-view-tree-node-item-icon', ''))?.[1] ?? '';
    return { label, description, icon };
  }

  /** Hovers a tree row and returns the hover's text. */
  async hover(label) {
    const p = this.page;
    await p.mouse.move(900, 700);
    await p.locator('.workbench-hover, .monaco-hover').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    await this.treeRow(label).locator('.label-name').hover();
    const hover = p.locator('.workbench-hover, .monaco-hover').filter({ hasText: label }).first();
    await hover.waitFor({ timeout: 15_000 });
    return hover.innerText();
  }

  /**
   * Waits (up to 15 s) until the tree's rows read the same twice a second apart, as a user's eye does before a
   * right-click: an item the tree is redrawing is unknown to the extension host for a moment, and a menu command
   * on it gets no item (src/ui/tree/redraws.ts).
   */
  async treeSettled() {
    // The pointer out of the tree first: left over a row while we wait, it opens that row's hover over its neighbours.
    await this.page.mouse.move(900, 700);
    const rows = this.page.locator('.pane-body .monaco-list-row[role="treeitem"]');
    let last = '';
    for (const end = Date.now() + 15_000; Date.now() < end; ) {
      const now = (await rows.allInnerTexts().catch(() => [])).join('\n');
      if (now === last) return;
      last = now;
      await this.page.waitForTimeout(1000);
    }
    log('tree: still changing after 15 s; going on');
  }

  /**
   * Right-clicks a tree row (once the tree is still) and clicks the context-menu entry. `row`: another view's row
   * (paneRow), when the label is in several trees.
   */
  async contextMenu(label, entry, row = this.treeRow(label)) {
    const menu = this.page.locator('.monaco-menu');
    await this.treeSettled();
    for (let attempt = 1; ; attempt++) {
      if (!(await menu.isVisible().catch(() => false))) await row.click({ button: 'right' });
      const item = menu.locator('.action-item', { hasText: entry }).first();
      await item.waitFor();
      await this.page.waitForTimeout(200); // the menu settles (a click while it animates can be lost)
      await item.hover();
      await item.click();
      try {
        await menu.waitFor({ state: 'hidden', timeout: 3000 });
        return;
      } catch {
        if (attempt >= 3) throw new Error(`the context menu of ${label} stayed open after clicking "${entry}" ${attempt} times`);
        log(`context menu: "${entry}" did not take, again (${attempt})`);
        await this.page.keyboard.press('Escape');
      }
    }
  }

  // ------------------------------------------------------------------------------------ webviews
  /** The inner frame of the webview whose tab is active (outer iframe.webview.ready → #active-frame). */
  webview() {
    return this.page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
  }

  // ------------------------------------------------------------------------------------ notifications
  async notifications() {
    return this.page.locator('.notifications-toasts .notification-toast, .notifications-center .notification-list-item').allInnerTexts().catch(() => []);
  }
}
