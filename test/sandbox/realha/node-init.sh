#!/bin/sh
# PID 1 of one real-ha node (run by `unshare --mount --net --uts --pid --fork --propagation private`): mounts the
# node's root (an overlay: the shared Debian root below, the node's own upper layer), the kernel file systems, a tmpfs
# /run and /tmp, and host folders for what cannot live on an overlay (containerd's snapshots: overlay on overlay fails;
# kubelet and etcd data); sets the hostname, loopback and IP forwarding in this network namespace only; then pivots
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
# pivot_root, not chroot: the node's root must be the ROOT MOUNT of its mount namespace. A container's runc does
# pivot_root into its rootfs, which replaces the namespace's root mount only when the caller's root is that mount;
# under a chroot the container's namespace kept the host's / as its root, and `crictl exec` (runc exec: setns into
# the container's mount namespace lands at the namespace's root) then ran in the host's tree: "etcdctl: executable
# file not found in $PATH" although the etcd image ships it (measured, 2026-12-07).
cd "$M"
mkdir -p .oldroot
pivot_root . .oldroot
umount -l /.oldroot
rmdir /.oldroot 2>/dev/null || true
exec /bin/bash -c 'trap "exit 0" TERM; while :; do sleep 3600 & wait $! || true; done'
