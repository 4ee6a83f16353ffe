/**
 * Network (CNI) add-ons: which Kubernetes minors each add-on release is documented (tested) for, one row per add-on
 * minor with its source. Only rows with a published statement are here; an add-on or release without one is reported
 * "not checked", never guessed. Read 2026-12-07.
 */
export interface AddonRow {
  /** The add-on's minor, `3.29`. */
  readonly release: string;
  /** Kubernetes minors documented for it, oldest to newest. */
  readonly kubernetes: readonly string[];
  readonly source: string;
}

export interface AddonTable {
  readonly name: string;
  readonly kind: 'CNI' | 'CSI';
  /** DaemonSet/Deployment names (CNI) or CSIDriver names (CSI). */
  readonly workload: RegExp;
  /** The container image whose tag is the add-on's version. */
  readonly image: RegExp;
  readonly rows: readonly AddonRow[];
  /** Where the add-on says how to upgrade it. */
  readonly upgradeDocs: string;
}

const calicoReq = (v: string) => `https://docs.tigera.io/calico/${v}/getting-started/kubernetes/requirements#kubernetes-requirements`;

export const ADDON_TABLES: readonly AddonTable[] = [
  {
    name: 'calico',
    kind: 'CNI',
    workload: /^(calico-node|canal)$/,
    image: /(^|\/)calico\/node:/,
    upgradeDocs: 'https://docs.tigera.io/calico/latest/operations/upgrading/kubernetes-upgrade',
    rows: [
      // Quoted from the 3.29 requirements page in projectcalico discussion #11717 ("tested against Kubernetes v1.29–v1.32").
      { release: '3.29', kubernetes: ['1.29', '1.30', '1.31', '1.32'], source: `${calicoReq('3.29')} (as quoted in https://github.com/orgs/projectcalico/discussions/11717)` },
      { release: '3.31', kubernetes: ['1.32', '1.33', '1.34', '1.35'], source: `${calicoReq('3.31')} (1.35 added per https://github.com/orgs/projectcalico/discussions/11717)` },
      // 3.32 and 3.33: the versioned pages as summarised in https://github.com/Rusty-Gopher/kupre/releases/tag/v0.5.0.
      { release: '3.32', kubernetes: ['1.34', '1.35', '1.36'], source: calicoReq('3.32') },
      { release: '3.33', kubernetes: ['1.35', '1.36', '1.37'], source: calicoReq('3.33') },
    ],
  },
  {
    name: 'cilium',
    kind: 'CNI',
    workload: /^cilium$/,
    image: /(^|\/)cilium\/cilium:/,
    upgradeDocs: 'https://docs.cilium.io/en/stable/operations/upgrade/',
    rows: [
      { release: '1.15', kubernetes: ['1.26', '1.27', '1.28', '1.29'], source: 'https://docs.cilium.io/en/v1.15/network/kubernetes/compatibility/' },
      { release: '1.19', kubernetes: ['1.32', '1.33', '1.34', '1.35'], source: 'https://docs.cilium.io/en/v1.19/network/kubernetes/compatibility/ (Documentation/network/kubernetes/compatibility.rst at 1.19.3)' },
    ],
  },
];

/** Network add-ons recognised by name but without a published compatibility table here: reported "not checked". */
export const UNTABLED_CNI = /^(kube-flannel-ds|kube-flannel|flannel|weave-net|antrea-agent|kube-router|kube-ovn-cni|ovnkube-node)$/;

export interface AddonVerdict {
  readonly state: 'supported' | 'unsupported' | 'unknown';
  readonly why: string;
  readonly source?: string;
}

const minorNum = (s: string) => {
  const m = /^(\d+)\.(\d+)/.exec(s);
  return m ? Number(m[1]) * 1000 + Number(m[2]) : NaN;
};

/** The image tag's `vX.Y[.Z]` as `X.Y`, undefined for a digest-only or non-version tag. */
export function addonMinor(image: string): string | undefined {
  const tag = /:([^:/@]+)(@.*)?$/.exec(image)?.[1];
  return /^v?(\d+\.\d+)/.exec(tag ?? '')?.[1];
}

/**
 * An add-on release against the target minor. A release older than every row is judged by the oldest row (releases
 * only move their window forward: an older release supports no newer Kubernetes than the oldest documented one).
 */
export function addonVerdict(table: AddonTable, release: string, targetMinor: string): AddonVerdict {
  const row = table.rows.find((r) => r.release === release);
  const t = minorNum(targetMinor);
  if (row) {
    return row.kubernetes.includes(targetMinor)
      ? { state: 'supported', why: `${table.name} ${release} is documented for Kubernetes ${row.kubernetes.join(', ')}`, source: row.source }
      : { state: 'unsupported', why: `${table.name} ${release} is documented for Kubernetes ${row.kubernetes.join(', ')}, not ${targetMinor}`, source: row.source };
  }
  const oldest = table.rows[0];
  if (oldest && minorNum(release) < minorNum(oldest.release)) {
    const newestK8s = oldest.kubernetes[oldest.kubernetes.length - 1]!;
    if (t > minorNum(newestK8s)) return { state: 'unsupported', why: `${table.name} ${release} is older than ${table.name} ${oldest.release}, which is documented only up to Kubernetes ${newestK8s}`, source: oldest.source };
  }
  return { state: 'unknown', why: `no row for ${table.name} ${release} in the table` };
}
