// Cutting rows of Go text/tabwriter tables into cells.
//
// kubeadm prints its tables with tabwriter (minwidth 10, padding 3, padchar ' '): every cell of a column is
// padded to the same width, and an empty cell (the NODE of kube-proxy/CoreDNS, the COMPONENT of a second
// kubelet count row) becomes a run of spaces. Splitting a row on whitespace would therefore shift cells to the
// left, so rows are cut at the column offsets of their own table's header line instead.

export interface Column {
  title: string;
  /** Offset of the title in the header line; cells of this column start here in every row. */
  start: number;
}

// Titles may contain single spaces ("API GROUP", "MANUAL UPGRADE REQUIRED"); tabwriter separates columns by
// at least `padding` (3) spaces, so two or more blanks mark a column boundary.
const CELL_GAP = /[ \t]{2,}/g;

/** The columns of a header line, each with its start offset. */
export function headerColumns(header: string): Column[] {
  const columns: Column[] = [];
  for (const token of tokens(expandTabs(header))) columns.push({ title: token.text, start: token.start });
  return columns;
}

/**
 * Cells of `row`, one per column, trimmed; "" for an empty cell. The row is cut at the header offsets. If a
 * cut would fall inside a word (the row is not aligned with the header: hand-edited, or a header from another
 * flush), each token (text between runs of 2+ blanks) goes to the column whose start is nearest instead.
 */
export function sliceRow(columns: readonly Column[], row: string): string[] {
  const line = expandTabs(row);
  if (columns.length === 0) return [];
  const cut = columns.map((col, i) => {
    const end = i + 1 < columns.length ? columns[i + 1]!.start : line.length;
    return line.slice(col.start, end).trim();
  });
  return cutsAreClean(columns, line, cut) ? cut : assignTokens(columns, line);
}

/** Tokens of `row`: text between runs of two or more blanks (cells never contain such runs). */
export function rowTokens(row: string): string[] {
  return tokens(expandTabs(row)).map((t) => t.text);
}

// tabwriter output has no TABs, but a pasted table might; treat one like a cell gap.
function expandTabs(s: string): string {
  return s.replace(/\t/g, '    ');
}

function cutsAreClean(columns: readonly Column[], line: string, cells: readonly string[]): boolean {
  for (let i = 1; i < columns.length; i++) {
    const at = columns[i]!.start;
    if (at >= line.length) break;
    if (isInk(line[at - 1]) && isInk(line[at])) return false;
  }
  // A gap inside a cell means two cells landed in one column: the row is narrower than its header.
  if (cells.some((c) => /\s{2,}/.test(c))) return false;
  // Text left of the first column would be silently dropped by slicing.
  return line.slice(0, columns[0]!.start).trim() === '';
}

function isInk(ch: string | undefined): boolean {
  return ch !== undefined && ch !== ' ';
}

function assignTokens(columns: readonly Column[], line: string): string[] {
  const cells = columns.map(() => '');
  const toks = tokens(line);
  const last = columns.length - 1;
  let prev = -1;
  toks.forEach((token, k) => {
    // Each token takes the nearest column right of the previous one, leaving a column for each token after
    // it; tokens beyond the last column are joined into it.
    const lo = Math.min(prev + 1, last);
    const hi = Math.max(lo, last - (toks.length - k - 1));
    const distance = (i: number): number => Math.abs(columns[i]!.start - token.start);
    let index = lo;
    for (let i = lo; i <= hi; i++) if (distance(i) < distance(index)) index = i;
    cells[index] = cells[index] ? `${cells[index]} ${token.text}` : token.text;
    prev = index;
  });
  return cells;
}

function tokens(line: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let last = 0;
  const push = (from: number, to: number): void => {
    const raw = line.slice(from, to);
    const text = raw.trim();
    if (text) out.push({ text, start: from + (raw.length - raw.trimStart().length) });
  };
  for (const m of line.matchAll(CELL_GAP)) {
    push(last, m.index);
    last = m.index + m[0].length;
  }
  push(last, line.length);
  return out;
}
