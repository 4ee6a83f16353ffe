/** One choice of a quick pick: what it shows, and the value the command gets when it is picked. */
export interface PickItem<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: T;
}

export interface PickOptions {
  readonly title: string;
  readonly placeHolder?: string;
  readonly matchOnDescription?: boolean;
}

/**
 * What the command wrapper and the target pickers show the user: `vscode.window` in the extension
 * (commands/register.ts), a recorder in the unit tests, so both can be tested without VS Code.
 */
export interface CommandUi {
  error(message: string): void;
  warning(message: string): void;
  info(message: string): void;
  /** undefined when the user dismissed the pick. */
  pick<T>(items: readonly PickItem<T>[], options: PickOptions): Promise<T | undefined>;
}
