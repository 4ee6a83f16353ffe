// Three views of one explanation: plain text (CLI), Markdown (the "What happened" section in VS Code) and the JSON
// contract (`--json`: exactly the Explanation object, nothing else).
import type { ExplainResult, Finding } from './types';

const COMMAND_TITLE: Record<string, string> = {
  apply: 'kubeadm upgrade apply',
  node: 'kubeadm upgrade node',
  plan: 'kubeadm upgrade plan',
  apt: 'apt',
  yum: 'yum / dnf',
  drain: 'kubectl drain',
  unknown: 'unrecognised command',
};

const RECOVERY_TITLE: Record<string, string> = {
  rerun: 'run kubeadm upgrade again',
  force: 'kubeadm upgrade apply --force at the current version',
  'restore-manifests': 'restore the manifests from the backup',
  'etcd-restore': 'restore etcd from the backup',
  'verify-nodes': 'check the nodes',
  'verify-pods': 'check the control-plane pods',
};

export function toJson(r: ExplainResult): string {
  return JSON.stringify(r.explanation, null, 2);
}

function summaryLines(r: ExplainResult): string[] {
  const x = r.explanation;
  const lines = [`${COMMAND_TITLE[x.command]}${x.targetVersion ? ` → ${x.targetVersion}` : ''}: ${x.outcome}`];
  if (x.backups.length) lines.push(`Backups: ${x.backups.join(', ')}`);
  if (x.upgraded.length) lines.push(`Upgraded: ${x.upgraded.join(', ')}`);
  for (const s of x.skipped) lines.push(`Skipped: ${s.component} (${s.reason})`);
  if (x.addonsDeferredUntil.length) lines.push(`CoreDNS and kube-proxy are upgraded after: ${x.addonsDeferredUntil.join(', ')}`);
  return lines;
}

function facts(f: Finding): string {
  const parts = [
    f.phase && `phase ${f.phase}`,
    f.check && `check ${f.check}`,
    f.component && `component ${f.component}`,
    f.node && `node ${f.node}`,
    f.rolledBack === true ? 'kubeadm rolled back' : f.rolledBack === false ? 'not rolled back' : null,
  ].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

export function renderText(r: ExplainResult): string {
  const out = summaryLines(r);
  for (const f of r.findings) {
    out.push('', `${f.severity === 'failure' ? 'FAILED' : 'WARNING'} [${f.id}]${facts(f)}`, `  said:  ${f.message}`, `  why:   ${f.cause}`, `  fix:   ${f.fix}`);
    for (const c of f.commands) out.push(`         $ ${c}`);
    if (f.recovery.length) out.push(`  recovery steps: ${f.recovery.map((s) => RECOVERY_TITLE[s]).join('; ')}`);
  }
  if (r.unknown.length) out.push('', `Not recognised (${r.unknown.length} line(s)):`, ...r.unknown.map((u) => `  ${u}`));
  return out.join('\n');
}

/** Markdown for VS Code: a "What happened" section, meant to sit above the raw output. */
export function renderMarkdown(r: ExplainResult): string {
  const out = ['## What happened', '', ...summaryLines(r).map((l) => `- ${l}`)];
  for (const f of r.findings) {
    out.push('', `### ${f.severity === 'failure' ? '✖' : '⚠'} \`${f.id}\`${facts(f)}`, '', `> ${f.message}`, '', `**Why:** ${f.cause}`, '', `**Fix:** ${f.fix}`);
    if (f.commands.length) out.push('', '```sh', ...f.commands, '```');
    if (f.recovery.length) out.push('', `**Recovery steps that apply** (Kubeadm: Show Recovery Steps): ${f.recovery.map((s) => RECOVERY_TITLE[s]).join('; ')}`);
  }
  if (r.unknown.length) out.push('', `<details><summary>${r.unknown.length} line(s) not recognised</summary>`, '', ...r.unknown.map((u) => `    ${u}`), '', '</details>');
  return out.join('\n');
}
