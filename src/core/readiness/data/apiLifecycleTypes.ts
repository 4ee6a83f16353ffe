/** One built-in group/version/kind that is deprecated and removed in a Kubernetes minor ("1.25"). */
export interface ApiLifecycle {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The minor that deprecates this group/version (undefined: never deprecated before removal). */
  readonly deprecated?: string;
  /** The minor whose apiserver no longer serves it. */
  readonly removed: string;
  /** `group/version Kind` to use instead, when there is one. */
  readonly replacement?: string;
  /** The k8s.io/api module version the row was read from. */
  readonly from: string;
}
