/** A timeout that stops counting while the user is being asked something (host key, passphrase, sudo password). */
export class PausableTimer {
  private handle: NodeJS.Timeout | undefined;
  private remaining: number;
  private startedAt = 0;
  private paused = 0;
  private done = false;

  constructor(
    ms: number,
    private readonly onFire: () => void,
  ) {
    this.remaining = ms;
    if (ms > 0) this.start();
    else this.done = true;
  }

  private start() {
    this.startedAt = Date.now();
    this.handle = setTimeout(() => {
      this.done = true;
      this.onFire();
    }, this.remaining);
  }

  pause(): void {
    if (this.done || this.paused++ > 0) return;
    clearTimeout(this.handle);
    this.remaining -= Date.now() - this.startedAt;
  }

  resume(): void {
    if (this.done || --this.paused > 0) return;
    this.start();
  }

  clear(): void {
    this.done = true;
    clearTimeout(this.handle);
  }

  /** Runs `f` with the timer paused. */
  async while<T>(f: () => Promise<T>): Promise<T> {
    this.pause();
    try {
      return await f();
    } finally {
      this.resume();
    }
  }
}
