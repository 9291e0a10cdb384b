#!/usr/bin/env bash
# demo.sh CLI: build the provider, serve the Oxen API simulator on loopback and
# run the demo configuration (examples/demo) through init, plan, apply, output
# and destroy on CLI (terraform or tofu). Nothing leaves the machine.
set -euo pipefail

tf="${1:?the terraform or tofu binary to run}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
demo="$root/.demo"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

rm -rf "$demo/work" "$demo/plugins"
mkdir -p "$demo/work"
step "Building the provider"
"${GO:-go}" build -ldflags "-X main.version=0.1.0" -o "$demo/terraform-provider-oxen" .
mirror_provider "$demo/terraform-provider-oxen" "$demo/plugins" 0.1.0
write_cli_config "$demo/cli.tfrc" "$demo/plugins"
export TF_CLI_CONFIG_FILE="$demo/cli.tfrc"

step "Starting the Oxen API simulator"
trap stop_simulator EXIT
start_simulator "$demo" -api-key demo-key -deploy-time 20s -deactivate-time 5s
export OXEN_API_KEY=demo-key
echo "simulator at $OXEN_BASE_URL (pid $sim_pid)"

name="$("$tf" version | grep -E '^(Terraform|OpenTofu) v')"
echo "CLI: $name ($tf)"
cp examples/demo/*.tf "$demo/work/"
# Provider functions need Terraform 1.8+ or OpenTofu 1.7+; older parsers
# reject provider::oxen:: outright, so those files join only where they parse.
version="${name#* v}" since=1.8.0
[[ "$name" == OpenTofu* ]] && since=1.7.0
if [[ "$(printf '%s\n%s\n' "$since" "${version%%-*}" | sort -V | head -n1)" == "$since" ]]; then
	cp examples/demo/functions/*.tf "$demo/work/"
else
	echo "($name has no provider functions: the cost estimate is left out)"
fi

cd "$demo/work"
for cmd in "init -input=false" "plan -input=false" "apply -input=false -auto-approve" output "destroy -input=false -auto-approve"; do
	step "$tf $cmd"
	# shellcheck disable=SC2086 # cmd is a list of words
	"$tf" $cmd
done
step "Demo finished"
