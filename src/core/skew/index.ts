export { evaluateSkew, type SkewOptions } from './evaluate';
export { apiserverRange, clusterVersion, type ApiserverRange } from './apiservers';
export { countBySeverity, sortFindings, worstSeverity, type Finding } from './finding';
export { RULES, type Severity, type SkewRule } from './rules';
