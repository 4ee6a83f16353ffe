import * as vscode from 'vscode';
import { localHolder } from '../../adapters/k8s/leaseLock';
import { LockForbiddenError, LockHeldError, type ClusterLock, type HeldLock } from '../../core/lock/lease';

/**
 * Takes the cluster lock for a run started in this window. Held by someone else: says who and since when. Expired:
 * asks before taking it over. No RBAC on Leases: says which permissions are missing. Returns the refusal text.
 */
export async function acquireInWindow(lock: ClusterLock, runId: string, node = ''): Promise<{ held?: HeldLock; refused?: string }> {
  try {
    let watching: vscode.Disposable | undefined;
    const held = await lock
      .acquire(
        localHolder('vscode', runId, node),
        async (message) => {
          const answer = await vscode.window.showWarningMessage('Kubeadm: take over the expired upgrade lock?', { modal: true, detail: `${message}\n\nIt is taken over only if nobody renews it during its duration (watched from here).` }, 'Take Over');
          return answer === 'Take Over';
        },
        (notice) => (watching = vscode.window.setStatusBarMessage(`$(sync~spin) Kubeadm: ${notice}`)),
      )
      .finally(() => watching?.dispose());
    return { held };
  } catch (e) {
    if (e instanceof LockHeldError || e instanceof LockForbiddenError) {
      void vscode.window.showErrorMessage(`Kubeadm: ${e instanceof LockForbiddenError ? 'cannot take the upgrade lock' : 'the cluster is locked by another upgrade'}.`, { modal: true, detail: e.message });
      return { refused: e.message };
    }
    throw e;
  }
}
