import type { ClusterEvent } from '../core/clusterUpgrade/events';
import { msg as drainMessages } from '../core/drain/messages';

interface Running {
  readonly startedAt: number;
  step?: { index: number; total: number; title: string; at: number };
  readonly evicting: Set<string>;
  readonly evicted: Set<string>;
}

const EVICTING = new RegExp(`^${drainMessages.evicting('(\\S+)', '(\\S+)').replace(/[.]/g, '\\.')}$`);
const EVICTED = new RegExp(`^${drainMessages.evicted('(\\S+)').replace(/[.]/g, '\\.')}$`);

function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * The live line a terminal shows under the run's log: for every node running now, its step (i/n and title), how long
 * that step has run, and during a drain the pods evicted of those being evicted. Pure: fed the run's events and a clock.
 */
export class ProgressLine {
  private readonly running = new Map<string, Running>();

  constructor(private readonly now: () => number = Date.now) {}

  event(e: ClusterEvent): void {
    if (e.event === 'node-start') this.running.set(e.node, { startedAt: this.now(), evicting: new Set(), evicted: new Set() });
    else if (e.event === 'node-done' || e.event === 'node-failed') this.running.delete(e.node);
    else if (e.event === 'done') this.running.clear();
    else if (e.event === 'step') {
      const r = this.running.get(e.node);
      if (r) r.step = { index: e.index, total: e.total, title: e.title, at: this.now() };
    } else if (e.event === 'message' && e.node) {
      const r = this.running.get(e.node);
      const evicting = EVICTING.exec(e.text);
      const evicted = EVICTED.exec(e.text);
      if (r && evicting) r.evicting.add(`${evicting[1]}/${evicting[2]}`);
      if (r && evicted) r.evicted.add(evicted[1]!);
    }
  }

  /** Empty when no node runs. */
  render(width = 200): string {
    const parts = [...this.running].map(([node, r]) => {
      if (!r.step) return `${node} starting (${elapsed(this.now() - r.startedAt)})`;
      const drain = r.evicting.size > 0 ? `, evicted ${Math.min(r.evicted.size, r.evicting.size)}/${r.evicting.size}` : '';
      return `${node} ${r.step.index}/${r.step.total} ${r.step.title} (${elapsed(this.now() - r.step.at)}${drain})`;
    });
    const line = parts.join(' · ');
    return line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line;
  }
}

/** Where the live line is drawn: a terminal (stderr when it is a TTY). */
export interface LiveTerminal {
  write(s: string): unknown;
  readonly columns?: number;
}

/**
 * Wraps the plain event printer for a terminal: before each log line the live line is cleared, after it the line is
 * drawn again (and every second, so the elapsed time moves), replaced in place; gone when the run ends.
 */
export function withProgressLine(print: (e: ClusterEvent) => void, tty: LiveTerminal, now: () => number = Date.now): (e: ClusterEvent) => void {
  const line = new ProgressLine(now);
  let shown = false;
  const draw = () => {
    const text = line.render((tty.columns ?? 120) - 1);
    tty.write(`\r\x1b[K${text}`);
    shown = text !== '';
  };
  const timer = setInterval(() => shown && draw(), 1000);
  timer.unref?.();
  return (e) => {
    if (shown) tty.write('\r\x1b[K');
    shown = false;
    print(e);
    line.event(e);
    if (e.event === 'done') clearInterval(timer);
    else draw();
  };
}
