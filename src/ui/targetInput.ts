import * as vscode from 'vscode';
import { resolveTypedTarget, type OfferedVersion } from '../core/upgrade/typedTarget';
import { formatMinor, type KubeVersion, type MinorRef } from '../core/version';

/**
 * "Another version…": an empty box whose example is a placeholder (grey, not a value to edit); a minor resolves to
 * the newest patch of it among the offered versions, and that is said.
 */
export async function askTargetVersion(title: string, offered: readonly OfferedVersion[], nextMinor: MinorRef | undefined): Promise<KubeVersion | undefined> {
  return (await askTarget(title, offered, nextMinor))?.version;
}

/** The same, with the sentence that says what a typed minor resolved to (for a confirmation to repeat). */
export async function askTarget(title: string, offered: readonly OfferedVersion[], nextMinor: MinorRef | undefined): Promise<{ version: KubeVersion; said?: string } | undefined> {
  const example = nextMinor ? formatMinor(nextMinor) : '1.36';
  const text = await vscode.window.showInputBox({
    title,
    placeHolder: `A minor such as ${example} (its newest patch offered) or a full version such as v${example}.0`,
    validateInput: (v) => (v.trim() === '' ? undefined : 'error' in resolveTypedTarget(v, offered) ? (resolveTypedTarget(v, offered) as { error: string }).error : undefined),
  });
  if (!text?.trim()) return undefined;
  const r = resolveTypedTarget(text, offered);
  if ('error' in r) {
    void vscode.window.showErrorMessage(`Kubeadm: ${r.error}`);
    return undefined;
  }
  if (r.said) void vscode.window.showInformationMessage(`Kubeadm: ${r.said}`);
  return r;
}
