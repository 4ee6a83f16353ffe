//go:build tools

// Lists the commands the sandbox builds so `go mod tidy` records their dependencies.
package tools

import (
	_ "sigs.k8s.io/kwok/cmd/kwok"
	_ "sigs.k8s.io/kwok/cmd/kwokctl"
)
