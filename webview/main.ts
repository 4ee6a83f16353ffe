// The plan / backups webview front end: renders the host's view model with @vscode-elements, keeps it as webview
// state (so a reload or a restored panel shows it again), and turns button clicks into protocol messages.
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
import { isHostMessage, isWebviewState, type ViewModel } from '../src/core/clusterPanel/protocol';
import { actionMessage } from './actions';
import { getVsCodeApi } from './vscodeApi';
import { renderView } from './render/view';
import { applyPageStyles } from './styles';

applyPageStyles(document);
const vscode = getVsCodeApi();
const root = document.getElementById('root')!;
const notice = document.getElementById('notice')!;

const saved = vscode.getState();
let view: ViewModel | undefined = isWebviewState(saved) ? saved.view : undefined;

function show(next: ViewModel): void {
  view = next;
  vscode.setState({ view });
  root.innerHTML = renderView(view);
}

if (view) root.innerHTML = renderView(view);

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
