import { raw, sh, validatePath, type ShellCommand } from '../exec/shell';
import { formatMinor, type MinorRef } from '../version';
import type { PackageManager } from './packages';
import type { RepoLine } from './repo';

/**
 * What the next minor's repository offers, asked without changing the node: pkgs.k8s.io has one repository per minor,
 * so the node's own index only lists the running minor. apt reads a copy of the node's kubernetes source files with
 * the minor rewritten, with its own index in a temporary folder (nothing in /etc or /var/lib/apt changes); yum/dnf
 * add the rewritten baseurl as a temporary repository for this one command. Run with sudo (apt-get update needs root).
 */
export function nextRepoVersionsCommand(pm: PackageManager, lines: readonly RepoLine[], next: MinorRef): ShellCommand | undefined {
  const files = [...new Set(lines.filter((l) => l.minor).map((l) => l.file))];
  if (files.length === 0) return undefined;
  const expr = `s#/core:/stable:/v[0-9][0-9]*\\.[0-9][0-9]*/#/core:/stable:/v${formatMinor(next)}/#g`;
  if (pm === 'apt') {
    const copies = files.map((f) => {
      validatePath(f);
      return sh`sed ${expr} ${f} > "$d/parts/$(basename ${f})"`;
    });
    const opts = '-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$d/parts" -o Dir::State::Lists="$d/lists"';
    return raw(
      `d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && mkdir -p "$d/parts" "$d/lists/partial" && ${copies.join(' && ')} && ` +
        `apt-get -q ${opts} update >/dev/null && apt-cache ${opts} madison kubeadm`,
    );
  }
  const base = lines.map((l) => /^\s*baseurl\s*=\s*(\S+)/.exec(l.text)?.[1]).find((u) => u && /\/core:\/stable:\/v\d+\.\d+\//.test(u));
  if (!base) return undefined;
  const url = base.replace(/\/core:\/stable:\/v\d+\.\d+\//, `/core:/stable:/v${formatMinor(next)}/`);
  const tool = pm === 'yum' ? 'yum' : 'dnf';
  const disable = pm === 'dnf5' ? '--repo=kubeadm-upgrade-next' : "--disablerepo='*' --enablerepo=kubeadm-upgrade-next";
  return raw(`${tool} -q ${sh`--repofrompath=${`kubeadm-upgrade-next,${url}`}`} ${disable} --setopt=kubeadm-upgrade-next.gpgcheck=0 list --showduplicates kubeadm`);
}
