import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';

/**
 * Calls `onChange` (debounced) when any of `files` is written, replaced, created or removed. Watches each file's
 * folder with fs.watch, because editors and `kubectl config` replace a kubeconfig by renaming a new file over it
 * (a watch on the old inode would go quiet), and because VS Code's watcher does not reliably see files outside the
 * workspace (remote, code-server). Folders that do not exist are skipped: the settings watcher reloads when they change.
 */
export function watchFiles(files: readonly string[], onChange: () => void, debounceMs = 300): vscode.Disposable {
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };
  const byDir = new Map<string, Set<string>>();
  for (const f of files) {
    const dir = path.dirname(f);
    byDir.set(dir, (byDir.get(dir) ?? new Set()).add(path.basename(f)));
  }
  const watchers: fs.FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    try {
      const w = fs.watch(dir, { persistent: false }, (_event, name) => {
        if (name === null || names.has(name.toString())) fire();
      });
      w.on('error', () => w.close());
      watchers.push(w);
    } catch {
      // No such folder (yet): nothing to watch.
    }
  }
  return {
    dispose: () => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
