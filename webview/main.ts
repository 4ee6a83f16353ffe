// The plan / backups / readiness webview front end: renders the view model the host sends (on `ready` and after),
// saves it as webview state only so VS Code can say which kind of panel this was after a reload (the host revives
// panels from its own record, never from this state), and turns button clicks into protocol messages.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import { isHostMessage, type ViewModel } from '../src/core/clusterPanel/protocol';
import { actionMessage } from './actions';
import { getVsCodeApi } from './vscodeApi';
import { renderView } from './render/view';
import { applyPageStyles } from './styles';

applyPageStyles(document);
const vscode = getVsCodeApi();
const root = document.getElementById('root')!;
const notice = document.getElementById('notice')!;

// Nothing is rendered from the state saved by an earlier load: the host sends what it rendered (on `ready`). The
// state is saved only so VS Code can tell the host, after a reload, which kind of panel this was.
let view: ViewModel | undefined;

function show(next: ViewModel): void {
  view = next;
  vscode.setState({ view });
  root.innerHTML = renderView(view);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = event.data;
  if (!isHostMessage(msg)) return;
  switch (msg.type) {
    case 'show':
      notice.textContent = '';
      show(msg.view);
      break;
    case 'append':
      if (view?.kind !== 'running') return;
      view = { ...view, output: view.output + msg.text };
      vscode.setState({ view });
      document.querySelector('#running-output code')?.append(msg.text);
      break;
    case 'notice':
      notice.textContent = msg.text;
      notice.className = `notice ${msg.level}`;
      break;
  }
});

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-action]') : null;
  if (!target || !view) return;
  const message = actionMessage(target.dataset, view);
  if (message) vscode.postMessage(message);
});

vscode.postMessage({ type: 'ready' });
