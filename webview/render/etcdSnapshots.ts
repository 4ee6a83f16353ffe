// The backups view's "etcd snapshots (local copies)" section: each snapshot this extension took, its verification,
// and the restore steps filled in for that file (each runs only after a confirmation).
import type { BackupsViewModel } from '../../src/core/backups/viewModel';
import { attrs, button, esc } from './html';

export function renderEtcdSnapshots(m: BackupsViewModel): string {
  const snaps = m.etcdSnapshots ?? [];
  const intro = '<p class="source">Taken with etcdctl snapshot save and kubeadm\'s etcd client certificate, verified with etcdutl snapshot status, streamed here with their sha256 (Kubeadm: Snapshot etcd, and before kubeadm upgrade apply).</p>';
  if (snaps.length === 0) return `<section class="etcd-snapshots"><h2>etcd snapshots (local copies)</h2>${intro}<p class="muted">None yet.</p></section>`;
  const items = snaps.map((s, i) => {
    const r = s.record;
    const integrity = s.localIntact === null ? '<p class="note error">The local file is gone.</p>' : s.localIntact ? '' : '<p class="note error">The local file no longer has the recorded sha256.</p>';
    const facts =
      `<p><code>${esc(r.localPath)}</code> (on ${esc(r.node)}: <code>${esc(r.remotePath)}</code>)</p>` +
      `<p>sha256 <code>${esc(r.sha256)}</code> · revision ${r.status.revision} · ${r.status.totalKey} keys · ${(r.status.totalSize / 1024 ** 2).toFixed(1)} MiB · hash ${r.status.hash}</p>`;
    const steps =
      `<h4>Restore the cluster from this snapshot</h4><p>One procedure over every control plane (never one etcd member alone), built from each control plane's etcd manifest when you ask for it, shown in full, then run node by node after one confirmation; every step audited.</p><ol class="steps">` +
      s.restore.map((st) => `<li class="step restore" data-phase="${esc(st.phase)}"><div class="step-title">${esc(st.title)}</div><p>${esc(st.detail)}</p></li>`).join('') +
      '</ol>' +
      `<div class="buttons">${button('Restore the cluster from this snapshot…', { action: 'restoreEtcd', context: m.context, sha256: r.sha256 }, { title: 'Shows the procedure for this cluster, then asks once before running it' })}</div>`;
    return `<vscode-collapsible${attrs({ heading: `${r.takenAt} — ${r.node}`, open: i === 0, class: 'etcd-snapshot', 'data-sha256': r.sha256 })}>${facts}${integrity}${steps}</vscode-collapsible>`;
  });
  return `<section class="etcd-snapshots"><h2>etcd snapshots (local copies)</h2>${intro}${items.join('')}</section>`;
}
