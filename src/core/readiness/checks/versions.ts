import { clusterOrder } from '../../upgrade/clusterOrder';
import { HAS_ADMIN_CONF_COMMAND } from '../../upgrade/planCommand';
import { formatMinor, formatVersion } from '../../version';
import { commandEvidence, failureText } from '../context';
import { ADDON_TABLES, UNTABLED_CNI, addonMinor, addonVerdict } from '../data/addonCompatibility';
import { SUPPORT_WINDOW_SOURCE, changelogUrl, supportOf } from '../data/supportWindow';
import { result, type CheckResult } from '../types';
import { notRun, type Check } from './check';
import { nodeAccess } from './nodeAccess';

/** `support-window`: the running and target minors' release and end-of-life dates, and the target's upgrade notes. */
export const supportWindow: Check = {
  id: 'support-window',
  async run(ctx) {
    const snap = await ctx.snapshot();
    const running = snap.kubernetesVersion ?? snap.serverVersion;
    const target = ctx.target;
    const today = ctx.now.toISOString().slice(0, 10);
    const line = (label: string, v: { major: number; minor: number }) => {
      const s = supportOf(v);
      return s ? `${label} ${formatMinor(v)}: released ${s.released}${s.maintenanceFrom ? `, maintenance mode from ${s.maintenanceFrom}` : ''}, end of life ${s.endOfLife}` : `${label} ${formatMinor(v)}: not in the table`;
    };
    const evidence = [...(running ? [line('running', running)] : ['running version unknown (kubeadm-config and /version unread)']), line('target', target), `table: ${SUPPORT_WINDOW_SOURCE}`, `upgrade notes: ${changelogUrl(target)}`];
    const fix = `Read the target's "Urgent Upgrade Notes" (${changelogUrl(target)}) before upgrading.`;
    const runningEol = running ? supportOf(running)?.endOfLife : undefined;
    const targetEol = supportOf(target)?.endOfLife;
    const out: CheckResult[] = [];
    if (running && runningEol && runningEol < today) out.push(result('support-window', 'warning', null, `The running ${formatMinor(running)} reached end of life on ${runningEol}: no more security fixes`, evidence, `Upgrade one minor at a time until a supported minor. ${fix}`));
    if (targetEol && targetEol < today) out.push(result('support-window', 'warning', null, `The target ${formatMinor(target)} itself reached end of life on ${targetEol}`, evidence, `Plan the next minors right after this one. ${fix}`));
    if (out.length === 0) {
      const known = supportOf(target);
      out.push(result('support-window', 'info', null, known ? `Target ${formatMinor(target)} is supported until ${known.endOfLife}${running && runningEol ? `; the running ${formatMinor(running)} until ${runningEol}` : ''}` : `${formatMinor(target)} is not in the support table (${SUPPORT_WINDOW_SOURCE}): dates not checked`, evidence, fix));
    }
    return out;
  },
};

/** `admin-conf`: the node that will run `kubeadm upgrade apply` has /etc/kubernetes/admin.conf (kubeadm reads it). */
export const adminConf: Check = {
  id: 'admin-conf',
  async run(ctx) {
    const snap = await ctx.snapshot();
    const first = clusterOrder(snap, ctx.target).find((n) => n.stage === 'first-control-plane');
    if (!first) return [result('admin-conf', 'ok', null, `No \`kubeadm upgrade apply\` is left: the cluster is at ${formatVersion(ctx.target)} (kubeadm-config), every control plane runs \`kubeadm upgrade node\``)];
    const node = snap.nodes.find((n) => n.name === first.name)!;
    try {
      await nodeAccess(ctx, node);
    } catch (e) {
      return [notRun('admin-conf', node.name, (e as Error).message, true)];
    }
    const r = await ctx.run(node, HAS_ADMIN_CONF_COMMAND, true, 30_000);
    const evidence = commandEvidence(String(HAS_ADMIN_CONF_COMMAND), r);
    if (r.exitCode === 0) return [result('admin-conf', 'ok', node.name, `${node.name}, which runs \`kubeadm upgrade apply\`, has /etc/kubernetes/admin.conf`, evidence)];
    if (r.exitCode === 1) {
      return [result('admin-conf', 'blocker', node.name, `${node.name} will run \`kubeadm upgrade apply\` but has no /etc/kubernetes/admin.conf`, evidence,
        `Copy admin.conf from the control plane where \`kubeadm init\` ran, or regenerate it there with \`sudo kubeadm init phase kubeconfig admin\` (it is signed by the cluster CA), before upgrading.`)];
    }
    return [notRun('admin-conf', node.name, `test -f /etc/kubernetes/admin.conf: ${failureText(r)}`, true)];
  },
};

