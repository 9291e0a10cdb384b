# lib.sh: what scripts/demo.sh and release-check.sh share. Sourced, not run.

# mirror_provider BIN PLUGINS VERSION lays BIN out in the filesystem mirror
# PLUGINS (unpacked layout) as oxen-ai/oxen VERSION under both registries'
# hosts: Terraform resolves "oxen-ai/oxen" on registry.terraform.io,
# OpenTofu on registry.opentofu.org.
mirror_provider() {
	local host dir
	for host in registry.terraform.io registry.opentofu.org; do
		dir="$2/$host/oxen-ai/oxen/$3/$("${GO:-go}" env GOOS)_$("${GO:-go}" env GOARCH)"
		mkdir -p "$dir"
		cp "$1" "$dir/terraform-provider-oxen_v$3"
	done
}

# write_cli_config FILE PLUGINS writes a CLI configuration that installs
# oxen-ai/oxen from the mirror PLUGINS only (either layout), as a user's CLI
# installs a release, and any other provider as usual.
write_cli_config() {
	local sources='"registry.terraform.io/oxen-ai/oxen", "registry.opentofu.org/oxen-ai/oxen"'
	printf 'provider_installation {\n  filesystem_mirror {\n    path    = "%s"\n    include = [%s]\n  }\n  direct {\n    exclude = [%s]\n  }\n}\n' \
		"$2" "$sources" "$sources" >"$1"
}

# start_simulator DIR ARGS... builds the Oxen API simulator into DIR, serves
# it on a loopback port with ARGS, waits until it listens and exports its URL
# as OXEN_BASE_URL. It sets sim_pid; the caller stops it.
start_simulator() {
	local dir="$1"
	shift
	"${GO:-go}" build -o "$dir/oxen-sim" ./internal/oxensim/cmd/oxen-sim
	rm -f "$dir/sim.url"
	"$dir/oxen-sim" -listen 127.0.0.1:0 -url-file "$dir/sim.url" "$@" &
	sim_pid=$!
	for _ in $(seq 1 100); do
		[[ -s "$dir/sim.url" ]] && break
		kill -0 "$sim_pid" 2>/dev/null || { echo "the simulator exited before serving" >&2; return 1; }
		sleep 0.1
	done
	[[ -s "$dir/sim.url" ]] || { echo "the simulator wrote no URL to $dir/sim.url within 10s" >&2; return 1; }
	OXEN_BASE_URL="$(tr -d '[:space:]' <"$dir/sim.url")"
	export OXEN_BASE_URL
}

# stop_simulator: for an EXIT trap.
stop_simulator() {
	[[ -z "${sim_pid:-}" ]] || { kill "$sim_pid" 2>/dev/null; wait "$sim_pid" 2>/dev/null; } || true
}
