#!/usr/bin/env bash
# go-install.sh DEST PACKAGE@VERSION [SOURCE [SHA256]]
#
# Builds one CLI or tool and puts it at DEST atomically: built in a temporary
# directory next to DEST and renamed into place, so an interrupted build never
# leaves a file under the cached name that later runs would trust.
#   - no SOURCE: `go install PACKAGE@VERSION` from the Go module proxy;
#   - SOURCE a directory (tools/opentofu/<version>): built inside that module,
#     whose go.mod repeats the replace lines that `go install` refuses;
#   - SOURCE a .tar.gz source release: its sha256 must be SHA256; it is
#     unpacked and built with its own go.mod, dependencies from the proxy.
set -euo pipefail

dest="${1:?destination}" spec="${2:?package@version}" src="${3:-}" sum="${4:-}"
pkg="${spec%@*}"
mkdir -p "$(dirname "$dest")"
tmp="$(mktemp -d "$(dirname "$dest")/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

start=$SECONDS
echo "Building $spec${src:+ from $src} into $dest (once per machine)"
if [[ "$src" == *.tar.gz ]]; then
	[[ -f "$src" ]] || { echo "no source release at $src: set TERRAFORM_SOURCE to it, or TERRAFORM_NEW to a built binary" >&2; exit 1; }
	got="$(sha256sum "$src" | cut -d' ' -f1)"
	[[ "$got" == "$sum" ]] || { echo "$src has sha256 $got, want $sum: not building it" >&2; exit 1; }
	mkdir "$tmp/src"
	tar -xzf "$src" -C "$tmp/src" --strip-components=1
	src="$tmp/src"
fi
if [[ -z "$src" ]]; then
	GOBIN="$tmp/out" "${GO:-go}" install "$spec"
else
	# version.dev=no: a release build, whose version has no "-dev" suffix.
	(cd "$src" && "${GO:-go}" build -trimpath -o "$tmp/out/" \
		-ldflags "-s -w -X $(cut -d/ -f1-3 <<<"$pkg")/version.dev=no" "$pkg")
fi
mv -f "$tmp"/out/* "$dest"
echo "Built $dest in $((SECONDS - start))s"
