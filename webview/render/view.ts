import type { ViewModel } from '../../src/core/clusterPanel/protocol';
import { renderBackups } from './backups';
import { renderPlan } from './plan';
import { renderReadiness } from './readiness';
import { renderRunning } from './running';

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
  }
}
