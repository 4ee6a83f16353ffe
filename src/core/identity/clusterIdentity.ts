/**
 * What a cluster is, as opposed to what a kubeconfig calls it. Every kubeadm admin.conf names its context
 * `kubernetes-admin@kubernetes`, so a context name says nothing about which cluster it reaches: a run, a cached result
 * or a view keyed by it can be another cluster's. A cluster is identified by
 *  - the `kube-system` namespace's UID: made once, when the cluster's etcd was first populated, never reused — the
 *    cluster itself, whichever address or kubeconfig reaches it;
 *  - the API server URL and the SHA-256 fingerprint of the CA the kubeconfig trusts for it: how it was reached (also
 *    known without asking the API, see `endpointKey`).
 */
export interface ClusterIdentity {
  /** The API server URL as the kubeconfig gives it (`https://10.0.0.1:6443`). */
  readonly server: string;
  /** SHA-256 of the trusted CA certificate (DER), lowercase hex; '' when the kubeconfig names no CA (system roots, insecure). */
  readonly caFingerprint: string;
  /** `metadata.uid` of the `kube-system` Namespace. */
  readonly namespaceUid: string;
}

/** The key that names one cluster, whatever context or address reaches it: for run lookups and cached results. */
export function identityKey(id: ClusterIdentity): string {
  return `kube-system-uid:${id.namespaceUid}`;
}

/**
 * A key known before the API answers: the server URL and the CA. Two clusters behind the same URL (a rebuilt cluster,
 * a VIP moved to another one) share it when they share a CA too, so use it only to key what must be shown at once,
 * and mark it stale when `identityKey` turns out different.
 */
export function endpointKey(server: string, caFingerprint: string): string {
  return `${server.replace(/\/+$/, '')}#${caFingerprint}`;
}

/**
 * Whether something recorded with a cluster's identity (a run) is shown under a context whose cluster key
 * (`ClusterState.key`, an `endpointKey`) is `clusterKey`: no when they differ; yes when either is unknown (a run saved
 * before identities, a context not loaded), where nothing shows it is another cluster's.
 */
export function shownUnder(identity: ClusterIdentity | undefined, clusterKey: string | undefined): boolean {
  return !identity || clusterKey === undefined || endpointKey(identity.server, identity.caFingerprint) === clusterKey;
}

/** `https://10.0.0.1:6443 (CA sha256 3f2a…)` from an `endpointKey`, for a sentence. */
export function describeEndpointKey(key: string): string {
  const i = key.lastIndexOf('#');
  if (!key.startsWith('http') || i < 0) return key.replace(/^context:[^@]*@/, '') || 'an unknown server';
  const ca = key.slice(i + 1);
  return `${key.slice(0, i)} (${ca ? `CA sha256 ${ca.slice(0, 12)}…` : 'no CA in the kubeconfig'})`;
}

export function sameCluster(a: ClusterIdentity, b: ClusterIdentity): boolean {
  return a.namespaceUid === b.namespaceUid;
}

/** `https://127.0.0.1:6443 (CA sha256 3f2a…9c01, kube-system uid 0b1c…)`: enough to tell two clusters apart. */
export function describeIdentity(id: ClusterIdentity): string {
  const ca = id.caFingerprint ? `CA sha256 ${id.caFingerprint.slice(0, 12)}…` : 'no CA in the kubeconfig';
  return `${id.server} (${ca}, kube-system uid ${id.namespaceUid})`;
}

export function isClusterIdentity(x: unknown): x is ClusterIdentity {
  const r = x as Partial<ClusterIdentity> | null;
  return typeof r === 'object' && r !== null && typeof r.server === 'string' && typeof r.caFingerprint === 'string' && typeof r.namespaceUid === 'string' && r.namespaceUid !== '';
}

/**
 * Whether a run may go on against the cluster reached now, and the identity it is to carry.
 *  - the run names its cluster: it must be the one reached, else refused, naming both;
 *  - a run not started yet (nothing done) that names none: it belongs to the cluster reached, which it records now;
 *  - a started run that names none (saved by a version before identities): it cannot be shown to be this cluster's,
 *    so it is refused with what to do instead.
 * `what` names the run for the message ("the cluster run cluster-2026…", "the upgrade run of cp-1 …").
 */
export function claimRun(
  recorded: ClusterIdentity | undefined,
  reached: ClusterIdentity,
  opts: { readonly started: boolean; readonly what: string; readonly context: string },
): { readonly identity: ClusterIdentity } | { readonly refused: string } {
  if (recorded) {
    if (sameCluster(recorded, reached)) return { identity: recorded };
    return { refused: mismatchMessage(recorded, reached, opts.what, opts.context) };
  }
  if (!opts.started) return { identity: reached };
  return {
    refused:
      `${opts.what} was saved by an older version without its cluster's identity, so it cannot be shown to belong to the cluster ` +
      `that the context ${opts.context} reaches now, ${describeIdentity(reached)}: every kubeadm kubeconfig names its context ` +
      `kubernetes-admin@kubernetes, so the name proves nothing. Nothing was changed. Check the nodes by hand and start a new run ` +
      `(nodes already at the target are reported as such), or delete the old run's file.`,
  };
}

/** "…was made for cluster A; the context X reaches cluster B: a different cluster. Nothing was changed." */
export function mismatchMessage(recorded: ClusterIdentity, reached: ClusterIdentity, what: string, context: string): string {
  return (
    `${what} belongs to the cluster ${describeIdentity(recorded)}, but the context ${context} reaches ${describeIdentity(reached)}: ` +
    `a different cluster (its kube-system namespace is another one), even if the context names are the same. Nothing was changed on it.`
  );
}

/** A step's check: why the cluster reached right now is not the run's one, or undefined when it is (or cannot be read). */
export function stepIdentityProblem(recorded: ClusterIdentity | undefined, reached: ClusterIdentity | undefined, what: string, context: string): string | undefined {
  if (!recorded || !reached || sameCluster(recorded, reached)) return undefined;
  return `Stopped before the next step: ${mismatchMessage(recorded, reached, what, context)}`;
}
