#!/usr/bin/env bash
# go-install.sh DEST PACKAGE@VERSION [MODULE_DIR]
#
# Builds one tool from the Go module proxy and puts it at DEST, atomically: the
# binary is built into a temporary directory next to DEST and renamed into
# place, so an interrupted build never leaves a half-written file under the
# cached name that later runs would trust.
#
# Without MODULE_DIR it is `go install PACKAGE@VERSION`. With MODULE_DIR the
# package is built from inside that module (tools/opentofu/<version>), whose
# go.mod carries the replace lines that `go install` refuses; VERSION is then
# only printed.
set -euo pipefail

dest="${1:?destination path}"
spec="${2:?package@version}"
module_dir="${3:-}"
GO="${GO:-go}"

dir="$(dirname "$dest")"
mkdir -p "$dir"
tmp="$(mktemp -d "$dir/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

start=$SECONDS
echo "Building $spec from the Go module proxy into $dest (once per machine)"
if [[ -z "$module_dir" ]]; then
	GOBIN="$tmp" "$GO" install "$spec"
else
	(
		cd "$module_dir"
		"$GO" build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
			-o "$tmp/" "${spec%@*}"
	)
fi

built=("$tmp"/*)
if [[ ${#built[@]} -ne 1 || ! -x "${built[0]}" ]]; then
	echo "expected one binary from $spec, found: ${built[*]}" >&2
	exit 1
fi
mv -f "${built[0]}" "$dest"
echo "Built $dest in $((SECONDS - start))s"
