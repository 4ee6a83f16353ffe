// The "What happened" view of a failed upgrade step: the step's own output cut from the run's transcript, explained,
// and a Markdown document with the explanation above the raw output.
import { explain, isBadInput } from './explain';
import { renderMarkdown } from './render';
import type { ExplainResult } from './types';
import type { UpgradeRunState } from '../upgrade/state';
import { formatVersion } from '../version';

export interface FailedStep {
  /** 0-based index of the step in the run. */
  readonly index: number;
  readonly total: number;
  readonly title: string;
  /** What the runner kept of the step (its error and output tail), used when no transcript is at hand. */
  readonly error?: string;
  readonly outputTail?: string;
}

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/**
 * The output of one step: the transcript after the step's `▶ N/M title` header (the run output prints one per step),
 * up to the next header; the kept tail and error when the header is not in the transcript (e.g. after a reload).
 */
export function stepOutput(transcript: string, step: FailedStep): string {
  const text = transcript.replace(ANSI, '');
  const header = `▶ ${step.index + 1}/${step.total} ${step.title}`;
  const at = text.lastIndexOf(header);
  if (at >= 0) {
    const body = text.slice(at + header.length);
    const next = body.search(/\n▶ \d+\/\d+ /);
    const own = next >= 0 ? body.slice(0, next) : body;
    // The run's own closing line (`✖ Step 7/10 ... failed: ...`) repeats the error; it is not the command's output.
    return own.replace(/^\s*\n/, '').split('\n').filter((l) => !/^[✖✔] /.test(l)).join('\n');
  }
  return [step.outputTail ?? '', step.error ?? ''].filter((s) => s.trim() !== '').join('\n');
}

/** The explanation of a failed step, or null when its output says nothing this explainer knows. */
export function explainStep(output: string, node: string, targetVersion: string): ExplainResult | null {
  const r = explain(output, { node, targetVersion });
  if (isBadInput(r) || r.findings.length === 0) return null;
  return r;
}

/** Markdown: "What happened" first, then the step's raw output. */
export function whatHappenedDocument(result: ExplainResult, step: FailedStep, output: string): string {
  const fence = output.includes('```') ? '~~~~' : '```';
  return [
    `# Step ${step.index + 1}/${step.total} "${step.title}" failed`,
    '',
    renderMarkdown(result),
    '',
    '## Raw output of the step',
    '',
    fence,
    output.replace(ANSI, '').trimEnd(),
    fence,
    '',
  ].join('\n');
}

/**
 * The failed step of a node run, explained (or null when nothing is recognised). `transcript` is the run's whole
 * output when the caller kept it; otherwise the step's saved error and output tail are read.
 */
export function explainFailedRun(run: UpgradeRunState, transcript = ''): { step: FailedStep; output: string; result: ExplainResult } | null {
  const index = run.phases.findIndex((p) => p.status === 'failed');
  if (index < 0) return null;
  const ps = run.phases[index]!;
  const step: FailedStep = { index, total: run.phases.length, title: ps.title, ...(ps.error ? { error: ps.error } : {}), ...(ps.outputTail ? { outputTail: ps.outputTail } : {}) };
  const output = stepOutput(transcript, step);
  const result = explainStep(output, run.context.node, formatVersion(run.context.target));
  return result ? { step, output, result } : null;
}
