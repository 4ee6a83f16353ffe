// snapshotEtcd over a fake executor: the commands it runs (kubeadm's client cert, crictl fallback, status, copy), the
// sha256 comparison, external etcd, the missing-etcdctl message; restore steps filled in for one file; the readiness
// webview model and renderer.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';

import { etcdSnapshotViews } from '../../../src/core/backups/etcdSnapshots';
import { etcdctlCommand, isExternalEtcd } from '../../../src/core/etcd/commands';
import { snapshotEtcd, SnapshotError, type SnapshotDeps, type SnapshotRecord, type StagedFile } from '../../../src/core/etcd/snapshot';
import type { NodeExecutor, RunResult } from '../../../src/core/exec/executor';
import { offeredCommands } from '../../../src/core/clusterPanel/protocol';
import { renderBackups } from '../../../webview/render/backups';
import { actionMessage } from '../../../webview/actions';
import { readinessViewModel } from '../../../src/core/readiness/viewModel';
import { renderReadiness } from '../../../webview/render/readiness';

const DATA = Buffer.from('a real snapshot would be a bbolt file');
const SHA = createHash('sha256').update(DATA).digest('hex');
const NOW = new Date('2025-12-02T06:00:00Z');

/** The node's side: the snapshot commands answered, the file's bytes streamed by readFile (or by base64 chunks). */
function executor(overrides: (c: string) => RunResult | undefined = () => undefined, stream: ((offset: number, onChunk: (b: Uint8Array) => void) => RunResult) | null = (offset, onChunk) => {
  onChunk(DATA.subarray(offset));
  return { exitCode: 0, stdout: '', stderr: '' };
}): NodeExecutor & { commands: string[] } {
  const commands: string[] = [];
  const ex: NodeExecutor & { commands: string[] } = {
    description: 'fake cp-1',
    commands,
    dispose() {},
    async run(command, options) {
      const c = String(command);
      commands.push(`${options?.sudo ? 'sudo ' : ''}${c}`);
      const o = overrides(c);
      if (o) return o;
      if (c.includes('snapshot save')) return { exitCode: 0, stdout: `Snapshot saved\n${SHA}  /var/lib/kubeadm-upgrade/etcd-snapshots/x.db\nsize ${DATA.length}\n`, stderr: '' };
      if (c.includes('snapshot status')) return { exitCode: 0, stdout: '{"hash":1,"revision":42,"totalKey":7,"totalSize":20480,"version":"3.6.0"}', stderr: '' };
      const chunk = /^tail -c \+(\d+) \S+ \| head -c (\d+) \| base64 -w 0$/.exec(c);
      if (chunk) return { exitCode: 0, stdout: DATA.subarray(Number(chunk[1]) - 1, Number(chunk[1]) - 1 + Number(chunk[2])).toString('base64'), stderr: '' };
      if (c.startsWith('rm -f')) return { exitCode: 0, stdout: '', stderr: '' };
      return { exitCode: 1, stdout: '', stderr: 'unexpected' };
    },
  };
  if (stream) {
    ex.readFile = async (path, offset, onChunk) => {
      commands.push(`readFile ${path} ${offset}`);
      return stream(offset, onChunk);
    };
  }
  return ex;
}

/** In memory, as the adapter's staging file behaves: bytes appended, committed or discarded once. */
function memoryStage(log: string[]): SnapshotDeps['stage'] {
  return async (dir, name) => {
    const parts: Uint8Array[] = [];
    let bytes = 0;
    const f: StagedFile = {
      get bytes() {
        return bytes;
      },
      append(c) {
        parts.push(Uint8Array.from(c));
        bytes += c.length;
      },
      async commit() {
        log.push(`commit ${bytes}`);
        return { path: `${dir}/${name}`, sha256: createHash('sha256').update(Buffer.concat(parts)).digest('hex') };
      },
      async discard() {
        log.push('discard');
      },
    };
    return f;
  };
}

function deps(ex: NodeExecutor, over: Partial<SnapshotDeps> = {}): SnapshotDeps & { records: SnapshotRecord[]; staged: string[] } {
  const records: SnapshotRecord[] = [];
  const staged: string[] = [];
  return {
    cluster: 'prod',
    executor: ex,
    etcdExternal: false,
    now: NOW,
    records,
    staged,
    stage: memoryStage(staged),
    sleep: async () => undefined,
    writeRecord: async (r) => void records.push(r),
    ...over,
  };
}

