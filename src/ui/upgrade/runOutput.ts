import * as vscode from 'vscode';

/**
 * Streams one run's output to a pseudoterminal (colours, \r progress bars look right there) and to the extension's
 * log channel. Passwords never reach it: sudo prompts are answered on stdin by the executor, not echoed here.
 */
export class RunOutput implements vscode.Disposable {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly terminal: vscode.Terminal;
  private buffer: string[] = [];
  private opened = false;

  constructor(name: string, private readonly log: vscode.OutputChannel) {
    const pty: vscode.Pseudoterminal = {
      onDidWrite: this.writeEmitter.event,
      open: () => {
        this.opened = true;
        for (const b of this.buffer) this.writeEmitter.fire(b);
        this.buffer = [];
      },
      close: () => {
        this.opened = false;
      },
    };
    this.terminal = vscode.window.createTerminal({ name, pty, iconPath: new vscode.ThemeIcon('rocket') });
  }

  show(): void {
    this.terminal.show(true);
  }

  write(text: string): void {
    const crlf = text.replace(/\r?\n/g, '\r\n');
    if (this.opened) this.writeEmitter.fire(crlf);
    else this.buffer.push(crlf);
    this.log.append(text);
  }

  line(text: string): void {
    this.write(`${text}\n`);
  }

  dispose(): void {
    this.writeEmitter.dispose();
  }
}
