#!/bin/sh
# The Debian root every real-ha node starts from (each node mounts it as the lower layer of its own overlay):
# debootstrap --variant=minbase of the host's release from the host's Debian mirror, with what a kubeadm node
# runs besides the Kubernetes packages (containerd, runc, iptables, conntrack, sshd, sudo, apt's tools).
# Built once into the cache as a zstd tarball, unpacked once beside it: the nodes' shared, read-only lower layer.
# Usage: base-root.sh build    (the tarball; prints its path)
#        base-root.sh dir      (build when missing, unpack when missing; prints the folder)
set -eu
CACHE=${KUBEADM_UPGRADE_SANDBOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubeadm-upgrade/sandbox}
INCLUDE=apt,apt-utils,gnupg,gpgv,ca-certificates,iproute2,iputils-ping,containerd,runc,conntrack,iptables,ebtables,ethtool,socat,openssh-server,sudo,procps,kmod,less
# The tarball's name carries what went in, so a changed list builds a new one.
SUITE=$(. /etc/os-release && echo "$VERSION_CODENAME")
KEY=$(printf '%s %s v1' "$SUITE" "$INCLUDE" | sha256sum | cut -c1-12)
TAR=$CACHE/realha/rootfs-$SUITE-$KEY.tar.zst

build() {
  [ -f "$TAR" ] && return 0
  mkdir -p "$CACHE/realha"
  MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$MIRROR" ] || MIRROR=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$MIRROR" ] || MIRROR=http://deb.debian.org/debian
  tmp=$(mktemp -d "$CACHE/realha/rootfs.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  echo "[sandbox] real-ha: debootstrap $SUITE (minbase + $INCLUDE) from $MIRROR (first run only, ~1 min)" >&2
  t0=$(date +%s)
  # policy-rc.d in the new root: no service starts while packages install (sshd, containerd).
  debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$tmp/root" "$MIRROR" > "$tmp/debootstrap.log" 2>&1 || {
    tail -30 "$tmp/debootstrap.log" >&2; echo "[sandbox] real-ha: debootstrap failed" >&2; exit 1; }
  chroot "$tmp/root" apt-get clean
  # Only the local Kubernetes repository is a package source on a node (no network to Debian's mirror).
  : > "$tmp/root/etc/apt/sources.list"
  rm -f "$tmp/root"/etc/ssh/ssh_host_*
  tar -C "$tmp/root" -I 'zstd -T0 -3' -cf "$TAR.part" . && mv "$TAR.part" "$TAR"
  echo "[sandbox] real-ha: Debian root in $(( $(date +%s) - t0 ))s: $TAR ($(du -h "$TAR" | cut -f1))" >&2
}

case "${1:-}" in
  build) build; echo "$TAR" ;;
  dir)
    build
    D=${TAR%.tar.zst}
    if [ ! -f "$D.done" ]; then
      rm -rf "$D"; mkdir -p "$D"; tar -C "$D" -I zstd -xf "$TAR"; touch "$D.done"
    fi
    echo "$D" ;;
  *) echo "usage: base-root.sh build | dir" >&2; exit 2 ;;
esac