/**
 * `addon-compatibility`: the network add-on (DaemonSets/Deployments) and CSI drivers found, each release against the
 * checked-in table for the target minor; an add-on without a row is listed "not checked".
 */
export const addonCompatibility: Check = {
  id: 'addon-compatibility',
  async run(ctx) {
    const [daemonSets, workloads] = await Promise.all([ctx.deps.api.daemonSets(), ctx.deps.api.workloads()]);
    const csi = await ctx.deps.api.csiDrivers().catch((e: Error) => e);
    const targetMinor = formatMinor(ctx.target);
    const out: CheckResult[] = [];
    const objects = [...daemonSets.map((d) => ({ kind: 'DaemonSet', o: d })), ...workloads.filter((w) => w.kind === 'Deployment').map((w) => ({ kind: 'Deployment', o: w }))];
    for (const { kind, o } of objects) {
      const name = o.metadata?.name ?? '';
      const ref = `${kind}/${o.metadata?.namespace}/${name}`;
      const images = (o.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '');
      const table = ADDON_TABLES.find((t) => t.workload.test(name) || images.some((i) => t.image.test(i)));
      if (!table) {
        if (UNTABLED_CNI.test(name)) out.push(result('addon-compatibility', 'info', null, `${ref} (${images.join(', ')}): network add-on not checked — no compatibility table for it here`, [ref, ...images.map((i) => `image ${i}`)], `Check its release notes for Kubernetes ${targetMinor} and upgrade it as its docs say (kubeadm does not).`));
        continue;
      }
      const image = images.find((i) => table.image.test(i));
      const release = image ? addonMinor(image) : undefined;
      if (!release) {
        out.push(result('addon-compatibility', 'info', null, `${ref}: ${table.name} version not readable from ${image ?? 'its images'}: not checked`, [ref, ...images.map((i) => `image ${i}`)], `Check ${table.name}'s requirements page for Kubernetes ${targetMinor}.`));
        continue;
      }
      const v = addonVerdict(table, release, targetMinor);
      const evidence = [ref, `image ${image}`, v.why, ...(v.source ? [`source: ${v.source}`] : [])];
      if (v.state === 'supported') out.push(result('addon-compatibility', 'ok', null, `${table.kind} ${table.name} ${release} (${ref}) is documented for Kubernetes ${targetMinor}`, evidence));
      else if (v.state === 'unsupported') {
        out.push(result('addon-compatibility', 'warning', null, `${table.kind} ${table.name} ${release} (${ref}) is not documented for Kubernetes ${targetMinor}: ${v.why}`, evidence,
          `Upgrade ${table.name} to a release documented for ${targetMinor} (${table.upgradeDocs}); the kubeadm docs upgrade the CNI after the first control plane, before the other nodes.`));
      } else out.push(result('addon-compatibility', 'info', null, `${table.kind} ${table.name} ${release} (${ref}): not checked — ${v.why}`, evidence, `Check ${table.name}'s requirements for Kubernetes ${targetMinor}.`));
    }
    if (csi instanceof Error) out.push(notRun('addon-compatibility', null, `CSI drivers: ${csi.message}`));
    else {
      for (const d of csi) {
        const name = d.metadata?.name ?? '?';
        out.push(result('addon-compatibility', 'info', null, `CSI driver ${name}: not checked — no compatibility table for CSI drivers here`, [`CSIDriver/${name}`], `Check the ${name} driver's release notes for Kubernetes ${targetMinor}; its sidecars (external-provisioner, attacher, …) have their own minimum Kubernetes versions.`));
      }
    }
    if (out.length === 0) out.push(result('addon-compatibility', 'info', null, 'No known network add-on and no CSI driver found: nothing checked', [], `Check how your network add-on is installed and whether it supports Kubernetes ${targetMinor}.`));
    return out;
  },
};
