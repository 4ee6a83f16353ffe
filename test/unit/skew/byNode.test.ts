import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, indexFindingsByNode } from '../../../src/core/skew/byNode';
import type { Finding } from '../../../src/core/skew';

const f = (node: string | null, rule: string) => ({ node, rule, severity: 'error', component: 'kubelet', version: null, message: rule }) as unknown as Finding;

test('findings by node: the same findings, in the same order, as filtering the list per node', () => {
  const all = [f(null, 'a'), f('w1', 'b'), f('w2', 'c'), f('w1', 'd'), f(null, 'e')];
  for (const node of [null, 'w1', 'w2', 'w3']) assert.deepEqual(findingsOf(all, node), all.filter((x) => x.node === node));
  assert.deepEqual([...indexFindingsByNode(all).keys()], [null, 'w1', 'w2']);
});

test('findings by node: built once per findings array; a new array gets a new index', () => {
  const all = [f('w1', 'a')];
  assert.equal(indexFindingsByNode(all), indexFindingsByNode(all));
  const next = [...all, f('w1', 'b')];
  assert.equal(findingsOf(next, 'w1').length, 2);
  assert.equal(findingsOf(all, 'w1').length, 1);
});
