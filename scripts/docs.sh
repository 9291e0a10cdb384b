#!/usr/bin/env bash
# docs.sh TERRAFORM: regenerates docs/ with tfplugindocs from the schema that
# TERRAFORM reports for the provider built from this checkout. It must be the
# newest Terraform: older ones and OpenTofu leave out what they cannot
# describe (functions before Terraform 1.8; list resources and actions).
# Given the schema as a file, tfplugindocs never runs or downloads a CLI.
set -euo pipefail

tf="${1:?path to the newest terraform}"
GO="${GO:-go}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# hashicorp/oxen: the address under which tfplugindocs looks the schema up.
"$GO" build -o "$tmp/plugins/registry.terraform.io/hashicorp/oxen/0.0.1/$("$GO" env GOOS)_$("$GO" env GOARCH)/" .
echo 'provider "oxen" {}' >"$tmp/main.tf"
(cd "$tmp" && "$tf" init -input=false -backend=false -plugin-dir=./plugins >/dev/null && "$tf" providers schema -json >schema.json)
"$GO" tool tfplugindocs generate --provider-name oxen --providers-schema "$tmp/schema.json"
