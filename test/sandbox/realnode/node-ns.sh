#!/bin/sh
# Holds the real node's namespaces (run by `unshare --mount --net --uts --propagation private`):
# a private /run and /var/lib, the node root bound over the paths a kubeadm node uses, the
# node's hostname, loopback up and IP forwarding on in this network namespace only (the
# host's sysctls and files stay as they are). Then it sleeps until `down` kills it.
set -eu
node=$1 root=$2 rn=$3
mount -t tmpfs -o mode=755 sandbox-run /run
mkdir -p /run/sshd /run/containerd
mount -t tmpfs -o mode=755 sandbox-varlib /var/lib
for d in kubelet etcd cni containerd; do mkdir -p "/var/lib/$d"; done
mount --bind "$root/var/lib/kubelet" /var/lib/kubelet
mount --bind "$root/var/lib/etcd" /var/lib/etcd
mount --bind "$rn/cni-state" /var/lib/cni
mount --bind "$root/etc/kubernetes" /etc/kubernetes
mount --bind "$root/var/log" /var/log
mount --bind "$root/etc/apt/sources.list.d" /etc/apt/sources.list.d
hostname "$node"
ip link set lo up
echo 1 > /proc/sys/net/ipv4/ip_forward
echo ready > "$rn/ns-ready"
trap 'exit 0' TERM INT
while :; do sleep 3600 & wait $! || true; done
