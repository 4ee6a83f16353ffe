# Shared by the node-side tools. Each sandbox node is an sshd whose sessions get
# SANDBOX_NODE / SANDBOX_NODE_ROOT / SANDBOX_DIR (sshd_config SetEnv); tools act on the
# node's root folder and on the cluster through the real API with the sandbox kubeconfig.
: "${SANDBOX_NODE:?not on a sandbox node}" "${SANDBOX_NODE_ROOT:?}" "${SANDBOX_DIR:?}"
ROOT=$SANDBOX_NODE_ROOT
STATE=$ROOT/var/lib/sandbox
PKGS=$STATE/packages
KUBECTL="$SANDBOX_DIR/bin/kubectl --kubeconfig $SANDBOX_DIR/kubeconfig"

die() { echo "$*" >&2; exit 1; }

# pkg_get NAME FIELD: FIELD 2 = installed version, 3 = held (1/0)
pkg_get() { awk -v n="$1" -v f="$2" '$1 == n { print $f }' "$PKGS"; }
pkg_set() { # NAME VERSION HELD
  tmp=$PKGS.tmp.$$
  awk -v n="$1" '$1 != n' "$PKGS" > "$tmp"; echo "$1 $2 $3" >> "$tmp"; mv "$tmp" "$PKGS"
}

# The minor the node's package repo file points at (pkgs.k8s.io is one repo per minor).
repo_minor() {
  cat "$ROOT/etc/apt/sources.list.d/kubernetes.list" "$ROOT/etc/yum.repos.d/kubernetes.repo" 2>/dev/null \
    | sed -n 's#.*pkgs.k8s.io/core:/stable:/v1\.\([0-9]*\)/.*#\1#p' | head -n 1
}
# Versions the repo offers for its minor: 1.M.0-1.1 .. 1.M.<latest>-1.1, newest first.
repo_versions() {
  m=$(repo_minor); [ -n "$m" ] || return 0
  latest=$(awk -v m="$m" '$1 == m { print $2 }' "$SANDBOX_DIR/repo-latest-patch")
  [ -n "$latest" ] || latest=3
  p=$latest; while [ "$p" -ge 0 ]; do echo "1.$m.$p-1.1"; p=$((p - 1)); done
}

# Faults on demand: $ROOT/etc/sandbox-faults.env holds lines STEP=fail|hang|drop|never-ready.
# A step is e.g. kubeadm_upgrade_apply, kubeadm_upgrade_node, apt_install, kubelet_restart.
fault_for() { sed -n "s/^$1=//p" "$ROOT/etc/sandbox-faults.env" 2>/dev/null | tail -n 1; }
apply_fault() { # STEP MESSAGE
  f=$(fault_for "$1")
  case "$f" in
    fail) echo "$2" >&2; exit 1 ;;
    hang) # Hangs until the fault is cleared (a stuck lock or a silent mirror that comes back), then goes on.
      while [ "$(fault_for "$1")" = hang ]; do sleep 1; done ;;
    drop) # A connection drop, not a killed command: kill the sshd process of the session that
      # started this step, then carry on (a detached step keeps running; the client re-attaches).
      # One-shot: the line is removed, so a step started twice by mistake would not drop again.
      sed -i "/^$1=drop\$/d" "$ROOT/etc/sandbox-faults.env"
      p=$$; while [ "$p" -gt 1 ]; do
        case "$(cat /proc/$p/comm 2>/dev/null)" in sshd*) kill -9 "$p"; break ;; esac
        p=$(awk '{print $4}' /proc/$p/stat)
      done
      sleep 2 ;; # mid-step: the drop lands before the step's work
  esac
  return 0
}
