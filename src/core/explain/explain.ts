// explain(text): what a captured kubeadm / apt / yum / kubectl drain output says happened, and what to do next.
// Pure: text in, Explanation out. Lines go through an ordered list of recognisers (most specific first); plan output
// is also read by the plan parser, whose table knowledge decides which of its lines are known.
import { parsePlan } from '../plan';
import { splitLines } from '../plan/lines';
import { Acc, type Marker, type Recogniser } from './acc';
import { CATALOG } from './catalog';
import { DRAIN_FAILURES } from './drain';
import { NO_FACTS, type Facts } from './facts';
import { badInput, entries, fullMessage, type Entry } from './input';
import { KNOWN } from './known';
import { KUBEADM_FAILURES } from './kubeadmFailures';
import { markKubeadm, RESULT } from './kubeadmResult';
import { PACKAGE_FAILURES } from './packages';
import type { BadInput, ExplainContext, ExplainedCommand, ExplainResult, Finding, Outcome } from './types';

const CHAIN: readonly Recogniser[] = [...RESULT, ...DRAIN_FAILURES, ...PACKAGE_FAILURES, ...KUBEADM_FAILURES, ...KNOWN];

export function explain(text: string, context: ExplainContext = {}): ExplainResult | BadInput {
  const bad = badInput(typeof text === 'string' ? text : '');
  if (bad) return bad;
  const acc = new Acc(context);
  const all = entries(text);
  for (const e of all) {
    markKubeadm(e.text, acc);
    const msg = fullMessage(e);
    if (!CHAIN.some((r) => r(e, acc, msg))) acc.unknown.push(msg);
  }
  const command = commandOf(acc);
  if (command === 'plan') readPlan(all, acc);
  return finish(acc, command);
}

function commandOf(acc: Acc): ExplainedCommand {
  // What was typed wins; otherwise what the output looks like, kubeadm first.
  for (const c of [...acc.commands].reverse()) {
    const k = /\bkubeadm\s+upgrade\s+(apply|node|plan)\b/.exec(c);
    if (k) return k[1] as ExplainedCommand;
    if (/\b(?:kubectl|oc adm)\s+drain\b/.test(c)) return 'drain';
    if (/\b(?:apt|apt-get)\s/.test(c)) return 'apt';
    if (/\b(?:yum|dnf)\s/.test(c)) return 'yum';
  }
  const order: Marker[] = ['apply', 'node', 'plan', 'drain', 'apt', 'yum'];
  return order.find((m) => acc.markers.has(m)) ?? 'unknown';
}

/** Plan output: the plan parser knows its tables; its errors not already explained become findings. */
function readPlan(all: readonly Entry[], acc: Acc): void {
  const lines = all.flatMap((e) => (e.command !== null ? [] : [e.klog ? '' : e.text, ...e.continuation]));
  const plan = parsePlan(lines.join('\n'));
  const unparsed = new Set(plan.unparsed);
  acc.unknown.splice(0, acc.unknown.length, ...acc.unknown.filter((u) => unparsed.has(u)));
  if (plan.clusterVersion !== null && !plan.diagnostics.some((d) => d.severity === 'error')) acc.done = true;
  if (!acc.target) acc.target = plan.availableUpgrades[0]?.targetVersion ?? null;
  for (const d of plan.diagnostics) {
    const explained = acc.raw.some((r) => r.message.includes(d.message) || d.message.includes(r.message.replace(/^\[[^\]]+\]\s*/, '')));
    if (explained || /Some fatal errors occurred|invalid due to these/.test(d.message)) continue;
    acc.add(d.severity === 'error' ? 'kubeadm-error' : 'plan-warning', { phase: 'plan' }, d.message);
  }
  if (splitLines(lines.join('\n')).length === 0) acc.done = false;
}

