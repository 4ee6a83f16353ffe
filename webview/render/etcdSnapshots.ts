// The backups view's "etcd snapshots (local copies)" section: each snapshot this extension took, its verification,
// and the restore steps filled in for that file (each runs only after a confirmation).
import type { BackupsViewModel } from '../../src/core/backups/viewModel';
import { snapshotStepKey } from '../../src/core/clusterPanel/protocol';
import { attrs, button, commandBlock, esc } from './html';

export function renderEtcdSnapshots(m: BackupsViewModel): string {
  const snaps = m.etcdSnapshots ?? [];
  const intro = '<p class="source">Taken with etcdctl snapshot save and kubeadm\'s etcd client certificate, verified with etcdutl snapshot status, copied here with their sha256 (Kubeadm: Snapshot etcd, and before kubeadm upgrade apply).</p>';
  if (snaps.length === 0) return `<section class="etcd-snapshots"><h2>etcd snapshots (local copies)</h2>${intro}<p class="muted">None yet.</p></section>`;
  const items = snaps.map((s, i) => {
    const r = s.record;
    const integrity = s.localIntact === null ? '<p class="note error">The local file is gone.</p>' : s.localIntact ? '' : '<p class="note error">The local file no longer has the recorded sha256.</p>';
    const facts =
      `<p><code>${esc(r.localPath)}</code> (on ${esc(r.node)}: <code>${esc(r.remotePath)}</code>)</p>` +
      `<p>sha256 <code>${esc(r.sha256)}</code> · revision ${r.status.revision} · ${r.status.totalKey} keys · ${(r.status.totalSize / 1024 ** 2).toFixed(1)} MiB · hash ${r.status.hash}</p>`;
    const steps =
      `<h4>Restore from this snapshot on ${esc(r.node)}</h4><ol class="steps">` +
      s.steps
        .map(
          (st) =>
            `<li class="step ${esc(st.danger)}" data-step="${esc(st.id)}"><div class="step-title">${esc(st.title)}${st.danger === 'restore' ? ' <vscode-badge>changes the node</vscode-badge>' : ''}</div>` +
            `<p>${esc(st.why)}</p>${st.command ? commandBlock(st.command, { danger: st.danger, step: snapshotStepKey(r.node, r.sha256, st.id) }) : ''}` +
            (st.command ? `<div class="buttons">${button('Run on node…', { action: 'runOnNode', command: st.command, step: snapshotStepKey(r.node, r.sha256, st.id) }, { title: "Runs through the node's executor (SSH or terminal) with sudo, after a confirmation" })}</div>` : '') +
            `</li>`,
        )
        .join('') +
      '</ol>';
    return `<vscode-collapsible${attrs({ heading: `${r.takenAt} — ${r.node}`, open: i === 0, class: 'etcd-snapshot', 'data-sha256': r.sha256 })}>${facts}${integrity}${steps}</vscode-collapsible>`;
  });
  return `<section class="etcd-snapshots"><h2>etcd snapshots (local copies)</h2>${intro}${items.join('')}</section>`;
}
