// `kubeadm-upgrade completion bash|zsh`: the bash script run in a real bash, completing command names, each
// command's flags (from its usage line), the shells of `completion`, and files elsewhere.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kup-completion-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function script(shell: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['completion', shell], (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** What bash completes for the words typed so far (the last one being completed). */
function complete(file: string, ...words: string[]): string[] {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const r = spawnSync('bash', ['-c', `source '${file}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _kubeadm_upgrade; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

test('bash: commands, a command\'s flags, completion\'s shells, files', async () => {
  const r = await script('bash');
  assert.equal(r.code, 0);
  const file = path.join(dir, 'completion.bash');
  fs.writeFileSync(file, r.out);
  assert.deepEqual(complete(file, 'kubeadm-upgrade', 'up'), ['upgrade-cluster', 'upgrade-node']);
  assert.ok(complete(file, 'kubeadm-upgrade', '').includes('preflight'));
  assert.deepEqual(complete(file, 'kubeadm-upgrade', 'preflight', '--'), ['--accept-new-host-keys', '--context', '--help', '--json', '--kubeconfig', '--patches', '--ssh-config', '--to']);
  assert.ok(complete(file, 'kubeadm-upgrade', 'upgrade-cluster', '--max').includes('--max-unavailable'));
  assert.deepEqual(complete(file, 'kubeadm-upgrade', 'completion', ''), ['bash', 'zsh']);
  fs.writeFileSync(path.join(dir, 'plan-output.txt'), '');
  assert.deepEqual(complete(file, 'kubeadm-upgrade', 'parse-plan', 'plan-'), ['plan-output.txt']);
});

test('zsh: the same function through bashcompinit; a wrong or missing shell is exit 2', async () => {
  const z = await script('zsh');
  assert.equal(z.code, 0);
  assert.match(z.out, /^#compdef kubeadm-upgrade\nautoload -U \+X bashcompinit && bashcompinit\n/);
  assert.match(z.out, /complete -o filenames -F _kubeadm_upgrade kubeadm-upgrade$/);
  for (const bad of ['fish', '']) assert.equal((await script(bad)).code, 2);
});
