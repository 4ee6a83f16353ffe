import * as vscode from 'vscode';

/**
 * What a list does with a stored record it cannot use (a file edited by hand, half-written, from another version):
 * the record is skipped, the output channel says which and why, and one warning tells the user the list is not whole.
 */
export function skippedRecordWarning(log: vscode.OutputChannel, what: string): (where: string, reason: string) => void {
  return (where, reason) => {
    log.appendLine(`Skipped ${what} ${where}: ${reason}`);
    void vscode.window.showWarningMessage(`Kubeadm: skipped an ${what} that is not valid (${reason}): ${where}. The others are shown.`, 'Show Output').then((c) => {
      if (c) log.show(true);
    });
  };
}
