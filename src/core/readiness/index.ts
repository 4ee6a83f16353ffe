export { CHECKS, ON_REQUEST_CHECKS, runReadiness, type ReadinessOptions } from './run';
export { upgradeOptionDeps } from './ports';
export type { ReadinessApi, ReadinessDeps, KPod, KPdb, KWebhookConfiguration, KDaemonSet, KWorkload, KService, HelmRelease } from './ports';
export { blockerIds, blockersForNode, countBySeverity, parseOverrides, readinessExitCode, readinessJson, remainingBlockers, renderText, summaryText, treeNote } from './report';
export { formatOverride, isOverridden, OverrideError, parseOverride, type Override } from './overrides';
export { CHECK_IDS, isCheckId, type CheckId, type CheckResult, type ReadinessReport, type Severity } from './types';
