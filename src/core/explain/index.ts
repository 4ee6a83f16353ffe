// Explaining kubeadm / apt / yum / kubectl drain output: what happened, whether kubeadm rolled back, what to do next.
export { explain, isBadInput } from './explain';
export { CATALOG, type FindingId } from './catalog';
export { renderText, renderMarkdown, toJson } from './render';
export type { BadInput, ExplainContext, ExplainResult, Explanation, Finding } from './types';
export { explainFailedRun, explainStep, stepOutput, whatHappenedDocument, type FailedStep } from './failedStep';
