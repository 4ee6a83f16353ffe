// The `large` scenario: thousands of nodes and pods, generated rather than listed.
import type { Scenario } from './scenario';
import { kubectl } from './cluster';

export function largeObjects(_sc: Scenario, _kubeconfig: string): void {
  void kubectl;
  throw new Error('large scenario: not implemented yet');
}
