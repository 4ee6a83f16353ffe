import type { RawClusterObjects } from './raw';

/** Why a cluster could not be read, in the terms a cluster admin acts on. */
export type AccessErrorKind = 'unreachable' | 'tls' | 'unauthorized' | 'forbidden' | 'timeout' | 'config' | 'other';

export interface AccessError {
  readonly kind: AccessErrorKind;
  /** One line for the tree or stderr, e.g. "Unauthorized (401): the credentials for context prod have expired". */
  readonly message: string;
  /** The server's or the library's own words, kept verbatim. */
  readonly detail: string;
}

export class ClusterAccessError extends Error {
  constructor(readonly access: AccessError) {
    super(access.message);
    this.name = 'ClusterAccessError';
  }
}

export interface Unsubscribe {
  (): void;
}

/** One kubeconfig context, as the adapters see it. Implemented over the API by src/adapters/k8s. */
export interface ClusterSource {
  readonly contextName: string;
  readonly server: string | undefined;
  /**
   * Which cluster this context reaches, known without asking the API (src/core/identity `endpointKey`: server URL +
   * CA fingerprint). Every kubeadm admin.conf names its context `kubernetes-admin@kubernetes`, so cached results are
   * keyed by this, never by the name. Absent: the context name is all there is (a source made by a test).
   */
  readonly key?: string;
  /** The fixed set of reads a snapshot needs; throws ClusterAccessError when the cluster cannot be read. */
  fetch(): Promise<FetchResult>;
  /** Calls `onChange` (debounced) when nodes or kube-system objects change; returns how to stop watching. */
  watch(onChange: () => void, onError: (e: AccessError) => void): Unsubscribe;
}

export interface FetchResult {
  readonly objects: RawClusterObjects;
  /** Reads that failed without making the snapshot useless (e.g. 403 on the kubeadm-config ConfigMap). */
  readonly warnings: readonly string[];
}
