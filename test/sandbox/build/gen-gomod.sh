#!/bin/sh
# Regenerates the wrapper modules under gomod/ (run by hand when versions.env changes;
# the generated go.mod/go.sum are committed so builds are pinned and reproducible).
# k8s.io/kubernetes cannot be `go install`ed: its go.mod replaces every k8s.io/* staging
# module with a local path. A wrapper module requiring it ignores those replaces, so we
# add our own, pointing each staging module at its published v0.X.Y release.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.env"

gen_k8s() {
  v=$1; dir="$here/gomod/k8s-$v"; mkdir -p "$dir"
  modfile=$(go mod download -json "k8s.io/kubernetes@$v" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
  staging_v="v0.${v#v1.}"
  {
    echo "module sandbox.local/k8s"
    echo
    echo "go 1.26.0"
    echo
    echo "require k8s.io/kubernetes $v"
    echo
    echo "replace ("
    sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\t\1 => \1 '"$staging_v"'#p' "$modfile"
    echo ")"
  } > "$dir/go.mod"
  cat > "$dir/tools.go" <<'GO'
//go:build tools

// Lists the commands the sandbox builds so `go mod tidy` records their dependencies.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubeadm"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
)
GO
  (cd "$dir" && go mod tidy)
}

gen_simple() { # name module version package...
  name=$1; mod=$2; v=$3; shift 3; dir="$here/gomod/$name-$v"; mkdir -p "$dir"
  printf 'module sandbox.local/%s\n\ngo 1.26.0\n\nrequire %s %s\n' "$name" "$mod" "$v" > "$dir/go.mod"
  {
    printf '//go:build tools\n\n// Lists the commands the sandbox builds so `go mod tidy` records their dependencies.\npackage tools\n\nimport (\n'
    for p in "$@"; do printf '\t_ "%s"\n' "$p"; done
    printf ')\n'
  } > "$dir/tools.go"
  (cd "$dir" && go mod tidy)
}

gen_k8s "$K8S_OLD"
gen_k8s "$K8S_NEW"
# etcd's release modules also use local replaces; the wrapper ignores them.
gen_simple etcd go.etcd.io/etcd/server/v3 "$ETCD" go.etcd.io/etcd/server/v3
gen_simple etcd go.etcd.io/etcd/server/v3 "$ETCD_OLD" go.etcd.io/etcd/server/v3
gen_simple kwok sigs.k8s.io/kwok "$KWOK" sigs.k8s.io/kwok/cmd/kwok sigs.k8s.io/kwok/cmd/kwokctl
gen_simple etcdctl go.etcd.io/etcd/etcdctl/v3 "$ETCD" go.etcd.io/etcd/etcdctl/v3 go.etcd.io/etcd/etcdutl/v3
