#!/usr/bin/env bash
# make demo: build the provider, serve the Oxen API simulator on loopback and
# run the demo configuration (examples/demo) through init, plan, apply,
# output and destroy on a pinned CLI. Nothing leaves the machine.
set -euo pipefail

GO="${GO:-go}"
TF_BIN="${TF_BIN:?the terraform or tofu binary to run}"
export CHECKPOINT_DISABLE=1

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

demo="$root/.demo"
version="0.1.0"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

rm -rf "$demo/work" "$demo/plugins"
mkdir -p "$demo/work"

step "Building the provider"
"$GO" build -ldflags "-X main.version=$version" -o "$demo/terraform-provider-oxen" .
mirror_provider "$demo/terraform-provider-oxen" "$demo/plugins" "$version"
write_cli_config "$demo/cli.tfrc" "$demo/plugins"
export TF_CLI_CONFIG_FILE="$demo/cli.tfrc"

step "Starting the Oxen API simulator"
sim_pid=""
trap '[[ -n "$sim_pid" ]] && { kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; }' EXIT
start_simulator "$demo" -api-key demo-key -deploy-time 20s -deactivate-time 5s
export OXEN_API_KEY=demo-key
echo "simulator at $OXEN_BASE_URL (pid $sim_pid)"

version_json="$("$TF_BIN" version -json)"
cli_version="$(sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p' <<<"$version_json")"
cli_name="Terraform"
[[ "$("$TF_BIN" version)" == OpenTofu* ]] && cli_name="OpenTofu"
echo "CLI: $cli_name $cli_version ($TF_BIN)"

cp examples/demo/*.tf "$demo/work/"
cd "$demo/work"
step "$TF_BIN init"
"$TF_BIN" init -input=false

# Provider functions need Terraform 1.8+ or OpenTofu 1.7+; older parsers
# reject the provider::oxen:: syntax outright, so those files join the
# configuration only where the CLI can read them.
functions_from="1.8.0"
[[ "$cli_name" == "OpenTofu" ]] && functions_from="1.7.0"
if [[ -d "$root/examples/demo/functions" ]]; then
	if [[ "$(printf '%s\n%s\n' "$functions_from" "${cli_version%%-*}" | sort -V | sed -n 1p)" != "$functions_from" ]]; then
		echo "($cli_name $cli_version has no provider functions: the cost estimate is left out)"
	elif [[ "$("$TF_BIN" providers schema -json)" != *'"estimate_cost"'* ]]; then
		echo "(this build of the provider has no estimate_cost function yet: the cost estimate is left out)"
	else
		cp "$root"/examples/demo/functions/*.tf .
	fi
fi

step "$TF_BIN plan"
"$TF_BIN" plan -input=false
step "$TF_BIN apply"
"$TF_BIN" apply -input=false -auto-approve
step "$TF_BIN output"
"$TF_BIN" output
if grep -qE '^[[:space:]]*resource[[:space:]]+"' ./*.tf; then
	step "$TF_BIN destroy"
	"$TF_BIN" destroy -input=false -auto-approve
fi
step "Demo finished"
