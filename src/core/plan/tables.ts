// The two tables of a text plan: component versions and component-config versions. Knows their headers
// and what a valid row looks like; the column cutting itself is in tabwriter.ts.
import { headerColumns, rowTokens, sliceRow, type Column } from './tabwriter';
import type { ConfigVersion, PlanComponent } from './types';
import { canonicalComponentName, isVersionLike, parseCountCell } from './versions';

/** `COMPONENT [NODE] CURRENT TARGET|AVAILABLE` (kubelet table and per-upgrade table alike). */
export interface ComponentTable {
  kind: 'components';
  columns: Column[];
  name: number;
  /** -1 in the count layout (kubeadm <= 1.29), which has no NODE column. */
  node: number;
  current: number;
  target: number;
  /** The COMPONENT cell is empty on a second `N x vX` kubelet row; it continues the row above. */
  lastName: string | null;
}

/** `API GROUP  CURRENT VERSION  PREFERRED VERSION  MANUAL UPGRADE REQUIRED`. */
export interface ConfigTable {
  kind: 'config';
  columns: Column[];
}

/** The table a header line opens, or null if `trimmed` is not a table header. */
export function readTableHeader(raw: string, trimmed: string): ComponentTable | ConfigTable | null {
  if (/^COMPONENT\s/.test(trimmed)) {
    const columns = headerColumns(raw);
    const find = (...titles: string[]): number => columns.findIndex((c) => titles.includes(c.title.toUpperCase()));
    const current = find('CURRENT');
    // kubeadm <= 1.12 titled the column AVAILABLE.
    const target = find('TARGET', 'AVAILABLE');
    if (current < 0 || target < 0) return null;
    return { kind: 'components', columns, name: 0, node: find('NODE'), current, target, lastName: null };
  }
  if (/^API GROUP\s/.test(trimmed)) {
    const columns = headerColumns(raw);
    return columns.length >= 4 ? { kind: 'config', columns } : null;
  }
  return null;
}

/** A row of the config table, or null if `raw` is not one (the table has ended). */
export function readConfigRow(table: ConfigTable, raw: string): ConfigVersion | null {
  const [group, current, preferred, manual] = sliceRow(table.columns, raw);
  if (!group || !preferred || !manual || !/^(yes|no)$/i.test(manual)) return null;
  return {
    group,
    // kubeadm prints "-" for a config it did not find; keep that, and use it for an empty cell too.
    current: current || '-',
    preferred,
    manualUpgradeRequired: manual.toLowerCase() === 'yes',
  };
}

/** A row of a component table, or null if `raw` is not one (the table has ended). */
export function readComponentRow(table: ComponentTable, raw: string): PlanComponent | null {
  const row = componentCells(table, sliceRow(table.columns, raw)) ?? componentCells(table, byTokens(table, raw));
  if (!row) return null;
  table.lastName = row.name;
  const counted = parseCountCell(row.current);
  return {
    name: canonicalComponentName(row.name),
    node: row.node || null,
    count: counted ? counted.count : null,
    current: counted ? counted.version : row.current,
    target: row.target || null,
  };
}

interface ComponentCells {
  name: string;
  node: string;
  current: string;
  target: string;
}

/** The cells of a component row, or null if they do not look like one. */
function componentCells(table: ComponentTable, cells: readonly string[]): ComponentCells | null {
  const name = cells[table.name] || table.lastName;
  const current = cells[table.current] ?? '';
  const target = cells[table.target] ?? '';
  const currentOk = parseCountCell(current) !== null || isVersionLike(current);
  // etcd's target is "N/A" when kubeadm knows no etcd for the target version; "" when the row was cut off.
  const targetOk = target === '' || isVersionLike(target) || target === 'N/A';
  const node = table.node >= 0 ? (cells[table.node] ?? '') : '';
  // A version in the NODE cell means the cells slid left over an empty cell (row misaligned with its header).
  if (!name || !currentOk || !targetOk || /\s{2,}/.test(name) || isVersionLike(node)) return null;
  return { name, node, current, target };
}

/**
 * Second reading of a row that is not aligned with its header: the versions are the last two tokens, the
 * name the first, and a token in between is the node. Only used when the header offsets gave no valid row.
 */
function byTokens(table: ComponentTable, raw: string): string[] {
  const t = rowTokens(raw);
  const cells = table.columns.map(() => '');
  if (t.length < 2 || t.length > table.columns.length) return cells;
  cells[table.target] = t[t.length - 1]!;
  cells[table.current] = t[t.length - 2]!;
  if (t.length >= 3) cells[table.name] = t[0]!;
  if (t.length >= 4 && table.node >= 0) cells[table.node] = t[1]!;
  return cells;
}
