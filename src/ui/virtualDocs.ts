import * as vscode from 'vscode';

export const SCHEME = 'kubeadm-upgrade';

/**
 * Read-only documents of the `kubeadm-upgrade:` scheme (dry-run scripts, a cluster's findings, the audit log as a
 * table): VS Code never marks them dirty nor asks to save them on close, and the title is the path's last segment.
 */
export class VirtualDocs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);

  /** `path` such as `/cluster/prod` or `/dry-run: worker-1 → v1.36.3`; returns the document's URI. */
  set(path: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: SCHEME, path });
    this.contents.set(uri.toString(), content);
    this.changed.fire(uri);
    return uri;
  }

  /** Forgets a page; an editor showing it is told, and reads "no longer available" instead of the old text. */
  delete(uri: vscode.Uri): void {
    if (this.contents.delete(uri.toString())) this.changed.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? 'This page is no longer available (it lives only while the window is open).';
  }

  /** Shows `content` read-only, with a language for highlighting (e.g. `shellscript`). */
  async show(path: string, content: string, language?: string, options: vscode.TextDocumentShowOptions = {}): Promise<vscode.TextEditor> {
    const doc = await vscode.workspace.openTextDocument(this.set(path, content));
    if (language && doc.languageId !== language) await vscode.languages.setTextDocumentLanguage(doc, language);
    return vscode.window.showTextDocument(doc, { preview: true, ...options });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
