/**
 * `kubeadm upgrade diff <version>` output, split into one unified diff per static Pod manifest.
 *
 * Format (kubeadm cmd/kubeadm/app/cmd/upgrade/diff.go): for each of kube-apiserver, kube-controller-manager and
 * kube-scheduler (Go map order: any order), go-difflib's `WriteUnifiedDiff` with `FromFile` = the live manifest's path
 * and `ToFile` = `new manifest`; nothing at all for a manifest without differences. Before the diffs kubeadm prints
 * `[upgrade/diff] …` lines (reading the kubeadm-config ConfigMap) on stdout. Hunk headers are `@@ -a,b +c,d @@` with
 * `,b` left out when b is 1 (`@@ -42 +42 @@`) and `a,0` for an empty side. With `--context-lines N` larger than the
 * file, the single hunk holds the whole file, so both manifests can be rebuilt from it (`complete`).
 */

export interface FileDiff {
  /** The live manifest's path (FromFile), e.g. /etc/kubernetes/manifests/kube-apiserver.yaml. */
  readonly path: string;
  /** kube-apiserver, kube-controller-manager, kube-scheduler: the file name without .yaml. */
  readonly component: string;
  /** Lines only in the live manifest (without the leading '-'). */
  readonly removed: readonly string[];
  /** Lines only in the manifest kubeadm would write (without the leading '+'). */
  readonly added: readonly string[];
  /** The live manifest and kubeadm's, rebuilt from the hunks; set only when one hunk covers both files whole. */
  readonly whole?: { readonly live: string; readonly generated: string };
}

export interface ParsedDiff {
  readonly files: readonly FileDiff[];
  /** kubeadm's own lines (`[upgrade/diff] …`, warnings) outside the diffs. */
  readonly notes: readonly string[];
  /** `error: …` lines: kubeadm could not compute the diff (e.g. the API refused the ConfigMap read). */
  readonly errors: readonly string[];
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export function parseUnifiedDiff(output: string): ParsedDiff {
  const lines = output.replace(/\r/g, '').split('\n');
  const files: FileDiff[] = [];
  const notes: string[] = [];
  const errors: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      const path = line.slice(4).trim();
      i += 2;
      const removed: string[] = [];
      const added: string[] = [];
      const live: string[] = [];
      const generated: string[] = [];
      let hunks = 0;
      let wholeFile = true;
      while (i < lines.length) {
        const h = HUNK.exec(lines[i]!);
        if (!h) break;
        hunks++;
        const [oldStart, oldLen, newStart, newLen] = [Number(h[1]), h[2] === undefined ? 1 : Number(h[2]), Number(h[3]), h[4] === undefined ? 1 : Number(h[4])];
        // An empty side is written `a,0` with a = the line before: a whole-file hunk starts at line 1 (or 0 if empty).
        if (oldStart > (oldLen === 0 ? 0 : 1) || newStart > (newLen === 0 ? 0 : 1)) wholeFile = false;
        let o = 0;
        let n = 0;
        i++;
        while (i < lines.length && (o < oldLen || n < newLen)) {
          const l = lines[i]!;
          const body = l.slice(1);
          if (l.startsWith('-')) { removed.push(body); live.push(body); o++; }
          else if (l.startsWith('+')) { added.push(body); generated.push(body); n++; }
          else if (l.startsWith(' ') || l === '') { live.push(body); generated.push(body); o++; n++; }
          else break;
          i++;
        }
        if (o !== oldLen || n !== newLen) wholeFile = false;
      }
      const component = (path.split('/').pop() ?? path).replace(/\.ya?ml$/, '');
      const whole = hunks === 1 && wholeFile ? { live: live.join('\n') + '\n', generated: generated.join('\n') + '\n' } : undefined;
      files.push({ path, component, removed, added, ...(whole ? { whole } : {}) });
      continue;
    }
    if (/^error[: ]/i.test(line)) errors.push(line);
    else if (line.trim() && !/^To see the stack trace/.test(line)) notes.push(line);
    i++;
  }
  return { files, notes, errors };
}
