// The plan view as an HTML string (pure: testable without a browser). main.ts puts it into the page.
import type { ComponentRow, PlanCard, PlanViewModel, SkewImpact } from '../../src/core/clusterPanel/model';
import { button, commandBlock, esc, table, text, type Cell } from './html';
import { renderWhatWillChange } from './whatWillChange';

export function renderPlan(m: PlanViewModel): string {
  return [header(m), staleBanner(m), stateBanner(m), fetchWarnings(m), diagnostics(m), ...m.cards.map((c) => card(m, c)), renderWhatWillChange(m.whatWillChange), configs(m), skew(m), rawOutput(m)].join('\n');
}

function header(m: PlanViewModel): string {
  const h = m.header;
  const item = (label: string, value: string | null) => `<div class="field"><span class="label">${esc(label)}</span><span class="value">${esc(value ?? 'unknown')}</span></div>`;
  const src = m.source;
  const where =
    src.origin === 'run'
      ? `kubeadm upgrade plan on ${src.node ?? 'a control-plane node'}`
      : `${src.origin === 'file' ? 'opened from' : 'pasted from'} ${src.label ?? 'an editor'}`;
  return (
    `<header class="plan-header"><h1>Upgrade plan${h.cluster ? ` — ${esc(h.cluster)}` : ''}</h1>` +
    `<div class="fields">${item('Cluster', h.cluster ?? '(not in the kubeconfig)')}${item('kubeadm', h.kubeadmVersion)}${item('Current version', h.currentVersion)}` +
    `${item('Target', h.targets.length ? h.targets.join(', ') : 'none')}</div>` +
    `<p class="source">${esc(where)}${src.at ? ` · made <time datetime="${esc(src.at)}">${esc(madeAt(src.at))}</time>` : ''} · ${esc(m.format)} output</p>` +
    (src.context
      ? `<div class="buttons">${src.origin === 'run' ? button('Re-run plan', { action: 'refresh' }, { secondary: !m.stale }) : ''}${button('Backups and Recovery…', { action: 'backups', context: src.context, node: src.node }, { secondary: true })}</div>`
      : '') +
    `</header>`
  );
}

