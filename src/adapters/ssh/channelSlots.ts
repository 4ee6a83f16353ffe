// How many commands share one SSH connection at once (sshd's MaxSessions), and the queue for the others.

/** Channels open at once on one connection: below OpenSSH's MaxSessions default (10), with room for a shell. */
export const MAX_CHANNELS = 8;

/** A counting semaphore: at most `limit` holders, the others wait in order. */
export class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async acquire(): Promise<void> {
    if (this.used < this.limit) {
      this.used++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next(); // the slot passes straight to the next waiter
    else this.used--;
  }
}

