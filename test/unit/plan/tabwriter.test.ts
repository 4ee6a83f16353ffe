// Cutting Go tabwriter rows at the header's column offsets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { headerColumns, sliceRow } from '../../../src/core/plan/tabwriter';

describe('tabwriter slicing', () => {
  const header = 'COMPONENT                 NODE      CURRENT    TARGET';
  const columns = headerColumns(header);

  it('finds column titles and their offsets, titles may contain single spaces', () => {
    assert.deepEqual(columns, [
      { title: 'COMPONENT', start: 0 },
      { title: 'NODE', start: 26 },
      { title: 'CURRENT', start: 36 },
      { title: 'TARGET', start: 47 },
    ]);
    assert.deepEqual(
      headerColumns('API GROUP                 CURRENT VERSION   PREFERRED VERSION   MANUAL UPGRADE REQUIRED').map((c) => c.title),
      ['API GROUP', 'CURRENT VERSION', 'PREFERRED VERSION', 'MANUAL UPGRADE REQUIRED'],
    );
  });

  it('keeps an empty cell empty instead of shifting the next cells left', () => {
    assert.deepEqual(sliceRow(columns, 'kube-proxy                          1.31.1     v1.31.7'), [
      'kube-proxy',
      '',
      '1.31.1',
      'v1.31.7',
    ]);
  });

  it('keeps cells with inner spaces whole', () => {
    const cols = headerColumns('COMPONENT   CURRENT       TARGET');
    assert.deepEqual(sliceRow(cols, 'kubelet     5 x v1.20.0   v1.20.15'), ['kubelet', '5 x v1.20.0', 'v1.20.15']);
    assert.deepEqual(sliceRow(cols, '            2 x v1.9.3    v1.9.3'), ['', '2 x v1.9.3', 'v1.9.3']);
  });

  it('returns empty cells for a row cut short', () => {
    assert.deepEqual(sliceRow(columns, 'etcd                      master'), ['etcd', 'master', '', '']);
  });

  it('falls back to the nearest columns when a cut would split a word', () => {
    // Wider than the header: the cut at NODE's offset lands inside the name.
    assert.deepEqual(sliceRow(columns, 'kube-controller-manager-xyz   master    v1.31.1    v1.31.7'), [
      'kube-controller-manager-xyz',
      'master',
      'v1.31.1',
      'v1.31.7',
    ]);
  });

  it('falls back when a row is narrower than its header (two cells would share a column)', () => {
    assert.deepEqual(sliceRow(columns, 'kube-scheduler   master   v1.31.1   v1.31.7'), [
      'kube-scheduler',
      'master',
      'v1.31.1',
      'v1.31.7',
    ]);
  });
});
