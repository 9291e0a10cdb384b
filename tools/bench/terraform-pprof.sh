#!/usr/bin/env bash
# terraform-pprof.sh [VERSION]: builds Terraform (default 1.5.7) from the Go
# module proxy with a CPU-profile hook, as terraform-VERSION-pprof in
# $(go env GOPATH)/bin. A run with TFPROF=out.prof in its environment
# writes its CPU profile there:
#
#   TFPROF=plan.prof terraform-1.5.7-pprof plan
#   go tool pprof -top -cum "$(go env GOPATH)/bin/terraform-1.5.7-pprof" plan.prof
#
# This is how the README's "Why the catalog target is missed" was measured.
# A development tool only: nothing in `make test` uses it.
set -euo pipefail

GO="${GO:-go}"
version="${1:-1.5.7}"
out="$("$GO" env GOPATH)/bin/terraform-$version-pprof"

src="$(mktemp -d)"
trap 'chmod -R u+w "$src" 2>/dev/null; rm -rf "$src"' EXIT
mod="$(cd "$src" && "$GO" mod download -json "github.com/hashicorp/terraform@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[[ -n "$mod" ]] || { echo "terraform-pprof: could not download github.com/hashicorp/terraform@v$version" >&2; exit 1; }
cp -R "$mod/." "$src/"
chmod -R u+w "$src"

grep -q 'os.Exit(realMain())' "$src/main.go" || { echo "terraform-pprof: main.go of $version has no os.Exit(realMain())" >&2; exit 1; }
sed -i.orig 's/os\.Exit(realMain())/os.Exit(profiled(realMain))/' "$src/main.go"
cat >"$src/zz_profiled.go" <<'GO'
package main

import (
	"os"
	"runtime/pprof"
)

// profiled runs main with a CPU profile written to $TFPROF, when set.
func profiled(run func() int) int {
	path := os.Getenv("TFPROF")
	if path == "" {
		return run()
	}
	f, err := os.Create(path)
	if err != nil {
		return run()
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return run()
	}
	defer pprof.StopCPUProfile()
	return run()
}
GO
(cd "$src" && GOFLAGS=-mod=mod "$GO" build -o "$out.tmp" . && mv "$out.tmp" "$out")
echo "$out"
