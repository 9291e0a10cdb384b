#!/usr/bin/env bash
# make release-check: build a snapshot release exactly as a tagged release is
# built (every platform of .goreleaser.yml, zipped, summed and signed), then
# check it the way the registries and a user's CLI will see it:
#   - every zip holds exactly one file, terraform-provider-oxen_v<version>
#     (.exe on Windows);
#   - SHA256SUMS lists every zip and the registry manifest, and their sums match;
#   - the detached signature of SHA256SUMS verifies;
#   - this machine's zip, laid out as a filesystem mirror, is installed by a
#     plain `init` of Terraform and of OpenTofu, and `plan` against the
#     simulator succeeds.
# The signing key is made for the run in a temporary GNUPGHOME and thrown away.
# Needs gpg, unzip and sha256sum besides Go.
set -euo pipefail

GO="${GO:-go}"
GORELEASER="${GORELEASER:?path to goreleaser}"
TERRAFORM="${TERRAFORM:?path to terraform}"
TOFU="${TOFU:-}"
# goreleaser builds this many platforms at once; each build already uses
# every core, so more only adds memory pressure.
PARALLELISM="${RELEASE_PARALLELISM:-2}"
export CHECKPOINT_DISABLE=1

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
project=terraform-provider-oxen

for tool in gpg unzip sha256sum; do
	command -v "$tool" >/dev/null || { echo "release-check needs $tool on PATH" >&2; exit 1; }
done

tmp="$(mktemp -d)"
sim_pid=""
cleanup() {
	[[ -n "$sim_pid" ]] && { kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; }
	GNUPGHOME="$tmp/gnupg" gpgconf --kill gpg-agent 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() { echo "release-check FAILED: $*" >&2; exit 1; }
step() { printf '== %s (%ss)\n' "$*" "$SECONDS"; }

step "goreleaser check"
"$GORELEASER" check

step "a throwaway signing key"
export GNUPGHOME="$tmp/gnupg"
mkdir -m 700 "$GNUPGHOME"
# RSA: the Terraform Registry accepts RSA and DSA signing keys only.
gpg --batch --quiet --passphrase '' --quick-generate-key \
	"terraform-provider-oxen release check <release-check@example.invalid>" rsa3072 sign 1d
GPG_FINGERPRINT="$(gpg --batch --with-colons --list-secret-keys | awk -F: '$1 == "fpr" { print $10; exit }')"
[[ -n "$GPG_FINGERPRINT" ]] || fail "no key was generated"
export GPG_FINGERPRINT

step "goreleaser release --snapshot (every platform, $PARALLELISM at a time)"
"$GORELEASER" release --snapshot --clean --parallelism "$PARALLELISM"

dist="$root/dist"
version="$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$dist/metadata.json" | head -n 1)"
[[ -n "$version" ]] || fail "no version in $dist/metadata.json"
sums="$dist/${project}_${version}_SHA256SUMS"
manifest_name="${project}_${version}_manifest.json"
step "checking release $version"

