#!/usr/bin/env bash
# Regenerates docs/ with tfplugindocs from a provider schema that OpenTofu
# extracts. Terraform 1.5.7 predates provider functions (Terraform 1.8), so
# its `providers schema -json` has no "functions" and tfplugindocs would
# silently drop docs/functions/. tfplugindocs reads the schema from a file
# instead of running a CLI itself, so it never tries to download Terraform.
set -euo pipefail

GO="${GO:-go}"
TOFU="${TOFU:?path to the pinned OpenTofu binary}"
TERRAFORM="${TERRAFORM:-}"
export CHECKPOINT_DISABLE=1

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

platform="$("$GO" env GOOS)_$("$GO" env GOARCH)"
"$GO" build -o "$tmp/plugins/registry.opentofu.org/hashicorp/oxen/0.0.1/$platform/terraform-provider-oxen" .

cat >"$tmp/provider.tf" <<'HCL'
provider "oxen" {}
HCL
: >"$tmp/cli.tfrc" # an empty CLI config: no user settings leak into the schema

(
	cd "$tmp"
	export TF_CLI_CONFIG_FILE="$tmp/cli.tfrc"
	"$TOFU" init -input=false -backend=false -plugin-dir=./plugins >/dev/null
	"$TOFU" providers schema -json >schema.raw.json
)

# tfplugindocs looks the schema up under the Terraform registry's address.
sed 's#"registry.opentofu.org/hashicorp/oxen"#"registry.terraform.io/hashicorp/oxen"#' \
	"$tmp/schema.raw.json" >"$tmp/schema.json"

# A terraform on PATH keeps tfplugindocs from ever reaching for a download.
if [[ -n "$TERRAFORM" && -x "$TERRAFORM" ]]; then
	mkdir -p "$tmp/bin"
	ln -s "$TERRAFORM" "$tmp/bin/terraform"
	export PATH="$tmp/bin:$PATH"
fi

"$GO" tool tfplugindocs generate --provider-name oxen --providers-schema "$tmp/schema.json"
