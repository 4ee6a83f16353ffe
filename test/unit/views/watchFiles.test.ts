import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { watchFiles } from '../../../src/ui/watchFiles';

/** Resolves on the next debounced change (a real fs.watch on a private temp folder). */
function nextChange(files: string[]): { changed: Promise<void>; stop: () => void } {
  let resolve!: () => void;
  const changed = new Promise<void>((r) => (resolve = r));
  const w = watchFiles(files, () => resolve(), 20);
  // The watchers do not keep a process alive (persistent: false): this does, until the change arrives.
  const alive = setInterval(() => undefined, 1000);
  // A change that never arrives fails the test after 5 s instead of hanging it.
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no change reported within 5 s')), 5000);
  });
  const settled = Promise.race([changed, timedOut]).finally(() => (clearInterval(alive), clearTimeout(timer)));
  return { changed: settled, stop: () => (clearInterval(alive), clearTimeout(timer), w.dispose()) };
}

test('a kubeconfig written in place or replaced by a rename (as kubectl config does) triggers a reload', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeadm-watch-'));
  const file = path.join(dir, 'config');
  fs.writeFileSync(file, 'apiVersion: v1\n');
  try {
    let w = nextChange([file]);
    fs.appendFileSync(file, 'kind: Config\n');
    await w.changed;
    w.stop();
    w = nextChange([file]);
    fs.writeFileSync(path.join(dir, 'config.tmp'), 'apiVersion: v1\nkind: Config\n');
    fs.renameSync(path.join(dir, 'config.tmp'), file);
    await w.changed;
    w.stop();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing folder is skipped, not an error', () => {
  watchFiles(['/nonexistent-kubeadm-dir/config'], () => assert.fail('no change expected')).dispose();
});
