/**
 * Terminal output as plain text: what shell integration's `execution.read()` gives is the raw stream, with OSC
 * sequences (VS Code's own `ESC ] 633 ; …` marks, titles), CSI colour/cursor codes and `\r` from a pty. Parsers
 * downstream expect the text a pipe would have carried.
 */
const OSC = /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
const CSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;
const OTHER_ESC = /\u001b[@-Z\\-_]/g;

export function plainTerminalText(raw: string): string {
  return raw.replace(OSC, '').replace(CSI, '').replace(OTHER_ESC, '').replace(/\r+\n/g, '\n').replace(/\r/g, '');
}
