/** One line of the audit log: a command run on a node or against the API, or a decision (an override, an answer). */
export interface AuditEntry {
  readonly time: string;
  readonly run: string;
  readonly cluster: string;
  readonly node: string;
  readonly phase: string;
  /** The command as run (never contains a password: sudo passwords go to stdin, not the command line). */
  readonly command: string;
  readonly where: string;
  readonly exitCode: number | null;
  readonly durationMs: number;
  readonly failure?: string;
  /**
   * Actions are written twice with the same id: when they start (`stage: 'start'`, exitCode null, durationMs 0) and
   * when they end (`stage: 'end'`). A start without its end means the process died mid-action (a crash, a kill, a
   * lost laptop): the trace stays. Lines that record a decision (an override, an answer) have neither.
   */
  readonly id?: string;
  readonly stage?: 'start' | 'end';
}
