// Parser for `kubeadm upgrade plan` output: text (all releases since 1.8), `-o json` and `-o yaml`
// (output.kubeadm.k8s.io v1alpha2 and v1alpha3). Pure: strings in, data out.
import { parseKlog, parseProgress, splitLines } from './lines';
import { preflightItem } from './diagnostics';
import { parseStructured, structuredKind, type StructuredFormat } from './structured';
import { TextPlanReader, type TextResult } from './text';
import type { ParsedPlan, PlanDiagnostic } from './types';

export type {
  AvailableUpgrade,
  ConfigVersion,
  DiagnosticSeverity,
  ParsedPlan,
  PlanComponent,
  PlanDiagnostic,
  PlanFormat,
} from './types';
export { planTargets } from './targets';

/**
 * Parses whatever `kubeadm upgrade plan` printed (stdout, or stdout and stderr together). Never throws:
 * lines it cannot place end up in `unparsed`, recognised failures in `diagnostics`.
 */
export function parsePlan(text: string): ParsedPlan {
  const input = typeof text === 'string' ? text : '';
  try {
    return parse(splitLines(input));
  } catch {
    // Defensive only: no known input gets here. Keep the promise not to throw, and lose nothing.
    return {
      ...emptyPlan('text'),
      upToDate: false,
      unparsed: input.split(/\r?\n|\r/).map((l) => l.trim()).filter((l) => l !== ''),
    };
  }
}

function parse(lines: string[]): ParsedPlan {
  const isNoise = (l: string): boolean => l.trim() === '' || parseKlog(l.trim()) !== null;
  if (lines.every(isNoise)) {
    // Recent kubeadm prints nothing when there is nothing to upgrade with -o json/yaml (README, plan.go).
    const t = readText(lines);
    return { ...emptyPlan('empty'), upToDate: !hasErrors(t), diagnostics: t.diagnostics };
  }

  const start = structuredStart(lines);
  if (start) {
    const plan = parseStructuredBody(lines, start.index, start.kind);
    if (plan) return plan;
  }

  const t = readText(lines);
  const cutOff = t.availableUpgrades.length === 0 && t.newerVersionAnnounced;
  const diagnostics = cutOff ? [...t.diagnostics, CUT_OFF(t.clusterVersion)] : t.diagnostics;
  return {
    format: 'text',
    clusterVersion: t.clusterVersion,
    kubeadmVersion: t.kubeadmVersion,
    // Not up to date while a control plane runs an older kube-apiserver, whatever kubeadm offers from the newest one.
    upToDate:
      t.availableUpgrades.length === 0 && !hasErrors(t) && !cutOff && !t.apiserversDiffer && (t.saidUpToDate || t.lookedForUpgrades),
    availableUpgrades: t.availableUpgrades,
    configVersions: t.configVersions,
    unparsed: t.unparsed,
    diagnostics,
  };
}

// kubeadm named a newer version (`[upgrade/versions] Latest ...: vX`) yet printed no upgrade for it.
const CUT_OFF = (cluster: string | null): PlanDiagnostic => ({
  severity: 'warning',
  message: `kubeadm found a version newer than the cluster version ${cluster ?? ''}, but the output shows no upgrade.`,
  fix: 'The output looks cut off: run kubeadm upgrade plan again and capture all of it.',
});

/**
 * Where JSON/YAML starts, if it does. Only progress, klog and preflight lines may come before it (kubeadm
 * prints those before the document); anything else first means the output is text.
 */
function structuredStart(lines: string[]): { index: number; kind: StructuredFormat } | null {
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i]!.trim();
    if (trimmed === '' || parseKlog(trimmed)) continue;
    const kind = structuredKind(lines[i]!);
    if (kind) return { index: i, kind };
    if (parseProgress(trimmed) || preflightItem(trimmed)) continue;
    return null;
  }
  return null;
}

function parseStructuredBody(lines: string[], index: number, kind: StructuredFormat): ParsedPlan | null {
  // klog lines can land anywhere when stderr is captured too; they would break the document.
  const body = lines.slice(index).filter((l) => !parseKlog(l.trim()));
  const s = parseStructured(body.join('\n'), kind);
  if (!s) return null;
  const klog = lines.slice(index).filter((l) => parseKlog(l.trim()));
  const t = readText([...lines.slice(0, index), ...klog, ...s.textLines]);
  return {
    format: kind,
    // An explicit "[upgrade/versions] Cluster version:" line beats the value inferred from components.
    clusterVersion: t.clusterVersion ?? s.clusterVersion,
    kubeadmVersion: t.kubeadmVersion ?? s.kubeadmVersion,
    upToDate: s.availableUpgrades.length === 0 && !hasErrors(t),
    availableUpgrades: s.availableUpgrades,
    configVersions: s.configVersions,
    unparsed: [...t.unparsed, ...s.unparsed],
    diagnostics: t.diagnostics,
  };
}

function readText(lines: string[]): TextResult {
  const reader = new TextPlanReader();
  for (const line of lines) reader.line(line);
  return reader.finish();
}

function hasErrors(t: TextResult): boolean {
  return t.diagnostics.some((d) => d.severity === 'error');
}

function emptyPlan(format: ParsedPlan['format']): ParsedPlan {
  return {
    format,
    clusterVersion: null,
    kubeadmVersion: null,
    upToDate: true,
    availableUpgrades: [],
    configVersions: [],
    unparsed: [],
    diagnostics: [],
  };
}
