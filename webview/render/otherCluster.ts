import type { OtherClusterView } from '../../src/core/clusterPanel/protocol';
import { esc } from './html';

/** In place of a result that belongs to another cluster than the one its context reaches now. */
export function renderOtherCluster(m: OtherClusterView): string {
  return (
    `<header class="plan-header"><h1>${esc(m.context)}</h1></header>` +
    `<section class="banner warning other-cluster" data-other-cluster="true"><h2>Another cluster now</h2><p>${esc(m.text)}</p></section>`
  );
}
