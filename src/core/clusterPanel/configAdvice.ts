import type { ConfigVersion } from '../plan';
import type { ConfigRow } from './model';

// The ConfigMap kubeadm keeps each component config in (kube-system namespace).
const CONFIG_MAPS: Record<string, string> = {
  'kubeproxy.config.k8s.io': 'kube-proxy (key config.conf)',
  'kubelet.config.k8s.io': 'kubelet-config (key kubelet)',
};

/**
 * What to do about one row of kubeadm's component-config table. kubeadm: configs marked "yes" "require manual config
 * upgrade or resetting to kubeadm defaults before a successful upgrade can be performed. The version to manually
 * upgrade to is denoted in the PREFERRED VERSION column."
 */
export function configRow(c: ConfigVersion): ConfigRow {
  return { ...c, advice: configAdvice(c) };
}

export function configAdvice(c: ConfigVersion): string {
  const where = CONFIG_MAPS[c.group];
  const cm = where ? `the ${where} ConfigMap in kube-system` : `the ${c.group} config kubeadm stores in kube-system`;
  if (c.manualUpgradeRequired) {
    return (
      `Before kubeadm upgrade apply: rewrite ${cm} to apiVersion ${c.group}/${c.preferred} ` +
      `(convert every field by hand), or remove your changes to reset it to kubeadm's defaults. kubeadm refuses to upgrade until then.`
    );
  }
  if (c.current === '-') return `No ${c.group} config was found: kubeadm writes its defaults (${c.preferred}).`;
  return '';
}
