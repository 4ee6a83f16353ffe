// kubeadm's failures and warnings, most specific first: static Pod hash timeouts (with or without a component),
// version-policy refusals, x509 expiry, strict decoding and deprecated configuration, the HA apiserver version warning,
// the sandbox image warning, preflight items by check name, and generic FATAL / `error execution phase` lines.
import type { Recogniser } from './acc';
import type { FindingId } from './catalog';
import { preflightId } from './catalogPreflight';

const ROLLED_BACK = /tried to recover everything into the earlier state|rolled the state back to pre-upgrade state|[Ee]tcd was rolled back/;
const TIMEOUT = /timed out waiting for the condition|context deadline exceeded/;
const PREFLIGHT_ITEM = /^\[(ERROR|WARNING)\s+([^\]]+)\]:?\s*(.*)$/;

/** The phase of an error line: `error execution phase control-plane: ...` or the tag of `[upgrade/apply] FATAL: ...`. */
function phaseOf(text: string, tag: string | undefined): string | null {
  return /error execution phase ([\w/-]+)/.exec(text)?.[1] ?? tag ?? null;
}

const VERSION_POLICY: readonly [RegExp, FindingId][] = [
  [/is too high; kubeadm can upgrade only/, 'version-skips-minor'],
  [/higher than the kubeadm (?:minor release|version)/, 'version-above-kubeadm'],
  [/[Kk]ubeadm version \S+ can only be used to upgrade to Kubernetes version/, 'version-kubeadm-too-new'],
  [/is too low; kubeadm can downgrade only/, 'version-downgrade-too-low'],
  [/kubelets? .*too old|too old kubelets/i, 'version-kubelets-too-old'],
  [/is an unstable version/, 'version-unstable'],
];

/** etcd's own step failed (`[upgrade/etcd] Failed to upgrade etcd: …`, `fatal error when trying to upgrade the etcd cluster`). */
const ETCD_STEP = (tag: string | undefined, msg: string) => tag === 'upgrade/etcd' || /upgrade the etcd cluster|upgrading local etcd cluster/.test(msg);

/** The CRI runtime unreachable, with or without `[ERROR CRI]` (kubeadm ≥1.26 prints it bare, its hint glued on). */
const CRI_DOWN = /failed to create new CRI (?:runtime|image) service|container runtime is not running|unable to find command crictl|CRI v1 (?:runtime|image) API is not implemented/;

