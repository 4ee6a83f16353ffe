// One table for the whole run (measure, ours, baseline, ratio, goal, pass/fail) and its JSON, compared with the
// previous run's JSON when there is one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Sample } from './stats';

export interface Row {
  readonly id: string;
  readonly measure: string;
  readonly ours?: Sample;
  readonly baseline?: Sample;
  /** What the baseline is, in a few words (e.g. `kubectl drain`). */
  readonly baselineName?: string;
  /** ours.median / baseline.median, when both exist. */
  readonly ratio?: number;
  readonly goal: string;
  /** undefined: not judged (skipped, or informational). */
  readonly pass?: boolean;
  readonly note?: string;
  readonly skipped?: string;
}

export function row(r: Omit<Row, 'ratio'> & { ratio?: number }): Row {
  const ratio = r.ratio ?? (r.ours && r.baseline && r.baseline.median > 0 ? r.ours.median / r.baseline.median : undefined);
  return { ...r, ...(ratio !== undefined ? { ratio } : {}) };
}

const num = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));

export function fmt(s?: Sample): string {
  if (!s) return '—';
  if (s.unit === 'count' && s.min === s.max) return `${num(s.median)}`;
  return s.n > 1 && s.min !== s.max ? `${num(s.median)} ${s.unit} (${num(s.min)}–${num(s.max)})` : `${num(s.median)} ${s.unit}`;
}

export function table(rows: readonly Row[]): string {
  const head = ['measure', 'ours', 'baseline', 'ratio', 'goal', 'pass/fail'];
  const body = rows.map((r) => [
    r.measure,
    r.skipped ? `skipped: ${r.skipped}` : fmt(r.ours),
    r.baseline ? `${fmt(r.baseline)}${r.baselineName ? ` [${r.baselineName}]` : ''}` : r.baselineName ? `[${r.baselineName}]` : '—',
    r.ratio !== undefined ? `${r.ratio.toFixed(2)}×` : '—',
    r.goal,
    r.pass === undefined ? '—' : r.pass ? 'pass' : 'FAIL',
  ]);
  const lines = [head, head.map(() => '---'), ...body].map((cells) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
  return lines.join('\n');
}

export interface RunRecord {
  readonly startedAt: string;
  readonly durationS: number;
  readonly node: string;
  readonly cpus: number;
  readonly loadavg: number[];
  readonly args: string[];
  readonly rows: readonly Row[];
}

/** Writes latest.json (the previous one becomes previous.json) and returns the lines comparing the two. */
export function saveAndCompare(dir: string, record: RunRecord): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const latest = path.join(dir, 'latest.json');
  let previous: RunRecord | undefined;
  if (fs.existsSync(latest)) {
    try {
      previous = JSON.parse(fs.readFileSync(latest, 'utf8')) as RunRecord;
      fs.copyFileSync(latest, path.join(dir, 'previous.json'));
    } catch {
      previous = undefined;
    }
  }
  fs.writeFileSync(latest, JSON.stringify(record, null, 2) + '\n');
  if (!previous) return [`no previous run in ${dir}: nothing to compare`];
  const out = [`compared with the run of ${previous.startedAt}:`];
  for (const r of record.rows) {
    const p = previous.rows.find((x) => x.id === r.id);
    if (!p?.ratio || !r.ratio) continue;
    const change = (r.ratio / p.ratio - 1) * 100;
    out.push(`  ${r.measure}: ratio ${p.ratio.toFixed(2)}× → ${r.ratio.toFixed(2)}× (${change >= 0 ? '+' : ''}${change.toFixed(0)}%)${p.pass !== r.pass ? `, ${p.pass ? 'pass' : 'fail'} → ${r.pass ? 'pass' : 'fail'}` : ''}`);
  }
  return out;
}
