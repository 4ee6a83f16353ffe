import * as vscode from 'vscode';
import type { SshPrompts, UnknownHostDetails } from '../core/ssh/prompts';

/**
 * The SSH executor's questions, asked with VS Code inputs. Passwords and passphrases are returned to the executor's
 * memory only: never written to settings, logs or the audit file.
 */
export const vscodeSshPrompts: SshPrompts = {
  async confirmUnknownHost(host: string, port: number, keyType: string, fingerprint: string, details: UnknownHostDetails) {
    const answer = await vscode.window.showWarningMessage(
      `The authenticity of host '${host}${port === 22 ? '' : `:${port}`}' can't be established.`,
      {
        modal: true,
        detail: `${keyType} key fingerprint is ${fingerprint}.\n\nCompare it with \`ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub\` on the node. Trusting it adds it to ${details.knownHostsFile}.`,
      },
      'Trust and Connect',
    );
    return answer === 'Trust and Connect';
  },
  askPassphrase(keyPath: string, retry: boolean) {
    return Promise.resolve(vscode.window.showInputBox({ title: `Passphrase for ${keyPath}`, prompt: retry ? 'Wrong passphrase, try again' : 'Asked once for this session', password: true, ignoreFocusOut: true }));
  },
  askSudoPassword(node: string, user: string) {
    // `node` is the node's name (the pool passes it instead of the address), as `[sudo] password for` would read on it.
    return Promise.resolve(vscode.window.showInputBox({ title: `sudo password for ${user}@${node}`, prompt: 'Kept in memory for this connection only', password: true, ignoreFocusOut: true }));
  },
  askLoginPassword(host: string, user: string) {
    return Promise.resolve(vscode.window.showInputBox({ title: `Password for ${user}@${host}`, prompt: 'No SSH key was accepted', password: true, ignoreFocusOut: true }));
  },
};
