#!/usr/bin/env bash
# release-check.sh GORELEASER TERRAFORM [TOFU]: build a snapshot release as a
# tagged release is built (every platform of .goreleaser.yml, zipped, summed
# and signed), then check it as the registries and a user's CLI see it:
#   - every zip holds exactly terraform-provider-oxen_v<version> (.exe on Windows);
#   - SHA256SUMS lists every zip and the registry manifest, and the sums match;
#   - the detached signature of SHA256SUMS verifies;
#   - this machine's zip, in a filesystem mirror, is installed by a plain
#     `init` of each CLI, and `plan` against the simulator succeeds.
# The signing key is made for the run in a temporary GNUPGHOME and thrown away.
set -euo pipefail

goreleaser="${1:?goreleaser}" clis=("${@:2}")
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
project=terraform-provider-oxen
for tool in gpg unzip sha256sum; do
	command -v "$tool" >/dev/null || { echo "release-check needs $tool on PATH" >&2; exit 1; }
done
tmp="$(mktemp -d)"
trap 'stop_simulator; GNUPGHOME="$tmp/gnupg" gpgconf --kill gpg-agent 2>/dev/null || true; rm -rf "$tmp"' EXIT
fail() { echo "release-check FAILED: $*" >&2; exit 1; }
step() { printf '== %s (%ss)\n' "$*" "$SECONDS"; }

step "goreleaser check"
"$goreleaser" check
step "a throwaway signing key"
export GNUPGHOME="$tmp/gnupg"
mkdir -m 700 "$GNUPGHOME"
# RSA: the Terraform Registry accepts RSA and DSA signing keys only.
gpg --batch --quiet --passphrase '' --quick-generate-key "$project release check <release-check@example.invalid>" rsa3072 sign 1d
GPG_FINGERPRINT="$(gpg --batch --with-colons --list-secret-keys | awk -F: '$1 == "fpr" { print $10; exit }')"
export GPG_FINGERPRINT
# Two platforms at a time: each build already uses every core.
step "goreleaser release --snapshot"
"$goreleaser" release --snapshot --clean --parallelism 2

dist="$root/dist"
version="$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$dist/metadata.json" | head -n 1)"
[[ -n "$version" ]] || fail "no version in $dist/metadata.json"
prefix="$dist/${project}_${version}"
manifest="${project}_${version}_manifest.json"
step "checking release $version"
for platform in linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64; do
	[[ -f "${prefix}_$platform.zip" ]] || fail "no zip for $platform"
done
shopt -s nullglob
zips=("${prefix}"_*.zip)
for zip in "${zips[@]}"; do
	want="${project}_v$version"
	[[ "$zip" == *_windows_*.zip ]] && want+=".exe"
	got="$(unzip -Z1 "$zip")"
	[[ "$got" == "$want" ]] || fail "$(basename "$zip") holds [$(tr '\n' ' ' <<<"$got")], want exactly $want"
done
echo "${#zips[@]} zips, each holding only ${project}_v$version"

sums="${prefix}_SHA256SUMS"
listed="$(awk '{ print $2 }' "$sums" | sort)"
expected="$( (for zip in "${zips[@]}"; do basename "$zip"; done; echo "$manifest") | sort)"
[[ "$listed" == "$expected" ]] || fail "$(basename "$sums") lists:"$'\n'"$listed"$'\n'"expected:"$'\n'"$expected"
# The manifest is published under its versioned name but read from the repository.
(cd "$dist" && grep -v " $manifest\$" "$sums" | sha256sum --check --quiet) || fail "a zip does not match its sum"
[[ "$(awk -v n="$manifest" '$2 == n { print $1 }' "$sums")" == "$(sha256sum terraform-registry-manifest.json | cut -d' ' -f1)" ]] ||
	fail "the manifest's sum does not match terraform-registry-manifest.json"
echo "$(basename "$sums") lists every zip and the manifest, and they match"
gpg --batch --status-fd 1 --verify "$sums.sig" "$sums" >"$tmp/verify.log" 2>&1 &&
	grep -q "VALIDSIG $GPG_FINGERPRINT " "$tmp/verify.log" || { cat "$tmp/verify.log"; fail "the signature does not verify with the run's key"; }
echo "$(basename "$sums.sig") verifies with the run's key"

step "installing this machine's zip from a filesystem mirror"
# The packed layout: HOSTNAME/NAMESPACE/TYPE/<the release zip, unchanged>.
zip="${prefix}_$("${GO:-go}" env GOOS)_$("${GO:-go}" env GOARCH).zip"
for host in registry.terraform.io registry.opentofu.org; do
	mkdir -p "$tmp/mirror/$host/oxen-ai/oxen"
	cp "$zip" "$tmp/mirror/$host/oxen-ai/oxen/"
done
write_cli_config "$tmp/cli.tfrc" "$tmp/mirror"
export TF_CLI_CONFIG_FILE="$tmp/cli.tfrc" OXEN_API_KEY=release-check-key
start_simulator "$tmp" -api-key "$OXEN_API_KEY"
for cli in "${clis[@]}"; do
	work="$tmp/work-$(basename "$cli")"
	mkdir -p "$work"
	# A prerelease version is only chosen when asked for exactly.
	cat >"$work/main.tf" <<EOF
terraform {
  required_providers {
    oxen = { source = "oxen-ai/oxen", version = "$version" }
  }
}
data "oxen_model" "sonnet" { id = "claude-sonnet-4-6" }
resource "oxen_model_activation" "custom" { model_id = "my-custom-model" }
output "sonnet_pricing_method" { value = data.oxen_model.sonnet.pricing.method }
EOF
	name="$("$cli" version | grep -E '^(Terraform|OpenTofu) v')"
	cd "$work"
	"$cli" init -input=false -no-color >init.log 2>&1 && grep -q "Installed oxen-ai/oxen v$version" init.log ||
		{ cat init.log; fail "$name: init did not install v$version from the mirror"; }
	"$cli" plan -input=false -no-color >plan.log 2>&1 && grep -q 'oxen_model_activation.custom will be created' plan.log &&
		grep -q 'sonnet_pricing_method' plan.log || { cat plan.log; fail "$name: the plan failed or lacks the activation or the output"; }
	echo "$name: init installed v$version from the mirror; plan against the simulator succeeded"
done
step "release $version checked"
