#!/bin/sh
# The real-ha scenario's package repository, laid out like pkgs.k8s.io: core:/stable:/v1.<N>/deb/ for K8S_OLD's and
# K8S_NEW's minors, each a flat repository (Packages, Release, InRelease, Release.gpg, Release.key) signed with a key
# made here, holding .debs of kubeadm, kubelet, kubectl, cri-tools and kubernetes-cni built from the cached binaries
# with pkgs.k8s.io's version strings (1.35.4-1.1). Built once into the cache; prints the folder to serve.
# Needs: the binaries (build-realnode.sh --real-ha), dpkg-deb, apt-ftparchive, gpg (ensure-packages.sh real-ha).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../build/versions.env"
CACHE=${KUBEADM_UPGRADE_SANDBOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubeadm-upgrade/sandbox}
CNI_DIR=/usr/lib/cni
CNI_VERSION=$(dpkg-query -W -f '${Version}' containernetworking-plugins | sed 's/-.*//')
OUT=$CACHE/realha/repo-$K8S_OLD-$K8S_NEW-crictl$CRICTL-cni$CNI_VERSION-v1
[ -f "$OUT/done" ] && { echo "$OUT"; exit 0; }

t0=$(date +%s)
echo "[sandbox] real-ha: building the signed package repository (pkgs.k8s.io layout) into $OUT" >&2
for v in "$K8S_OLD" "$K8S_NEW"; do for b in kubeadm kubelet kubectl; do
  [ -x "$CACHE/$v/$b" ] || { echo "[sandbox] real-ha: missing $CACHE/$v/$b (run test/sandbox/build/build-realnode.sh --real-ha)" >&2; exit 1; }
done; done
CRICTL_BIN=$CACHE/realnode/crictl-$CRICTL/crictl
[ -x "$CRICTL_BIN" ] || { echo "[sandbox] real-ha: missing $CRICTL_BIN" >&2; exit 1; }
[ -x "$CNI_DIR/bridge" ] || { echo "[sandbox] real-ha: missing $CNI_DIR/bridge (containernetworking-plugins)" >&2; exit 1; }

rm -rf "$OUT.tmp"; mkdir -p "$OUT.tmp/pkg" "$OUT.tmp/srv"
W=$OUT.tmp
# deb NAME VERSION DEPENDS DESCRIPTION: the package from the tree under $W/pkg/NAME_VERSION (file list ready).
deb() {
  d=$W/pkg/$1_$2
  mkdir -p "$d/DEBIAN"
  {
    echo "Package: $1"; echo "Version: $2"; echo "Architecture: amd64"
    echo "Maintainer: Kubernetes Authors <dev@kubernetes.io>"
    echo "Installed-Size: $(du -sk --exclude=DEBIAN "$d" | cut -f1)"
    [ -n "$3" ] && echo "Depends: $3"
    echo "Section: admin"; echo "Priority: optional"; echo "Homepage: https://kubernetes.io"
    echo "Description: $4"
  } > "$d/DEBIAN/control"
  dpkg-deb -Zzstd --root-owner-group --build "$d" "$5/$1_$2_amd64.deb" >/dev/null
}
bin_into() { mkdir -p "$2"; cp "$1" "$2/"; chmod 0755 "$2/$(basename "$1")"; }

# A short throwaway GNUPGHOME: gpg-agent's socket path must fit a unix socket name (~107 bytes), the cache path may not.
GNUPGHOME=$(mktemp -d /tmp/realha-gpg.XXXXXX); export GNUPGHOME
trap 'gpgconf --kill all 2>/dev/null || true; rm -rf "$GNUPGHOME"' EXIT
gpg --batch --quiet --passphrase '' --quick-gen-key 'kubeadm-upgrade sandbox repository (real-ha) <sandbox@localhost>' rsa3072 sign never 2>/dev/null
FPR=$(gpg --batch --with-colons --list-keys | awk -F: '/^fpr/{print $10; exit}')

for v in "$K8S_OLD" "$K8S_NEW"; do
  mm=$(echo "$v" | cut -d. -f1-2); ver=${v#v}-1.1
  repo=$W/srv/core:/stable:/$mm/deb
  mkdir -p "$repo/amd64"
  p=$W/pkg/kubeadm_$ver
  bin_into "$CACHE/$v/kubeadm" "$p/usr/bin"
  mkdir -p "$p/usr/lib/systemd/system/kubelet.service.d"
  cp "$here/files/10-kubeadm.conf" "$p/usr/lib/systemd/system/kubelet.service.d/"
  deb kubeadm "$ver" "" "Command-line utility for administering a Kubernetes cluster" "$repo/amd64"
  p=$W/pkg/kubelet_$ver
  bin_into "$CACHE/$v/kubelet" "$p/usr/bin"
  mkdir -p "$p/usr/lib/systemd/system" "$p/etc/kubernetes/manifests" "$p/var/lib/kubelet"
  cp "$here/files/kubelet.service" "$p/usr/lib/systemd/system/"
  # pkgs.k8s.io's kubelet wants kubernetes-cni >= 1.2.0; this one is Debian's CNI plugins (see the README).
  deb kubelet "$ver" "kubernetes-cni, mount, util-linux" "Node agent for Kubernetes clusters" "$repo/amd64"
  p=$W/pkg/kubectl_$ver
  bin_into "$CACHE/$v/kubectl" "$p/usr/bin"
  deb kubectl "$ver" "" "Command-line utility for interacting with a Kubernetes cluster" "$repo/amd64"
  cv=${CRICTL#v}-1.1
  p=$W/pkg/cri-tools_$cv; rm -rf "$p"
  bin_into "$CRICTL_BIN" "$p/usr/bin"
  deb cri-tools "$cv" "" "Command-line utility for interacting with a container runtime" "$repo/amd64"
  p=$W/pkg/kubernetes-cni_$CNI_VERSION-1.1; rm -rf "$p"
  mkdir -p "$p/opt/cni/bin"; cp "$CNI_DIR"/* "$p/opt/cni/bin/"
  deb kubernetes-cni "$CNI_VERSION-1.1" "" "Binaries required to provision kubernetes container networking" "$repo/amd64"
  (
    cd "$repo"
    apt-ftparchive packages amd64 > Packages
    gzip -9kf Packages
    label=isv:kubernetes:core:stable:$mm
    apt-ftparchive -o "APT::FTPArchive::Release::Origin=obs://build.opensuse.org/$label/deb" \
      -o "APT::FTPArchive::Release::Label=$label" -o APT::FTPArchive::Release::Architectures=amd64 release . > Release
    gpg --batch --quiet --yes -u "$FPR" --clearsign -o InRelease Release 2>/dev/null
    gpg --batch --quiet --yes -u "$FPR" -abs -o Release.gpg Release 2>/dev/null
    gpg --batch --armor --export "$FPR" > Release.key
  )
done
rm -rf "$W/pkg"
rm -rf "$OUT"; mv "$W" "$OUT"; touch "$OUT/done"
echo "[sandbox] real-ha: repository ready in $(( $(date +%s) - t0 ))s" >&2
echo "$OUT"
