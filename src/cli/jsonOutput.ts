// Every `--json` output of the CLI is a versioned object, like kubeadm's printers (`kubeadm upgrade plan -o json`
// prints `apiVersion: output.kubeadm.k8s.io/v1alpha3, kind: UpgradePlan`): scripts can check what they read.
export const CLI_API_VERSION = 'kubeadm-upgrade/v1';

export function versioned<T extends object>(kind: string, body: T): { apiVersion: string; kind: string } & T {
  return { apiVersion: CLI_API_VERSION, kind, ...body };
}

/** The kind of every NDJSON line of `upgrade-cluster --json` and `resume --json`; the line's `event` says which one. */
export const EVENT_KIND = 'UpgradeClusterEvent';

export function printJson(kind: string, body: object): string {
  return JSON.stringify(versioned(kind, body), null, 2);
}