export const KUBEADM_FAILURES: readonly Recogniser[] = [
  function staticPodHash(e, acc, msg) {
    const m = /static Pod hash for component (\S+) on Node (\S+) did not change after (\S+?):?\s+(timed out waiting for the condition|context deadline exceeded)/.exec(msg);
    // Older kubeadm names no component: the etcd step says so by its tag, otherwise the `Static pod: <component>-<node>`
    // it polled last, or the component whose manifest it moved in and then waited for (1.8–1.10).
    const waited = ETCD_STEP(e.progress?.tag, msg) ? { component: 'etcd', node: null } : acc.lastStaticPod ?? (acc.waitingFor ? { component: acc.waitingFor, node: null } : null);
    const old = !m && /couldn't upgrade control plane/.test(msg) && TIMEOUT.test(msg) ? waited : null;
    if (!m && !old) return false;
    acc.fatal = true;
    acc.rolledBack ||= ROLLED_BACK.test(msg);
    acc.add('static-pod-hash-unchanged', {
      phase: phaseOf(msg, e.progress?.tag),
      component: m ? m[1]! : old!.component,
      ...(m ? { node: m[2]! } : old!.node ? { node: old!.node } : {}),
      rolledBack: ROLLED_BACK.test(msg),
    }, msg);
    acc.lastError = { message: msg, phase: phaseOf(msg, e.progress?.tag) };
    return true;
  },
  function rolledBackNote(e, acc) {
    // `[upgrade/etcd] Etcd was rolled back and is now available`
    if (!/Etcd was rolled back/.test(e.text)) return false;
    acc.rolledBack = true;
    return true;
  },
  function controlPlaneFailed(e, acc, msg) {
    if (!/couldn't upgrade control plane|fatal error when trying to upgrade the etcd cluster/.test(msg)) return false;
    acc.fatal = true;
    // `failed to obtain static Pod hash for component kube-apiserver on Node cp-1: ...` (the apiserver never answered).
    const on = /for component (\S+) on Node (\S+?):/.exec(msg);
    const component = on?.[1] ?? (ETCD_STEP(e.progress?.tag, msg) ? 'etcd' : null);
    acc.add('control-plane-upgrade-failed', { phase: phaseOf(msg, e.progress?.tag), component, ...(on ? { node: on[2]! } : {}), rolledBack: ROLLED_BACK.test(msg) }, msg);
    acc.lastError = { message: msg, phase: phaseOf(msg, e.progress?.tag) };
    return true;
  },
  function versionPolicy(e, acc, msg) {
    if (/skipping since the --force flag is set/.test(msg)) {
      acc.forced = true;
      return true;
    }
    if (/the (?:--)?version argument is invalid due to these (?:fatal )?errors/i.test(msg)) {
      acc.fatal = true;
      return true;
    }
    const hit = VERSION_POLICY.find(([p]) => p.test(msg));
    if (!hit) return false;
    const target = /Specified version to (?:upgrade|downgrade) to "(v?[^"]+)"/.exec(msg)?.[1] ?? null;
    if (target && !acc.target) acc.target = target;
    acc.add(hit[1], { phase: phaseOf(msg, e.progress?.tag) ?? 'upgrade/version', target }, msg.replace(/^-\s*/, ''), acc.forced ? 'warning' : undefined);
    return true;
  },
  function certificateExpired(e, acc, msg) {
    if (!/x509: certificate has expired|certificate has expired or is not yet valid/.test(msg)) return false;
    acc.add('certificate-expired', { phase: phaseOf(msg, e.progress?.tag) }, msg);
    return true;
  },
  function strictDecoding(e, acc, msg) {
    const m = /strict decoding error: (.*)$/.exec(msg);
    if (!m) return false;
    const fields = [...m[1]!.matchAll(/(?:unknown|duplicate) field "([^"]+)"/g)].map((x) => x[1]!);
    acc.add('config-strict-decoding', { items: fields }, msg, e.klog && e.klog.severity !== 'E' && e.klog.severity !== 'F' ? 'warning' : undefined);
    return true;
  },
  function deprecatedConfig(_e, acc, msg) {
    const m = /your configuration file uses (?:a deprecated|an old) API spec: "([^"]+)"/.exec(msg);
    if (!m) return false;
    acc.add('config-deprecated-api', { value: m[1]! }, msg, /an old API spec/.test(msg) ? 'failure' : undefined);
    return true;
  },
  function apiserverVersions(_e, acc, msg) {
    const m = /Different API server versions in the cluster were discovered: (.*?)(?:\. Please upgrade.*)?$/.exec(msg);
    if (!m) return false;
    acc.add('apiserver-versions-differ', { items: m[1]!.split(/,\s+(?=v?\d)/) }, msg);
    return true;
  },
  function sandboxImage(_e, acc, msg) {
    const clean = msg.replace(/\\"/g, '"');
    const m = /sandbox image "([^"]+)" of the container runtime is inconsistent with that used by kubeadm\.\s*It is recommended to use "([^"]+)"/.exec(clean);
    if (!m) return false;
    acc.add('sandbox-image-mismatch', { value: m[2]! }, clean);
    return true;
  },
  function preflightSummary(e, acc) {
    if (!/Some fatal errors occurred:?$/.test(e.text)) return false;
    acc.fatal = true;
    acc.preflightPhase = e.progress?.tag === 'preflight' || !e.progress ? phaseOf(e.text, undefined) ?? 'preflight' : e.progress.tag;
    acc.preflightOpen = true;
    acc.lastError = { message: e.text, phase: acc.preflightPhase };
    return true;
  },
  function preflightHint(e, acc) {
    // `[preflight] If you know what you are doing, you can make a check non-fatal with …`: the error list ends.
    if (!/^\[preflight\] If you know what you are doing/.test(e.text)) return false;
    acc.preflightOpen = false;
    return true;
  },
  function bareCriError(e, acc, msg) {
    // Not kubeadm's warning about it (`[preflight] WARNING: Couldn't create the interface…`, klog or not): only the error.
    if (e.klog || /^\[(?:ERROR|WARNING)\s/.test(e.text) || /^WARNING\b/.test(e.progress?.message ?? '') || !CRI_DOWN.test(msg)) return false;
    acc.fatal = true;
    acc.add('preflight-cri-runtime', { phase: acc.preflightPhase, check: 'CRI' }, msg);
    return true;
  },
  function barePreflightError(e, acc, msg) {
    // Any other bare line inside the error list is one of the errors, with no check name.
    if (!acc.preflightOpen || e.progress || e.klog || e.command !== null || e.text === '' || e.text.startsWith('[') || /^(?:error execution phase|To see the stack trace)/.test(e.text)) return false;
    acc.add('preflight-check', { phase: acc.preflightPhase }, msg, 'failure');
    return true;
  },
  function preflightItem(e, acc, msg) {
    const m = PREFLIGHT_ITEM.exec(e.text);
    if (!m) return false;
    const error = m[1] === 'ERROR';
    const check = m[2]!.trim();
    const full = [m[3]!, ...e.continuation].join(' ').trim();
    const id = preflightId(check, error, full);
    const nodes = /in the cluster: \[([^\]]*)\]/.exec(full)?.[1]?.split(/\s+/).filter(Boolean) ?? [];
    const image = /failed to pull image "?([^\s"]+?)"?(?::\s|\s|$)/.exec(full)?.[1] ?? null;
    // CreateJob's wait: 15s in kubeadm up to 1.30, 1m0s since; the explanation quotes what this kubeadm waited.
    const waited = /did not complete in (\w+):/.exec(full)?.[1] ?? null;
    if (error) acc.fatal = true;
    acc.add(id, { phase: error ? acc.preflightPhase : 'preflight', check, items: nodes, value: image ?? waited, ...(nodes[0] ? { node: nodes[0] } : {}) }, msg, error ? 'failure' : 'warning');
    return true;
  },
  function genericFatal(e, acc, msg) {
    const fatal = /^FATAL\b/.test(e.progress?.message ?? '') || /^error execution phase\b/.test(msg) || /^error: /.test(msg);
    if (!fatal) return false;
    acc.fatal = true;
    acc.preflightOpen = false;
    acc.lastError = { message: msg, phase: phaseOf(msg, e.progress?.tag) };
    acc.add('kubeadm-error', { phase: phaseOf(msg, e.progress?.tag) }, msg);
    return true;
  },
];
