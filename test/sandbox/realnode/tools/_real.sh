# Shared by the real node's tools (cp-1 of the real-control-plane scenario). They run as root
# inside the node's mount, network and UTS namespaces (sshd runs there), on top of the
# sandbox's node tools (package records, faults).
. "$(dirname "$0")/../node-tools/_lib.sh"
RN=$SANDBOX_DIR/realnode
# The real binary of the installed package's minor: installing kubeadm/kubelet 1.N through
# the package stand-in switches to the real 1.N binary (the sandbox has one patch per minor).
real_bin() { # NAME
  v=$(pkg_get "$1" 2); m=$(echo "$v" | cut -d. -f2)
  b=$RN/bin/$m/$1
  [ -x "$b" ] || die "$1: no real $1 binary for 1.$m in this sandbox (have: $(ls "$RN/bin" | tr '\n' ' '))"
  echo "$b"
}
kubelet_pid() { p=$(cat "$RN/kubelet.pid" 2>/dev/null || true); [ -n "$p" ] && kill -0 "$p" 2>/dev/null && echo "$p"; return 0; }
