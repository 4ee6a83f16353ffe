#!/bin/sh
# Builds what the `real-control-plane` scenario adds to build.sh's binaries, into the same
# cache, one binary at a time (-p 2): the kubelet and kube-proxy at both pinned versions,
# kubeadm at K8S_OLD (cp-1 is initialised by it), controller-manager and scheduler at
# K8S_NEW (the upgraded static pods), etcd at kubeadm 1.N-1's default, CoreDNS at both
# kubeadms' defaults, crictl, and the sandbox's own pause. Cached binaries are skipped, so a second run is instant.
# --real-ha: also kubectl at K8S_OLD (the real-ha scenario's kubectl package of the old minor).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.env"
CACHE=${KUBEADM_UPGRADE_SANDBOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubeadm-upgrade/sandbox}
# build.sh sets up Go (installing it or fetching the toolchain module) and builds the rest.
"$here/build.sh"
GO_WANT=1.26.8
if ! go env GOVERSION 2>/dev/null | grep -q "go$GO_WANT"; then
  d=$(go mod download -json "golang.org/toolchain@v0.0.1-go$GO_WANT.linux-$(go env GOARCH)" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
  export GOROOT="$d" PATH="$d/bin:$PATH"
fi
export CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false" GOTOOLCHAIN=local
start=$(date +%s)
log() { echo "[build-realnode $(date -u +%H:%M:%S) +$(( $(date +%s) - start ))s] $*"; }
build() { # out module-dir package ldflags [go-build-flag]
  out=$1
  if [ -x "$out" ]; then log "cached  $out"; return 0; fi
  mkdir -p "$(dirname "$out")"
  log "building $3 -> $out"; t0=$(date +%s)
  (cd "$2" && go build -p 2 ${5:+"$5"} -ldflags "-s -w $4" -o "$out.tmp.$$" "$3")
  mv "$out.tmp.$$" "$out"
  log "built   $out in $(( $(date +%s) - t0 ))s"
}
k8s_ldflags() {
  v=$1; minor=$(echo "$v" | cut -d. -f2)
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    printf -- '-X %s.gitVersion=%s -X %s.gitMajor=1 -X %s.gitMinor=%s -X %s.gitTreeState=clean ' "$p" "$v" "$p" "$p" "$minor" "$p"
  done
}
# Smallest first, kube-proxy last (the node comes up and upgrades without it; its pod waits for the image).
build "$CACHE/realnode/pause" "$here/../realnode/pause" . "-X main.version=sandbox"
# crictl: its module has no replace directives, so `go install` works (v1.35.0 is not on the proxy).
if [ ! -x "$CACHE/realnode/crictl-$CRICTL/crictl" ]; then
  log "building crictl $CRICTL"
  GOBIN="$CACHE/realnode/crictl-$CRICTL" go install -p 2 -ldflags "-s -w" "sigs.k8s.io/cri-tools/cmd/crictl@$CRICTL"
fi
build "$CACHE/etcd-$ETCD_OLD/etcd" "$here/gomod/etcd-$ETCD_OLD" go.etcd.io/etcd/server/v3 \
  "-X go.etcd.io/etcd/api/v3/version.GitSHA=release"
# etcdctl/etcdutl 3.6.6 for its etcd image (registry.k8s.io/etcd ships both; build.sh builds the 3.6.8 ones).
for c in etcdctl etcdutl; do
  build "$CACHE/etcd-$ETCD_OLD/$c" "$here/gomod/etcdctl-$ETCD_OLD" "go.etcd.io/etcd/$c/v3" \
    "-X go.etcd.io/etcd/api/v3/version.GitSHA=release"
done
build "$CACHE/$K8S_OLD/kubeadm" "$here/gomod/k8s-$K8S_OLD" k8s.io/kubernetes/cmd/kubeadm "$(k8s_ldflags "$K8S_OLD")"
build "$CACHE/$K8S_OLD/kubelet" "$here/gomod/k8s-$K8S_OLD" k8s.io/kubernetes/cmd/kubelet "$(k8s_ldflags "$K8S_OLD")"
for c in kube-scheduler kube-controller-manager kubelet; do
  build "$CACHE/$K8S_NEW/$c" "$here/gomod/k8s-$K8S_NEW" "k8s.io/kubernetes/cmd/$c" "$(k8s_ldflags "$K8S_NEW")"
done
# CoreDNS at both kubeadm defaults (gomod/coredns: coremain with the Corefile's plugins, one .mod per version).
for v in "$COREDNS_OLD" "$COREDNS"; do
  build "$CACHE/realnode/coredns-$v/coredns" "$here/gomod/coredns" . "" "-modfile=$v.mod"
done
for v in "$K8S_OLD" "$K8S_NEW"; do
  build "$CACHE/$v/kube-proxy" "$here/gomod/k8s-$v" k8s.io/kubernetes/cmd/kube-proxy "$(k8s_ldflags "$v")"
done
if [ "${1:-}" = --real-ha ]; then
  build "$CACHE/$K8S_OLD/kubectl" "$here/gomod/k8s-$K8S_OLD" k8s.io/kubernetes/cmd/kubectl "$(k8s_ldflags "$K8S_OLD")"
fi
log "real-node binaries ready in $CACHE"
