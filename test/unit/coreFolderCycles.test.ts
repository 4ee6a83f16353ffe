// src/core's folders form layers: no folder reaches back to one that reaches it (skew↔progress, exec→upgrade→exec,
// etcd↔backups, etcd↔readiness were such cycles, #29 item 3). Read from the sources' own import lines, so a new
// arrow back fails here with the files that make it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const CORE = path.join(__dirname, '..', '..', 'src', 'core');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The folder of src/core a file belongs to; files at src/core's top (version.ts, …) belong to none. */
function folderOf(file: string): string | undefined {
  const parts = path.relative(CORE, file).split(path.sep);
  return parts.length > 1 ? parts[0] : undefined;
}

/** Every relative specifier a file imports or re-exports from (static, type-only and dynamic). */
function specifiers(text: string): string[] {
  const re = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]*)['"]/g;
  return [...text.matchAll(re)].map((m) => m[1]!);
}

/** folder → folder → the import lines that make the arrow. */
function folderGraph(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of sources(CORE)) {
    const from = folderOf(file);
    if (!from) continue;
    for (const spec of specifiers(fs.readFileSync(file, 'utf8'))) {
      const target = path.resolve(path.dirname(file), spec);
      if (!target.startsWith(CORE + path.sep)) continue;
      const to = folderOf(fs.existsSync(target) && fs.statSync(target).isDirectory() ? path.join(target, 'index.ts') : `${target}.ts`);
      if (!to || to === from) continue;
      const arrows = graph.get(from) ?? new Map<string, string[]>();
      graph.set(from, arrows);
      arrows.set(to, [...(arrows.get(to) ?? []), `${path.relative(CORE, file)} → ${spec}`]);
    }
  }
  return graph;
}

/** One cycle through each strongly connected group of folders (depth-first search), as the folders in order. */
function cycles(graph: Map<string, Map<string, string[]>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

test('the import reader sees the arrows that exist (a reader that finds nothing would pass any tree)', () => {
  const graph = folderGraph();
  assert.ok(graph.size >= 10, `arrows from ${graph.size} folders`);
  assert.ok(graph.get('upgrade')?.has('exec'), 'upgrade imports exec (executor, shell)');
  assert.ok(graph.get('clusterUpgrade')?.has('readiness'), 'clusterUpgrade imports readiness (its gate)');
  assert.deepEqual(cycles(new Map([['a', new Map([['b', ['x']]])], ['b', new Map([['a', ['y']]])]])), [['a', 'b', 'a']]);
});

test('no cycle between the folders of src/core', () => {
  const graph = folderGraph();
  const found = cycles(graph);
  const explain = found.map((c) => c.join(' → ') + '\n' + c.slice(1).map((to, i) => `  ${c[i]} → ${to}: ${graph.get(c[i]!)!.get(to)!.join(', ')}`).join('\n'));
  assert.deepEqual(explain, [], explain.join('\n'));
});
