// Shared by the cluster-upgrade integration tests: run the CLI commands in-process against a sandbox, and a real
// watch of the Nodes that records every moment's set of cordoned nodes.
import * as fs from 'node:fs';
import { Watch, type KubeConfig, type V1Node } from '@kubernetes/client-node';
import { main } from '../../../src/cli';
import type { SshPrompts } from '../../../src/core/ssh/prompts';
import { SANDBOX_TARGET } from '../sandbox';

export const TARGET = SANDBOX_TARGET;

/** The sandbox's password node answers sudo with "sandbox"; host keys come from the sandbox's ssh_config. */
export const sandboxPrompts: SshPrompts = { confirmUnknownHost: async () => false, askPassphrase: async () => undefined, askSudoPassword: async () => 'sandbox' };

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function cli(...args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

export async function withCapture(fn: (out: (s: string) => void, err: (s: string) => void) => Promise<number>): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await fn((s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/**
 * Watches Nodes (a real watch, restarted when the apiserver restarts under it) and keeps, for every change, which
 * nodes are cordoned: the most control planes and workers cordoned at the same moment.
 */
export class CordonWatch {
  private readonly cordoned = new Set<string>();
  private stopped = false;
  private abort: AbortController | undefined;
  maxControlPlanes = 0;
  maxWorkers = 0;
  readonly history: { at: number; cordoned: string[] }[] = [];

  constructor(
    private readonly kc: KubeConfig,
    private readonly isControlPlane: (node: string) => boolean,
  ) {}

  async start(): Promise<void> {
    const watch = new Watch(this.kc);
    const loop = async () => {
      while (!this.stopped) {
        await new Promise<void>((resolve) => {
          watch
            .watch('/api/v1/nodes', {}, (type, obj: V1Node) => this.seen(type, obj), () => resolve())
            .then((c) => (this.abort = c))
            .catch(() => resolve());
        });
        if (!this.stopped) await new Promise((r) => setTimeout(r, 300));
      }
    };
    void loop();
  }

  private seen(type: string, n: V1Node): void {
    const name = n.metadata?.name ?? '';
    const was = this.cordoned.has(name);
    const is = type !== 'DELETED' && n.spec?.unschedulable === true;
    if (is === was) return;
    if (is) this.cordoned.add(name);
    else this.cordoned.delete(name);
    const list = [...this.cordoned].sort();
    this.history.push({ at: Date.now(), cordoned: list });
    this.maxControlPlanes = Math.max(this.maxControlPlanes, list.filter((x) => this.isControlPlane(x)).length);
    this.maxWorkers = Math.max(this.maxWorkers, list.filter((x) => !this.isControlPlane(x)).length);
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
  }
}

/** Per node, the first start and the last end of the commands the audit log recorded for the run. */
export function auditSpans(file: string, run: (e: { run: string; phase: string }) => boolean): Map<string, { start: number; end: number }> {
  const spans = new Map<string, { start: number; end: number }>();
  for (const line of fs.readFileSync(file, 'utf8').trim().split('\n')) {
    const e = JSON.parse(line) as { run: string; node: string; phase: string; time: string; durationMs: number; where: string };
    if (!run(e) || e.node === '-' ) continue;
    const start = Date.parse(e.time);
    const end = start + e.durationMs;
    const s = spans.get(e.node);
    spans.set(e.node, s ? { start: Math.min(s.start, start), end: Math.max(s.end, end) } : { start, end });
  }
  return spans;
}
