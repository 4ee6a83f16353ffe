import type { ViewModel } from '../../src/core/clusterPanel/protocol';
import { renderBackups } from './backups';
import { renderPlan } from './plan';
import { renderReadiness } from './readiness';
import { renderRunning } from './running';
import { renderOtherCluster } from './otherCluster';

export function renderView(view: ViewModel): string {
  switch (view.kind) {
    case 'plan':
      return renderPlan(view);
    case 'backups':
      return renderBackups(view);
    case 'running':
      return renderRunning(view);
    case 'readiness':
      return renderReadiness(view);
    case 'otherCluster':
      return renderOtherCluster(view);
  }
}
