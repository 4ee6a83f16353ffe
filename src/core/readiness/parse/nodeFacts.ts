import { raw, type ShellCommand } from '../../exec/shell';

/**
 * Swap and cgroup facts from a node, in one read-only command. Swap: `swapon --show` (util-linux) or /proc/swaps;
 * cgroup: the filesystem type mounted on /sys/fs/cgroup (`cgroup2fs` is v2; `tmpfs` holds the v1 hierarchies).
 */
export const NODE_FACTS_COMMAND: ShellCommand = raw(
  'echo "== swap"; (swapon --show=NAME,TYPE,SIZE --noheadings --bytes 2>/dev/null || tail -n +2 /proc/swaps 2>/dev/null); echo "== cgroup"; stat -fc %T /sys/fs/cgroup/ 2>&1',
);

export interface NodeFacts {
  /** Active swap devices/files, one line each as printed. */
  readonly swap: readonly string[];
  readonly cgroup: 'v1' | 'v2' | 'unknown';
  readonly cgroupFs: string;
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
  return { swap: section('swap'), cgroup: fs === 'cgroup2fs' ? 'v2' : fs === 'tmpfs' || fs === 'cgroupfs' ? 'v1' : 'unknown', cgroupFs: fs };
}
