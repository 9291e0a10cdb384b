#!/usr/bin/env bash
# testacc.sh CLI [GO TEST FLAGS...]: the acceptance suite on one CLI, ending
# with one line, "== <name> (<version>): N tests, P passed, S skipped,
# F failed in Ms: ok". The verbose log stays in .test-results/<name>.log; on
# failure the failed tests' output is printed, without the passing ones.
# testacc.sh --summary: the line CI reads, over every log there:
# "acceptance: N passed, N failed, N skipped".
set -uo pipefail

logs=.test-results
# count WHAT LOG...: top-level test results (subtests are indented).
count() { local what="$1"; shift; cat "$@" 2>/dev/null | grep -c "^--- $what" || true; }

if [[ "${1:-}" == --summary ]]; then
	echo "acceptance: $(count PASS "$logs"/*.log) passed, $(count FAIL "$logs"/*.log) failed, $(count SKIP "$logs"/*.log) skipped"
	exit 0
fi
cli="${1:?usage: testacc.sh CLI [go test flags] | testacc.sh --summary}"
shift
name="$(basename "$cli")"
log="$logs/$name.log"
mkdir -p "$logs"

export TF_ACC=1 TF_ACC_TERRAFORM_PATH="$cli"
version="$("$cli" version 2>/dev/null | grep -E '^(Terraform|OpenTofu) v')"
[[ "$version" == OpenTofu* ]] && export TF_ACC_PROVIDER_HOST=registry.opentofu.org

start=$SECONDS
"${GO:-go}" test ./internal/provider/... -v -count=1 -timeout "${ACC_TIMEOUT:-30m}" \
	-parallel "${ACC_PARALLEL:-4}" "$@" >"$log" 2>&1
rc=$?
passed=$(count PASS "$log") skipped=$(count SKIP "$log") failed=$(count FAIL "$log")

if ((rc != 0 && failed > 0)); then
	# Every line of the failed tests (parallel tests interleave: the
	# "=== NAME" markers say whose line follows).
	awk 'NR == FNR { if ($1 == "---" && $2 == "FAIL:") failed[$3] = 1; next }
		/^(===|---) [A-Z]+:? / { cur = $3; sub(/\/.*/, "", cur) }
		cur in failed' "$log" "$log"
elif ((rc != 0)); then
	tail -n 60 "$log" # a build error or a panic: no test result lines
fi
status=ok race=""
((rc != 0)) && status=FAILED
[[ " $* " == *" -race "* ]] && race=", race detector on"
echo "== $name ($version): $((passed + skipped + failed)) tests, $passed passed, $skipped skipped, $failed failed in $((SECONDS - start))s$race: $status"
exit "$rc"
