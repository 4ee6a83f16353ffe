import * as vscode from 'vscode';

/** The last run's text per output name, so a failure can be explained from the step's own output (bounded). */
const TRANSCRIPTS = new Map<string, string>();
const TRANSCRIPT_MAX = 512 * 1024;

/** What the run output named `kubeadm upgrade: <node>` (the upgrade service's name for it) showed last. */
export function runTranscript(node: string): string {
  return TRANSCRIPTS.get(`kubeadm upgrade: ${node}`) ?? '';
}

/**
 * Streams one run's output to a pseudoterminal (colours, \r progress bars look right there) and to the extension's
 * log channel. Passwords never reach it: sudo prompts are answered on stdin by the executor, not echoed here.
 */
export class RunOutput implements vscode.Disposable {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly terminal: vscode.Terminal;
  private buffer: string[] = [];
  private opened = false;

  constructor(private readonly name: string, private readonly log: vscode.OutputChannel) {
    TRANSCRIPTS.set(name, '');
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
    const t = (TRANSCRIPTS.get(this.name) ?? '') + text;
    TRANSCRIPTS.set(this.name, t.length > TRANSCRIPT_MAX ? t.slice(t.length - TRANSCRIPT_MAX) : t);
  }

  line(text: string): void {
    this.write(`${text}\n`);
  }

  dispose(): void {
    this.writeEmitter.dispose();
  }
}
