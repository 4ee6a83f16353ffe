/** kubectl drain's output lines, word for word (checked against kubectl 1.36), and Go's formatting they rely on. */

/** Go's time.Duration.String(): 5s, 1m30s, 5m0s, 1h0m0s, 500ms, 0s. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 0) return `-${goDuration(-ms)}`;
  if (ms < 1000) return `${trimZeros(ms)}ms`;
  const totalSeconds = ms / 1000;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds - h * 3600) / 60);
  const s = totalSeconds - h * 3600 - m * 60;
  const sec = `${trimZeros(Number(s.toFixed(9)))}s`;
  if (h > 0) return `${h}h${m}m${sec}`;
  if (m > 0) return `${m}m${sec}`;
  return sec;
}

function trimZeros(n: number): string {
  return String(Number(n.toFixed(9)));
}

/** Go's %q for the simple strings Kubernetes names are. */
export const q = (s: string): string => JSON.stringify(s);

/** utilerrors.NewAggregate(...).Error(): one message alone, several in brackets, duplicates once. */
export function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  if (unique.length === 1) return unique[0]!;
  return `[${unique.join(', ')}]`;
}

export const msg = {
  cordoned: (node: string) => `node/${node} cordoned`,
  alreadyCordoned: (node: string) => `node/${node} already cordoned`,
  uncordoned: (node: string) => `node/${node} uncordoned`,
  alreadyUncordoned: (node: string) => `node/${node} already uncordoned`,
  drained: (node: string) => `node/${node} drained`,
  warning: (text: string) => `Warning: ${text}`,
  evicting: (ns: string, name: string) => `evicting pod ${ns}/${name}`,
  evicted: (name: string) => `pod/${name} evicted`,
  deleted: (name: string) => `pod/${name} deleted`,
  retry: (ns: string, name: string, delayMs: number, err: string) =>
    `error when evicting pods/${q(name)} -n ${q(ns)} (will retry after ${goDuration(delayMs)}): ${err}`,
  retryTerminatingNamespace: (ns: string, name: string, delayMs: number, err: string) =>
    `error when evicting pod ${q(name)} from terminating namespace ${q(ns)} (will retry after ${goDuration(delayMs)}): ${err}`,
  evictFailed: (ns: string, name: string, err: string) => `error when evicting pods/${q(name)} -n ${q(ns)}: ${err}`,
  globalTimeout: (ns: string, name: string, timeoutMs: number) =>
    `error when evicting pods/${q(name)} -n ${q(ns)}: global timeout reached: ${goDuration(timeoutMs)}`,
  waitFailed: (ns: string, name: string, err: string) => `error when waiting for pod ${q(name)} in namespace ${q(ns)} to terminate: ${err}`,
  skipWait: (name: string, seconds: number) => `pod ${q(name)} has DeletionTimestamp older than ${seconds} seconds, skipping`,
  pendingPods: (node: string, err: string) => `There are pending pods in node ${q(node)} when an error occurred: ${err}`,
  unableToDrain: (node: string, err: string) => `error: unable to drain node ${q(node)} due to error: ${err}, continuing command...`,
  unableToCordon: (node: string, desired: boolean, err: string) => `error: unable to ${desired ? 'cordon' : 'uncordon'} node ${q(node)}: ${err}`,
};

/** What kubectl's context errors say. */
export const DEADLINE_EXCEEDED = 'context deadline exceeded';
export const WAIT_TIMEOUT = 'timed out waiting for the condition';
export const CANCELED = 'context canceled';

/** Go's time.ParseDuration for what --timeout takes: `0`, `90s`, `5m`, `1h30m`, `1.5s`, `500ms`. undefined: invalid. */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * units[m[2]!]!;
    matched = re.lastIndex;
  }
  return matched === s.length && matched > 0 ? Math.round(total) : undefined;
}
