import type * as vscode from 'vscode';
import type { ClusterStore } from '../core/clusterStore';
import type { ClusterLoader } from './clusterLoader';

/** What commands need, passed explicitly instead of module-level singletons. */
export interface Services {
  readonly store: ClusterStore;
  readonly loader: ClusterLoader;
  readonly log: vscode.OutputChannel;
}
