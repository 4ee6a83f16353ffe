// Tiny HTML helpers for the string renderers: everything from the model goes through esc/attr.

export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** ` name="value"` pairs; null/undefined/false values are left out, true gives a bare attribute. */
export function attrs(values: Record<string, string | number | boolean | null | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== null && v !== undefined && v !== false)
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${esc(v)}"`))
    .join('');
}

export interface Cell {
  readonly html: string;
  readonly className?: string;
}

export const text = (value: unknown, className?: string): Cell => ({ html: esc(value), ...(className ? { className } : {}) });

/** A `vscode-table` with a header row and body rows; `rowClass` marks rows (e.g. "changed"). */
export function table(
  id: string,
  headers: readonly string[],
  rows: readonly { cells: readonly Cell[]; className?: string }[],
  caption?: string,
): string {
  const head = headers.map((h) => `<vscode-table-header-cell>${esc(h)}</vscode-table-header-cell>`).join('');
  const body = rows
    .map(
      (r) =>
        `<vscode-table-row${attrs({ class: r.className ?? null })}>` +
        r.cells.map((c) => `<vscode-table-cell${attrs({ class: c.className ?? null })}>${c.html}</vscode-table-cell>`).join('') +
        `</vscode-table-row>`,
    )
    .join('');
  return (
    `<vscode-table${attrs({ 'data-table': id, 'aria-label': caption ?? id })} zebra bordered-rows responsive>` +
    `<vscode-table-header slot="header">${head}</vscode-table-header>` +
    `<vscode-table-body slot="body">${body}</vscode-table-body></vscode-table>`
  );
}

export function button(label: string, data: Record<string, string | null>, options: { secondary?: boolean; title?: string } = {}): string {
  const dataAttrs: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(data)) dataAttrs[`data-${k}`] = v;
  return `<vscode-button${attrs({ ...dataAttrs, secondary: options.secondary === true, title: options.title ?? null })}>${esc(label)}</vscode-button>`;
}

/** Text with `backticks` as code, everything else escaped. */
export function codeText(s: string): string {
  return esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/**
 * A native disclosure: its summary keeps its case and wraps (vscode-collapsible's heading is upper-cased — "v1.35.4"
 * became "V1.35.4" — and cut off with an ellipsis). `summary` is HTML.
 */
export function disclosure(summary: string, body: string, o: { open?: boolean; attrs?: Record<string, string | null | undefined> } = {}): string {
  return `<details${attrs({ ...o.attrs, open: o.open === true })}><summary>${summary}</summary><div class="disclosure-body">${body}</div></details>`;
}

/** A shell command with Copy and (optionally) Run on <node>…: the button carries the step's id (stepKey) and the command. */
export function commandBlock(command: string, run: { node?: string | null; danger: 'safe' | 'restore'; step: string } | null): string {
  const buttons = [button('Copy', { action: 'copy', text: command }, { secondary: true })];
  if (run) {
    buttons.push(
      // Says where it runs: on the node, through its executor (SSH, or the terminal executor's ssh session), as root.
      button(
        run.node ? `Run on ${run.node}…` : 'Run…',
        { action: 'run', command, step: run.step, danger: run.danger },
        {
          // Never the primary (blue) button on a step that changes the node.
          secondary: run.danger === 'restore',
          title: `Runs on ${run.node ?? 'the node'} as root through its executor (SSH or terminal), after a confirmation${run.danger === 'restore' ? '; changes the node' : ''}`,
        },
      ),
    );
  }
  return `<div class="command"><pre><code>${esc(command)}</code></pre><div class="buttons">${buttons.join('')}</div></div>`;
}

export function sizeText(kb: number): string {
  if (kb < 1024) return `${kb} KiB`;
  if (kb < 1024 * 1024) return `${(kb / 1024).toFixed(1)} MiB`;
  return `${(kb / 1024 / 1024).toFixed(2)} GiB`;
}
