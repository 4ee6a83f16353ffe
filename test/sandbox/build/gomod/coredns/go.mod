// Only marks the module root: builds use -modfile=<CoreDNS version>.mod (gen-gomod.sh, build-realnode.sh),
// so one main.go serves every pinned CoreDNS version.
module sandbox.local/coredns

go 1.26.0
