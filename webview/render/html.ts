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

/** A shell command with Copy and (optionally) Run in terminal: the button carries the step's id (stepKey) and the command. */
export function commandBlock(command: string, run: { danger: 'safe' | 'restore'; step: string } | null): string {
  const buttons = [button('Copy', { action: 'copy', text: command }, { secondary: true })];
  if (run) {
    buttons.push(
      button(
        'Run in terminal…',
        { action: 'run', command, step: run.step },
        { secondary: run.danger === 'restore', title: run.danger === 'restore' ? 'Changes the node: asks for confirmation first' : 'Asks for confirmation first' },
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
