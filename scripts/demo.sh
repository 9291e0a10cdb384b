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

demo="$root/.demo"
version="0.1.0"
platform="$("$GO" env GOOS)_$("$GO" env GOARCH)"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

rm -rf "$demo/work" "$demo/plugins" "$demo/sim.url"
mkdir -p "$demo/work"

step "Building the provider and the simulator"
# The same binary under both registries: Terraform resolves "oxen-ai/oxen"
# on registry.terraform.io, OpenTofu on registry.opentofu.org.
for host in registry.terraform.io registry.opentofu.org; do
	dir="$demo/plugins/$host/oxen-ai/oxen/$version/$platform"
	mkdir -p "$dir"
	if [[ -z "${provider_bin:-}" ]]; then
		"$GO" build -ldflags "-X main.version=$version" -o "$dir/terraform-provider-oxen_v$version" .
		provider_bin="$dir/terraform-provider-oxen_v$version"
	else
		cp "$provider_bin" "$dir/"
	fi
done
"$GO" build -o "$demo/oxen-sim" ./internal/oxensim/cmd/oxen-sim

cat >"$demo/cli.tfrc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$demo/plugins"
    include = ["registry.terraform.io/oxen-ai/oxen", "registry.opentofu.org/oxen-ai/oxen"]
  }
  direct {
    exclude = ["registry.terraform.io/oxen-ai/oxen", "registry.opentofu.org/oxen-ai/oxen"]
  }
}
EOF
export TF_CLI_CONFIG_FILE="$demo/cli.tfrc"

step "Starting the Oxen API simulator"
"$demo/oxen-sim" -listen 127.0.0.1:0 -url-file "$demo/sim.url" -api-key demo-key \
	-deploy-time 20s -deactivate-time 5s &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
	[[ -s "$demo/sim.url" ]] && break
	if ! kill -0 "$sim_pid" 2>/dev/null; then
		echo "the simulator exited before serving" >&2
		exit 1
	fi
	sleep 0.1
done
if [[ ! -s "$demo/sim.url" ]]; then
	echo "the simulator wrote no URL to $demo/sim.url within 10s" >&2
	exit 1
fi
OXEN_BASE_URL="$(tr -d '[:space:]' <"$demo/sim.url")"
export OXEN_BASE_URL
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
