#!/usr/bin/env bash
# make tftest: run `terraform test` on examples/testing with the provider
# built from this checkout, installed from a filesystem mirror as a user's
# CLI would install a release. The tests mock or override every call, so
# nothing is served and nothing leaves the machine.
set -euo pipefail

GO="${GO:-go}"
TF_BIN="${TF_BIN:?the terraform binary to run}"
export CHECKPOINT_DISABLE=1

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

version="0.0.1"
"$GO" build -ldflags "-X main.version=$version" -o "$tmp/terraform-provider-oxen" .
mirror_provider "$tmp/terraform-provider-oxen" "$tmp/plugins" "$version"
write_cli_config "$tmp/cli.tfrc" "$tmp/plugins"
export TF_CLI_CONFIG_FILE="$tmp/cli.tfrc"

cp -R examples/testing "$tmp/work"
cd "$tmp/work"
echo "== $("$TF_BIN" version | sed -n 1p): terraform test in examples/testing"
"$TF_BIN" init -input=false -no-color >init.log 2>&1 || { cat init.log; exit 1; }
"$TF_BIN" test -no-color
