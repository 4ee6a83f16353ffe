// `kubeadm-upgrade completion bash|zsh`: shell completion of the command names and of each command's flags, from
// the usage lines (src/cli/usage.ts), so a flag added to a usage line is completed without touching this file.
import * as usage from './usage';
import { UsageError } from './args';

/** Command → its flags, read from the usage lines (`kubeadm-upgrade NAME … [--flag …]`). */
export function commandFlags(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of Object.values(usage)) {
    if (typeof line !== 'string') continue;
    const name = /^kubeadm-upgrade ([a-z-]+)/.exec(line)?.[1];
    if (!name) continue;
    const flags = [...new Set([...line.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]))];
    map.set(name, [...new Set([...(map.get(name) ?? []), ...flags, '--help'])].sort());
  }
  return map;
}

export const COMPLETION_USAGE = 'kubeadm-upgrade completion bash|zsh';

export async function completionCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const shell = argv[0];
  if (argv.length !== 1 || (shell !== 'bash' && shell !== 'zsh')) throw new UsageError(`usage: ${COMPLETION_USAGE}`);
  out(shell === 'bash' ? bashScript() : `#compdef kubeadm-upgrade\nautoload -U +X bashcompinit && bashcompinit\n${bashScript()}`);
  return 0;
}

/** One bash function; zsh runs it through bashcompinit. Values are literal words (command and flag names only). */
function bashScript(): string {
  const flags = commandFlags();
  const cases = [...flags].map(([name, f]) => `    ${name}) flags="${f.join(' ')}" ;;`).join('\n');
  return `# kubeadm-upgrade shell completion: eval "$(kubeadm-upgrade completion bash)" (in ~/.bashrc)
_kubeadm_upgrade() {
  local cur=\${COMP_WORDS[COMP_CWORD]} flags=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${[...flags.keys(), 'completion'].sort().join(' ')} --help" -- "$cur") )
    return 0
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
    completion) COMPREPLY=( $(compgen -W "bash zsh" -- "$cur") ); return 0 ;;
  esac
  case "$cur" in
    -*) COMPREPLY=( $(compgen -W "$flags" -- "$cur") ) ;;
    *) COMPREPLY=( $(compgen -f -- "$cur") ) ;;
  esac
}
complete -o filenames -F _kubeadm_upgrade kubeadm-upgrade`;
}
