import { raw, type ShellCommand } from '../../exec/shell';

/**
 * Swap, cgroup and kubelet swap settings from a node, in one read-only command. Swap: `swapon --show` (util-linux) or
 * /proc/swaps; cgroup: the filesystem type mounted on /sys/fs/cgroup (`cgroup2fs` is v2; `tmpfs` holds the v1
 * hierarchies); the kubelet: its flags files (kubeadm-flags.env, /etc/default/kubelet, /etc/sysconfig/kubelet) and the
 * swap lines of its config file /var/lib/kubelet/config.yaml.
 */
export const NODE_FACTS_COMMAND: ShellCommand = raw(
  'echo "== swap"; (swapon --show=NAME,TYPE,SIZE --noheadings --bytes 2>/dev/null || tail -n +2 /proc/swaps 2>/dev/null); echo "== cgroup"; stat -fc %T /sys/fs/cgroup/ 2>&1; ' +
    'echo "== kubeletflags"; cat /var/lib/kubelet/kubeadm-flags.env /etc/default/kubelet /etc/sysconfig/kubelet 2>/dev/null; ' +
    'echo "== kubeletconfig"; grep -E "^(failSwapOn|memorySwap):|^ +swapBehavior:" /var/lib/kubelet/config.yaml 2>/dev/null; true',
);

export interface NodeFacts {
  /** Active swap devices/files, one line each as printed. */
  readonly swap: readonly string[];
  readonly cgroup: 'v1' | 'v2' | 'unknown';
  readonly cgroupFs: string;
  /** `--fail-swap-on=…` from the kubelet's flags files, when set there (flags override the config file). */
  readonly failSwapOnFlag?: boolean;
  /** failSwapOn / memorySwap.swapBehavior in the node's /var/lib/kubelet/config.yaml, when set. */
  readonly nodeConfig: { readonly failSwapOn?: boolean; readonly swapBehavior?: string };
}

export function parseNodeFacts(output: string): NodeFacts {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of output.replace(/\r/g, '').split('\n')) {
    const header = /^== (\w+)$/.exec(line.trim());
    if (header) sections.set(header[1]!, (current = []));
    else if (current && line.trim()) current.push(line.trim());
  }
  const section = (name: string) => sections.get(name) ?? [];
  const fs = section('cgroup')[0] ?? '';
  const flag = [...section('kubeletflags').join(' ').matchAll(/--fail-swap-on(?:=(\w+))?/g)].pop();
  const config = kubeletSwapConfig(section('kubeletconfig').join('\n'));
  return {
    swap: section('swap'),
    cgroup: fs === 'cgroup2fs' ? 'v2' : fs === 'tmpfs' || fs === 'cgroupfs' ? 'v1' : 'unknown',
    cgroupFs: fs,
    ...(flag ? { failSwapOnFlag: flag[1] === undefined || flag[1] === 'true' } : {}),
    nodeConfig: config,
  };
}

/** failSwapOn and memorySwap.swapBehavior from KubeletConfiguration YAML (the kubelet-config ConfigMap or the node's file). */
export function kubeletSwapConfig(yaml: string): { failSwapOn?: boolean; swapBehavior?: string } {
  const fail = /^failSwapOn:\s*(true|false)\s*$/m.exec(yaml)?.[1];
  const behavior = /^\s*swapBehavior:\s*"?(\w*)"?\s*$/m.exec(yaml)?.[1];
  return { ...(fail ? { failSwapOn: fail === 'true' } : {}), ...(behavior ? { swapBehavior: behavior } : {}) };
}
