import * as vscode from 'vscode';
import { liveLockRefusal, lockAnswerEntry } from '../core/lock/manualOps';
import type { Services } from './services';

/**
 * Before a manual operation (Drain, Cordon, Uncordon, a recovery step, a backups cleanup): when another holder's
 * Lease is live, says who is upgrading the cluster and asks whether to go ahead anyway; the answer is audited.
 * true: go ahead. A Lease that cannot be read (no RBAC on Leases) does not stop the operation: the API answers it.
 */
export async function goAheadDespiteLock(services: Pick<Services, 'access' | 'upgrades'>, cluster: string, node: string, what: string): Promise<boolean> {
  let record;
  try {
    record = await services.access.lockFor(cluster).peek();
  } catch {
    return true;
  }
  const refusal = liveLockRefusal(record, new Date(), what);
  if (!refusal) return true;
  const go = await vscode.window.showWarningMessage(`Kubeadm: another upgrade holds the lock of ${cluster}. ${what} anyway?`, { modal: true, detail: `${refusal}\n\nYour answer is recorded in the audit log.` }, 'Go Ahead Anyway');
  services.upgrades.audit.append(lockAnswerEntry({ cluster, node, what, refusal, answer: go ? 'went ahead despite the lock' : 'declined', where: 'vscode', now: new Date() }));
  return go === 'Go Ahead Anyway';
}
