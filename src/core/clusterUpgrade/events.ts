/**
 * What the cluster run reports as it goes: one JSON line each with `--json`, a row update in the progress view.
 * `event` names the CLI contract: node-start | step | node-done | node-failed | batch | verify | done, plus
 * gate/message/output for the humans watching.
 */
export type ClusterEvent =
  | { readonly event: 'node-start'; readonly node: string; readonly role: string; readonly batch?: number }
  | { readonly event: 'step'; readonly node: string; readonly index: number; readonly total: number; readonly step: string; readonly title: string }
  | { readonly event: 'output'; readonly node: string; readonly text: string }
  | { readonly event: 'message'; readonly node?: string; readonly text: string }
  | { readonly event: 'node-done'; readonly node: string }
  | { readonly event: 'node-failed'; readonly node: string; readonly error: string }
  | { readonly event: 'batch'; readonly batch: number; readonly nodes: readonly string[]; readonly impact: string }
  | { readonly event: 'gate'; readonly node: string; readonly ok: boolean; readonly problems: readonly string[] }
  | { readonly event: 'snapshot'; readonly node: string; readonly path?: string; readonly sha256?: string; readonly skipped?: boolean; readonly external?: string }
  | { readonly event: 'verify'; readonly passed: boolean; readonly failed: readonly string[] }
  | { readonly event: 'done'; readonly status: string; readonly error?: string };
