import type { Finding } from './finding';

/** A plain-text page of one cluster's findings, and the line each finding starts on (for Problems-panel ranges). */
export interface FindingsReport {
  readonly text: string;
  /** `lines[i]` is the 0-based line of `findings[i]`. */
  readonly lines: readonly number[];
}

/**
 * The document behind a cluster's entries in the Problems panel: clicking an entry opens this page at its finding, so
 * the full message and the policy it quotes are one click away.
 */
export function findingsReport(contextName: string, findings: readonly Finding[], generatedAt: Date): FindingsReport {
  const out: string[] = [`# Version-skew findings for ${contextName}`, `# read ${generatedAt.toISOString()}; refreshed with the tree`, ''];
  const lines: number[] = [];
  if (findings.length === 0) out.push('No findings: every component is within the version skew policy.');
  for (const f of findings) {
    lines.push(out.length);
    out.push(`${f.severity.toUpperCase()} ${f.rule}${f.node ? ` on ${f.node}` : ''} (${f.component}${f.version ? ` ${f.version}` : ''})`);
    const [detail, policy] = f.message.split(' Policy: ');
    out.push(`  ${detail}`);
    if (f.expected) out.push(`  Expected during the upgrade: ${f.expected.text}`);
    if (policy) out.push(`  Policy: ${policy}`);
    out.push('');
  }
  return { text: out.join('\n'), lines };
}
