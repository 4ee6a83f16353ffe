// Lines that carry nothing to explain: kubeadm's progress lines (`[tag] ...`), its closing hints, prompts, the `...`
// an author put for omitted output, and version printouts. Anything else nobody recognised is reported as unknown.
import type { Recogniser } from './acc';
import { PACKAGE_NOISE } from './packages';
import { RETRY_BANNER } from './retry';

const KUBEADM_NOISE: readonly RegExp[] = [
  /^To see the stack trace of this error execute with --v=5 or higher/,
  /^Please fix the misalignments highlighted above and try upgrading again/,
  /^Can be bypassed if you pass the --force flag/,
  /^\.{3}$|^…$/,
  /^kubeadm version: &version\.Info\{/,
  /^(?:Client|Server|Kustomize) Version: /,
  // A Go stack trace (--v=5): `k8s.io/kubernetes/cmd/kubeadm/app/phases/upgrade.rollbackOldManifests`, `\tstaticpods.go:525`.
  /^(?:k8s\.io|sigs\.k8s\.io|github\.com|golang\.org|runtime|main)[\w./-]*\.[\w.()*[\]-]+$/,
  /^\S+\.(?:go|s):\d+(?: \+0x[0-9a-f]+)?$/,
  /^(?:goroutine \d+ \[|created by )/,
  // The system verification's report after `[preflight] The system verification failed. Printing the output from the
  // verification:` (k8s.io/system-validators report.go: `KEY: value` per item; the verdict is the SystemVerification line).
  /^(?:KERNEL_VERSION|OS|CONFIG_[A-Z0-9_]+|CGROUPS_[A-Z0-9_]+|DOCKER_[A-Z_]+): \S/,
];

export const KNOWN: readonly Recogniser[] = [
  function blankOrPrompt(e, acc) {
    if (e.command !== null) {
      if (e.command) acc.commands.push(e.command);
      if (e.host && !acc.node) acc.node = e.host;
      // The version typed: `kubeadm upgrade apply v1.28.3 -f …` (a later SUCCESS line or kubeadm's own words win).
      const typed = /\bkubeadm\s+upgrade\s+apply\b.*?\s(v?\d+\.\d+\.\d+\S*)/.exec(e.command)?.[1];
      if (typed && !acc.target) acc.target = typed.startsWith('v') ? typed : `v${typed}`;
      return true;
    }
    return e.text === '';
  },
  function kubeoneInfo(e) {
    // KubeOne saying what it does next (`INFO[…] Running kubeadm preflight checks...`); its errors stay visible.
    return /^(?:INFO|DEBU|WARN)\[[^\]]*\]/.test(e.text);
  },
  function retryBanner(e) {
    // An installer running the command again (`Retrying in 10s`, `Attempt 2 of 3`): explain.ts starts a new run on it.
    return RETRY_BANNER.test(e.text);
  },
  function progress(e) {
    return e.progress !== null;
  },
  function kubeadmNoise(e) {
    return KUBEADM_NOISE.some((p) => p.test(e.text));
  },
  function packageNoise(e, acc) {
    const hit = PACKAGE_NOISE.find(([p]) => p.test(e.text));
    if (!hit) return false;
    acc.mark(hit[1]);
    if (/ set on hold\.$|is already the newest version|^Setting up |^Complete!$/.test(e.text)) acc.done = true;
    return true;
  },
  function klog(e, acc, msg) {
    if (!e.klog) return false;
    // Info lines are data (kubeadm's verbose log); warnings and errors stay visible as warnings.
    // The runtime's "unknown method RuntimeConfig" is the cause of kubeadm's ContainerRuntimeVersion warning: one finding.
    if (e.klog.severity !== 'I' && /RuntimeConfig.*Unimplemented/.test(msg)) acc.add('preflight-runtime-config', { phase: 'preflight', check: 'ContainerRuntimeVersion' }, msg, 'warning');
    else if (e.klog.severity !== 'I') acc.add('klog-warning', {}, msg);
    return true;
  },
];
