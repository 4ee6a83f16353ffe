#!/bin/sh
# Installs the Debian packages the sandbox needs when they are missing (never assumed).
# openssh-server is installed without starting the distribution's own sshd on port 22:
# the sandbox runs one private sshd per node on loopback instead.
set -eu
need=""
command -v /usr/sbin/sshd >/dev/null 2>&1 || need="$need openssh-server"
command -v unshare >/dev/null 2>&1 || need="$need util-linux"
command -v ssh-keygen >/dev/null 2>&1 || need="$need openssh-client"
# `ensure-packages.sh real-node`: what the real-control-plane scenario's node runs (Debian's
# containerd and runc, the bridge/host-local CNI plugins, iptables for kube-proxy's image).
if [ "${1:-}" = real-node ]; then
  command -v containerd >/dev/null 2>&1 || need="$need containerd"
  command -v runc >/dev/null 2>&1 || need="$need runc"
  [ -x /usr/lib/cni/bridge ] || need="$need containernetworking-plugins"
  [ -x /usr/sbin/xtables-nft-multi ] || need="$need iptables"
  command -v ip >/dev/null 2>&1 || need="$need iproute2"
  command -v nsenter >/dev/null 2>&1 || need="$need util-linux"
fi
# `ensure-packages.sh real-ha`: what the real-ha scenario builds and runs on the host: debootstrap (one Debian root
# for every node), dpkg-deb/apt-ftparchive/gpg (the signed package repository), zstd (the root's cached tarball),
# HAProxy (the control planes' load balancer), python3 (serves the repository), plus the real node's packages.
if [ "${1:-}" = real-ha ]; then
  command -v debootstrap >/dev/null 2>&1 || need="$need debootstrap"
  command -v apt-ftparchive >/dev/null 2>&1 || need="$need apt-utils"
  command -v zstd >/dev/null 2>&1 || need="$need zstd"
  command -v gpg >/dev/null 2>&1 || need="$need gnupg"
  [ -x /usr/sbin/haproxy ] || need="$need haproxy"
  [ -x /usr/bin/python3 ] || need="$need python3"
  [ -x /usr/lib/cni/bridge ] || need="$need containernetworking-plugins"
  command -v ip >/dev/null 2>&1 || need="$need iproute2"
  command -v nsenter >/dev/null 2>&1 || need="$need util-linux"
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "sandbox: missing packages:$need (run as root, or: sudo apt-get install$need)" >&2
  exit 1
fi
echo "[sandbox] installing:$need"
apt-get -o DPkg::Lock::Timeout=600 update -qq
# policy-rc.d 101 = "do not start services": keeps port 22 closed while installing.
had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
[ $had_policy = 1 ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $need
[ $had_policy = 1 ] || rm -f /usr/sbin/policy-rc.d
