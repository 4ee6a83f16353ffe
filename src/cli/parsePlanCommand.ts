import * as fs from 'node:fs';
import { parsePlan, type ParsedPlan } from '../core/plan';
import { parse, UsageError } from './args';
import { printJson } from './jsonOutput';

export const PARSE_PLAN_USAGE = 'kubeadm-upgrade parse-plan [FILE|-] [--json]';

/**
 * `kubeadm-upgrade parse-plan`: reads `kubeadm upgrade plan` output (text, -o json, -o yaml) from FILE or stdin.
 * Exit 0 when parsed (even with unparsed lines, which are reported), 1 when kubeadm's output reports an error
 * (preflight, version too high, ...), 2 on bad input.
 */
export async function parsePlanCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean', default: false } });
  if (positionals.length > 1) throw new UsageError(`one input at most\nusage: ${PARSE_PLAN_USAGE}`);
  const file = positionals[0] ?? '-';
  let text: string;
  try {
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const plan = parsePlan(text);
  out(values.json ? printJson('ParsedUpgradePlan', plan) : renderPlan(plan));
  return plan.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

export function renderPlan(p: ParsedPlan): string {
  const lines = [
    `format: ${p.format} · cluster ${p.clusterVersion ?? 'unknown'} · kubeadm ${p.kubeadmVersion ?? 'unknown'}`,
  ];
  if (p.upToDate) lines.push('Up to date: kubeadm reports nothing to upgrade.');
  for (const u of p.availableUpgrades) {
    lines.push('', `${u.description} → ${u.targetVersion ?? '?'}`);
    for (const c of u.components) {
      const who = c.node ?? (c.count !== null ? `${c.count} x` : '');
      lines.push(`  ${c.name.padEnd(24)} ${who.padEnd(16)} ${c.current ?? '?'} → ${c.target ?? '?'}`);
    }
    if (u.applyCommand) lines.push(`  apply: ${u.applyCommand}`);
    if (u.note) lines.push(`  note: ${u.note}`);
  }
  if (p.configVersions.length > 0) {
    lines.push('', 'Component configs:');
    for (const c of p.configVersions) lines.push(`  ${c.group.padEnd(32)} ${c.current} → ${c.preferred}${c.manualUpgradeRequired ? '  MANUAL UPGRADE REQUIRED' : ''}`);
  }
  for (const d of p.diagnostics) lines.push('', `${d.severity.toUpperCase()}: ${d.message}`, `  fix: ${d.fix}`);
  if (p.unparsed.length > 0) lines.push('', `Not understood (${p.unparsed.length} line(s)):`, ...p.unparsed.map((l) => `  ${l}`));
  return lines.join('\n');
}
