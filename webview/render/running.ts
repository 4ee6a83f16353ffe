import type { RunningView } from '../../src/core/clusterPanel/protocol';
import { esc } from './html';

export function renderRunning(m: RunningView): string {
  return (
    `<header class="plan-header"><h1>${esc(m.title)}</h1><p class="source">${esc(m.context ?? '')}${m.node ? ` · ${esc(m.node)}` : ''}</p></header>` +
    `<section class="banner info"><vscode-progress-ring></vscode-progress-ring><p>Running <code>${esc(m.command)}</code>…</p></section>` +
    `<pre class="raw-text" id="running-output"><code>${esc(m.output)}</code></pre>`
  );
}
