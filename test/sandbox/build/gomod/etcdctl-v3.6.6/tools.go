//go:build tools

// Lists the commands the sandbox builds so `go mod tidy` records their dependencies.
package tools

import (
	_ "go.etcd.io/etcd/etcdctl/v3"
	_ "go.etcd.io/etcd/etcdutl/v3"
)