/** `2026-12-02T05:40:00.000Z` → `2026-12-02 05:40 UTC`: when the plan was made, to judge whether it still holds. */
function madeAt(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

function staleBanner(m: PlanViewModel): string {
  if (!m.stale) return '';
  return (
    `<section class="banner warning stale" data-stale="true"><h2>Stale</h2><p>The cluster's versions changed after this plan was made: its tables and buttons may no longer hold.</p>` +
    (m.source.origin === 'run' ? `<div class="buttons">${button('Re-run plan', { action: 'refresh' })}</div>` : '') +
    `</section>`
  );
}

function fetchWarnings(m: PlanViewModel): string {
  if (!m.fetchWarnings?.length) return '';
  const items = m.fetchWarnings.map((w) => `<li class="diag warning"><vscode-badge>warning</vscode-badge> <span class="message">${esc(w)}</span></li>`).join('');
  return (
    `<section class="diagnostics fetch-warnings"><h2>kubeadm could not look up versions online</h2><ul>${items}</ul>` +
    `<p class="fix">The plan offers only what the node's kubeadm knows (an air-gapped node cannot reach dl.k8s.io). Name the version explicitly (Plan Upgrade asks for a target) and check the package repository has it.</p></section>`
  );
}

function stateBanner(m: PlanViewModel): string {
  const cls = { upgrades: 'info', upToDate: 'ok', failed: 'error', unknown: 'warning' }[m.state];
  const title = { upgrades: 'Upgrades available', upToDate: 'Up to date', failed: 'The plan failed', unknown: 'No plan found' }[m.state];
  return `<section class="banner ${cls}" data-state="${esc(m.state)}"><h2>${esc(title)}</h2><p>${esc(m.stateText)}</p></section>`;
}

function diagnostics(m: PlanViewModel): string {
  if (m.diagnostics.length === 0) return '';
  const items = m.diagnostics
    .map((d) => `<li class="diag ${esc(d.severity)}"><vscode-badge>${esc(d.severity)}</vscode-badge> <span class="message">${esc(d.message)}</span><div class="fix">Fix: ${esc(d.fix)}</div></li>`)
    .join('');
  return `<section class="diagnostics"><h2>Errors and warnings</h2><ul>${items}</ul></section>`;
}

function rowCells(r: ComponentRow): Cell[] {
  return [
    text(r.name),
    text(r.where),
    text(r.current),
    text(r.target, r.changed ? 'target changed' : 'target'),
    { html: r.changed ? '<vscode-badge>changes</vscode-badge>' : '<span class="muted">unchanged</span>' },
  ];
}

function card(m: PlanViewModel, c: PlanCard): string {
  const target = c.target;
  const components = table(
    'components',
    ['Component', 'Node', 'Current', 'Target', ''],
    c.components.map((r) => ({ cells: rowCells(r), className: r.changed ? 'changed' : 'same' })),
    'Control-plane components and addons',
  );
  const kubelets = c.kubelets.length
    ? `<h4>kubelet (upgraded by hand on each node after the control plane)</h4>` +
      table('kubelets', ['Component', 'Node', 'Current', 'Target', ''], c.kubelets.map((r) => ({ cells: rowCells(r), className: r.changed ? 'changed' : 'same' })), 'kubelets')
    : '';
  const apply = c.applyCommand ? `<h4>Apply command</h4>${commandBlock(c.applyCommand, null)}` : '<p class="muted">kubeadm printed no apply command for this upgrade.</p>';
  const upgrade = target ? upgradeButton(m, c, target) : '';
  const note = c.note
    ? `<p class="note warning"><strong>Update kubeadm first.</strong> ${esc(c.note)}</p>`
    : `<p class="note">kubeadm on the node must be at ${esc(target ?? 'the target version')} before <code>kubeadm upgrade apply</code>: update the kubeadm package first.</p>`;
  return (
    `<section class="card" data-target="${esc(target ?? '')}"><h3>${esc(c.heading ?? c.description)}</h3>` +
    (c.heading && c.heading !== c.description ? `<p class="subtitle muted">kubeadm: “${esc(c.description)}”</p>` : '') +
    `<p class="muted">${c.changedCount} of ${c.components.length + c.kubelets.length} rows change.</p>${components}${kubelets}${note}${apply}<div class="buttons">${upgrade}</div></section>`
  );
}

/**
 * The primary button, or — when Upgrade Node's guards would refuse it today — the button disabled with the reasons
 * beside it and the upgrades that unblock it as buttons of their own.
 */
function upgradeButton(m: PlanViewModel, c: PlanCard, target: string): string {
  const data = { action: 'upgrade', target, node: c.upgradeNode, context: m.source.context };
  if (!c.blocked) return button(`Upgrade control plane to ${target}`, data);
  const reasons = c.blocked.reasons.map((r) => `<li>${esc(r)}</li>`).join('');
  const unblock = c.blocked.unblock.map((u) => button(u.label, { action: 'upgrade', target: u.target, node: u.node, context: m.source.context })).join('');
  return (
    `<vscode-button disabled data-blocked="true">${esc(`Upgrade control plane to ${target}`)}</vscode-button>` +
    `<div class="blocked note error"><strong>Not yet:</strong><ul>${reasons}</ul>${unblock ? `<div class="buttons unblock">${unblock}</div>` : ''}</div>`
  );
}

function configs(m: PlanViewModel): string {
  if (m.configRows.length === 0) return '';
  const anyManual = m.configRows.some((r) => r.manualUpgradeRequired);
  const rows = m.configRows.map((r) => ({
    className: r.manualUpgradeRequired ? 'manual' : 'auto',
    cells: [
      text(r.group),
      text(r.current),
      text(r.preferred),
      r.manualUpgradeRequired ? { html: '<strong class="manual-flag">MANUAL UPGRADE REQUIRED</strong>' } : text('no'),
      text(r.advice || '—', 'wrap'),
    ],
  }));
  return (
    `<section class="configs${anyManual ? ' has-manual' : ''}"><h2>Component configs</h2>` +
    (anyManual ? '<p class="note error">At least one component config must be upgraded by hand before kubeadm upgrade apply can succeed.</p>' : '') +
    table('configs', ['API group', 'Current', 'Preferred', 'Manual upgrade required', 'What to do'], rows, 'Component configs') +
    `</section>`
  );
}

const ACTION_TEXT = {
  before: 'upgrade BEFORE the control plane',
  after: 'upgrade after the control plane',
  current: 'already at the target',
  unknown: 'version unknown',
} as const;

function skew(m: PlanViewModel): string {
  if (m.skew === null) {
    return '<section class="skew"><h2>Version-skew impact</h2><p class="muted">No cluster snapshot for this plan: open it from a cluster of the Kubeadm Clusters view to see which kubelets each target affects.</p></section>';
  }
  if (m.skew.length === 0) return '';
  return `<section class="skew"><h2>Version-skew impact</h2>${m.skew.map(skewTarget).join('')}</section>`;
}

function skewTarget(s: SkewImpact): string {
  const summary = s.mustUpgradeFirst.length
    ? `<p class="note error">Upgrade the kubelet on ${esc(s.mustUpgradeFirst.join(', '))} before moving the control plane to ${esc(s.target)}.</p>`
    : `<p class="note">No kubelet falls out of the supported window at ${esc(s.target)}.</p>`;
  const rows = s.nodes.map((n) => ({
    className: `action-${n.action}`,
    cells: [text(n.node), text(n.controlPlane ? 'control plane' : 'worker'), text(n.kubelet ?? '?'), text(ACTION_TEXT[n.action], 'wrap'), text(n.messages.map(policyless).join(' '), 'wrap')],
  }));
  const findings = s.findings.length
    ? `<ul class="findings">${s.findings.map((f) => `<li class="diag ${esc(f.severity)}"><vscode-badge>${esc(f.severity)}</vscode-badge> ${esc(policyless(f.message))} <span class="muted">${esc(f.rule)}</span></li>`).join('')}</ul>`
    : '';
  return `<div class="skew-target" data-target="${esc(s.target)}"><h3>To ${esc(s.target)}</h3>${summary}${table('skew', ['Node', 'Role', 'kubelet', 'What to do', 'Why'], rows, `Skew impact of ${s.target}`)}${findings}</div>`;
}

const policyless = (message: string): string => message.split(' Policy: ')[0]!;

function rawOutput(m: PlanViewModel): string {
  const unparsed = m.unparsed.length ? `<p class="muted">${m.unparsed.length} line(s) were not understood; they are in the output below.</p>` : '';
  return (
    `<vscode-collapsible heading="Raw output" class="raw">` +
    `<div class="buttons">${button('Copy output', { action: 'copyRaw' }, { secondary: true })}</div>` +
    `${unparsed}<pre class="raw-text"><code>${esc(m.raw)}</code></pre></vscode-collapsible>`
  );
}
