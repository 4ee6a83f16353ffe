#!/bin/sh
# Builds the sandbox's binaries from the Go module proxy into the per-user cache,
# one binary at a time (2-core machines: parallel links exhaust CPU and memory).
# Idempotent: a binary already in the cache is skipped, so a second run is instant.
# Usage: build.sh            build everything in versions.env
#        build.sh --print-dir print the cache root and exit
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.env"
CACHE=${KUBEADM_UPGRADE_SANDBOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubeadm-upgrade/sandbox}
[ "${1:-}" = "--print-dir" ] && { echo "$CACHE"; exit 0; }

# Missing Go is installed, never assumed. Debian 12's golang-go is 1.19, too old for k8s 1.36
# (go 1.26 in its go.mod): then the Go toolchain *module* of the right version is fetched
# from the Go module proxy, which is what `GOTOOLCHAIN` does in Go >= 1.21.
GO_WANT=1.26.8
go_ok() {
  v=$(go env GOVERSION 2>/dev/null | sed 's/^go//')
  [ -n "$v" ] && [ "$(printf '%s\n%s\n' "$v" "$GO_WANT" | sort -V | head -n 1)" = "$GO_WANT" ]
}
if ! command -v go >/dev/null 2>&1; then
  echo "[build] go not found: installing golang-go with apt-get"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go
fi
if ! go_ok; then
  echo "[build] $(go version) is older than go$GO_WANT: fetching the go$GO_WANT toolchain module"
  d=$(GOFLAGS=-modcacherw go mod download -json "golang.org/toolchain@v0.0.1-go$GO_WANT.linux-$(go env GOARCH)" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
  chmod -R u+x,go+x "$d/bin" "$d/pkg/tool" # module zips carry no exec bits
  export GOROOT="$d" PATH="$d/bin:$PATH"
fi

export CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false" GOTOOLCHAIN=local
start=$(date +%s)
log() { echo "[build $(date -u +%H:%M:%S) +$(( $(date +%s) - start ))s] $*"; }

# build <out-file> <module-dir> <package> <ldflags>
build() {
  out=$1
  if [ -x "$out" ]; then log "cached  $out"; return 0; fi
  mkdir -p "$(dirname "$out")"
  log "building $3 -> $out"
  t0=$(date +%s)
  # Build to a temp name and rename, so an interrupted build never looks cached.
  (cd "$2" && go build -p 2 -ldflags "-s -w $4" -o "$out.tmp.$$" "$3")
  mv "$out.tmp.$$" "$out"
  log "built   $out in $(( $(date +%s) - t0 ))s"
}

k8s_ldflags() { # version vars read by `kubectl version`, `kubeadm version`, /version
  v=$1; minor=$(echo "$v" | cut -d. -f2)
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    printf -- '-X %s.gitVersion=%s -X %s.gitMajor=1 -X %s.gitMinor=%s -X %s.gitTreeState=clean ' "$p" "$v" "$p" "$p" "$minor" "$p"
  done
}

log "cache: $CACHE"
build "$CACHE/etcd-$ETCD/etcd" "$here/gomod/etcd-$ETCD" go.etcd.io/etcd/server/v3 \
  "-X go.etcd.io/etcd/api/v3/version.GitSHA=release"
for c in kwok kwokctl; do
  build "$CACHE/kwok-$KWOK/$c" "$here/gomod/kwok-$KWOK" "sigs.k8s.io/kwok/cmd/$c" \
    "-X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK#v} -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=${K8S_OLD#v}"
done
for c in kube-apiserver kube-controller-manager kube-scheduler; do
  build "$CACHE/$K8S_OLD/$c" "$here/gomod/k8s-$K8S_OLD" "k8s.io/kubernetes/cmd/$c" "$(k8s_ldflags "$K8S_OLD")"
done
for c in kubectl kubeadm kube-apiserver; do
  build "$CACHE/$K8S_NEW/$c" "$here/gomod/k8s-$K8S_NEW" "k8s.io/kubernetes/cmd/$c" "$(k8s_ldflags "$K8S_NEW")"
done
# etcdctl/etcdutl for control-plane nodes (readiness etcd-health, Snapshot etcd): real clients of the real etcd.
for c in etcdctl etcdutl; do
  build "$CACHE/etcd-$ETCD/$c" "$here/gomod/etcdctl-$ETCD" "go.etcd.io/etcd/$c/v3" \
    "-X go.etcd.io/etcd/api/v3/version.GitSHA=release"
done
log "all binaries ready in $CACHE"
