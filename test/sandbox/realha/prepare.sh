#!/bin/sh
# What every real-ha node needs before kubeadm, made ONCE at set-up and cached, so that `up` only mounts and links it:
#   packages   the Kubernetes packages of the old version installed by REAL apt (from the signed repository, read as a
#              file: source here) into an overlay upper layer over the Debian root, held, with the install docs'
#              source line (https://pkgs.k8s.io/...) and keyring. Each node mounts it as a second read-only lower
#              layer (lowerdir=THIS:base-root), so its own upper layer starts empty and dpkg/apt's later writes
#              (the upgrade) are the node's own. `up` still runs update-ca-certificates and `apt-get update` over HTTPS
#              on every node, so the signed chain is checked per cluster.
#   containerd a containerd root (content store, overlayfs snapshots, metadata) with every image imported and
#              unpacked. Each node gets a hard-linked copy on the host's file system (the snapshotter's overlay upper
#              cannot sit on overlayfs) with its own copies of the bolt databases: committed snapshots and content
#              blobs are never written in place (overlayfs copies up; containerd writes new files), so links are safe.
# Usage: prepare.sh packages BASE REPO K8S_VERSION   prints the layer's folder (its upper/ is the layer)
#        prepare.sh containerd IMAGE.tar...        prints the containerd root
set -eu
CACHE=${KUBEADM_UPGRADE_SANDBOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubeadm-upgrade/sandbox}/realha
mkdir -p "$CACHE"
log() { echo "[sandbox] real-ha: $*" >&2; }

packages() {
  base=$1 repo=$2 k8s=$3
  mm=$(echo "$k8s" | cut -d. -f1-2); ver=${k8s#v}-1.1
  key=$(printf '%s %s %s v1' "$(basename "$base")" "$(basename "$repo")" "$k8s" | sha256sum | cut -c1-12)
  out=$CACHE/pkglayer-$key
  [ -f "$out.done" ] && { echo "$out"; return 0; }
  t0=$(date +%s)
  log "installing the $k8s packages with apt into a prepared node layer (once; cached: $out)"
  rm -rf "$out"; mkdir -p "$out/upper" "$out/work" "$out/merged"
  src="core:/stable:/$mm/deb"
  unshare --mount --propagation private sh -eu -c '
    out=$1 base=$2 repo=$3 src=$4 ver=$5
    M=$out/merged
    mount -t overlay overlay -o "lowerdir=$base,upperdir=$out/upper,workdir=$out/work" "$M"
    mount -t proc proc "$M/proc"; mount --rbind /dev "$M/dev"; mount -t tmpfs tmpfs "$M/tmp"
    mount --bind -o ro "$repo/srv" "$M/mnt"
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp LANG=C.UTF-8 chroot "$M" sh -eu -c "
      mkdir -p -m 755 /etc/apt/keyrings
      gpg --dearmor < /mnt/$src/Release.key > /etc/apt/keyrings/kubernetes-apt-keyring.gpg
      chmod 644 /etc/apt/keyrings/kubernetes-apt-keyring.gpg
      echo \"deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] file:/mnt/$src/ /\" > /etc/apt/sources.list.d/kubernetes.list
      apt-get update -q > /tmp/update.log 2>&1 || { cat /tmp/update.log; exit 1; }
      if grep -E \"^(W|E|Err):\" /tmp/update.log; then exit 1; fi
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q kubelet=$ver kubeadm=$ver kubectl=$ver cri-tools kubernetes-cni > /tmp/install.log 2>&1 || { cat /tmp/install.log; exit 1; }
      apt-mark hold kubelet kubeadm kubectl > /dev/null
      # The install docs line; its lists come from apt-get update over HTTPS on each node at up.
      echo \"deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/$src/ /\" > /etc/apt/sources.list.d/kubernetes.list
      rm -f /var/lib/apt/lists/*_mnt_* /var/lib/apt/lists/lock
      apt-get clean
    "
  ' sh "$out" "$base" "$repo" "$src" "$ver"
  rm -rf "$out/work" "$out/merged"
  touch "$out.done"
  log "prepared node layer in $(( $(date +%s) - t0 ))s ($(du -sh "$out/upper" | cut -f1))"
  echo "$out"
}

containerd_root() {
  # The image tarballs are the arguments (kubeadm's images of both versions, imageSpecs() in realnode/images.ts).
  key=$( { containerd --version; for f in "$@"; do stat -c '%n %s %Y' "$f"; done; echo v1; } | sha256sum | cut -c1-12)
  out=$CACHE/containerd-$key
  [ -f "$out.done" ] && { echo "$out"; return 0; }
  t0=$(date +%s)
  log "importing the images into a prepared containerd root (once; cached: $out)"
  rm -rf "$out"; mkdir -p "$out/root"
  st=$(mktemp -d /tmp/realha-ctr.XXXXXX)
  cat > "$st/config.toml" <<EOF
version = 2
root = "$out/root"
state = "$st/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$st/c.sock"
EOF
  unshare --mount --propagation private sh -eu -c '
    st=$1; shift
    containerd --config "$st/config.toml" > "$st/containerd.log" 2>&1 &
    pid=$!
    trap "kill \$pid 2>/dev/null; wait \$pid 2>/dev/null || true" EXIT
    i=0; while [ ! -S "$st/c.sock" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
    for f in "$@"; do
      ctr -a "$st/c.sock" -n k8s.io images import "$f" > /dev/null
    done
    ctr -a "$st/c.sock" -n k8s.io images ls -q | sort > "$st/images"
  ' sh "$st" "$@" || { cat "$st/containerd.log" >&2 2>/dev/null; rm -rf "$st"; exit 1; }
  cp "$st/images" "$out/images"
  rm -rf "$st"
  touch "$out.done"
  log "prepared containerd root in $(( $(date +%s) - t0 ))s: $(wc -l < "$out/images") images ($(du -sh "$out/root" | cut -f1))"
  echo "$out"
}

case "${1:-}" in
  packages) shift; packages "$@" ;;
  containerd) shift; containerd_root "$@" ;;
  *) echo "usage: prepare.sh packages BASE REPO K8S_VERSION | containerd IMAGE.tar..." >&2; exit 2 ;;
esac