shopt -s nullglob
zips=("$dist/${project}_${version}"_*.zip)
((${#zips[@]} > 0)) || fail "no zips in $dist"

# Every built binary is zipped, and the platforms the registries' users
# need most are among them.
for bin_dir in "$dist"/*/; do
	bins=("$bin_dir${project}_v${version}"*)
	((${#bins[@]} > 0)) || continue
	platform="$(basename "$bin_dir" | sed -E 's/^[^_]+_([^_]+)_([^_]+).*/\1_\2/')"
	[[ -f "$dist/${project}_${version}_${platform}.zip" ]] || fail "$platform was built but not zipped"
done
for platform in linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64; do
	[[ -f "$dist/${project}_${version}_${platform}.zip" ]] || fail "no zip for $platform"
done

for zip in "${zips[@]}"; do
	want="${project}_v${version}"
	[[ "$zip" == *_windows_*.zip ]] && want+=".exe"
	got="$(unzip -Z1 "$zip")"
	[[ "$got" == "$want" ]] || fail "$(basename "$zip") holds [$(tr '\n' ' ' <<<"$got")], want exactly $want"
done
echo "${#zips[@]} zips, each holding only ${project}_v${version}"

[[ -f "$sums" ]] || fail "no $(basename "$sums")"
listed="$(awk '{ print $2 }' "$sums" | sort)"
expected="$( (for zip in "${zips[@]}"; do basename "$zip"; done; echo "$manifest_name") | sort)"
[[ "$listed" == "$expected" ]] || fail "$(basename "$sums") lists:"$'\n'"$listed"$'\n'"expected:"$'\n'"$expected"
# The manifest is published under its versioned name but read from the repository.
(cd "$dist" && grep -v " $manifest_name\$" "$sums" | sha256sum --check --quiet) || fail "a zip does not match its sum"
manifest_sum="$(awk -v n="$manifest_name" '$2 == n { print $1 }' "$sums")"
[[ "$manifest_sum" == "$(sha256sum terraform-registry-manifest.json | awk '{ print $1 }')" ]] ||
	fail "the manifest's sum does not match terraform-registry-manifest.json"
echo "$(basename "$sums") lists every zip and the manifest, and they match"

gpg --batch --status-fd 1 --verify "$sums.sig" "$sums" >"$tmp/verify.log" 2>&1 || { cat "$tmp/verify.log"; fail "the signature does not verify"; }
grep -q "VALIDSIG $GPG_FINGERPRINT " "$tmp/verify.log" || { cat "$tmp/verify.log"; fail "the signature is not by the run's key"; }
echo "$(basename "$sums.sig") verifies with the run's key"

step "installing this machine's zip from a filesystem mirror"
platform="$("$GO" env GOOS)_$("$GO" env GOARCH)"
zip="$dist/${project}_${version}_${platform}.zip"
[[ -f "$zip" ]] || fail "no zip for this machine ($platform)"
# The packed layout: HOSTNAME/NAMESPACE/TYPE/<the release zip, unchanged>.
for host in registry.terraform.io registry.opentofu.org; do
	mkdir -p "$tmp/mirror/$host/oxen-ai/oxen"
	cp "$zip" "$tmp/mirror/$host/oxen-ai/oxen/"
done
write_cli_config "$tmp/cli.tfrc" "$tmp/mirror"
export TF_CLI_CONFIG_FILE="$tmp/cli.tfrc"

start_simulator "$tmp" -api-key release-check-key
export OXEN_API_KEY=release-check-key

for cli in "$TERRAFORM" ${TOFU:+"$TOFU"}; do
	work="$tmp/work-$(basename "$cli")"
	mkdir -p "$work"
	# A prerelease version is only chosen when asked for exactly.
	cat >"$work/main.tf" <<EOF
terraform {
  required_providers {
    oxen = {
      source  = "oxen-ai/oxen"
      version = "$version"
    }
  }
}

provider "oxen" {}

data "oxen_model" "sonnet" {
  id = "claude-sonnet-4-6"
}

resource "oxen_model_activation" "custom" {
  model_id = "my-custom-model"
}

output "sonnet_pricing_method" {
  value = data.oxen_model.sonnet.pricing.method
}
EOF
	name="$("$cli" version | sed -n 1p)"
	(
		cd "$work"
		"$cli" init -input=false -no-color >init.log 2>&1 || { cat init.log; fail "$name: init from the mirror failed"; }
		grep -q "Installed oxen-ai/oxen v$version" init.log || { cat init.log; fail "$name: init did not install v$version"; }
		"$cli" plan -input=false -no-color >plan.log 2>&1 || { cat plan.log; fail "$name: plan failed"; }
		grep -q 'oxen_model_activation.custom will be created' plan.log || { cat plan.log; fail "$name: the plan does not create the activation"; }
		grep -q 'sonnet_pricing_method' plan.log || { cat plan.log; fail "$name: the plan has no look-up output"; }
	)
	echo "$name: init installed v$version from the mirror; plan against the simulator succeeded"
done

step "release $version checked"
