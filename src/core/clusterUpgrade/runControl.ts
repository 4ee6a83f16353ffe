// The user's hand on a running cluster upgrade: pause between nodes, continue, or cancel at the next safe point.
/** Pause finishes the current nodes and waits; cancel stops at the next safe point. */
export class RunControl {
  readonly abort = new AbortController();
  private pausedFlag = false;
  private waiters: (() => void)[] = [];

  get paused(): boolean {
    return this.pausedFlag;
  }
  get cancelled(): boolean {
    return this.abort.signal.aborted;
  }
  pause(): void {
    this.pausedFlag = true;
  }
  continue(): void {
    this.pausedFlag = false;
    this.wake();
  }
  cancel(): void {
    this.abort.abort();
    this.wake();
  }
  /** Resolves when continued or cancelled. */
  waitWhilePaused(): Promise<void> {
    if (!this.pausedFlag || this.cancelled) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }
  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
