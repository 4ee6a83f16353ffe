// explain(text): what a captured kubeadm / apt / yum / kubectl drain output says happened, and what to do next.
// Pure: text in, Explanation out. Lines go through an ordered list of recognisers (most specific first); plan output
// is also read by the plan parser, whose table knowledge decides which of its lines are known.
import { parsePlan } from '../plan';
import { splitLines } from '../plan/lines';
import { Acc, type Marker, type RawFinding, type Recogniser } from './acc';
import { CATALOG, type FindingId } from './catalog';
import { DRAIN_FAILURES } from './drain';
import { NO_FACTS, type Facts } from './facts';
import { badInput, entries, fullMessage, type Entry } from './input';
import { KNOWN } from './known';
import { KUBEADM_FAILURES } from './kubeadmFailures';
import { markKubeadm, RESULT } from './kubeadmResult';
import { PACKAGE_FAILURES } from './packages';
import { RETRY_BANNER } from './retry';
import type { BadInput, ExplainContext, ExplainedCommand, ExplainResult, Finding, Outcome } from './types';

const CHAIN: readonly Recogniser[] = [...RESULT, ...DRAIN_FAILURES, ...PACKAGE_FAILURES, ...KUBEADM_FAILURES, ...KNOWN];

export function explain(text: string, context: ExplainContext = {}): ExplainResult | BadInput {
  const bad = badInput(typeof text === 'string' ? text : '');
  if (bad) return bad;
  const acc = new Acc(context);
  const all = entries(text);
  // The entry before, when it produced findings: a line nothing knows right after it may be its wrapped tail.
  let previous: { entry: Entry; from: number } | null = null;
  for (const e of all) {
    markKubeadm(e.text, acc);
    if (startsRun(e)) acc.segment++;
    const from = acc.raw.length;
    if (CHAIN.some((r) => r(e, acc, fullMessage(e)))) {
      previous = acc.raw.length > from ? { entry: e, from } : null;
      continue;
    }
    if (previous && wrappedTail(e) && lastLine(previous.entry).length >= 60) {
      // A long error wrapped by the terminal or the author: read the two lines again as one.
      const joined = joinWrapped(previous.entry, e.text);
      acc.raw.splice(previous.from);
      CHAIN.some((r) => r(joined, acc, fullMessage(joined)));
      previous = { entry: joined, from: previous.from };
      continue;
    }
    previous = null;
    acc.unknown.push(fullMessage(e));
  }
  const command = commandOf(acc);
  if (command === 'plan') readPlan(all, acc);
  return finish(acc, command);
}

/** A new run of a command: a typed kubeadm/apt/yum/drain command, or an installer's retry banner. */
function startsRun(e: Entry): boolean {
  return (e.command !== null && e.command !== '') || RETRY_BANNER.test(e.text);
}


/**
 * The entry with its wrapped tail. A terminal cuts anywhere, even inside a word or URL (`…x86_6` / `4/repodata…`): a
 * tail that starts with a digit, `.`, `/`, `_` or `-` right after a letter or digit is glued on; otherwise a space.
 */
function joinWrapped(entry: Entry, tail: string): Entry {
  const last = entry.continuation[entry.continuation.length - 1] ?? (entry.klog ? null : entry.text);
  if (last === null || !(/[\w]$/.test(last) && /^[\d./_-]/.test(tail))) return { ...entry, continuation: [...entry.continuation, tail] };
  return entry.continuation.length
    ? { ...entry, continuation: [...entry.continuation.slice(0, -1), last + tail] }
    : { ...entry, text: last + tail };
}

/** The entry's last line as printed (only a long line gets wrapped). */
function lastLine(e: Entry): string {
  return e.continuation[e.continuation.length - 1] ?? e.text;
}

/** A line that can only be the rest of the line before it: not a new tag, prompt, klog line or list item. */
function wrappedTail(e: Entry): boolean {
  return e.command === null && e.klog === null && e.progress === null && e.text !== '' && !/^[[\-*]/.test(e.text);
}

function commandOf(acc: Acc): ExplainedCommand {
  // What was typed wins; otherwise what the output looks like, kubeadm first.
  for (const c of [...acc.commands].reverse()) {
    const k = /\bkubeadm\s+upgrade\s+(apply|node|plan)\b/.exec(c);
    if (k) return k[1] as ExplainedCommand;
    if (/(?:^|[\s;&|])(?:kubectl|k|oc adm)\s+drain\b/.test(c)) return 'drain';
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
    // The plan's own reading of kubeadm's apiserver-versions warning: the explainer has it as apiserver-versions-differ.
    const apiservers = /^Different API server versions/.test(d.message) && acc.raw.some((r) => r.id === 'apiserver-versions-differ');
    if (explained || apiservers || /Some fatal errors occurred|invalid due to these/.test(d.message)) continue;
    acc.add(d.severity === 'error' ? 'kubeadm-error' : 'plan-warning', { phase: 'plan' }, d.message);
  }
  if (splitLines(lines.join('\n')).length === 0) acc.done = false;
}

function finish(acc: Acc, command: ExplainedCommand): ExplainResult {
  const raw = withoutRepeats(acc);
  let findings = dedupe(raw.map((r) => build(r.id, r.facts, r.message, acc, r.severity)));
  // An output that shows a failure names one: the last error line kubeadm (or the tool) printed, with its phase.
  if (acc.fatal && !findings.some((f) => f.severity === 'failure')) {
    const last = acc.lastError ?? { message: acc.unknown[acc.unknown.length - 1] ?? 'The output shows a failure without an error line.', phase: null };
    findings = [...findings, build('kubeadm-error', { phase: last.phase }, last.message, acc)];
  }
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

function build(id: FindingId, partial: Partial<Facts>, message: string, acc: Acc, severity?: 'failure' | 'warning'): Finding {
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

/**
 * What kubeadm says twice in one run: a static Pod timeout again as "couldn't upgrade control plane", a specific error
 * again as the generic `error execution phase …` at exit. Only within one run: a later run (a retry, the command typed
 * again) that fails differently keeps its own entry.
 */
function withoutRepeats(acc: Acc): RawFinding[] {
  const inRun = (seg: number, pred: (r: RawFinding) => boolean) => acc.raw.some((r) => r.segment === seg && pred(r));
  return acc.raw.filter((r) => {
    if (r.id === 'control-plane-upgrade-failed') return !inRun(r.segment, (x) => x.id === 'static-pod-hash-unchanged');
    if (r.id === 'kubeadm-error') return !inRun(r.segment, (x) => x.id !== 'kubeadm-error' && (x.severity ?? CATALOG[x.id]!.severity) === 'failure');
    return true;
  });
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