function finish(acc: Acc, command: ExplainedCommand): ExplainResult {
  let findings = dedupe(acc.raw.map((r) => build(r.id, r.facts, r.message, acc, r.severity)));
  // kubeadm repeats a static Pod timeout as "couldn't upgrade control plane": the specific finding says it all.
  if (findings.some((f) => f.id === 'static-pod-hash-unchanged')) findings = findings.filter((f) => f.id !== 'control-plane-upgrade-failed');
  // A generic kubeadm error ("error execution phase preflight: preflight checks failed") only repeats a specific one.
  if (findings.some((f) => f.severity === 'failure' && f.id !== 'kubeadm-error')) findings = findings.filter((f) => f.id !== 'kubeadm-error');
  const failed = acc.fatal || findings.some((f) => f.severity === 'failure');
  const outcome: Outcome = failed ? 'failed' : acc.done ? 'succeeded' : 'unknown';
  const backups = [...acc.backups];
  // kubeadm copies etcd's data to kubeadm-backup-etcd-<same time> before it upgrades etcd; it prints only the manifests folder.
  const manifests = backups.find((b) => /\/kubeadm-backup-manifests-[\d-]+$/.test(b));
  if (manifests && acc.upgraded.includes('etcd')) backups.splice(backups.indexOf(manifests) + 1, 0, manifests.replace('backup-manifests-', 'backup-etcd-'));
  return {
    explanation: {
      apiVersion: 'kubeadm-upgrade/v1',
      kind: 'Explanation',
      command,
      outcome,
      targetVersion: acc.target ?? normalise(acc.context.targetVersion),
      backups,
      upgraded: [...acc.upgraded],
      skipped: [...acc.skipped],
      addonsDeferredUntil: [...acc.addons],
      failures: findings
        .filter((f) => f.severity === 'failure')
        .map((f) => ({ id: f.id, phase: f.phase, component: f.component, node: f.node, rolledBack: f.rolledBack, message: f.message, fix: fixLine(f) })),
      warnings: findings.filter((f) => f.severity === 'warning').map((f) => ({ id: f.id, message: f.message, fix: fixLine(f) })),
    },
    findings,
    unknown: [...acc.unknown],
  };
}

function build(id: string, partial: Partial<Facts>, message: string, acc: Acc, severity?: 'failure' | 'warning'): Finding {
  const entry = CATALOG[id]!;
  const facts: Facts = {
    ...NO_FACTS,
    ...partial,
    node: partial.node ?? acc.node ?? acc.context.node ?? null,
    target: partial.target ?? acc.target ?? normalise(acc.context.targetVersion),
    // kubeadm may say it rolled back on a later line (`Etcd was rolled back and is now available`).
    rolledBack: partial.rolledBack === undefined ? null : partial.rolledBack || acc.rolledBack,
  };
  const fix = entry.fix(facts);
  const level = severity ?? entry.severity;
  return {
    id,
    severity: level,
    phase: facts.phase,
    component: facts.component,
    node: facts.node,
    check: facts.check,
    rolledBack: facts.rolledBack,
    message,
    cause: entry.cause(facts),
    fix: fix.text,
    commands: fix.commands,
    // A warning did not stop anything: there is nothing to recover from.
    recovery: level === 'warning' ? [] : entry.recovery(facts),
  };
}

/** The same failure said twice (kubeadm prints its error, then again at exit): the first one, once. */
function dedupe(findings: Finding[]): Finding[] {
  return findings.filter((f, i) => f.component === null || findings.findIndex((g) => g.id === f.id && g.component === f.component && g.node === f.node) === i);
}

/** The JSON `fix`: the advice, then the commands, one a line. */
function fixLine(f: Finding): string {
  return [f.fix, ...f.commands].join('\n');
}

function normalise(v: string | undefined): string | null {
  if (!v) return null;
  return v.startsWith('v') ? v : `v${v}`;
}

export function isBadInput(r: ExplainResult | BadInput): r is BadInput {
  return 'bad' in r;
}
