// What a kubeadm upgrade apply|node did: success (both spellings), target version, backup folders (manifests, etcd,
// kubelet config, and 1.35+'s kubelet env file `kubeadm-kubelet-env<random>`), components upgraded or skipped, addons
// deferred until the other control planes are upgraded (both spellings).
import type { Acc, Recogniser } from './acc';

const COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];

const dirOf = (file: string): string => file.replace(/\/[^/]*$/, '');

export const RESULT: readonly Recogniser[] = [
  function success(e, acc) {
    // ≤1.33: `[upgrade/successful] SUCCESS! Your cluster was upgraded to "vX". Enjoy!`; 1.34+: `[upgrade] SUCCESS! A control plane node of your cluster was upgraded to "vX".`
    const m = /SUCCESS! (?:Your cluster|A control plane node of your cluster) was upgraded to "(v?[^"]+)"/.exec(e.text);
    if (!m) return false;
    acc.target = m[1]!.startsWith('v') ? m[1]! : `v${m[1]}`;
    acc.done = true;
    acc.mark('apply');
    return true;
  },
  function nodeDone(e, acc) {
    if (!/The (?:configuration|kubelet configuration) for this node was successfully (?:updated|upgraded)!/.test(e.text)) return false;
    if (!acc.markers.has('apply')) acc.done = true;
    return true;
  },
  function target(e, acc) {
    const m =
      /You have chosen to (?:change|upgrade) (?:the cluster version )?to (?:version )?"(v[^"]+)"/.exec(e.text) ??
      /Upgrading your [Ss]tatic Pod-hosted control plane (instance )?to version "(v[^"]+)"/.exec(e.text);
    if (!m) return false;
    acc.target = m[2] ?? m[1]!;
    acc.mark(m[1] === 'instance ' ? 'node' : 'apply');
    return true;
  },
  function manifestBackup(e, acc) {
    const m = /(?:backing up (?:its|old) manifest to|backed up old manifest to) "([^"]+)"/i.exec(e.text);
    if (!m) return false;
    acc.backup(dirOf(m[1]!));
    // The component kubeadm now waits for (`Moved new manifest to "/etc/kubernetes/manifests/kube-apiserver.yaml"`).
    const moved = /Mov(?:ed|ing) (?:new|upgraded) manifest to "[^"]*\/([\w-]+)\.yaml"/.exec(e.text)?.[1];
    if (moved && COMPONENTS.includes(moved)) acc.waitingFor = moved;
    return true;
  },
  function kubeletFileBackup(e, acc, msg) {
    // `[upgrade] Backing up kubelet config|env file to <dir>/<file>`, and the klog line before it that names the folder:
    // `Using temporary directory /etc/kubernetes/tmp/kubeadm-kubelet-env3966514992 for kubelet env file.` (postupgrade.go)
    const m = /Backing up kubelet (?:config|env) file to (\S+)/.exec(e.text);
    const dir = /Using temporary directory (\S+) for kubelet (?:config|env file)\b/.exec(msg)?.[1];
    if (!m && !dir) return false;
    acc.backup(m ? dirOf(m[1]!) : dir!);
    // The klog line stays visible as the warning kubeadm logged it as.
    return m !== null;
  },
  function upgraded(e, acc) {
    const m = /Component "([^"]+)" upgraded successfully!/.exec(e.text) ?? /\[addons?\] Applied essential addon: (\S+)/.exec(e.text);
    if (!m) return false;
    if (!acc.upgraded.includes(m[1]!)) acc.upgraded.push(m[1]!);
    return true;
  },
  function unchanged(e, acc) {
    const m = /Current and new manifests of (\S+) are equal, skipping upgrade/.exec(e.text);
    if (!m) return false;
    acc.skip(m[1]!, 'the new manifest equals the current one');
    return true;
  },
  function etcdSkipped(e, acc) {
    // `[upgrade/etcd] Non fatal issue encountered during upgrade: the desired etcd version "3.5.15-0" is older than the currently installed "3.5.16-0". Skipping etcd upgrade`
    const m = /Non fatal issue encountered during upgrade: (.*?)\.?\s*Skipping etcd upgrade/.exec(e.text);
    if (!m) return false;
    acc.skip('etcd', m[1]!);
    return true;
  },
  function addonsDeferred(e, acc) {
    // 1.28–1.33: `[upgrade/addons] skip upgrade addons because control plane instances [a b] have not been upgraded`
    // 1.33+:     `[upgrade/addon] Skipping upgrade of addons because control plane instances [a] have not been upgraded`
    const m = /(?:skip upgrade addons|Skipping upgrade of addons) because control plane instances \[([^\]]*)\] have not been upgraded/i.exec(e.text);
    if (!m) return false;
    const nodes = m[1]!.split(/\s+/).filter(Boolean);
    for (const n of nodes) if (!acc.addons.includes(n)) acc.addons.push(n);
    const reason = `waits until ${acc.addons.join(', ')} ${acc.addons.length === 1 ? 'is' : 'are'} upgraded`;
    for (const c of ['CoreDNS', 'kube-proxy']) {
      const s = acc.skipped.find((x) => x.component === c);
      if (s) acc.skipped.splice(acc.skipped.indexOf(s), 1);
      acc.skip(c, reason);
    }
    acc.add('addons-deferred', { items: nodes }, e.text, 'warning');
    return true;
  },
  function staticPodHash(e, acc) {
    // Older kubeadm polls visibly: `Static pod: kube-apiserver-master hash: a273...`
    const m = /^Static pod: (\S+) hash: \S+$/.exec(e.text);
    if (!m) return false;
    const component = COMPONENTS.find((c) => m[1]!.startsWith(`${c}-`));
    if (component) acc.lastStaticPod = { component, node: m[1]!.slice(component.length + 1) };
    return true;
  },
];

/** Which kubeadm command printed the line; marks only, never consumes the line. */
export function markKubeadm(text: string, acc: Acc): void {
  if (/Skipping prepull\. Not a control plane node|Skipping phase\. Not a control plane node|Skipping the addon\/\S+ phase|The configuration for this node was successfully updated/.test(text)) acc.mark('node');
  if (/Are you sure you want to proceed|^\[upgrade\/apply\]|You have chosen to (?:change|upgrade) (?:the cluster version )?to/.test(text)) acc.mark('apply');
  if (/\[upgrade\/versions\] (?:Target version|Latest (?:stable )?version)|Fetching available versions|You can now apply the upgrade|Components that must be upgraded manually/.test(text)) acc.mark('plan');
}
