import { raw, sh, type ShellCommand } from '../exec/shell';
import { compareVersions, formatVersion, parseVersion } from '../version';

/**
 * Whether this kubeadm's `upgrade plan -o json` is worth using. The flag exists since 1.25
 * (kubernetes/kubernetes#108447, output.kubeadm.k8s.io/v1alpha2), but that output was broken until 1.30
 * introduced v1alpha3 (kubernetes/kubernetes#123461); text is more complete before that.
 */
export function supportsJsonPlan(kubeadmVersion: string | null | undefined): boolean {
  const v = parseVersion(kubeadmVersion);
  return v !== undefined && compareVersions(v, { major: 1, minor: 30, patch: 0, prerelease: '', raw: 'v1.30.0' }) >= 0;
}

/** `kubeadm upgrade plan [vX.Y.Z] [-o json]`, run as root on a control-plane node. */
export function planCommand(target: string | null | undefined, json: boolean): ShellCommand {
  const t = parseVersion(target);
  const version = t ? formatVersion(t) : null;
  if (version && json) return sh`kubeadm upgrade plan ${version} -o json`;
  if (version) return sh`kubeadm upgrade plan ${version}`;
  return raw(json ? 'kubeadm upgrade plan -o json' : 'kubeadm upgrade plan');
}

export const KUBEADM_VERSION_COMMAND = raw('kubeadm version -o short');
export const HAS_ADMIN_CONF_COMMAND = raw('test -f /etc/kubernetes/admin.conf');

/** An old kubeadm that does not know `-o`: retry in text. */
export function rejectedOutputFlag(stderr: string): boolean {
  return /unknown (shorthand )?flag:? .*(-o|output)/i.test(stderr);
}
