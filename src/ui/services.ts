import type * as vscode from 'vscode';
import type { ClusterStore } from '../core/clusterStore';
import type { ClusterLoader } from './clusterLoader';
import type { ClusterRuns } from './clusterUpgrade/clusterRuns';
import type { ClusterAccess } from './clusterAccess';
import type { UpgradeService } from './upgrade/upgradeService';
import type { VirtualDocs } from './virtualDocs';

/** What commands need, passed explicitly instead of module-level singletons. */
export interface Services {
  readonly store: ClusterStore;
  readonly loader: ClusterLoader;
  readonly log: vscode.OutputChannel;
  readonly upgrades: UpgradeService;
  /** How to reach a cluster's nodes (SSH or terminal, from the settings) and its API. */
  readonly access: ClusterAccess;
  /** Whole-cluster runs (Upgrade Cluster…); set once the extension has created it. */
  clusterRuns?: ClusterRuns;
  /** Read-only pages (What Happened, Recovery Steps); set once the extension has created them. */
  docs?: VirtualDocs;
}
