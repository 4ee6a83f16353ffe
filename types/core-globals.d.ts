// The only host globals src/core may use, checked by tsconfig.core.json (no DOM, no Node types). Both Node and the
// browser provide them with these shapes; anything else (Buffer, process, fetch, document) is an error in core.

interface AbortSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

declare class AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}

type TimerHandle = { readonly __timer: unique symbol } | number;
declare function setTimeout(handler: () => void, ms?: number): TimerHandle;
declare function clearTimeout(handle: TimerHandle | undefined): void;
