// The pod sandbox ("pause") container of the sandbox's real control-plane node, built here
// instead of pulled (no registry). Like registry.k8s.io/pause: it holds the pod's
// namespaces, reaps zombies, exits on SIGINT/SIGTERM, and `-v` prints a version and exits 0
// (kubeadm's upgrade health-check Job runs the pause image with `-v`).
package main

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
)

var version = "sandbox"

func main() {
	// Under another name it is the sandbox's "broken image" fault (images.ts brokenImage):
	// a component that exits at once, so kubeadm sees a static pod that never comes up.
	if name := filepath.Base(os.Args[0]); name != "pause" {
		fmt.Fprintf(os.Stderr, "%s: broken image (sandbox fault): exiting\n", name)
		os.Exit(1)
	}
	if len(os.Args) > 1 && os.Args[1] == "-v" {
		fmt.Printf("pause.go version: %s\n", version)
		return
	}
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range sigs {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			var ws syscall.WaitStatus
			if pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil); pid <= 0 || err != nil {
				break
			}
		}
	}
}
