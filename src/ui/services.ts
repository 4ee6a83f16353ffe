import type * as vscode from 'vscode';
import type { ClusterStore } from '../core/clusterStore';
import type { ClusterLoader } from './clusterLoader';
import type { UpgradeDeps, UpgradeService } from './upgrade/upgradeService';

/** What commands need, passed explicitly instead of module-level singletons. */
export interface Services {
  readonly store: ClusterStore;
  readonly loader: ClusterLoader;
  readonly log: vscode.OutputChannel;
  readonly upgrades: UpgradeService;
  /** How to reach a node (SSH or terminal, from the settings) and the cluster's API. */
  readonly upgradeDeps: UpgradeDeps;
}
