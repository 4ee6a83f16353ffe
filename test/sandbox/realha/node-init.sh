#!/bin/sh
# PID 1 of one real-ha node (run by `unshare --mount --net --uts --pid --fork --propagation private`): mounts the
# node's root (an overlay: the shared Debian root below, the node's own upper layer), the kernel file systems, a tmpfs
# /run and /tmp, and host folders for what cannot live on an overlay (containerd's snapshots: overlay on overlay fails;
# kubelet and etcd data); sets the hostname, loopback and IP forwarding in this network namespace only; then chroots
# into the root and waits, reaping orphans, until `down` kills it (which ends every process of the node).
set -eu
node=$1 nd=$2 base=$3 images=$4
M=$nd/merged
mkdir -p "$nd/upper" "$nd/work" "$M"
mount -t overlay overlay -o "lowerdir=$base,upperdir=$nd/upper,workdir=$nd/work" "$M"
mount -t proc proc "$M/proc"
mount --rbind /dev "$M/dev"
mount -t sysfs sysfs "$M/sys"
mount --rbind /sys/fs/cgroup "$M/sys/fs/cgroup"
mount -t tmpfs -o mode=755 node-run "$M/run"
mount -t tmpfs -o mode=1777 node-tmp "$M/tmp"
for d in containerd kubelet etcd; do
  mkdir -p "$nd/data/$d" "$M/var/lib/$d"
  mount --bind "$nd/data/$d" "$M/var/lib/$d"
done
mkdir -p "$M/opt/sandbox-images" "$M/run/sshd"
mount --bind -o ro "$images" "$M/opt/sandbox-images"
hostname "$node"
ip link set lo up
echo 1 > /proc/sys/net/ipv4/ip_forward
echo ready > "$nd/ns-ready"
exec chroot "$M" /bin/bash -c 'trap "exit 0" TERM; while :; do sleep 3600 & wait $! || true; done'
