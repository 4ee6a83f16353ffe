import type { WebviewMessage, WebviewState } from '../src/core/clusterPanel/protocol';

export interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: WebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

/** acquireVsCodeApi may be called once per page; outside VS Code (a plain browser) fall back to localStorage and the console. */
export function getVsCodeApi(): VsCodeApi {
  if (api) return api;
  if (typeof acquireVsCodeApi === 'function') {
    api = acquireVsCodeApi();
  } else {
    api = {
      postMessage: (m) => console.log('postMessage', m),
      getState: () => JSON.parse(localStorage.getItem('kubeadm-plan-state') ?? 'null') as unknown,
      setState: (s) => localStorage.setItem('kubeadm-plan-state', JSON.stringify(s)),
    };
  }
  return api;
}