describe('snapshotEtcd', () => {
  it('saves with kubeadm\'s etcd client certificate, verifies, copies and records the sha256', async () => {
    const ex = executor();
    const d = deps(ex);
    const out = await snapshotEtcd(d, 'cp-1', '/tmp/snaps');
    assert.equal(out.kind, 'saved');
    const rec = out.kind === 'saved' ? out.record : undefined;
    assert.equal(rec!.sha256, SHA);
    assert.equal(rec!.status.revision, 42);
    assert.equal(rec!.remotePath, '/var/lib/kubeadm-upgrade/etcd-snapshots/etcd-snapshot-cp-1-20251202T060000Z.db');
    assert.equal(d.records.length, 1);
    assert.ok(ex.commands[0]!.startsWith('sudo '));
    assert.match(ex.commands[0]!, /--cert=\/etc\/kubernetes\/pki\/etcd\/healthcheck-client\.crt/);
    // The etcd container's etcdctl runs on the host (/proc/<pid>/root), writing into the private staging folder.
    assert.match(ex.commands[0]!, /\/proc\/\$pid\/root\/usr\/local\/bin\/etcdctl/);
    assert.match(ex.commands[0]!, /snapshot save \/var\/lib\/kubeadm-upgrade\/etcd-snapshots\/\.staging\/etcd-snapshot-cp-1-20251202T060000Z\.db\.part/);
    assert.match(ex.commands[1]!, /"\$bin" snapshot status \S+ -w json/);
    assert.deepEqual(ex.commands.slice(2), ['readFile /var/lib/kubeadm-upgrade/etcd-snapshots/etcd-snapshot-cp-1-20251202T060000Z.db 0']);
    assert.deepEqual(d.staged, [`commit ${DATA.length}`]);
  });

  it('resumes a dropped stream at the byte it reached, reporting bytes of the total', async () => {
    let calls = 0;
    const ex = executor(undefined, (offset, onChunk) => {
      calls++;
      if (calls === 1) {
        onChunk(DATA.subarray(0, 10));
        return { exitCode: null, stdout: '', stderr: '', failure: 'connection dropped (ECONNRESET)' };
      }
      onChunk(DATA.subarray(offset));
      return { exitCode: 0, stdout: '', stderr: '' };
    });
    const seen: string[] = [];
    const d = deps(ex, { onBytes: (done, total) => seen.push(`${done}/${total}`), progress: (m) => seen.push(m) });
    const out = await snapshotEtcd(d, 'cp-1', '/tmp/snaps');
    assert.equal(out.kind === 'saved' && out.record.sha256, SHA);
    assert.deepEqual(ex.commands.filter((c) => c.startsWith('readFile')).map((c) => c.split(' ')[2]), ['0', '10']);
    assert.ok(seen.includes(`10/${DATA.length}`) && seen.includes(`${DATA.length}/${DATA.length}`), seen.join('\n'));
    assert.ok(seen.some((m) => /connection lost at 10 of \d+ bytes/.test(m)), seen.join('\n'));
  });

  it('gives up after its retries, removes the staged bytes and the node\'s copy', async () => {
    const ex = executor(undefined, () => ({ exitCode: null, stdout: '', stderr: '', failure: 'connection dropped' }));
    const d = deps(ex);
    await assert.rejects(snapshotEtcd(d, 'cp-1', '/tmp/s'), (e: Error) => e instanceof SnapshotError && /6 tries, 0 of/.test(e.message));
    assert.deepEqual(d.staged, ['discard']);
    assert.match(ex.commands.at(-1)!, /^sudo rm -f \/var\/lib\/kubeadm-upgrade\/etcd-snapshots\/etcd-snapshot-cp-1-\S+\.db /);
  });

  it('without a byte stream (a terminal) copies base64 chunks, each bounded', async () => {
    const ex = executor(undefined, null);
    const d = deps(ex);
    const out = await snapshotEtcd(d, 'cp-1', '/tmp/s');
    assert.equal(out.kind === 'saved' && out.record.sha256, SHA);
    assert.match(ex.commands[2]!, /^sudo tail -c \+1 \S+ \| head -c 4194304 \| base64 -w 0$/);
  });

  it('refuses a copy whose sha256 differs, and removes it', async () => {
    const ex = executor(undefined, (_o, onChunk) => {
      onChunk(Buffer.alloc(DATA.length, 1));
      return { exitCode: 0, stdout: '', stderr: '' };
    });
    const d = deps(ex);
    await assert.rejects(snapshotEtcd(d, 'cp-1', '/tmp/s'), (e: Error) => e instanceof SnapshotError && /sha256/.test(e.message));
    assert.deepEqual(d.staged, [`commit ${DATA.length}`]);
    assert.match(ex.commands.at(-1)!, /rm -f/);
  });

  it('says how to get etcdctl when there is none', async () => {
    const ex = executor((c) => (c.includes('snapshot save') ? { exitCode: 127, stdout: '', stderr: 'No etcdctl on the node' } : undefined));
    await assert.rejects(snapshotEtcd(deps(ex), 'cp-1', '/tmp/s'), /Install etcdctl/);
  });

  it('takes no snapshot of external etcd, with a note', async () => {
    const ex = executor();
    const out = await snapshotEtcd(deps(ex, { etcdExternal: true }), 'cp-1', '/tmp/s');
    assert.equal(out.kind, 'external');
    assert.equal(ex.commands.length, 0);
    assert.ok(isExternalEtcd('etcd:\n  external:\n    endpoints:\n    - https://10.0.0.5:2379\n'));
    assert.ok(!isExternalEtcd('etcd:\n  local:\n    dataDir: /var/lib/etcd\n'));
  });

  it('quotes every argument', () => {
    assert.match(String(etcdctlCommand(['get', "a'b"])), /'a'\\''b'/);
  });
});

describe('etcd snapshots in the backups view', () => {
  it('each snapshot with its sha256 re-checked and the whole-cluster restore it offers (no single-member steps)', () => {
    const record: SnapshotRecord = { kind: 'etcd-snapshot', cluster: 'prod', node: 'cp-1', remotePath: '/var/lib/kubeadm-upgrade/etcd-snapshots/s.db', localPath: '/home/u/s.db', sha256: SHA, status: { hash: 1, revision: 2, totalKey: 3, totalSize: 4 }, takenAt: NOW.toISOString() };
    const [v, more] = etcdSnapshotViews([record, { ...record, cluster: 'other' }], 'prod', () => SHA);
    assert.equal(more, undefined);
    assert.equal(v!.localIntact, true);
    assert.deepEqual(v!.restore.map((s) => s.phase), ['prepare', 'stop-apiservers', 'stop-etcd', 'restore', 'start-etcd', 'start-apiservers', 'restart', 'check']);
    const view = { kind: 'backups' as const, context: 'prod', nodes: [], rolledBack: [], notRolledBack: [], at: null, nothingYet: null, etcdSnapshots: [v!] };
    const html = renderBackups(view);
    assert.match(html, new RegExp(`data-action="restoreEtcd"[^>]*data-sha256="${SHA}"|data-sha256="${SHA}"[^>]*data-action="restoreEtcd"`));
    assert.doesNotMatch(html, /systemctl stop kubelet|Run on node/);
    assert.deepEqual(actionMessage({ action: 'restoreEtcd', context: 'prod', sha256: SHA }, view), { type: 'restoreEtcd', context: 'prod', sha256: SHA });
    assert.equal(actionMessage({ action: 'restoreEtcd', context: 'prod', sha256: 'x' }, view), undefined);
    assert.equal(offeredCommands(view).size, 0, 'nothing to run by its text: the host builds the procedure');
    assert.equal(etcdSnapshotViews([record], 'prod', () => null)[0]!.localIntact, null);
  });

  it('"Before you start" offers Snapshot etcd (verified, copied off, recorded), not a bare etcdctl command', () => {
    const html = renderBackups({ kind: 'backups', context: 'prod', nodes: [], rolledBack: [], notRolledBack: [], at: null, nothingYet: { nodes: ['cp-1'], text: 'No backup yet', snapshot: { node: 'cp-1' } }, etcdSnapshots: [] });
    assert.match(html, /data-action="snapshotEtcd"/);
    assert.doesNotMatch(html, /etcdctl --endpoints/);
  });
});

describe('readiness view', () => {
  it('groups by severity, blockers first and open, everything escaped', () => {
    const report = {
      target: 'v1.36.3',
      generatedAt: NOW.toISOString(),
      checks: [
        { id: 'cni-addons' as const, severity: 'info' as const, node: null, message: 'calico', evidence: [], fix: '' },
        { id: 'pdb-blocks-drain' as const, severity: 'blocker' as const, node: 'w-1', message: 'PDB <x> blocks', evidence: ['Pod/a'], fix: 'scale up' },
      ],
    };
    const vm = readinessViewModel('prod', 'v1.36.3', report);
    assert.deepEqual(vm.groups.map((g) => g.severity), ['blocker', 'info']);
    const html = renderReadiness(vm);
    assert.match(html, /1 blocker\(s\): do not upgrade yet/);
    // A native disclosure: the heading keeps its case and wraps (no upper-casing, no ellipsis).
    assert.match(html, /<details data-check="pdb-blocks-drain" data-node="w-1" class="check blocker" open><summary><span class="check-id">\[pdb-blocks-drain\]<\/span> <strong>w-1<\/strong>: PDB &lt;x&gt; blocks<\/summary>/);
    assert.ok(!html.includes('<x>'));
    assert.match(html, /data-action="refresh"/);
  });
});
