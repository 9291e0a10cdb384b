# lib.sh: what scripts/demo.sh, tftest.sh and release-check.sh share.
# Sourced, not run; GO names the go command (default: go).

# mirror_provider BIN PLUGINS VERSION lays BIN out in the filesystem mirror
# PLUGINS (unpacked layout) as oxen-ai/oxen VERSION, under both registries'
# hosts: Terraform resolves "oxen-ai/oxen" on registry.terraform.io,
# OpenTofu on registry.opentofu.org.
mirror_provider() {
	local bin="$1" plugins="$2" version="$3" platform host dir
	platform="$("${GO:-go}" env GOOS)_$("${GO:-go}" env GOARCH)"
	for host in registry.terraform.io registry.opentofu.org; do
		dir="$plugins/$host/oxen-ai/oxen/$version/$platform"
		mkdir -p "$dir"
		cp "$bin" "$dir/terraform-provider-oxen_v$version"
	done
}

# write_cli_config FILE PLUGINS writes a CLI configuration that installs
# oxen-ai/oxen from the mirror PLUGINS only (either layout), as a user's
# CLI would install a release, and any other provider as usual.
write_cli_config() {
	local sources='"registry.terraform.io/oxen-ai/oxen", "registry.opentofu.org/oxen-ai/oxen"'
	cat >"$1" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$2"
    include = [$sources]
  }
  direct {
    exclude = [$sources]
  }
}
EOF
}

# start_simulator DIR ARGS... builds the Oxen API simulator into DIR, serves
# it on a loopback port with ARGS, waits until it listens and exports its
# URL as OXEN_BASE_URL. It sets sim_pid; the caller stops it.
start_simulator() {
	local dir="$1"
	shift
	"${GO:-go}" build -o "$dir/oxen-sim" ./internal/oxensim/cmd/oxen-sim
	rm -f "$dir/sim.url"
	"$dir/oxen-sim" -listen 127.0.0.1:0 -url-file "$dir/sim.url" "$@" &
	sim_pid=$!
	for _ in $(seq 1 100); do
		[[ -s "$dir/sim.url" ]] && break
		if ! kill -0 "$sim_pid" 2>/dev/null; then
			echo "the simulator exited before serving" >&2
			return 1
		fi
		sleep 0.1
	done
	if [[ ! -s "$dir/sim.url" ]]; then
		echo "the simulator wrote no URL to $dir/sim.url within 10s" >&2
		return 1
	fi
	OXEN_BASE_URL="$(tr -d '[:space:]' <"$dir/sim.url")"
	export OXEN_BASE_URL
}
